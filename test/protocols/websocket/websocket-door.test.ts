/**
 * The WebSocket door over real sockets on port 0: subprotocols, framing, limits (L2, W1, W2, W3,
 * S2, F9), shutdown (D4) and UTF-8. Time is a FakeClock; tests await events, never time.
 */
import { EventEmitter, once } from "node:events";
import type net from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeFrames } from "../../../protocols/websocket/frame-encoder.js";
import type { WebSocketConnection } from "../../../protocols/websocket/websocket-connection.js";
import { reason } from "../../../src/reactor/interfaces.js";
import { line, prompt, styled } from "../../../src/session/messages.js";
import { startDoorHarness, nextTurn, rawHandshake, type DoorHarness, type DoorHarnessOptions } from "./harness.js";

let harness: DoorHarness | undefined;

async function start(options: DoorHarnessOptions = {}): Promise<DoorHarness> {
  harness = await startDoorHarness(options);
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("subprotocols", () => {
  it("selects loom.v1.json when offered, and the endpoint renders ws-json", async () => {
    const h = await start();
    const client = await h.connect(["loom.v1.json"]);
    expect(client.ws.protocol).toBe("loom.v1.json");
    const session = await h.opener.session();
    expect(session.endpoint.variant).toBe("ws-json");
  });

  it("picks loom.v1.json out of several offers", async () => {
    const h = await start();
    const client = await h.connect(["telnet.mudstandards.org", "loom.v1.json"]);
    expect(client.ws.protocol).toBe("loom.v1.json");
  });

  it("without an offer selects none, and the endpoint renders ws-text", async () => {
    const h = await start();
    const client = await h.connect();
    expect(client.ws.protocol).toBe("");
    expect((await h.opener.session()).endpoint.variant).toBe("ws-text");
  });

  it("opens the session as the websocket door with the peer address and default capabilities", async () => {
    const h = await start();
    await h.connect();
    const session = await h.opener.session();
    expect(session.door).toBe("websocket");
    expect(session.peer.address).toBe("127.0.0.1");
    expect(session.peer.port).toBeGreaterThan(0);
    expect(session.initialCaps).toEqual({ ansi: false, width: 80, height: 24 });
    expect(h.door.connectionCount).toBe(1);
  });
});

describe("upgrade requests", () => {
  it("answers 404 to an upgrade on any path but /ws", async () => {
    const h = await start();
    expect(await h.refusedStatus("/other")).toBe(404);
    expect(await h.refusedStatus("/ws/extra")).toBe(404);
    expect(h.opener.sessions).toHaveLength(0);
  });

  it("accepts /ws with a query string", async () => {
    const h = await start();
    const client = await h.connect([], {}, "/ws?token=abc");
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });

  it("W3: answers 403 before the upgrade to a foreign Origin", async () => {
    const h = await start();
    expect(await h.refusedStatus("/ws", { origin: "https://evil.example" })).toBe(403);
    expect(await h.refusedStatus("/ws", { origin: "null" })).toBe(403);
    expect(h.opener.sessions).toHaveLength(0);
  });

  it("W3: allows the page's own origin, a listed origin, and no Origin at all", async () => {
    const h = await start({ door: { allowedOrigins: ["https://play.example.org"] } });
    await h.connect([], { origin: `http://127.0.0.1:${h.port}` });
    await h.connect([], { origin: `https://127.0.0.1:${h.port}` });
    await h.connect([], { origin: "https://PLAY.example.org" });
    await h.connect();
    expect(h.door.connectionCount).toBe(4);
  });

  it("W3: the 403 is written on the raw socket, which is then closed", async () => {
    const h = await start();
    const socket = await h.rawSocket();
    socket.write(rawHandshake(h.port, "Origin: https://evil.example\r\n"));
    let response = "";
    socket.on("data", (chunk: Buffer) => {
      response += chunk.toString("latin1");
    });
    await once(socket, "close");
    expect(response).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(response).not.toContain("101");
  });
});

describe("input", () => {
  it("takes one command per text frame, stripping one trailing line end", async () => {
    const h = await start();
    const client = await h.connect();
    client.ws.send("look");
    client.ws.send("say hi\n");
    client.ws.send("north\r\n");
    client.ws.send("");
    const session = await h.opener.session();
    await h.opener.until(() => session.lines.length >= 4);
    expect(session.lines).toEqual(["look", "say hi", "north", ""]);
  });

  it("splits a frame holding several lines into several commands (CR LF, LF and bare CR)", async () => {
    const h = await start();
    const client = await h.connect();
    client.ws.send("one\ntwo\r\nthree\rfour\n");
    const session = await h.opener.session();
    await h.opener.until(() => session.lines.length >= 4);
    expect(session.lines).toEqual(["one", "two", "three", "four"]);
  });

  it("L2: accepts a command at the limit, refuses one byte past it, and keeps the connection", async () => {
    const h = await start();
    const client = await h.connect();
    const session = await h.opener.session();
    client.ws.send("a".repeat(2048));
    await h.opener.until(() => session.lines.length === 1);
    client.ws.send("b".repeat(2049));
    expect(await client.next()).toBe("Line too long (2049 bytes; the limit is 2048). It was not run.");
    client.ws.send("look");
    await h.opener.until(() => session.lines.length === 2);
    expect(session.lines[0]).toHaveLength(2048);
    expect(session.lines[1]).toBe("look");
  });

  it("L2: counts the limit in UTF-8 bytes, not characters", async () => {
    const h = await start({ door: { maxLineBytes: 12 } });
    const client = await h.connect();
    const session = await h.opener.session();
    client.ws.send("€€€€"); // 12 bytes
    await h.opener.until(() => session.lines.length === 1);
    client.ws.send("€€€€a"); // 13 bytes, 5 characters
    expect(await client.next()).toBe("Line too long (13 bytes; the limit is 12). It was not run.");
  });

  it("answers a binary frame with a line saying text frames only, and stays open", async () => {
    const h = await start();
    const client = await h.connect();
    client.ws.send(Buffer.from("look"), { binary: true });
    expect(await client.next()).toMatch(/text frames only/);
    client.ws.send("look");
    const session = await h.opener.session();
    await h.opener.until(() => session.lines.length === 1);
    expect(session.lines).toEqual(["look"]);
  });

  it("under loom.v1.json passes oob and caps frames to the session", async () => {
    const h = await start();
    const client = await h.connect(["loom.v1.json"]);
    const session = await h.opener.session();
    client.ws.send(JSON.stringify({ t: "oob", channel: "Core.Hello", data: { client: "test" } }));
    client.ws.send(JSON.stringify({ t: "caps", width: 132, height: 40 }));
    await h.opener.until(() => session.caps.length === 1);
    expect(session.oob).toEqual([{ channel: "Core.Hello", data: { client: "test" } }]);
    expect(session.caps).toEqual([{ ansi: false, width: 132, height: 40 }]);
    expect(session.lines).toEqual([]);
  });

  it("under loom.v1.json treats JSON of any other shape, and broken JSON, as command text", async () => {
    const h = await start();
    const client = await h.connect(["loom.v1.json"]);
    const session = await h.opener.session();
    const odd = ['{"t":"caps","width":"wide","height":1}', '{"t":"text"}', "{not json", "[1,2]"];
    for (const frame of odd) client.ws.send(frame);
    await h.opener.until(() => session.lines.length === odd.length);
    expect(session.lines).toEqual(odd);
    expect(session.caps).toEqual([]);
  });

  it("under ws-text treats a JSON frame as command text", async () => {
    const h = await start();
    const client = await h.connect();
    const session = await h.opener.session();
    client.ws.send('{"t":"caps","width":100,"height":30}');
    await h.opener.until(() => session.lines.length === 1);
    expect(session.caps).toEqual([]);
  });

  it("a session that throws on a line does not cost the connection", async () => {
    const h = await start();
    h.opener.failLine = new Error("command exploded");
    const client = await h.connect();
    const session = await h.opener.session();
    client.ws.send("boom");
    client.ws.send("again");
    await h.opener.until(() => session.lines.length === 2);
    expect(h.door.connectionCount).toBe(1);
    expect(session.closed).toEqual([]);
  });

  it("an opener that throws closes that socket with 1011 and the door keeps serving", async () => {
    const h = await start();
    h.opener.failOpen = new Error("hub down");
    const client = await h.connect();
    expect((await client.closed).code).toBe(1011);
    h.opener.failOpen = undefined;
    await h.connect();
    await h.opener.session(0);
    expect(h.door.connectionCount).toBe(1);
  });
});

describe("output", () => {
  it("ws-text: sends each message as one text frame of plain text, no newline", async () => {
    const h = await start();
    const client = await h.connect();
    const session = await h.opener.session();
    session.send(line("You see ", styled("thing", "a lamp"), "."));
    session.send(prompt("> "));
    expect(await client.next()).toBe("You see a lamp.");
    expect(await client.next()).toBe("> ");
    expect(client.binaryFrames).toBe(0);
  });

  it("ws-json: sends the message as {t:text,kind,spans}", async () => {
    const h = await start();
    const client = await h.connect(["loom.v1.json"]);
    const session = await h.opener.session();
    session.send(line(styled("name", "Alice"), ' says, "hi"'));
    expect(await client.nextJson()).toEqual({ t: "text", kind: "line", spans: [{ text: "Alice", style: "name" }, ' says, "hi"'] });
  });

  it("writes a turn's output in one write: whole frames in one buffer, read by a ws client as the same messages in order (issue 11)", async () => {
    const h = await start();
    const serverSocket = new Promise<net.Socket>((resolve) => h.server.once("upgrade", (_req, socket: net.Socket) => resolve(socket)));
    const client = await h.connect();
    const socket = await serverSocket;
    const session = await h.opener.session();
    const writev = vi.spyOn(socket as unknown as { _writev: (...args: unknown[]) => void }, "_writev");
    const write = vi.spyOn(socket as unknown as { _write: (chunk: Buffer, ...rest: unknown[]) => void }, "_write");
    // Short, 16-bit and 64-bit payload lengths, and UTF-8 beyond ASCII.
    const texts = ["one", "é 🐈‍⬛ 灰色", "x".repeat(300), "y".repeat(70_000), "> "];
    for (const text of texts.slice(0, -1)) session.send(line(text));
    session.send(prompt("> "));
    for (const text of texts) expect(await client.next()).toBe(text);
    expect(writev).not.toHaveBeenCalled();
    expect(write).toHaveBeenCalledTimes(1);
    const frames = texts.map((text) => ({ data: Buffer.from(text, "utf8"), binary: false }));
    expect(write.mock.calls[0]?.[0].equals(encodeFrames(frames))).toBe(true);
  });

  it("ws-json: out-of-band data and echo travel in order with the text", async () => {
    const h = await start();
    const client = await h.connect(["loom.v1.json"]);
    const session = await h.opener.session();
    session.send(prompt("Password: "));
    session.endpoint.setEcho(false);
    session.endpoint.sendOob("Char.Vitals", { hp: 10 });
    session.endpoint.setEcho(true);
    expect(await client.nextJson()).toEqual({ t: "text", kind: "prompt", spans: ["Password: "] });
    expect(await client.nextJson()).toEqual({ t: "echo", on: false });
    expect(await client.nextJson()).toEqual({ t: "oob", channel: "Char.Vitals", data: { hp: 10 } });
    expect(await client.nextJson()).toEqual({ t: "echo", on: true });
  });

  it("ws-text: drops out-of-band data and echo changes", async () => {
    const h = await start();
    const client = await h.connect();
    const session = await h.opener.session();
    session.endpoint.setEcho(false);
    session.endpoint.sendOob("Char.Vitals", { hp: 10 });
    session.send(line("after"));
    expect(await client.next()).toBe("after");
    expect(client.texts).toEqual(["after"]);
  });

  it("drops out-of-band data that cannot be serialised, without throwing", async () => {
    const h = await start();
    const client = await h.connect(["loom.v1.json"]);
    const session = await h.opener.session();
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(() => session.endpoint.sendOob("Bad", cyclic)).not.toThrow();
    expect(() => session.endpoint.sendOob("Big", 10n)).not.toThrow();
    session.send(line("still here"));
    expect(await client.nextJson()).toEqual({ t: "text", kind: "line", spans: ["still here"] });
  });

  it("UTF-8 round trip: emoji and CJK arrive intact both ways, in both variants", async () => {
    const h = await start();
    const text = "say 😀 你好 — naïve 🧵";
    for (const protocols of [[], ["loom.v1.json"]]) {
      const index = h.opener.sessions.length;
      const client = await h.connect(protocols);
      const session = await h.opener.session(index);
      client.ws.send(text);
      await h.opener.until(() => session.lines.length === 1);
      expect(session.lines).toEqual([text]);
      session.send(line(styled("speech", text)));
      const got = await client.next();
      expect(protocols.length === 0 ? got : (JSON.parse(got) as { spans: { text: string }[] }).spans[0]?.text).toBe(text);
    }
  });
});

describe("closing", () => {
  it("close(reason) flushes queued output, then closes 1000 with a short reason", async () => {
    const h = await start();
    const client = await h.connect();
    const session = await h.opener.session();
    session.send(line("Goodbye."));
    session.endpoint.close(reason("quit", "You quit."));
    session.endpoint.close(reason("quit", "twice")); // idempotent
    expect(await client.next()).toBe("Goodbye.");
    expect(await client.closed).toEqual({ code: 1000, reason: "You quit." });
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed).toEqual([reason("quit", "You quit.")]);
    session.send(line("dropped")); // a write after close is dropped, not thrown
  });

  it("cuts a close reason to what a close frame can carry", async () => {
    const h = await start();
    const client = await h.connect();
    const session = await h.opener.session();
    session.endpoint.close(reason("refused", "€".repeat(100)));
    const { reason: text } = await client.closed;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(123);
    expect(text).toBe("€".repeat(41));
  });

  it("tells the session peer-closed, exactly once, when the client closes", async () => {
    const h = await start();
    const client = await h.connect();
    const session = await h.opener.session();
    client.ws.close(1000, "bye");
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed[0]?.code).toBe("peer-closed");
    await h.opener.until(() => h.door.connectionCount === 0);
    expect(session.closed).toHaveLength(1);
  });

  it("writes no data frame after the close handshake: output queued once the peer's close frame is answered is dropped", async () => {
    const h = await start();
    const serverSocket = new Promise<net.Socket>((resolve) => h.server.once("upgrade", (_req, socket: net.Socket) => resolve(socket)));
    const raw = await h.rawSocket();
    let received = Buffer.alloc(0);
    const arrived = new EventEmitter();
    raw.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      arrived.emit("data");
    });
    const until = async (probe: () => boolean): Promise<void> => {
      while (!probe()) await once(arrived, "data");
    };
    raw.write(rawHandshake(h.port));
    const socket = await serverSocket;
    const session = await h.opener.session();
    await until(() => received.includes("\r\n\r\n"));
    const frames = (): Buffer => received.subarray(received.indexOf("\r\n\r\n") + 4);
    // A masked close frame, 1000, with an all-zero mask (RFC 6455 §5.3 allows any key).
    raw.write(Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]));
    await until(() => frames().length >= 4);
    expect([...frames()]).toEqual([0x88, 0x02, 0x03, 0xe8]);
    // ws has answered, so the connection is closing but not yet closed: flushed now, a frame
    // would follow our close frame. The connection's own readyState check is all that stops it,
    // since the flush writes to the socket without going through ws.send.
    expect(session.closed).toEqual([]);
    const write = vi.spyOn(socket, "write");
    session.send(line("too late"));
    (session.endpoint as WebSocketConnection).flush();
    expect(write).not.toHaveBeenCalled();
    raw.end();
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed[0]?.code).toBe("peer-closed");
    expect([...frames()]).toEqual([0x88, 0x02, 0x03, 0xe8]);
  });

  it("tells the session peer-error when the connection is reset", async () => {
    const h = await start();
    const serverSide = new Promise<void>((resolve) => h.server.once("upgrade", () => resolve()));
    const client = await h.connect();
    await serverSide;
    const session = await h.opener.session();
    (client.ws as unknown as { _socket: net.Socket })._socket.resetAndDestroy();
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed[0]?.code).toBe("peer-error");
  });

  it("D4: closeAll closes every socket with 1001 Going Away and refuses new upgrades with 503", async () => {
    const h = await start();
    const a = await h.connect();
    const b = await h.connect(["loom.v1.json"]);
    await h.opener.session(1);
    h.door.closeAll(reason("shutdown", "The server is restarting."));
    expect(await a.closed).toEqual({ code: 1001, reason: "The server is restarting." });
    expect((await b.closed).code).toBe(1001);
    await h.opener.until(() => h.door.connectionCount === 0);
    expect(h.opener.sessions.map((s) => s.closed[0]?.code)).toEqual(["shutdown", "shutdown"]);
    expect(await h.refusedStatus("/ws")).toBe(503);
    expect(h.clock.pendingCount).toBe(0);
  });

  it("D4: abortAll destroys sockets whose peers never answer the close frame", async () => {
    const h = await start();
    const silent = await h.rawSocket();
    silent.write(rawHandshake(h.port));
    const session = await h.opener.session();
    silent.pause(); // never reads, never answers a close frame
    h.door.closeAll(reason("shutdown", "The server is stopping."));
    expect(h.door.connectionCount).toBe(1);
    h.door.abortAll(reason("shutdown", "The server stopped."));
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed).toEqual([reason("shutdown", "The server is stopping.")]);
    expect(h.door.connectionCount).toBe(0);
  });
});

