/**
 * The one registry of live connections (issue 8, "The doors share one plumbing"): counted per
 * door, drained and aborted in one place; and a running server holds its telnet, line and
 * WebSocket connections in the reactor's registry alone.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionRegistry, type LiveConnection } from "../../src/reactor/connection-registry.js";
import { reason, type DisconnectReason } from "../../src/reactor/interfaces.js";
import { LineClient, WsClient } from "../support/clients.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

function fake(door: string): LiveConnection & { aborted: DisconnectReason[] } {
  const aborted: DisconnectReason[] = [];
  return { door, aborted, abort: (why) => aborted.push(why) };
}

describe("ConnectionRegistry", () => {
  it("counts per door, ignores a second add or delete, and lists one door's connections", () => {
    const registry = new ConnectionRegistry();
    const [a, b, c] = [fake("telnet"), fake("websocket"), fake("websocket")];
    for (const x of [a, b, c, b]) registry.add(x);
    expect([registry.size, registry.count("telnet"), registry.count("websocket"), registry.count("line")]).toEqual([3, 1, 2, 0]);
    expect(registry.ofDoor("websocket")).toEqual([b, c]);
    registry.delete(b);
    registry.delete(b);
    expect([registry.size, registry.count("websocket")]).toEqual([2, 1]);
  });

  it("aborts every door's connections with the reason given, and resolves the drain when the last one leaves", async () => {
    const registry = new ConnectionRegistry();
    await registry.whenEmpty();
    const [a, b] = [fake("line"), fake("websocket")];
    registry.add(a);
    registry.add(b);
    let drained = false;
    const drain = registry.whenEmpty().then(() => (drained = true));
    const why = reason("shutdown", "the server stopped");
    registry.abortAll(why);
    expect([a.aborted, b.aborted]).toEqual([[why], [why]]);
    registry.delete(a);
    await Promise.resolve();
    expect(drained).toBe(false);
    registry.delete(b);
    await drain;
    expect(drained).toBe(true);
  });
});

let server: TestServer | undefined;
const clients: { close(): void }[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await stopTestServer(server);
  server = undefined;
});

it("a running server holds every door's connections in the reactor's one registry", async () => {
  server = await startTestServer();
  const line = await LineClient.connect(server.ports.line);
  clients.push(line);
  await line.expect("Your name:");
  const web = await WsClient.connect(server.ports.http);
  clients.push(web);
  await expect.poll(() => server!.connections.count("websocket")).toBe(1);
  expect(server.connections.count("line")).toBe(1);
  web.close();
  await expect.poll(() => server!.connections.count("websocket")).toBe(0);
});
