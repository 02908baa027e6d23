/**
 * The mudstandards.org subprotocols over real sockets on port 0 (issue 8): `terminal.`, `gmcp.`
 * and `json.`. Game text is an ANSI stream in binary frames; commands come as lines in binary
 * (or text) frames; `gmcp.` and `json.` carry GMCP in text frames, following Core.Supports.
 * Hardening W1, W2 and S2 hold for each. Time is a FakeClock; tests await events, never time.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_GMCP_LIMITS } from "../../../protocols/gmcp/gmcp-core.js";
import { GMCP_SUBPROTOCOL, JSON_SUBPROTOCOL, TERMINAL_SUBPROTOCOL } from "../../../protocols/websocket/subprotocols.js";
import { LOOM_JSON_SUBPROTOCOL } from "../../../protocols/websocket/wire.js";
import { line, prompt, styled } from "../../../src/session/messages.js";
import { startDoorHarness, type ClientProbe, type DoorHarness, type DoorHarnessOptions, type FakeSession } from "./harness.js";

let harness: DoorHarness | undefined;

async function start(options: DoorHarnessOptions = {}): Promise<DoorHarness> {
  harness = await startDoorHarness(options);
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const STREAMS = [TERMINAL_SUBPROTOCOL, GMCP_SUBPROTOCOL, JSON_SUBPROTOCOL] as const;
const ESC = "\x1b";
const ANSI = /\x1b\[[0-9;]*m/g;

/** Connects with `subprotocol` and returns the client with its session. */
async function open(h: DoorHarness, subprotocol: string): Promise<{ client: ClientProbe; session: FakeSession }> {
  const index = h.opener.sessions.length;
  const client = await h.connect([subprotocol]);
  return { client, session: await h.opener.session(index) };
}

/** A GMCP message as the client sends it under `subprotocol`: bare, or in a json. envelope. */
function gmcpFrame(subprotocol: string, name: string, data?: unknown): string {
  const payload = data === undefined ? "" : JSON.stringify(data);
  if (subprotocol === JSON_SUBPROTOCOL) return JSON.stringify({ proto: "gmcp", id: name, data: payload });
  return payload === "" ? name : `${name} ${payload}`;
}

/** Reads a GMCP text frame the server sent under `subprotocol` as [name, data]. */
function readGmcp(subprotocol: string, frame: string): [string, unknown] {
  if (subprotocol === JSON_SUBPROTOCOL) {
    const envelope = JSON.parse(frame) as { proto: string; id: string; data: string };
    expect(envelope.proto).toBe("gmcp");
    return [envelope.id, envelope.data === "" ? undefined : JSON.parse(envelope.data)];
  }
  const gap = frame.indexOf(" ");
  return gap === -1 ? [frame, undefined] : [frame.slice(0, gap), JSON.parse(frame.slice(gap + 1))];
}

