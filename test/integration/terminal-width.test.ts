/**
 * Output to terminals is wrapped at the width the client reports (NAWS), or at 80 when it
 * reports none (hardening E9 over real sockets).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { LineClient, TelnetClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

const IAC = 255;
const WILL = 251;
const SB = 250;
const SE = 240;
const NAWS = 31;

function widest(text: string): number {
  return Math.max(...text.split("\n").map((l) => [...l].length));
}

it("a telnet client that reports 40 columns gets lines no wider than 40", async () => {
  const client = await TelnetClient.connect(server.ports.telnet);
  await client.expect("Your name:");
  client.sendRaw(Buffer.from([IAC, WILL, NAWS, IAC, SB, NAWS, 0, 40, 0, 24, IAC, SE]));
  const name = uniqueName("narrow");
  client.send(`create ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);
  const text = await client.expect("Exits:");
  const look = text.slice(text.indexOf("Town Square"));
  expect(look).toContain("Shuttleford");
  expect(widest(look)).toBeLessThanOrEqual(40);
  client.close();
});

it("the line door wraps at 80 columns", async () => {
  const client = await LineClient.connect(server.ports.line);
  await client.expect("Your name:");
  const name = uniqueName("wide");
  client.send(`create ${name} pw-${name}`);
  const text = await client.expect("Exits:");
  // From the welcome on: the prompt before it shares a line with what the user typed.
  const after = text.slice(text.indexOf("Welcome,"));
  expect(widest(after)).toBeLessThanOrEqual(80);
  expect(widest(after)).toBeGreaterThan(60);
  client.close();
});
