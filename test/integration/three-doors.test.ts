/**
 * End to end: one person per door, in the same room. Each sees the others' words exactly as
 * typed, rendered for them ("You say" for the speaker, "<Name> says" for everyone else), and
 * sees them come and go, hand things over and work the starter world's locked door.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { LineClient, TelnetClient, WsClient, type TextClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer;
let line: TextClient;
let telnet: TextClient;
let web: TextClient;
const names = { line: uniqueName("nc"), telnet: uniqueName("tn"), web: uniqueName("web") };

beforeAll(async () => {
  server = await startTestServer();
  line = await LineClient.connect(server.ports.line);
  telnet = await TelnetClient.connect(server.ports.telnet);
  web = await WsClient.connect(server.ports.http, { json: true });
  for (const [client, name] of [
    [line, names.line],
    [telnet, names.telnet],
    [web, names.web],
  ] as const) {
    await client.expect("Your name:");
    client.send(`create ${name} pw-${name}`);
    await client.expect(`Welcome, ${name}.`);
  }
});

afterAll(async () => {
  for (const c of [line, telnet, web]) c.close();
  await server.stop();
  removeDir(server.dataDir);
});

it("everyone sees everyone's say, rendered for them", async () => {
  const said = {
    line: "hello from netcat — ça va? 🎉",
    telnet: "telnet here: 'quotes' & <angles>",
    web: "<img src=x onerror=alert(1)> from the browser",
  };
  const clients = { line, telnet, web };
  for (const speaker of ["line", "telnet", "web"] as const) {
    for (const c of Object.values(clients)) c.mark();
    clients[speaker].send(`say ${said[speaker]}`);
    await clients[speaker].expect(`You say, "${said[speaker]}"`);
    for (const listener of ["line", "telnet", "web"] as const) {
      if (listener === speaker) continue;
      await clients[listener].expect(`${names[speaker]} says, "${said[speaker]}"`);
    }
  }
});

it("the ' and : shortcuts work, and emotes read the same for all", async () => {
  for (const c of [line, telnet, web]) c.mark();
  telnet.send("'short form");
  await telnet.expect('You say, "short form"');
  await line.expect(`${names.telnet} says, "short form"`);
  web.send(":waves at everyone.");
  for (const c of [line, telnet, web]) await c.expect(`${names.web} waves at everyone.`);
});

it("tell reaches only its target", async () => {
  for (const c of [line, telnet, web]) c.mark();
  line.send(`tell ${names.web} psst, a secret`);
  await line.expect(`You tell ${names.web}, "psst, a secret"`);
  await web.expect(`${names.line} tells you, "psst, a secret"`);
  telnet.send("say after the secret");
  await telnet.expect('You say, "after the secret"');
  expect(telnet.text).not.toContain("psst");
});

it("who lists all three, with their doors", async () => {
  web.mark();
  web.send("who");
  const text = await web.expect("players online:");
  await web.expect(names.telnet);
  expect(text).toMatch(new RegExp(`${names.line}\\s+line`));
  expect(web.text).toMatch(new RegExp(`${names.telnet}\\s+telnet`));
  expect(web.text).toMatch(new RegExp(`${names.web}\\s+web`));
});

it("movement is announced on both sides, and things can be carried and dropped", async () => {
  for (const c of [line, telnet, web]) c.mark();
  line.send("east");
  await line.expect("The Drowsy Shuttle");
  await telnet.expect(`${names.line} leaves east.`);
  await web.expect(`${names.line} leaves east.`);
  line.send("get lantern");
  await line.expect("You pick up a brass lantern.");
  line.send("inventory");
  await line.expect("a brass lantern");
  telnet.send("e");
  await line.expect(`${names.telnet} arrives from the west.`);
  await telnet.expect(names.line);
  line.mark();
  line.send("drop lantern");
  await line.expect("You drop a brass lantern.");
  await telnet.expect(`${names.line} drops a brass lantern.`);
  telnet.send("get lantern");
  await telnet.expect("You pick up a brass lantern.");
  line.send("look");
  const room = await line.expect("Exits:");
  expect(room).toContain("The Drowsy Shuttle");
});

it("an escape sequence typed by one player never reaches another's terminal", async () => {
  // Both in the inn now.
  line.mark();
  telnet.mark();
  line.send("say hi \x1b]0;pwned\x07\x1b[2J\x1b[31mred");
  await telnet.expect(`${names.line} says, "hi red"`);
  const raw = Buffer.concat((telnet as TelnetClient).bytes).toString("latin1");
  const lastSay = raw.slice(raw.lastIndexOf("says,"));
  // Our own colour codes (ESC [ digits m) may appear; no other escape may.
  expect(lastSay.replace(/\x1b\[[0-9;]*m/g, "")).not.toContain("\x1b");
  expect(lastSay).not.toContain("\x07");
});

/** Walks `client` through `directions`, one room at a time, and checks where it ends up. */
async function walk(client: TextClient, directions: readonly string[], to: string): Promise<void> {
  let from = client.text.length;
  for (const direction of directions) {
    from = client.text.length;
    client.mark();
    client.send(direction);
    await client.expect("Exits:");
  }
  expect(client.text.slice(from)).toContain(to);
}

