/**
 * Issue 5 item 8 over real sockets: logging must never cost more than the input that caused
 * it. Whatever a peer can repeat is logged once per connection, counted after that, and the
 * count is logged when the connection closes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { captureLogs } from "../support/logs.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer | undefined;
const clients: LineClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await stopTestServer(server);
  server = undefined;
});

const IAC = 255;
const SB = 250;
const NOP = 241;
const NAWS = 31;

describe("issue 5 item 8: log amplification", () => {
  it("20,000 malformed 5-byte subnegotiations on one telnet connection: one warn line, then one summary with the count", async () => {
    const logs = captureLogs();
    server = await startTestServer({ logTo: logs.sink });
    const client = await LineClient.connect(server.ports.telnet);
    clients.push(client);
    await client.expect("Your name:");
    const before = logs.lines.length;

    // IAC SB NAWS IAC NOP: a subnegotiation cut off by another command (5 bytes, one error each).
    const count = 20_000;
    const garbage = Buffer.alloc(count * 5);
    for (let i = 0; i < count; i++) garbage.set([IAC, SB, NAWS, IAC, NOP], i * 5);
    client.sendRaw(garbage);
    client.send("quit");
    await client.closed;
    await expect.poll(() => logs.lines.some((l) => l.includes("telnet protocol errors on this connection")), { interval: 5 }).toBe(true);

    const added = logs.lines.slice(before);
    const errorLines = added.filter((l) => l.includes("telnet protocol error"));
    expect(errorLines).toHaveLength(2);
    const summary = JSON.parse(errorLines[1]!) as { errors: number; notLogged: number };
    expect(summary).toMatchObject({ errors: count, notLogged: count - 1 });
    // O(1) per connection: a few hundred bytes of log for 100 KB of garbage.
    expect(added.join("\n").length).toBeLessThan(4096);
  });

  it("a command flood logs one warn line per session, and the count rides on the disconnect line", async () => {
    const logs = captureLogs();
    server = await startTestServer({ logTo: logs.sink });
    const client = await LineClient.connect(server.ports.line);
    clients.push(client);
    await client.expect("Your name:");
    client.sendRaw("x\n".repeat(2000));
    // A half-close: the server reads everything sent, then closes (issue 5 item 15).
    client.socket.end();
    await client.closed;
    await expect.poll(() => logs.lines.some((l) => l.includes('"msg":"disconnected"')), { interval: 5 }).toBe(true);
    expect(logs.lines.filter((l) => l.includes("command flood"))).toHaveLength(1);
    const disconnected = JSON.parse(logs.lines.find((l) => l.includes('"msg":"disconnected"'))!) as { floodDropped?: number };
    // The burst (40) got through; nearly all the rest were dropped and counted.
    expect(disconnected.floodDropped).toBeGreaterThan(1900);
  });
});
