/**
 * Issue 5 item 9 (hardening S4) over real sockets: a player who stops reading while others
 * flood them with tells keeps the connection, on the line door (the transport's queue and the
 * socket's buffer) and on the WebSocket door (`bufferedAmount`, S2). Past the soft cap their
 * chatter is dropped (counted on /metrics), so their backlog never reaches the hard cap; once
 * they read again they are told how many messages they missed.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LineClient, linePlayer, WsClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

/** Small caps so the flood is quick: hard cap 256 KiB, soft cap a quarter of it. */
const MAX_OUTPUT_BYTES = 256 * 1024;

let server: TestServer;
let clients: (LineClient | WsClient)[];

beforeEach(async () => {
  clients = [];
  server = await startTestServer({
    overrides: {
      accounts: { creationsPerHour: 10_000, failedLoginsPerMinute: 10_000 },
      // The tell and command rate limits would stop this flood long before the output cap; they
      // have tests of their own. Here they are lifted so that only the output policy acts.
      limits: {
        maxConnectionsPerAddress: 1000,
        maxOutputBytes: MAX_OUTPUT_BYTES,
        chatterBacklogFraction: 0.25,
        tellsPerSecond: 10_000,
        tellBurst: 100_000,
        commandsPerSecond: 10_000,
        commandBurst: 100_000,
      },
    },
  });
});
afterEach(async () => {
  for (const c of clients) c.close();
  await server.stop();
  removeDir(server.dataDir);
});

function player(prefix: string): Promise<{ client: LineClient; name: string }> {
  return linePlayer(server.ports.line, prefix, clients);
}

/** A reader who can stop reading: a line client, or a WebSocket client (plain text frames). */
interface Reader {
  readonly client: LineClient | WsClient;
  readonly name: string;
  pause(): void;
  resume(): void;
}

async function reader(door: "line" | "websocket"): Promise<Reader> {
  if (door === "line") {
    const { client, name } = await player("slow");
    return { client, name, pause: () => client.socket.pause(), resume: () => client.socket.resume() };
  }
  const client = await WsClient.connect(server.ports.http);
  clients.push(client);
  await client.expect("Your name:");
  const name = uniqueName("slowws");
  client.send(`create ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);
  // ws's pause stops reading from the socket, so the server's bufferedAmount grows.
  return { client, name, pause: () => client.ws.pause(), resume: () => client.ws.resume() };
}

async function chatterDropped(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
  const m = /^loom_chatter_dropped_total (\d+)$/m.exec(text);
  return m === null ? 0 : Number(m[1]);
}

describe.each(["line", "websocket"] as const)("issue 5 item 9: others' tells push a slow reader over the output cap (S4), %s door", (door) => {
  it("a client that stops reading, flooded with tells, keeps its connection and is told what it missed", async () => {
    const victim = await reader(door);
    const senders = [await player("flooda"), await player("floodb"), await player("floodc")];
    let closed = false;
    void victim.client.closed.then(() => (closed = true));
    victim.pause();

    // Flood in rounds until the hub has dropped chatter for a while: first the kernel's socket
    // buffers fill (a few MB on loopback), then the soft cap is reached. Past that, the flood
    // goes on for eight times the hard cap: without the policy this reader would be cut off.
    const payload = "x".repeat(1800);
    let sent = 0;
    let sentAfterDrops = 0;
    for (let round = 0; sentAfterDrops < 8 * MAX_OUTPUT_BYTES && sent < 64 * 1024 * 1024; round++) {
      for (const s of senders) {
        s.client.mark();
        for (let i = 0; i < 50; i++) s.client.send(`tell ${victim.name} r${round}i${i} ${payload}`);
      }
      // Each sender's last echo means the server has run the whole round ("No one called..."
      // means the reader was cut off: the failure this test is for).
      for (const s of senders) await s.client.expect(new RegExp(`"r${round}i49\\s|No one called`));
      expect(closed, `the reader was disconnected after ${sent} bytes of tells`).toBe(false);
      sent += senders.length * 50 * payload.length;
      if ((await chatterDropped()) > 0) sentAfterDrops += senders.length * 50 * payload.length;
    }
    expect(closed).toBe(false);
    const dropped = await chatterDropped();
    expect(dropped).toBeGreaterThan(0);

    // The reader reads again. Probes go until one arrives (the ones sent while the backlog is
    // still draining are dropped and counted too, and told just before the one that arrives).
    victim.resume();
    victim.client.mark();
    let probe = 0;
    for (; ; probe++) {
      senders[0]!.client.send(`tell ${victim.name} probe-${probe}`);
      try {
        await victim.client.expect(`tells you, "probe-${probe}"`, 1000);
        break;
      } catch {
        expect(probe).toBeLessThan(20);
      }
    }
    const total = await chatterDropped();
    const text = victim.client.text;
    // A notice goes out each time the backlog falls back under the soft cap (the kernel takes
    // more as its buffers grow, so that can happen mid-flood). Every dropped message is told
    // once, and before the probe that got through: the notices add up to the dropped counter.
    const notices = [...text.matchAll(/\[(\d+) messages? dropped\]/g)].map((m) => Number(m[1]));
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.reduce((a, b) => a + b, 0)).toBe(total);
    // Still connected and playing.
    victim.client.send("say still here");
    await victim.client.expect('You say, "still here"');
    expect(closed).toBe(false);
  }, 60_000);
});
