/**
 * Issue 5 item 3 over real sockets: floods of input lines are bounded by the work they cost,
 * not only by the commands they carry. The work is counted where the doors hand lines to the
 * session hub (a spy around each SessionHandle's `line`), so fairness is shown by order and by
 * counts, never by milliseconds.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SessionHandle } from "../../src/session/endpoint.js";
import { SessionHub } from "../../src/session/session-hub.js";
import { LineClient, linePlayer, type TextClient, WsClient } from "../support/clients.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

/** The budget under test: config/default.yaml's inputLinesPerTurn. */
const LINES_PER_TURN = 32;

let server: TestServer | undefined;
const clients: { close(): void }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of clients.splice(0)) c.close();
  await stopTestServer(server);
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
  const { client } = await linePlayer(server!.ports.line, "fair", clients);
  client.mark();
  return client;
}

async function until(probe: () => boolean): Promise<void> {
  await expect.poll(probe, { interval: 5, timeout: 20_000 }).toBe(true);
}

/** A client that will flood, greeted, and the id of its session (the newest one). */
async function flooder(client: TextClient, seen: { sessions: number[] }): Promise<{ client: TextClient; id: number }> {
  clients.push(client);
  await client.expect("Your name:");
  return { client, id: seen.sessions.at(-1)! };
}

/**
 * After a flood of line ends and then `quit`: Alice speaks, and the flood must have reached the
 * session as one empty line, with Alice's line handled while the flood was still being read.
 */
async function expectOneEmptyLineAndAliceServed(seen: { all: Dispatch[] }, alice: LineClient, flooderId: number): Promise<void> {
  alice.send("say still here");
  await alice.expect('You say, "still here"');
  await until(() => seen.all.some((d) => d.session === flooderId && d.text === "quit"));

  // Megabytes of line ends cost a scan: one empty line reached the session, not millions.
  expect(seen.all.filter((d) => d.session === flooderId).map((d) => d.text)).toEqual(["", "quit"]);
  // And Alice's line was handled while the flood was still being read.
  const order = seen.all.map((d) => (d.session === flooderId ? d.text : `alice:${d.text}`));
  expect(order.indexOf("alice:say still here")).toBeLessThan(order.indexOf("quit"));
}

/** Alice, a flooder, and the lines dispatched while it floods. */
interface FloodRun {
  readonly seen: { all: Dispatch[] };
  readonly alice: LineClient;
  readonly flooder: TextClient;
  readonly flooderId: number;
  /** How many lines had been dispatched when the server started on the flood (unset until then). */
  floodStart(): number | undefined;
}

/**
 * Alice, and a flooder connected by `connect`. The moment the server starts on the flood, Alice
 * says "fair" (her bytes are in the kernel at once: the client is in this process).
 */
async function aliceAndFlooder(connect: (ports: TestServer["ports"]) => Promise<TextClient>): Promise<FloodRun> {
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
  const flood = await flooder(await connect(server!.ports), seen);
  flooderId = flood.id;
  return { seen, alice, flooder: flood.client, flooderId, floodStart: () => sentAt };
}

/**
 * Once Alice is answered: at most two turns' budgets of the flood were handled between its start
 * and her line (the rest of this turn's and one more; the old code ran a whole read chunk, up to
 * 32,768 lines, first), and the flooder still had unread input, `total` lines in all.
 */
async function expectAliceWaitedAtMostTwoTurns(run: FloodRun, total: number): Promise<void> {
  const { seen, alice, flooderId } = run;
  await alice.expect('You say, "fair"');
  const aliceAt = seen.all.findIndex((d) => d.text === "say fair");
  const floodBefore = seen.all.slice(run.floodStart(), aliceAt).filter((d) => d.session === flooderId).length;
  expect(floodBefore).toBeLessThanOrEqual(2 * LINES_PER_TURN);
  expect(seen.all.slice(0, aliceAt).filter((d) => d.session === flooderId).length).toBeLessThan(total);
}

describe("issue 5 item 3: floods of empty lines stall the loop before any limit bites", () => {
  it("line door: megabytes of \\n reach the session as one empty line, and another player is served meanwhile", async () => {
    server = await startTestServer();
    const seen = recordDispatches();
    const alice = await player();
    const flood = await flooder(await LineClient.connect(server.ports.line), seen);

    flood.client.sendRaw(Buffer.alloc(4 << 20, 0x0a));
    flood.client.sendRaw("quit\n");
    await expectOneEmptyLineAndAliceServed(seen, alice, flood.id);
  });

  it("line door: a client streaming non-empty lines gets one budget per turn; another player's line waits at most two", async () => {
    server = await startTestServer();
    const run = await aliceAndFlooder((ports) => LineClient.connect(ports.line));
    const total = 100_000;
    run.flooder.sendRaw("x\n".repeat(total));
    await expectAliceWaitedAtMostTwoTurns(run, total);
  });

  it("WebSocket: 64 KiB frames of \\n reach the session as one empty line, and another player is served meanwhile", async () => {
    server = await startTestServer();
    const seen = recordDispatches();
    const alice = await player();
    const flood = await flooder(await WsClient.connect(server.ports.http), seen);

    const frame = "\n".repeat(65536);
    for (let i = 0; i < 32; i++) flood.client.sendRaw(frame);
    flood.client.sendRaw("quit");
    await expectOneEmptyLineAndAliceServed(seen, alice, flood.id);
  });

  it("WebSocket: a frame of 32,768 commands is read a budget per turn; another player's line waits at most two", async () => {
    server = await startTestServer();
    const run = await aliceAndFlooder((ports) => WsClient.connect(ports.http));
    const frame = "x\n".repeat(32768);
    for (let i = 0; i < 4; i++) run.flooder.sendRaw(frame);
    await expectAliceWaitedAtMostTwoTurns(run, 4 * 32768);
  });
});
