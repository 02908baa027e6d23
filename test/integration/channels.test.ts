/**
 * Channels over real sockets (issue 7, "What must be shown"): a post from the line door reaches
 * a telnet and a WebSocket member in the same words; a `loom.v1.json` client gets
 * `Comm.Channel.List` and `Comm.Channel.Text`; ignoring hides a poster from one reader only;
 * and after a restart of the server on the same data directory the history is still there and
 * a mute saved on the account holds. The tests run in order on one server, then its restart.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { LineClient, TelnetClient, WsClient, type TextClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer;
let line: LineClient;
let telnet: TelnetClient;
let web: WsClient;
const clients: TextClient[] = [];
const names = { line: uniqueName("nc"), telnet: uniqueName("tn"), web: uniqueName("web") };

async function login(client: TextClient, name: string, how: "create" | "connect"): Promise<void> {
  clients.push(client);
  await client.expect("Your name:");
  client.send(`${how} ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);
  await client.expect("Exits:");
}

/** The whole line of `text` that holds the last `fragment`, for checking a line exactly. */
function lineWith(text: string, fragment: string): string {
  const at = text.lastIndexOf(fragment);
  expect(at, `"${fragment}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const start = text.lastIndexOf("\n", at) + 1;
  const end = text.indexOf("\n", at);
  return text.slice(start, end < 0 ? text.length : end);
}

/**
 * Sends `say <word>` and waits for its echo. Output to one session arrives in order, so
 * whatever the server meant to send this client before the say has arrived by then.
 */
async function sync(client: TextClient, word: string): Promise<void> {
  client.send(`say ${word}`);
  await client.expect(`You say, "${word}"`);
}

beforeAll(async () => {
  server = await startTestServer();
  line = await LineClient.connect(server.ports.line);
  telnet = await TelnetClient.connect(server.ports.telnet);
  web = await WsClient.connect(server.ports.http, { json: true });
  await login(line, names.line, "create");
  await login(telnet, names.telnet, "create");
  await login(web, names.web, "create");
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
  removeDir(server.dataDir);
});

it("a post from the line door reaches the telnet and the WebSocket member in the same words", async () => {
  const words = "hello from netcat — ça va? 🎉 <b>bold</b> & 'quotes'";
  for (const c of [line, telnet, web]) c.mark();
  line.send(`chat ${words}`);
  const mine = await line.expect(`[chat] You: ${words}`);
  expect(lineWith(mine, "[chat] You:")).toBe(`[chat] You: ${words}`);
  for (const member of [telnet, web]) {
    const text = await member.expect(`[chat] ${names.line}: ${words}`);
    expect(lineWith(text, `[chat] ${names.line}:`)).toBe(`[chat] ${names.line}: ${words}`);
  }
});

it("a loom.v1.json client gets Comm.Channel.List at login and Comm.Channel.Text for each post", async () => {
  const list = web.oob.find((f) => f.channel === "Comm.Channel.List");
  expect(list?.data).toEqual([{ name: "chat", caption: "Chat", command: "chat" }]);
  web.markOob();
  telnet.send("chat from the terminal");
  const frame = await web.expectOob("Comm.Channel.Text");
  expect(frame.data).toEqual({ channel: "chat", talker: names.telnet, text: "from the terminal" });
  // The poster's own client gets it too (the browser posting).
  web.markOob();
  web.send("chat from the browser");
  expect((await web.expectOob("Comm.Channel.Text")).data).toEqual({ channel: "chat", talker: names.web, text: "from the browser" });
});

it("ignore hides a poster's channel lines and words from one reader only; unignore shows them again", async () => {
  web.send(`ignore ${names.telnet}`);
  await web.expect(`You are now ignoring ${names.telnet}.`);
  for (const c of [line, telnet, web]) c.mark();
  web.markOob();
  const webFrom = web.text.length;
  telnet.send("chat not for the browser");
  await telnet.expect("[chat] You: not for the browser");
  await line.expect(`[chat] ${names.telnet}: not for the browser`);
  telnet.send("say nor this");
  await line.expect(`${names.telnet} says, "nor this"`);
  await sync(web, "sync-ignore");
  expect(web.text.slice(webFrom)).not.toContain("not for the browser");
  expect(web.text.slice(webFrom)).not.toContain("nor this");
  expect(web.oobSince("Comm.Channel.Text")).toEqual([]);
  // The ignored player is told nothing.
  expect(telnet.text).not.toContain("ignor");

  web.send(`unignore ${names.telnet}`);
  await web.expect(`You are no longer ignoring ${names.telnet}.`);
  telnet.send("chat welcome back");
  await web.expect(`[chat] ${names.telnet}: welcome back`);
});

it("after a restart on the same data directory: the history is there, and a mute saved on the account holds", async () => {
  const dataDir = server.dataDir;
  await server.stop();
  await Promise.all([line.closed, telnet.closed, web.closed]);
  // What an admin's mute saves (the admins' `mute`), written to the stopped server's store.
  const store = openSqliteStore({ dataDir });
  store.setMuted(names.line.toLowerCase(), true);
  store.close();

  server = await startTestServer({ dataDir });
  line = await LineClient.connect(server.ports.line);
  telnet = await TelnetClient.connect(server.ports.telnet);
  await login(line, names.line, "connect");
  await login(telnet, names.telnet, "connect");

  telnet.mark();
  telnet.send("history chat");
  const history = await telnet.expect(`${names.telnet}: welcome back`);
  expect(history).toContain("(times in UTC):");
  expect(lineWith(history, `${names.line}: hello from netcat`)).toMatch(new RegExp(`^\\[chat \\d\\d:\\d\\d\\] ${names.line}: hello from netcat — ça va\\? 🎉`));
  expect(lineWith(history, "from the terminal")).toMatch(new RegExp(`^\\[chat \\d\\d:\\d\\d\\] ${names.telnet}: from the terminal$`));

  for (const c of [line, telnet]) c.mark();
  const telnetFrom = telnet.text.length;
  line.send("chat can anyone hear me?");
  await line.expect("You are muted and cannot speak.");
  line.send("say or here?");
  await line.expect("You are muted and cannot speak.");
  line.send(`tell ${names.telnet} psst`);
  await line.expect("You are muted and cannot speak.");
  await sync(telnet, "sync-mute");
  expect(telnet.text.slice(telnetFrom)).not.toMatch(/can anyone hear me|or here\?|psst/);
  // The muted player still reads the others.
  telnet.send("chat still here");
  await line.expect(`[chat] ${names.telnet}: still here`);
});