describe.each(STREAMS)("%s", (subprotocol) => {
  it("sends game text as one binary frame per message: ANSI colour, CR LF after a line, none after a prompt", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    session.send(line("You see ", styled("thing", "a lamp"), "."));
    session.send(prompt("> "));
    const first = await client.nextBinary();
    expect(first.startsWith("You see ")).toBe(true);
    expect(first).toContain(`${ESC}[`);
    expect(first.endsWith("\r\n")).toBe(true);
    expect(first.replace(ANSI, "")).toBe("You see a lamp.\r\n");
    expect(await client.nextBinary()).toBe("> ");
    expect(client.texts).toEqual([]);
  });

  it("takes commands as lines in binary frames, UTF-8, one trailing line end dropped", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    client.ws.send(Buffer.from("look\r\n"), { binary: true });
    client.ws.send(Buffer.from("say 😀 你好\nnorth"), { binary: true });
    client.ws.send(Buffer.alloc(0), { binary: true });
    await h.opener.until(() => session.lines.length >= 4);
    expect(session.lines).toEqual(["look", "say 😀 你好", "north", ""]);
  });

  it("answers a command past maxLineBytes in its own rendering, as a binary frame, and stays open (L2)", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    client.ws.send(Buffer.from("b".repeat(2049)), { binary: true });
    const answer = await client.nextBinary();
    expect(answer.replace(ANSI, "")).toBe("Line too long (2049 bytes; the limit is 2048). It was not run.\r\n");
    client.ws.send(Buffer.from("look"), { binary: true });
    await h.opener.until(() => session.lines.length === 1);
    expect(session.lines).toEqual(["look"]);
  });

  it("renders at the player's colour choice: more colours, or none; the browser's variants ignore it", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    session.endpoint.setColour?.("truecolor");
    expect(session.endpoint.variant).toBe("truecolor");
    session.send(line(styled("name", "Alice")));
    expect(await client.nextBinary()).toMatch(/\x1b\[[0-9;]*38;2;\d+;\d+;\d+/);
    session.endpoint.setColour?.("off");
    expect(session.endpoint.variant).toBe("plain");
    session.send(line(styled("name", "Alice")));
    expect(await client.nextBinary()).toBe("Alice\r\n");
    session.endpoint.setColour?.("on");
    expect(session.endpoint.variant).toBe("ansi");
  });

  it("W1: a binary frame at maxPayload is read (and refused as a long line); one byte more closes with 1009", async () => {
    const h = await start({ door: { maxPayload: 4096 } });
    const { client, session } = await open(h, subprotocol);
    client.ws.send(Buffer.from("x".repeat(4096)), { binary: true });
    expect((await client.nextBinary()).replace(ANSI, "")).toBe("Line too long (4096 bytes; the limit is 2048). It was not run.\r\n");
    client.ws.send(Buffer.from("x".repeat(4097)), { binary: true });
    expect((await client.closed).code).toBe(1009);
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed[0]?.code).toBe("protocol-error");
  });

  it("W1: a text frame one byte past maxPayload closes with 1009 too", async () => {
    const h = await start({ door: { maxPayload: 4096 } });
    const { client } = await open(h, subprotocol);
    client.ws.send("x".repeat(4097));
    expect((await client.closed).code).toBe(1009);
  });

  it("W2: invalid UTF-8 closes with 1007, in a binary frame as in a text frame", async () => {
    const h = await start();
    const bad = Buffer.from([0x6c, 0x6f, 0xff, 0xfe, 0x6b]);
    for (const binary of [true, false]) {
      const { client, session } = await open(h, subprotocol);
      client.ws.send(Buffer.from("look"), { binary: true });
      client.ws.send(bad, { binary });
      client.ws.send(Buffer.from("north"), { binary: true });
      expect((await client.closed).code).toBe(1007);
      await h.opener.until(() => session.closed.length === 1);
      expect(session.closed[0]?.code).toBe("protocol-error");
      expect(session.lines).toEqual(["look"]);
    }
  });

  it("W2: a UTF-8 sequence split across two binary frames is invalid in each", async () => {
    const h = await start();
    const { client } = await open(h, subprotocol);
    const euro = Buffer.from("€");
    client.ws.send(euro.subarray(0, 1), { binary: true });
    client.ws.send(euro.subarray(1), { binary: true });
    expect((await client.closed).code).toBe(1007);
  });

  it("S2: binary output queued past maxOutputBytes cuts the connection off", async () => {
    const h = await start({ door: { maxOutputBytes: 1000 } });
    const { client, session } = await open(h, subprotocol);
    for (let i = 0; i < 3; i++) session.send(line("x".repeat(400)));
    expect((await client.closed).code).toBe(1006);
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed[0]?.code).toBe("output-overflow");
    expect(client.binaryFrames).toBe(0);
  });

  it("has no echo to turn off: setEcho sends nothing", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    session.send(prompt("Password: "));
    session.endpoint.setEcho(false);
    session.endpoint.setEcho(true);
    session.send(line("after"));
    expect(await client.nextBinary()).toBe("Password: ");
    expect((await client.nextBinary()).replace(ANSI, "")).toBe("after\r\n");
    expect(client.kinds).toEqual(["binary", "binary"]);
  });
});

describe("terminal.mudstandards.org", () => {
  it("takes text frames as commands too, and sends no out-of-band data", async () => {
    const h = await start();
    const { client, session } = await open(h, TERMINAL_SUBPROTOCOL);
    client.ws.send("look\n");
    client.ws.send('Core.Supports.Set ["Room 1"]');
    await h.opener.until(() => session.lines.length === 2);
    expect(session.lines).toEqual(["look", 'Core.Supports.Set ["Room 1"]']);
    session.endpoint.sendOob("Room.Info", { num: 1 });
    session.endpoint.sendOob("Comm.Channel.Text", { channel: "chat", talker: "A", text: "hi" });
    session.send(line("after"));
    await client.nextBinary();
    expect(client.kinds).toEqual(["binary"]);
  });
});

