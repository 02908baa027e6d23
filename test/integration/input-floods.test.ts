/**
 * Issue 5 item 3 over real sockets: floods of input lines are bounded by the work they cost,
 * not only by the commands they carry. The work is counted where the doors hand lines to the
 * session hub (a spy around each SessionHandle's `line`), so fairness is shown by order and by
 * counts, never by milliseconds.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionHandle } from "../../src/session/endpoint.js";
import { SessionHub } from "../../src/session/session-hub.js";
import { LineClient, WsClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

/** The budget under test: config/default.yaml's inputLinesPerTurn. */
const LINES_PER_TURN = 32;

let server: TestServer | undefined;
const clients: { close(): void }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of clients.splice(0)) c.close();
  await server?.stop();
  if (server) removeDir(server.dataDir);
  server = undefined;
});

/** Every line any door handed to the hub, in order, by session. */
interface Dispatch {
  readonly session: number;
  readonly text: string;
}

/** Wraps every session's `line` so the test sees each line the doors dispatch, in order. */
function recordDispatches(onLine?: (d: Dispatch) => void): { all: Dispatch[]; sessions: number[] } {
  const all: Dispatch[] = [];
  const sessions: number[] = [];
  const open = SessionHub.prototype.open;
  vi.spyOn(SessionHub.prototype, "open").mockImplementation(function (this: SessionHub, ...args: Parameters<SessionHub["open"]>): SessionHandle {
    const handle = open.apply(this, args);
    sessions.push(handle.id);
    return {
      ...handle,
      line: (text) => {
        const d = { session: handle.id, text };
        all.push(d);
        onLine?.(d);
        handle.line(text);
      },
    };
  });
  return { all, sessions };
}

async function player(): Promise<LineClient> {
  const client = await LineClient.connect(server!.ports.line);
  clients.push(client);
  const name = uniqueName("fair");
  await client.expect("Your name:");
  client.send(`create ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);
  client.mark();
  return client;
}

async function until(probe: () => boolean): Promise<void> {
  await expect.poll(probe, { interval: 5, timeout: 20_000 }).toBe(true);
}

describe("issue 5 item 3: floods of empty lines stall the loop before any limit bites", () => {
  it("line door: megabytes of \\n reach the session as one empty line, and another player is served meanwhile", async () => {
    server = await startTestServer();
    const seen = recordDispatches();
    const alice = await player();
    const flooder = await LineClient.connect(server.ports.line);
    clients.push(flooder);
    await flooder.expect("Your name:");
    const flooderId = seen.sessions.at(-1)!;

    flooder.sendRaw(Buffer.alloc(4 << 20, 0x0a));
    flooder.sendRaw("quit\n");
    alice.send("say still here");
    await alice.expect('You say, "still here"');
    await until(() => seen.all.some((d) => d.session === flooderId && d.text === "quit"));

    // 4 MiB of line ends cost a scan: one empty line reached the session, not four million.
    expect(seen.all.filter((d) => d.session === flooderId).map((d) => d.text)).toEqual(["", "quit"]);
    // And Alice's line was handled while the flood was still being read.
    const order = seen.all.map((d) => (d.session === flooderId ? d.text : `alice:${d.text}`));
    expect(order.indexOf("alice:say still here")).toBeLessThan(order.indexOf("quit"));
  });

  it("line door: a client streaming non-empty lines gets one budget per turn; another player's line waits at most two", async () => {
    server = await startTestServer();
    let alice: LineClient | undefined;
    let flooderId = -1;
    let sentAt: number | undefined;
    const seen = recordDispatches((d) => {
      // The moment the server starts on the flood, Alice speaks (her bytes are in the kernel at
      // once: the client is in this process). Count the flood lines handled before hers.
      if (d.session === flooderId && sentAt === undefined) {
        sentAt = seen.all.length;
        alice!.send("say fair");
      }
    });
    alice = await player();
    const flooder = await LineClient.connect(server.ports.line);
    clients.push(flooder);
    await flooder.expect("Your name:");
    flooderId = seen.sessions.at(-1)!;
    const total = 100_000;
    flooder.sendRaw("x\n".repeat(total));
    await alice.expect('You say, "fair"');

    const aliceAt = seen.all.findIndex((d) => d.text === "say fair");
    const floodBefore = seen.all.slice(sentAt, aliceAt).filter((d) => d.session === flooderId).length;
    // The rest of this turn's budget and one more turn's, at most; the old code ran the whole
    // 64 KiB chunk (32,768 lines) first.
    expect(floodBefore).toBeLessThanOrEqual(2 * LINES_PER_TURN);
    // The flooder still had unread input in the server when Alice was answered.
    expect(seen.all.slice(0, aliceAt).filter((d) => d.session === flooderId).length).toBeLessThan(total);
  });

  it("WebSocket: 64 KiB frames of \\n reach the session as one empty line, and another player is served meanwhile", async () => {
    server = await startTestServer();
    const seen = recordDispatches();
    const alice = await player();
    const flooder = await WsClient.connect(server.ports.http);
    clients.push(flooder);
    await flooder.expect("Your name:");
    const flooderId = seen.sessions.at(-1)!;

    const frame = "\n".repeat(65536);
    for (let i = 0; i < 32; i++) flooder.sendRaw(frame);
    flooder.sendRaw("quit");
    alice.send("say still here");
    await alice.expect('You say, "still here"');
    await until(() => seen.all.some((d) => d.session === flooderId && d.text === "quit"));

    expect(seen.all.filter((d) => d.session === flooderId).map((d) => d.text)).toEqual(["", "quit"]);
    const order = seen.all.map((d) => (d.session === flooderId ? d.text : `alice:${d.text}`));
    expect(order.indexOf("alice:say still here")).toBeLessThan(order.indexOf("quit"));
  });

  it("WebSocket: a frame of 32,768 commands is read a budget per turn; another player's line waits at most two", async () => {
    server = await startTestServer();
    let alice: LineClient | undefined;
    let flooderId = -1;
    let sentAt: number | undefined;
    const seen = recordDispatches((d) => {
      if (d.session === flooderId && sentAt === undefined) {
        sentAt = seen.all.length;
        alice!.send("say fair");
      }
    });
    alice = await player();
    const flooder = await WsClient.connect(server.ports.http);
    clients.push(flooder);
    await flooder.expect("Your name:");
    flooderId = seen.sessions.at(-1)!;
    const frame = "x\n".repeat(32768);
    for (let i = 0; i < 4; i++) flooder.sendRaw(frame);
    await alice.expect('You say, "fair"');

    const aliceAt = seen.all.findIndex((d) => d.text === "say fair");
    const floodBefore = seen.all.slice(sentAt, aliceAt).filter((d) => d.session === flooderId).length;
    expect(floodBefore).toBeLessThanOrEqual(2 * LINES_PER_TURN);
    expect(seen.all.slice(0, aliceAt).filter((d) => d.session === flooderId).length).toBeLessThan(4 * 32768);
  });
});
