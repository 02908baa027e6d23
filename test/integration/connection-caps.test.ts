/**
 * The connection caps hold across doors (hardening F3, F5): connections from one address are
 * counted together on the line, telnet and WebSocket doors, the one past the cap is refused
 * with a message, other addresses are unaffected, and refusals show in /metrics.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { LineClient, TelnetClient, type TextClient, wsFrom } from "../support/clients.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer;
const open: TextClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ overrides: { limits: { maxConnectionsPerAddress: 3 } } });
});
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

it("F3: one address's connections are counted across all three doors", async () => {
  open.push(await LineClient.connect(server.ports.line, "127.0.0.2"));
  open.push(await TelnetClient.connect(server.ports.telnet, "127.0.0.2"));
  const third = await wsFrom(server.ports.http, "127.0.0.2");
  expect(third.ok).toBe(true);
  const refusedWs = await wsFrom(server.ports.http, "127.0.0.2");
  expect(refusedWs).toEqual({ ok: false, status: 503 });
  const refusedLine = await LineClient.connect(server.ports.line, "127.0.0.2");
  await refusedLine.closed;
  expect(refusedLine.text).toContain("Too many connections from your address");
  // Another address plays on.
  const other = await LineClient.connect(server.ports.line, "127.0.0.3");
  open.push(other);
  await other.expect("Your name:");
  if (third.ok) third.ws.terminate();
});

it("a closed connection gives its place back", async () => {
  const first = await wsFrom(server.ports.http, "127.0.0.4");
  const second = await wsFrom(server.ports.http, "127.0.0.4");
  const third = await wsFrom(server.ports.http, "127.0.0.4");
  expect([first.ok, second.ok, third.ok]).toEqual([true, true, true]);
  if (!first.ok) return;
  const closed = new Promise((resolve) => first.ws.once("close", resolve));
  first.ws.close();
  await closed;
  // The server notices the close a moment after ours: retry until the place is free.
  await expect
    .poll(async () => {
      const again = await wsFrom(server.ports.http, "127.0.0.4");
      if (again.ok) again.ws.terminate();
      return again.ok;
    })
    .toBe(true);
  for (const r of [second, third]) if (r.ok) r.ws.terminate();
});

it("refusals are counted in /metrics", async () => {
  const metrics = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
  // Counted by door and cap: the refused WebSocket above on the HTTP listener, the line client on the line door.
  const refused = (door: string): number => Number(new RegExp(`^loom_connections_refused_total\\{door="${door}",cap="address"\\} (\\d+)$`, "m").exec(metrics)?.[1]);
  expect(refused("http")).toBeGreaterThanOrEqual(1);
  expect(refused("line")).toBeGreaterThanOrEqual(1);
});
