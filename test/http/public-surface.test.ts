/**
 * Issue 5 item 13, the HTTP half: what a stranger can read or open on the HTTP port. `/metrics`
 * answers only the configured networks, source maps are not served unless switched on, and
 * with public origins configured the WebSocket Origin check no longer trusts the Host header.
 * Over whole servers on port 0, so the settings are followed from config to the listener.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { ConfigOverrides } from "../../src/config/schema.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

const servers: TestServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    await s.stop();
    removeDir(s.dataDir);
  }
});

async function start(overrides: ConfigOverrides = {}): Promise<number> {
  const server = await startTestServer({ overrides });
  servers.push(server);
  return server.ports.http;
}

/** Sends one request with Connection: close and returns the status line and body. */
function request(port: number, head: string): Promise<{ status: number; body: string; raw: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    socket.once("error", reject);
    socket.once("close", () => {
      const split = text.indexOf("\r\n\r\n");
      resolve({ status: Number(text.split(" ")[1]), body: split === -1 ? "" : text.slice(split + 4), raw: text });
    });
    socket.write(`${head}Connection: close\r\n\r\n`);
  });
}

const get = (port: number, target: string): ReturnType<typeof request> => request(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);

/** The status of a WebSocket handshake sent with these Host and Origin headers. */
async function upgradeStatus(port: number, host: string, origin: string): Promise<number> {
  const socket = net.connect(port, "127.0.0.1");
  return new Promise((resolve, reject) => {
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (text.includes("\r\n")) {
        resolve(Number(text.split(" ")[1]));
        socket.destroy();
      }
    });
    socket.once("error", reject);
    socket.write(
      `GET /ws HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
  });
}

describe("issue 5 item 13: /metrics answers only the allowed networks", () => {
  it("by default, loopback (and the private ranges) may scrape", async () => {
    const port = await start();
    const res = await get(port, "/metrics");
    expect(res.status).toBe(200);
    expect(res.body).toContain("loom_connections_open");
  });

  it("anyone outside the list gets a bare 403", async () => {
    const port = await start({ http: { metricsAllow: ["10.0.0.0/8", "fd00::/8"] } });
    const res = await get(port, "/metrics");
    expect(res.status).toBe(403);
    expect(res.body).toBe("Forbidden\n");
    // The other routes are unaffected.
    expect((await get(port, "/healthz")).status).toBe(200);
  });

  it("an empty list closes the route", async () => {
    const port = await start({ http: { metricsAllow: [] } });
    expect((await get(port, "/metrics")).status).toBe(403);
  });
});

describe("issue 5 item 13: source maps are served only when switched on", () => {
  it("client.js.map is 404 by default, while client.js is served", async () => {
    const port = await start();
    expect((await get(port, "/client.js.map")).status).toBe(404);
    expect((await get(port, "/CLIENT.JS.MAP")).status).toBe(404);
    expect((await get(port, "/client.js")).status).toBe(200);
  });

  it("http.serveSourceMaps: true serves it", async () => {
    const port = await start({ http: { serveSourceMaps: true } });
    const res = await get(port, "/client.js.map");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toHaveProperty("mappings");
  });
});

describe("issue 5 item 13: with public origins configured, the Origin check ignores Host", () => {
  it("refuses an Origin that only matches the Host it came with, and accepts the published one", async () => {
    const port = await start({ http: { publicOrigins: ["https://play.example.org"] } });
    // A DNS-rebinding page on evil.example reaches us with Host and Origin both its own.
    expect(await upgradeStatus(port, "evil.example", "http://evil.example")).toBe(403);
    expect(await upgradeStatus(port, `127.0.0.1:${port}`, `http://127.0.0.1:${port}`)).toBe(403);
    expect(await upgradeStatus(port, `127.0.0.1:${port}`, "https://play.example.org")).toBe(101);
  });

  it("without public origins, the page's own Host is still trusted", async () => {
    const port = await start();
    expect(await upgradeStatus(port, `127.0.0.1:${port}`, `http://127.0.0.1:${port}`)).toBe(101);
    expect(await upgradeStatus(port, `127.0.0.1:${port}`, "http://evil.example")).toBe(403);
  });
});
