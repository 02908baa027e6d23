/**
 * The door contract: one suite, run against the line, telnet and WebSocket doors over real
 * sockets on port 0. Whatever door a person uses, the greeting, login, commands, UTF-8 and
 * limits behave the same.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Door } from "../../src/session/messages.js";
import { connectDoor, type TextClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer;
const clients: TextClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function open(door: Door): Promise<TextClient> {
  const client = await connectDoor(door, server.ports);
  clients.push(client);
  await client.expect("Your name:");
  return client;
}

async function loggedIn(door: Door, prefix: string): Promise<{ client: TextClient; name: string }> {
  const client = await open(door);
  const name = uniqueName(prefix);
  client.send(`create ${name} secret-${name}`);
  await client.expect(`Welcome, ${name}.`);
  await client.expect("Exits:");
  return { client, name };
}

describe.each<Door>(["line", "telnet", "websocket"])("door contract: %s", (door) => {
  it("greets a new connection and explains how to log in", async () => {
    const client = await open(door);
    expect(client.text).toContain("Welcome to Loom.");
    expect(client.text).toContain("create <name> <password>");
    expect(client.text).toContain("connect <name> <password>");
  });

  it("creates a character with one line, then connects to it again", async () => {
    const { client, name } = await loggedIn(door, door.slice(0, 3));
    client.send("quit");
    await client.expect("Goodbye");
    await client.closed;
    const again = await open(door);
    again.send(`connect ${name} secret-${name}`);
    await again.expect(`Welcome, ${name}.`);
  });

  it("logs in through the interactive prompts", async () => {
    const client = await open(door);
    const name = uniqueName(`i${door.slice(0, 2)}`);
    client.send(name);
    await client.expect(`Create ${name}? (yes/no)`);
    client.send("yes");
    await client.expect("Choose a password");
    client.send("hunter22");
    await client.expect("Repeat the password");
    client.send("hunter22");
    await client.expect(`Welcome, ${name}.`);
    client.send("quit");
    await client.closed;
    const again = await open(door);
    again.send(name);
    await again.expect("Password:");
    again.send("hunter22");
    await again.expect(`Welcome, ${name}.`);
  });

  it("refuses a wrong password with the same words as an unknown name", async () => {
    const { client, name } = await loggedIn(door, `w${door.slice(0, 2)}`);
    client.close();
    const a = await open(door);
    a.send(`connect ${name} not-the-password`);
    await a.expect("That name and password do not match.");
    a.send(`connect ${uniqueName("nobody")} whatever`);
    await a.expect("That name and password do not match.");
  });

  it("runs a command", async () => {
    const { client } = await loggedIn(door, `c${door.slice(0, 2)}`);
    client.send("help say");
    await client.expect("say <text>");
  });

  it("round-trips UTF-8 (accents, CJK, a 4-byte emoji)", async () => {
    const { client } = await loggedIn(door, `u${door.slice(0, 2)}`);
    client.send("say héllo 日本語 🌍 done");
    const text = await client.expect('You say, "héllo 日本語 🌍 done"');
    expect(text).not.toContain("\uFFFD");
  });

  it("refuses an over-long line and keeps the connection", async () => {
    const { client } = await loggedIn(door, `l${door.slice(0, 2)}`);
    client.send(`say ${"x".repeat(3000)}`);
    await client.expect(/[Ll]ine too long/);
    client.send("say still here");
    await client.expect('You say, "still here"');
  });

  it("notices when the peer closes, and tells the room", async () => {
    const { client: watcher } = await loggedIn("line", `o${door.slice(0, 2)}`);
    const { client, name } = await loggedIn(door, `p${door.slice(0, 2)}`);
    await watcher.expect(`${name} `);
    client.close();
    await watcher.expect(`${name} fades away.`);
    watcher.send("who");
    const text = await watcher.expect("online:");
    expect(text.slice(text.lastIndexOf("online:"))).not.toContain(name);
  });
});
