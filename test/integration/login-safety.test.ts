/**
 * The door's safety rules over real sockets: a silent connection is closed at the login
 * timeout (hardening F6, on a FakeClock), telnet hides the password while it is typed (T9),
 * no password ever reaches a log line (A4), the database holds only argon2id hashes (A1), and
 * repeated failed logins are throttled (A2).
 */
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import { LineClient, TelnetClient } from "../support/clients.js";
import { captureLogs } from "../support/logs.js";
import { uniqueName } from "../support/names.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer | undefined;
afterEach(async () => {
  await stopTestServer(server);
  server = undefined;
});

const WILL = 251;
const WONT = 252;
const ECHO = 1;

it("F6: a connection that never logs in is closed when the login timeout passes", async () => {
  const clock = new FakeClock();
  server = await startTestServer({ clock });
  const idle = await LineClient.connect(server.ports.line);
  await idle.expect("Your name:");
  clock.advance(59_000);
  idle.send("");
  await idle.expect("Your name:");
  clock.advance(1_000);
  await idle.expect("took too long to log in");
  await idle.closed;
});

it("T9 and A4: the password is typed with echo off, and appears in no log line", async () => {
  const logs = captureLogs();
  server = await startTestServer({ logTo: logs.sink });
  const name = uniqueName("secret");
  const password = "Tr0ub4dor-and-3";
  const client = await TelnetClient.connect(server.ports.telnet);
  await client.expect("Your name:");
  client.send(name);
  await client.expect("(yes/no)");
  client.send("yes");
  await client.expect("Choose a password");
  expect(client.negotiations).toContainEqual([WILL, ECHO]);
  const before = client.negotiations.length;
  client.send(password);
  await client.expect("Repeat the password");
  client.send(password);
  await client.expect(`Welcome, ${name}.`);
  expect(client.negotiations.slice(before)).toContainEqual([WONT, ECHO]);
  client.send("quit");
  await client.closed;
  // A one-line create and a failed connect, too.
  const line = await LineClient.connect(server.ports.line);
  await line.expect("Your name:");
  line.send(`connect ${name} ${password}-wrong`);
  await line.expect("do not match");
  line.send(`create ${uniqueName("other")} ${password}x`);
  await line.expect("Welcome");
  line.close();
  expect(logs.lines.length).toBeGreaterThan(5);
  expect(logs.lines.join("\n")).not.toContain(password);
});

it("A1: the database holds argon2id PHC strings, never a password", async () => {
  server = await startTestServer();
  const name = uniqueName("hashme");
  const client = await LineClient.connect(server.ports.line);
  await client.expect("Your name:");
  client.send(`create ${name} plain-text-pw`);
  await client.expect(`Welcome, ${name}.`);
  client.close();
  const db = new Database(path.join(server.dataDir, "loom.db"), { readonly: true });
  try {
    const row = db.prepare("SELECT password_hash AS h FROM players WHERE key = ?").get(name.toLowerCase()) as { h: string };
    expect(row.h).toMatch(/^\$argon2id\$v=19\$/);
    expect(row.h).not.toContain("plain-text-pw");
  } finally {
    db.close();
  }
});

it("A2: after repeated failures the account is throttled, with the same answer for real and unknown names", async () => {
  server = await startTestServer({ overrides: { accounts: { failedLoginsPerMinute: 3 } } });
  const name = uniqueName("target");
  const owner = await LineClient.connect(server.ports.line);
  await owner.expect("Your name:");
  owner.send(`create ${name} the-right-one`);
  await owner.expect("Welcome");
  owner.close();
  const attacker = await LineClient.connect(server.ports.line, "127.0.0.5");
  await attacker.expect("Your name:");
  for (let i = 0; i < 3; i++) {
    attacker.send(`connect ${name} guess-${i}`);
    await attacker.expect("That name and password do not match.");
  }
  attacker.send(`connect ${name} the-right-one`);
  await attacker.expect("Too many failed logins");
});
