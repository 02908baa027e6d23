/**
 * Issue 5 item 1: one connection that pipelined ~20,000 GETs of a static file and never read,
 * then closed, left ~19,500 file streams open (fds at the limit, RSS +440 MB) until restart.
 * Over a real server on port 0; the server runs in this process, so its fds are ours to count.
 */
import { once } from "node:events";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { ConfigOverrides } from "../../src/config/schema.js";
import { MiB, openFds, rssBytes } from "../support/resources.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer | undefined;
const sockets = new Set<net.Socket>();

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await stopTestServer(server);
  server = undefined;
});

async function start(overrides: ConfigOverrides = {}): Promise<TestServer> {
  server = await startTestServer({ overrides });
  return server;
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  sockets.add(socket);
  socket.on("error", () => {});
  await once(socket, "connect");
  return socket;
}

/** Resolves when `socket` closes. Not events.once: that rejects on the ECONNRESET a cut connection emits first. */
function closeOf(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => socket.once("close", () => resolve()));
}

/** One whole exchange on a fresh connection (Connection: close), read to the end. */
async function get(port: number, target: string): Promise<string> {
  const socket = await connect(port);
  let text = "";
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString("latin1");
  });
  socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  await closeOf(socket);
  return text;
}

/**
 * Writes `count` pipelined GETs of `target` on one connection and never reads. Once the server
 * has acted on them (cut the connection, or, the bug, opened files for most of them), closes.
 */
async function pipelineAndClose(port: number, target: string, count: number, fdsBefore: number): Promise<void> {
  const socket = await connect(port);
  let cut = false;
  const closed = closeOf(socket).then(() => {
    cut = true;
  });
  socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`.repeat(count));
  await expect.poll(() => cut || openFds() > fdsBefore + count / 2, { timeout: 15_000 }).toBe(true);
  socket.destroy();
  await closed;
}

const FD_SLACK = 4;

/**
 * The file of the report: the source map, ~30 KB. Bigger than a response's 16 KiB high-water
 * mark, so a streamed copy queued behind another response pauses with its fd open.
 */
const BIG_FILE = "/client.js.map";

describe("issue 5 item 1: pipelined HTTP never leaks file descriptors", () => {
  it("20,000 pipelined GETs of a static file, never read, then a close: fds return to baseline, RSS stays bounded", async () => {
    const { ports } = await start({ http: { serveSourceMaps: true } });
    // Warm up: the file is read into the cache and the lazy parts of node:http are loaded.
    expect(await get(ports.http, BIG_FILE)).toMatch(/^HTTP\/1\.1 200 /);
    const fdsBefore = openFds();
    const rssBefore = rssBytes();

    await pipelineAndClose(ports.http, BIG_FILE, 20_000, fdsBefore);

    await expect.poll(openFds, { timeout: 10_000 }).toBeLessThanOrEqual(fdsBefore + FD_SLACK);
    const rssGrowth = rssBytes() - rssBefore;
    expect(rssGrowth).toBeLessThan(64 * MiB);
    // The server serves on.
    expect(await get(ports.http, "/")).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("a file too big to hold in memory is streamed, and its streams close with the socket whatever the responses' state", async () => {
    // Every file is streamed (the path that used to leak), and up to 1,000 responses may wait
    // per connection, so it is the socket's close that must free their streams.
    const { ports } = await start({ http: { staticCacheFileBytes: 0, serveSourceMaps: true }, limits: { maxPipelinedRequests: 1000 } });
    expect(await get(ports.http, BIG_FILE)).toMatch(/^HTTP\/1\.1 200 /);
    const fdsBefore = openFds();

    const socket = await connect(ports.http);
    const closed = closeOf(socket);
    socket.write(`GET ${BIG_FILE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`.repeat(900));
    // The server has opened a stream for most of them; all but the first wait in the pipeline.
    await expect.poll(openFds, { timeout: 10_000 }).toBeGreaterThan(fdsBefore + 500);
    socket.destroy();
    await closed;

    await expect.poll(openFds, { timeout: 10_000 }).toBeLessThanOrEqual(fdsBefore + FD_SLACK);
  });

  it("answers up to maxPipelinedRequests waiting requests, and closes a connection that sends one more", async () => {
    const { ports } = await start({ limits: { maxPipelinedRequests: 8 } });
    const request = "GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const read = async (count: number, last: string): Promise<string> => {
      const socket = await connect(ports.http);
      let text = "";
      socket.on("data", (chunk: Buffer) => {
        text += chunk.toString("latin1");
      });
      // One write: Node parses every request in it before the first is answered.
      socket.write(request.repeat(count - 1) + last);
      await closeOf(socket);
      return text;
    };
    const closing = "GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    expect((await read(8, closing)).match(/HTTP\/1\.1 200 /g)).toHaveLength(8);
    expect((await read(9, closing)).match(/HTTP\/1\.1 200 /g)?.length ?? 0).toBeLessThan(9);
  });
});
