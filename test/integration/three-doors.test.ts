/**
 * End to end: one person per door, in the same room. Each sees the others' words exactly as
 * typed, rendered for them ("You say" for the speaker, "<Name> says" for everyone else), and
 * sees them come and go.
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