/** The whole line of `text` that holds the last `fragment`, for checking a sentence exactly. */
function lineWith(text: string, fragment: string): string {
  const at = text.lastIndexOf(fragment);
  expect(at, `"${fragment}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const start = text.lastIndexOf("\n", at) + 1;
  const end = text.indexOf("\n", at);
  return text.slice(start, end < 0 ? text.length : end);
}

it("a gift reads three ways: to the giver, to the receiver and to the one watching", async () => {
  // Line and telnet are in the inn, the browser in the square: all three meet at Market Row.
  await walk(line, ["west", "north"], "Market Row");
  await walk(telnet, ["w", "n"], "Market Row");
  await walk(web, ["n"], "Market Row");
  telnet.mark();
  telnet.send("get apple");
  await telnet.expect("You pick up a red apple.");

  for (const c of [line, telnet, web]) c.mark();
  telnet.send(`give apple to ${names.web}`);
  const given = {
    telnet: `You give a red apple to ${names.web}.`,
    web: `${names.telnet} gives you a red apple.`,
    line: `${names.telnet} gives ${names.web} a red apple.`,
  };
  const clients = { line, telnet, web };
  for (const who of ["telnet", "web", "line"] as const) {
    const text = await clients[who].expect(given[who]);
    expect(lineWith(text, given[who])).toBe(given[who]);
  }

  for (const c of [line, telnet, web]) c.mark();
  web.send("drop apple");
  await web.expect("You drop a red apple.");
  for (const watcher of [line, telnet]) {
    const text = await watcher.expect(`${names.web} drops a red apple.`);
    expect(lineWith(text, "drops a red apple.")).toBe(`${names.web} drops a red apple.`);
  }
  line.send("look");
  await line.expect("You see a red apple here.");
});

it("the iron key from the inn unlocks the mill's sluice door, and the mill sees it done", async () => {
  // Everyone is at Market Row. Line and browser wait in the mill; telnet fetches the key.
  await walk(line, ["s", "s", "s", "s", "w"], "The Fulling Mill");
  await walk(web, ["s", "s", "s", "s", "w"], "The Fulling Mill");
  line.mark();
  line.send("west");
  await line.expect("The low sluice door is closed.");
  line.send("open door");
  await line.expect("The low sluice door is locked.");

  await walk(telnet, ["s", "e", "u"], "A Room Upstairs");
  telnet.mark();
  telnet.send("get key");
  await telnet.expect("You pick up an iron key.");
  for (const c of [line, web]) c.mark();
  await walk(telnet, ["d", "w", "s", "s", "s", "w"], "The Fulling Mill");
  for (const watcher of [line, web]) await watcher.expect(`${names.telnet} arrives from the east.`);

  for (const c of [line, telnet, web]) c.mark();
  telnet.send("unlock door");
  const unlocked = `${names.telnet} unlocks the low sluice door with an iron key.`;
  let text = await telnet.expect("You unlock the low sluice door with an iron key.");
  expect(lineWith(text, "You unlock")).toBe("You unlock the low sluice door with an iron key.");
  for (const watcher of [line, web]) {
    text = await watcher.expect(unlocked);
    expect(lineWith(text, unlocked)).toBe(unlocked);
  }

  telnet.send("open door");
  await telnet.expect("You open the low sluice door.");
  for (const watcher of [line, web]) await watcher.expect(`${names.telnet} opens the low sluice door.`);
  await walk(telnet, ["west"], "The Old Mill Race");
  for (const watcher of [line, web]) await watcher.expect(`${names.telnet} leaves west.`);
});
