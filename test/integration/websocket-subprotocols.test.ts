/**
 * Issue 8, "A WebSocket client per subprotocol over real sockets": against a whole Loom on port 0,
 * a client of each subprotocol the door speaks (`loom.v1.json`, `gmcp.mudstandards.org`,
 * `json.mudstandards.org`, `terminal.mudstandards.org`, none) creates a character, walks and
 * says, and reads it all in the right frames. `gmcp.` and `json.` get `Room.Info`, `Char.*` and
 * `Comm.Channel.*` as GMCP in text frames, `Room` and `Char` only after `Core.Supports`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GMCP_SUBPROTOCOL, JSON_SUBPROTOCOL, TERMINAL_SUBPROTOCOL } from "../../protocols/websocket/subprotocols.js";
import { LOOM_JSON_SUBPROTOCOL } from "../../protocols/websocket/wire.js";
import type { CharStatus } from "../../src/world/char-status.js";
import type { RoomInfo } from "../../src/world/room-view.js";
import { MudstandardsClient } from "../protocols/websocket/mudstandards-client.js";
import { WsClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer;
const clients: { close(): void }[] = [];

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

/** What the login steps need of a client. */
interface Player {
  send(line: string): void;
  expect(pattern: string): Promise<string>;
}

/** Creates a character on `client` and waits for the first room; returns its name. */
async function login(client: Player, prefix: string): Promise<string> {
  await client.expect("Your name:");
  const name = uniqueName(prefix);
  client.send(`create ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);
  await client.expect("Exits:");
  return name;
}

/** Walks north and says a word; resolves once both answers arrived. */
async function walkAndSay(client: Player, word: string): Promise<void> {
  client.send("north");
  await client.expect("Market Row");
  client.send(`say ${word}`);
  await client.expect(`You say, "${word}"`);
}

async function mudstandards(subprotocol: string): Promise<MudstandardsClient> {
  const client = await MudstandardsClient.connect(server.ports.http, subprotocol);
  clients.push(client);
  expect(client.subprotocol).toBe(subprotocol);
  return client;
}

describe("a client per subprotocol logs in, walks and says", () => {
  it.each([TERMINAL_SUBPROTOCOL, GMCP_SUBPROTOCOL, JSON_SUBPROTOCOL])("%s: the game in binary frames, ANSI colour, CR LF line ends", async (subprotocol) => {
    const client = await mudstandards(subprotocol);
    await login(client, "ms");
    await walkAndSay(client, `hello-${subprotocol.split(".")[0]}`);
    expect(client.raw).toContain("\x1b[");
    expect(client.raw).toMatch(/Market Row[^\n]*\r\n/);
    expect(client.raw.replace(/\r\n/g, "")).not.toContain("\n");
    // Every text frame is GMCP (none at all under terminal.); the game is all binary.
    if (subprotocol === TERMINAL_SUBPROTOCOL) expect(client.kinds.every((k) => k === "binary")).toBe(true);
    expect(client.gmcp).toHaveLength(client.textFrames.length);
    expect(client.textFrames.join("\n")).not.toContain("Market Row\r\n");
  });

  it("terminal.mudstandards.org: the player's `color` choice changes the stream's colours, as on telnet", async () => {
    const client = await mudstandards(TERMINAL_SUBPROTOCOL);
    await login(client, "mcol");
    client.send("color 256");
    await client.expect("Looks like:");
    const from = client.raw.length;
    client.send("look");
    await client.expect("Exits:");
    expect(client.raw.slice(from)).toMatch(/\x1b\[[0-9;]*38;5;\d+/);
    client.send("color off");
    await client.expect("Colour is now off.");
    const plain = client.raw.length;
    client.send("look");
    await client.expect("Exits:");
    expect(client.raw.slice(plain)).not.toContain("\x1b");
  });

  it("terminal.mudstandards.org: commands in text frames work as well", async () => {
    const client = await mudstandards(TERMINAL_SUBPROTOCOL);
    await client.expect("Your name:");
    const name = uniqueName("mst");
    client.send(`create ${name} pw-${name}`, true);
    await client.expect(`Welcome, ${name}.`);
    client.send("say typed as text", true);
    await client.expect('You say, "typed as text"');
  });

  it("loom.v1.json: JSON text frames, as before", async () => {
    const client = await WsClient.connect(server.ports.http, { json: true });
    clients.push(client);
    expect(client.ws.protocol).toBe(LOOM_JSON_SUBPROTOCOL);
    await login(client, "lj");
    await walkAndSay(client, "hello-loom");
    for (const frame of client.frames) expect(JSON.parse(frame)).toHaveProperty("t");
    expect(client.oob.some((f) => f.channel === "Room.Info")).toBe(true);
  });

  it("no subprotocol: plain text frames, no colour, no out-of-band data", async () => {
    const client = await WsClient.connect(server.ports.http);
    clients.push(client);
    expect(client.ws.protocol).toBe("");
    await login(client, "pt");
    await walkAndSay(client, "hello-plain");
    expect(client.text).not.toContain("\x1b");
    expect(client.text).not.toMatch(/Room\.Info|Char\./);
  });
});

describe.each([GMCP_SUBPROTOCOL, JSON_SUBPROTOCOL])("GMCP over %s", (subprotocol) => {
  it("after Core.Hello and Core.Supports: Char.Name, Char.Status and Room.Info in text frames, and Room.Info again on walking", async () => {
    const client = await mudstandards(subprotocol);
    client.sendGmcp("Core.Hello", { client: "Mudlet", version: "4.17.2" });
    client.sendGmcp("Core.Supports.Set", ["Char 1", "Room 1"]);
    const name = await login(client, "gm");
    expect((await client.expectGmcp("Char.Name")).data).toEqual({ name, fullname: name });
    expect((await client.expectGmcp("Char.Status")).data as CharStatus).toMatchObject({ name, role: "player" });
    const square = (await client.expectGmcp("Room.Info")).data as RoomInfo;
    expect(square.name).toBe("Town Square");
    expect(Object.keys(square.exits).sort()).toEqual(["e", "in", "n", "s", "w"]);

    client.send("north");
    const market = (await client.expectGmcp("Room.Info")).data as RoomInfo;
    expect(market.name).toBe("Market Row");
    expect(market.num).toBe(square.exits["n"]);

    client.sendGmcp("Core.Ping");
    await client.expectGmcp("Core.Ping");
  });

  it("Room.Info waits for Core.Supports, then the current room arrives as a text frame", async () => {
    const client = await mudstandards(subprotocol);
    await login(client, "gl");
    client.send("north");
    await client.expect("Market Row");
    client.send("say synced");
    await client.expect('You say, "synced"');
    expect(client.gmcpSince("Room.Info")).toEqual([]);
    expect(client.gmcpSince("Char.Name")).toEqual([]);

    client.sendGmcp("Core.Supports.Add", ["Room 1"]);
    const room = (await client.expectGmcp("Room.Info")).data as RoomInfo;
    expect(room.name).toBe("Market Row");
    expect(client.gmcpSince("Char.Name")).toEqual([]);
  });

  it("Comm.Channel.List and Comm.Channel.Text reach a client that listed nothing", async () => {
    const client = await mudstandards(subprotocol);
    const name = await login(client, "gc");
    expect((await client.expectGmcp("Comm.Channel.List")).data).toEqual([{ name: "chat", caption: "Chat", command: "chat" }]);
    client.send("chat over GMCP");
    expect((await client.expectGmcp("Comm.Channel.Text")).data).toEqual({ channel: "chat", talker: name, text: "over GMCP" });
  });
});

describe("precedence when several are offered", () => {
  it("loom.v1.json first, then gmcp., json., terminal., whatever the client's order", async () => {
    const offers: [string[], string][] = [
      [[TERMINAL_SUBPROTOCOL, JSON_SUBPROTOCOL, GMCP_SUBPROTOCOL, LOOM_JSON_SUBPROTOCOL], LOOM_JSON_SUBPROTOCOL],
      [[TERMINAL_SUBPROTOCOL, JSON_SUBPROTOCOL, GMCP_SUBPROTOCOL], GMCP_SUBPROTOCOL],
      [["telnet.mudstandards.org", TERMINAL_SUBPROTOCOL, JSON_SUBPROTOCOL], JSON_SUBPROTOCOL],
      [["telnet.mudstandards.org", TERMINAL_SUBPROTOCOL], TERMINAL_SUBPROTOCOL],
    ];
    for (const [offer, selected] of offers) {
      const client = await MudstandardsClient.connect(server.ports.http, offer);
      clients.push(client);
      expect(client.subprotocol).toBe(selected);
    }
  });
});