describe.each([GMCP_SUBPROTOCOL, JSON_SUBPROTOCOL])("GMCP under %s", (subprotocol) => {
  it("Room and Char wait for Core.Supports; the last Room.Info withheld is sent as a text frame once Room is listed", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    session.endpoint.sendOob("Room.Info", { num: 1, name: "Old" });
    session.endpoint.sendOob("Room.Info", { num: 2, name: "Square" });
    session.endpoint.sendOob("Char.Name", { name: "Ada", fullname: "Ada" });
    session.send(line("text"));
    await client.nextBinary();
    expect(client.texts).toEqual([]);

    client.ws.send(gmcpFrame(subprotocol, "Core.Supports.Set", ["Room 1"]));
    expect(readGmcp(subprotocol, await client.next())).toEqual(["Room.Info", { num: 2, name: "Square" }]);
    session.endpoint.sendOob("Room.Info", { num: 3, name: "Market" });
    expect(readGmcp(subprotocol, await client.next())).toEqual(["Room.Info", { num: 3, name: "Market" }]);

    client.ws.send(gmcpFrame(subprotocol, "Core.Supports.Add", ["Char 1"]));
    expect(readGmcp(subprotocol, await client.next())).toEqual(["Char.Name", { name: "Ada", fullname: "Ada" }]);
  });

  it("Comm.Channel goes to every GMCP client, listed or not", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    session.endpoint.sendOob("Comm.Channel.Text", { channel: "chat", talker: "Ada", text: "hi" });
    expect(readGmcp(subprotocol, await client.next())).toEqual(["Comm.Channel.Text", { channel: "chat", talker: "Ada", text: "hi" }]);
  });

  it("Core.Hello names the client in the session's capabilities; Core.Ping is answered; other packages reach the session", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    client.ws.send(gmcpFrame(subprotocol, "Core.Hello", { client: "Mudlet", version: "4.17.2" }));
    client.ws.send(gmcpFrame(subprotocol, "Core.Ping"));
    client.ws.send(gmcpFrame(subprotocol, "Char.Login.Credentials", { account: "ada" }));
    expect(readGmcp(subprotocol, await client.next())).toEqual(["Core.Ping", undefined]);
    await h.opener.until(() => session.oob.length === 1);
    expect(session.caps).toEqual([{ ansi: true, width: 80, height: 24, client: "Mudlet 4.17.2" }]);
    expect(session.oob).toEqual([{ channel: "Char.Login.Credentials", data: { account: "ada" } }]);
    expect(session.lines).toEqual([]);
  });

  it("a text frame that is not GMCP is dropped, never a command, and the connection stays", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    client.ws.send("look");
    client.ws.send(gmcpFrame(subprotocol, "Core.Supports.Set", "Room 1"));
    client.ws.send(gmcpFrame(subprotocol, "Core.Ping"));
    expect(readGmcp(subprotocol, await client.next())).toEqual(["Core.Ping", undefined]);
    expect(session.lines).toEqual([]);
    expect(session.oob).toEqual([]);
    expect(session.closed).toEqual([]);
  });

  it("bounded: a flood of Core.Ping gets a burst of answers, not one each (the clock stands still)", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    for (let i = 0; i < 50; i++) client.ws.send(gmcpFrame(subprotocol, "Core.Ping"));
    client.ws.send(Buffer.from("mark"), { binary: true });
    await h.opener.until(() => session.lines.length === 1);
    // Output to one client is in order: once this arrives, every answer sent before it has.
    session.send(line("done"));
    await client.nextBinary();
    expect(client.texts).toHaveLength(DEFAULT_GMCP_LIMITS.replyBurst);
    expect(session.closed).toEqual([]);
  });

  it("text and GMCP frames go out in the order they were queued", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    session.send(prompt("> "));
    session.endpoint.sendOob("Comm.Channel.Text", { channel: "chat", talker: "Ada", text: "hi" });
    session.send(line("Ada chats, hi"));
    await client.nextBinary();
    await client.next();
    await client.nextBinary();
    expect(client.kinds).toEqual(["binary", "text", "binary"]);
  });

  it("drops out-of-band data that cannot be serialised, without throwing", async () => {
    const h = await start();
    const { client, session } = await open(h, subprotocol);
    expect(() => session.endpoint.sendOob("Comm.Channel.Text", 10n)).not.toThrow();
    session.send(line("still here"));
    await client.nextBinary();
    expect(client.texts).toEqual([]);
  });
});

describe("json.mudstandards.org NAWS envelopes", () => {
  it("report the terminal's size: the session is told, and text is wrapped with one column spare, as telnet does", async () => {
    const h = await start();
    const { client, session } = await open(h, JSON_SUBPROTOCOL);
    expect(session.endpoint.width).toBeUndefined();
    client.ws.send(JSON.stringify({ proto: "telnet_31", id: "NAWS", data: Buffer.from([0, 30, 0, 20]).toString("base64") }));
    await h.opener.until(() => session.caps.length === 1);
    expect(session.caps).toEqual([{ ansi: true, width: 30, height: 20 }]);
    expect(session.endpoint.width).toBe(29);
    session.send(line("threads of every colour run from wall to wall and back again"));
    const text = (await client.nextBinary()).replace(ANSI, "");
    for (const row of text.split("\r\n")) expect([...row].length).toBeLessThanOrEqual(29);
    expect(text.split("\r\n").length).toBeGreaterThan(2);
  });
});

describe("the browser's and the plain variants", () => {
  it("ignore a colour choice", async () => {
    const h = await start();
    for (const offer of [[LOOM_JSON_SUBPROTOCOL], []]) {
      const index = h.opener.sessions.length;
      await h.connect(offer);
      const session = await h.opener.session(index);
      const before = session.endpoint.variant;
      session.endpoint.setColour?.("256");
      expect(session.endpoint.variant).toBe(before);
    }
  });
});
