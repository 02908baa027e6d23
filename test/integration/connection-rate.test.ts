/**
 * Hardening F4: a burst of new connections from one address is throttled. The F3 cap bounds
 * how many are open at once; a client that connects and closes in a loop never meets it, and
 * each connection still costs a session, a greeting and a login timer. So every game door
 * spends from one token bucket per address (burst, then a sustained rate) on the FakeClock;
 * plain HTTP (page loads, health probes) is only capped, not rate-limited.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import { LineClient, TelnetClient, type TextClient, wsFrom } from "../support/clients.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer;
let clock: FakeClock;
const open: TextClient[] = [];

beforeEach(async () => {
  clock = new FakeClock();
  server = await startTestServer({ clock, overrides: { limits: { newConnectionBurst: 4, newConnectionsPerSecond: 1 } } });
});
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await server.stop();
  removeDir(server.dataDir);
});

async function greeted(client: TextClient): Promise<TextClient> {
  open.push(client);
  await client.expect("Your name:");
  return client;
}

it("F4: connect-and-close from one address is refused past the burst, on every game door; others play on; the rate refills", async () => {
  // The burst: four connections, each closed at once, never near the F3 cap of simultaneous ones.
  for (let i = 0; i < 2; i++) (await greeted(await LineClient.connect(server.ports.line, "127.0.0.5"))).close();
  (await greeted(await TelnetClient.connect(server.ports.telnet, "127.0.0.5"))).close();
  const ws = await wsFrom(server.ports.http, "127.0.0.5");
  expect(ws.ok).toBe(true);
  if (ws.ok) ws.ws.terminate();

  // The fifth, on any game door, is turned away with a reason.
  const refused = await LineClient.connect(server.ports.line, "127.0.0.5");
  await refused.closed;
  expect(refused.text).toContain("Too many new connections from your address");
  expect(await wsFrom(server.ports.http, "127.0.0.5")).toEqual({ ok: false, status: 429 });

  // Plain HTTP from the same address is only capped: health probes and page loads go on.
  const health = await fetch(`http://127.0.0.1:${server.ports.http}/healthz`);
  expect(health.status).toBe(200);

  // Another address is untouched.
  await greeted(await LineClient.connect(server.ports.line, "127.0.0.6"));

  // A second later the bucket holds one token again: one more connection, not a new burst.
  clock.advance(1000);
  await greeted(await LineClient.connect(server.ports.line, "127.0.0.5"));
  const again = await LineClient.connect(server.ports.line, "127.0.0.5");
  await again.closed;
  expect(again.text).toContain("Too many new connections");

  const metrics = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
  const rate = (door: string): number => Number(new RegExp(`^loom_connections_refused_total\\{door="${door}",cap="rate"\\} (\\d+)$`, "m").exec(metrics)?.[1] ?? 0);
  expect(rate("line")).toBe(2);
  expect(rate("websocket")).toBe(1);
});