describe("limits", () => {
  it("W1: a message at maxPayload is read (and refused as a long line); one byte more closes with 1009", async () => {
    const h = await start({ door: { maxPayload: 4096 } });
    const client = await h.connect();
    const session = await h.opener.session();
    client.ws.send("x".repeat(4096));
    expect(await client.next()).toBe("Line too long (4096 bytes; the limit is 2048). It was not run.");
    client.ws.send("x".repeat(4097));
    expect((await client.closed).code).toBe(1009);
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed[0]?.code).toBe("protocol-error");
  });

  it("W1: the default maxPayload is 64 KiB", async () => {
    const h = await start();
    const client = await h.connect();
    client.ws.send("x".repeat(65536));
    expect(await client.next()).toMatch(/^Line too long \(65536 bytes/);
    client.ws.send("x".repeat(65537));
    expect((await client.closed).code).toBe(1009);
  });

  it("W2: invalid UTF-8 in a text frame closes with 1007", async () => {
    const h = await start();
    const client = await h.connect();
    const session = await h.opener.session();
    client.ws.send(Buffer.from([0x6c, 0x6f, 0xff, 0xfe, 0x6b]), { binary: false });
    expect((await client.closed).code).toBe(1007);
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed[0]?.code).toBe("protocol-error");
    expect(session.lines).toEqual([]);
  });

  it("S2: output queued in one turn past maxOutputBytes cuts the connection off", async () => {
    const h = await start({ door: { maxOutputBytes: 1000 } });
    const client = await h.connect();
    const session = await h.opener.session();
    session.send(line("x".repeat(400)));
    session.send(line("x".repeat(400)));
    session.send(line("x".repeat(400)));
    expect((await client.closed).code).toBe(1006);
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed[0]?.code).toBe("output-overflow");
    expect(client.texts).toEqual([]);
  });

  it("S2: a client that stops reading is cut off once bufferedAmount passes the cap", async () => {
    const h = await start({ door: { maxOutputBytes: 256 * 1024 } });
    const socket = await h.rawSocket();
    // Read the 101 response, then never read again: the kernel buffers fill, then ws's.
    const upgraded = new Promise<string>((resolve) =>
      socket.once("data", (chunk: Buffer) => {
        socket.pause();
        resolve(chunk.toString("latin1"));
      }),
    );
    socket.write(rawHandshake(h.port));
    expect(await upgraded).toMatch(/^HTTP\/1\.1 101 /);
    const session = await h.opener.session();
    const chunk = line("y".repeat(60 * 1024));
    let turns = 0;
    while (session.closed.length === 0) {
      // Well under the cap per turn, so only the socket's own backlog can trip it.
      session.send(chunk);
      await nextTurn();
      turns++;
      if (turns > 5000) throw new Error("never cut off");
    }
    // It took more than one cap's worth of turns: the kernel took some, then ws's own buffer filled.
    expect(turns * 60 * 1024).toBeGreaterThan(256 * 1024);
    expect(session.closed[0]?.code).toBe("output-overflow");
    await h.opener.until(() => h.door.connectionCount === 0);
  });

  it("F9: a peer that does not answer a ping by the next one is terminated", async () => {
    const h = await start({ door: { pingIntervalMs: 30_000 } });
    const client = await h.connect([], { autoPong: false });
    const session = await h.opener.session();
    const pinged = once(client.ws, "ping");
    h.clock.advance(30_000);
    await pinged;
    expect(h.door.connectionCount).toBe(1);
    h.clock.advance(30_000);
    expect((await client.closed).code).toBe(1006);
    await h.opener.until(() => session.closed.length === 1);
    expect(session.closed[0]).toMatchObject({ code: "peer-error" });
    expect(h.clock.pendingCount).toBe(0);
  });

  it("F9: a peer that answers its pings stays connected", async () => {
    const h = await start({ door: { pingIntervalMs: 30_000 } });
    const client = await h.connect();
    const session = await h.opener.session();
    for (let i = 0; i < 3; i++) {
      const pinged = once(client.ws, "ping");
      h.clock.advance(30_000);
      await pinged;
      // The pong goes out before this frame on the same stream: once the line arrives, so has the pong.
      client.ws.send(`mark ${i}`);
      await h.opener.until(() => session.lines.length === i + 1);
    }
    h.clock.advance(30_000);
    expect(h.door.connectionCount).toBe(1);
    expect(session.closed).toEqual([]);
  });
});
