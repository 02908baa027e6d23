/**
 * Out-of-band data over real sockets: a `loom.v1.json` WebSocket client gets `Char.Name`,
 * `Char.Status` and `Room.Info` frames (GMCP's shapes) when they change, and only then; doors
 * that cannot carry them (the line door, telnet without GMCP, `ws-text`) get not one byte of
 * them. And the browser's caps frame drives wrapping end to end, as NAWS does for telnet.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { CharStatus } from "../../src/world/char-status.js";
import type { RoomInfo } from "../../src/world/room-view.js";
import { createCharacter, LineClient, TelnetClient, WsClient, type TextClient } from "../support/clients.js";
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

/** Logs a new character in on `client` and waits for the first room. */
async function login<C extends TextClient>(client: C, prefix: string): Promise<{ client: C; name: string }> {
  clients.push(client);
  const name = await createCharacter(client, prefix);
  await client.expect("Exits:");
  return { client, name };
}

/**
 * Sends `say <word>` and waits for its echo. Output to one session arrives in order, so anything
 * the commands before it made the server send has arrived by then.
 */
async function sync(client: TextClient, word: string): Promise<void> {
  client.send(`say ${word}`);
  await client.expect(`You say, "${word}"`);
}

function widest(text: string): number {
  return Math.max(...text.split("\n").map((l) => [...l].length));
}

it("a loom.v1.json client gets Char.Name, Char.Status and Room.Info after login", async () => {
  const { client: web, name } = await login(await WsClient.connect(server.ports.http, { json: true }), "oob");

  const charName = await web.expectOob("Char.Name");
  expect(charName.data).toEqual({ name, fullname: name });
  expect(web.frames.some((f) => f.startsWith('{"t":"oob","channel":"Char.Name",'))).toBe(true);

  const status = (await web.expectOob("Char.Status")).data as CharStatus;
  expect(status).toEqual({ name, fullname: name, pronouns: "they", role: "player" });

  const room = (await web.expectOob("Room.Info")).data as RoomInfo;
  expect(Number.isInteger(room.num) && room.num > 0).toBe(true);
  expect(room.name).toBe("Town Square");
  expect(room.area).toBe("Shuttleford");
  // config/world/town.yaml: north, east, in, west, south; compass exits by their short form.
  expect(Object.keys(room.exits).sort()).toEqual(["e", "in", "n", "s", "w"]);
  for (const num of Object.values(room.exits)) expect(Number.isInteger(num) && num > 0 && num !== room.num).toBe(true);
  expect(room.exits["e"]).toBe(room.exits["in"]);
});

it("Room.Info follows the player, and only when the room changes", async () => {
  const { client: web } = await login(await WsClient.connect(server.ports.http, { json: true }), "walk");
  const square = (await web.expectOob("Room.Info")).data as RoomInfo;

  web.send("north");
  const market = (await web.expectOob("Room.Info")).data as RoomInfo;
  expect(market.num).toBe(square.exits["n"]);
  expect(market.name).toBe("Market Row");
  expect(market.exits["s"]).toBe(square.num);
  await web.expect("Exits:");

  web.markOob();
  web.send("look");
  await web.expect("Market Row");
  await sync(web, "looked");
  expect(web.oobSince("Room.Info")).toEqual([]);
});

it("a loom.v1.json client gets its commands, who and what is around, and each change, as frames (issue 9)", async () => {
  const { client: web, name } = await login(await WsClient.connect(server.ports.http, { json: true }), "ppl");
  const commands = (await web.expectOob("Loom.Commands")).data as string[];
  expect(commands).toEqual([...new Set(commands)].sort());
  expect(commands).toEqual(expect.arrayContaining(["look", "north", "n", "get", "drop", "give", "say"]));
  expect(Array.isArray((await web.expectOob("Room.Players")).data)).toBe(true);
  expect((await web.expectOob("Char.Items.List")).data).toMatchObject({ location: "room" });
  expect((await web.expectOob("Char.Items.List")).data).toEqual({ location: "inv", items: [] });

  // Someone comes in, and the two of them walk to Market Row, where the apple lies.
  const { client: other, name: otherName } = await login(await LineClient.connect(server.ports.line), "ppo");
  expect((await web.expectOob("Room.AddPlayer")).data).toEqual({ name: otherName, fullname: otherName });
  expect(web.frames.some((f) => f.startsWith('{"t":"oob","channel":"Room.AddPlayer",'))).toBe(true);
  other.send("north");
  expect((await web.expectOob("Room.RemovePlayer")).data).toBe(otherName);
  await other.expect("Market Row");
  web.send("north");
  expect((await web.expectOob("Room.Players")).data).toContainEqual({ name: otherName, fullname: otherName });
  const apple = { id: "apple", name: "red apple", attrib: "t" };
  expect(((await web.expectOob("Char.Items.List")).data as { items: unknown[] }).items).toContainEqual(apple);

  // The other picks it up and hands it over.
  other.send("get apple");
  expect((await web.expectOob("Char.Items.Remove")).data).toEqual({ location: "room", item: apple });
  other.send(`give apple to ${name}`);
  expect((await web.expectOob("Char.Items.Add")).data).toEqual({ location: "inv", item: apple });
  web.send("drop apple");
  expect((await web.expectOob("Char.Items.Remove")).data).toEqual({ location: "inv", item: apple });
  expect((await web.expectOob("Char.Items.Add")).data).toEqual({ location: "room", item: apple });
});

it("choosing pronouns sends a new Char.Status", async () => {
  const { client: web, name } = await login(await WsClient.connect(server.ports.http, { json: true }), "prn");
  await web.expectOob("Char.Status");
  web.send("pronouns she");
  const status = (await web.expectOob("Char.Status")).data as CharStatus;
  expect(status).toMatchObject({ name, pronouns: "she" });
});

it("the line door, telnet without GMCP and a ws-text client get no out-of-band bytes", async () => {
  const line = (await login(await LineClient.connect(server.ports.line), "lno")).client;
  const telnet = (await login(await TelnetClient.connect(server.ports.telnet), "tno")).client;
  const text = (await login(await WsClient.connect(server.ports.http), "wno")).client;
  for (const client of [line, telnet, text]) {
    // Each of these would send Room.Info and Char.Status to a client that can carry them.
    client.send("north");
    await client.expect("Market Row");
    client.send("pronouns it");
    await client.expect("Your pronouns are now");
    await sync(client, "done");
    expect(client.text).not.toMatch(/[{}]/);
    expect(client.text).not.toMatch(/Char\.|Room\.Info/);
  }
  for (const frame of text.frames) expect(frame.trimStart().startsWith("{")).toBe(false);
  for (const raw of [line.bytes, telnet.bytes].map((b) => Buffer.concat(b))) {
    expect(raw.includes("Room.Info")).toBe(false);
    expect(raw.includes(Buffer.from([255, 250, 201]))).toBe(false); // IAC SB GMCP
  }
});

it("a caps frame from the browser wraps its room text to the width it reports", async () => {
  const { client: web } = await login(await WsClient.connect(server.ports.http, { json: true }), "caps");
  // Until the browser reports a width, the page wraps its own text: the square's description
  // arrives as one long line (which makes the check below mean something).
  expect(widest(web.text.slice(web.text.indexOf("Town Square")))).toBeGreaterThan(30);

  web.mark();
  const from = web.text.length;
  web.sendFrame({ t: "caps", width: 30, height: 20 });
  web.send("look");
  await web.expect("Exits:");
  await sync(web, "wrapped");
  const look = web.text.slice(from);
  expect(look).toContain("Town Square");
  expect(look).toContain("Shuttleford");
  expect(look.split("\n").length).toBeGreaterThan(10);
  expect(widest(look)).toBeLessThanOrEqual(30);
});
