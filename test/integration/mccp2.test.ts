/**
 * MCCP2 over real sockets (hardening T10, issue 8): a telnet client that accepts compression
 * and inflates with node:zlib logs in, looks, walks and chats beside a plain telnet client that
 * refuses it; then it says DONT MCCP2 mid-game and plays on uncompressed. The server's own
 * socket writes are watched to check where the start marker falls. Where tmux and TinTin++ are
 * installed, the real client does the same through a recording proxy.
 */
import net from "node:net";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RecordingProxy } from "../clients/support/recording-proxy.js";
import { count, scanTelnet } from "../clients/support/telnet-scan.js";
import { useTerminalHarness } from "../clients/support/terminal-harness.js";
import { Binaries, missing, titleWithSkipReason } from "../clients/support/tmux.js";
import { LineClient, TelnetClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";
import { FC_SEED, concat, splitAt } from "../protocols/line/chunks.js";
import { Mccp2Reader } from "../protocols/telnet/mccp2-support.js";

const IAC = 255;
const WILL = 251;
const WONT = 252;
const DO = 253;
const DONT = 254;
const MCCP2 = 86;
const MARKER = Buffer.from([IAC, 250, MCCP2, IAC, 240]);
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * A telnet client that says DO to WILL MCCP2 and inflates what follows the marker; every other
 * offer is refused, as a plain terminal telnet would. Text is read from the inflated stream.
 */
class CompressingClient {
  readonly socket: net.Socket;
  readonly reader = new Mccp2Reader();
  /** Every chunk as the socket delivered it. */
  readonly wire: Buffer[] = [];
  readonly closed: Promise<void>;
  #answered = 0;
  #mark = 0;
  readonly #waiters = new Set<() => void>();

  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.wire.push(chunk);
      this.reader.feed(chunk);
      this.#answer();
      for (const wake of [...this.#waiters]) wake();
    });
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.on("close", () => resolve()));
  }

  static async connect(port: number): Promise<CompressingClient> {
    const socket = net.connect({ port, host: "127.0.0.1" });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    return new CompressingClient(socket);
  }

  /** The inflated text so far, telnet commands and colour removed. */
  get text(): string {
    return scanTelnet(this.reader.meant).text.replace(ANSI, "").replace(/\r\n/g, "\n");
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Resolves once `pattern` appears past the read mark, and moves the mark past it. */
  expect(pattern: string, ms = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const at = this.text.indexOf(pattern, this.#mark);
        if (at < 0) return false;
        this.#mark = at + pattern.length;
        this.#waiters.delete(wake);
        clearTimeout(timer);
        resolve();
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`timed out waiting for ${pattern}; got:\n${this.text.slice(this.#mark)}`));
      }, ms);
      this.#waiters.add(wake);
      check();
    });
  }

  /** DO MCCP2 to its offer; DONT to other offers, WONT to requests. */
  #answer(): void {
    const negotiations = scanTelnet(this.reader.meant).negotiations;
    for (const { verb, option } of negotiations.slice(this.#answered)) {
      if (verb === WILL) this.socket.write(Buffer.from([IAC, option === MCCP2 ? DO : DONT, option]));
      else if (verb === DO) this.socket.write(Buffer.from([IAC, WONT, option]));
    }
    this.#answered = negotiations.length;
  }
}

describe("MCCP2 over a real socket", () => {
  let server: TestServer;
  const closers: (() => void)[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    for (const close of closers.splice(0)) close();
    await server.stop();
    removeDir(server.dataDir);
  });

  /** Logs a compressing client and a plain telnet client into the square. */
  async function twoPlayers() {
    const writes = vi.spyOn(net.Socket.prototype, "write");
    const plain = await TelnetClient.connect(server.ports.telnet);
    closers.push(() => plain.close());
    const plainName = uniqueName("plain");
    await plain.expect("Your name:");
    plain.send(`create ${plainName} pw-${plainName}`);
    await plain.expect(`Welcome, ${plainName}.`);

    const zipped = await CompressingClient.connect(server.ports.telnet);
    closers.push(() => zipped.socket.destroy());
    const name = uniqueName("zipped");
    await zipped.expect("Your name:");
    zipped.send(`create ${name} pw-${name}`);
    await zipped.expect(`Welcome, ${name}.`);
    await plain.expect(`${name} arrives`);

    // The server's end of the compressing client's connection, found while both are open.
    const serverSide = writes.mock.contexts.find((socket) => (socket as net.Socket).remotePort === zipped.socket.localPort);
    expect(serverSide).toBeDefined();
    /** The server's own socket writes to the compressing client, in order. */
    const serverWrites = (): Buffer[] =>
      writes.mock.calls.flatMap((call, i) => {
        const chunk = call[0];
        return writes.mock.contexts[i] === serverSide && chunk instanceof Uint8Array ? [Buffer.from(chunk)] : [];
      });
    return { plain, plainName, zipped, name, serverWrites };
  }

  it("T10: a client that says DO logs in, looks, walks and chats over one stream; the marker ends a server write and everything after it is compressed", async () => {
    const { plain, plainName, zipped, name, serverWrites } = await twoPlayers();
    zipped.send("look");
    await zipped.expect("Town Square");
    zipped.send("say hello through zlib");
    await zipped.expect('You say, "hello through zlib"');
    await plain.expect(`${name} says, "hello through zlib"`);
    plain.send("say and back in plain");
    await zipped.expect(`${plainName} says, "and back in plain"`);
    for (const [way, room] of [
      ["north", "Market Row"],
      ["west", "The Weavers' Garden"],
      ["south", "The Guild Library"],
      ["east", "Town Square"],
    ] as const) {
      zipped.send(way);
      await zipped.expect(room);
    }
    zipped.send("quit");
    await zipped.closed;

    // One stream, started once and ended cleanly before the close.
    expect([zipped.reader.starts, zipped.reader.ends]).toEqual([1, 1]);
    // The plain player never saw a compressed byte: it refused, and reads the game as text.
    expect(plain.text).toContain(`${name} says, "hello through zlib"`);

    // On the server's side, the marker is the last thing in its write...
    const writes = serverWrites();
    const at = writes.findIndex((w) => w.includes(MARKER));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(writes[at]!.subarray(-MARKER.length)).toEqual(MARKER);
    // ...and on the client's, every byte after it was inside the stream.
    const wire = Buffer.concat(zipped.wire);
    const afterMarker = wire.length - (wire.indexOf(MARKER) + MARKER.length);
    expect(zipped.reader.compressedBytes).toBe(afterMarker);
    // It was worth it: the inflated game is several times what crossed the wire.
    expect(zipped.reader.meant.length - (wire.indexOf(MARKER) + MARKER.length)).toBeGreaterThan(2 * afterMarker);

    // Read again from the recorded wire, whole and in random chunks: the same stream every time.
    const whole = new Mccp2Reader();
    whole.feed(wire);
    expect(whole.meant).toEqual(zipped.reader.meant);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: wire.length }), { maxLength: 60 }), (cuts) => {
        const chunked = new Mccp2Reader();
        for (const piece of splitAt(wire, cuts)) chunked.feed(piece);
        expect(chunked.meant).toEqual(zipped.reader.meant);
      }),
      { seed: FC_SEED, numRuns: 20 },
    );
    expect(concat(serverWrites())).toEqual(new Uint8Array(wire));
  });

  it("T10: DONT MCCP2 mid-game ends the stream with Z_FINISH, and the game goes on in plain telnet", async () => {
    const { zipped, serverWrites } = await twoPlayers();
    zipped.send("say still compressed");
    await zipped.expect('You say, "still compressed"');
    expect(zipped.reader.compressing).toBe(true);

    zipped.socket.write(Buffer.from([IAC, DONT, MCCP2]));
    await vi.waitFor(() => expect(zipped.reader.ends).toBe(1));
    expect(zipped.reader.compressing).toBe(false);
    expect(scanTelnet(zipped.reader.meant).negotiations.filter((n) => n.option === MCCP2).map((n) => n.verb)).toEqual([WILL, WONT]);

    zipped.send("look");
    await zipped.expect("Town Square");
    // The answer went out as plain bytes, readable on the wire as it is.
    const last = serverWrites().at(-1)!;
    expect(last.toString("utf8").replace(ANSI, "")).toContain("Town Square");
    zipped.send("quit");
    await zipped.expect("Goodbye");
    await zipped.closed;
    expect([zipped.reader.starts, zipped.reader.ends]).toEqual([1, 1]);
  });
});

const absent = missing("tmux", "tintin");

describe.skipIf(absent.length > 0)(titleWithSkipReason("TinTin++ with MCCP2", absent), () => {
  const h = useTerminalHarness<LineClient>();
  let proxy: RecordingProxy | undefined;

  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it("T10: TinTin++ accepts MCCP2, logs in, walks and talks; the stream it inflated holds what it showed", async () => {
    proxy = await RecordingProxy.start(h.server.ports.telnet);
    const name = "Zipper";
    const pane = await h.tmux.open("tintin", [
      "env",
      `HOME=${h.tmux.scratch("tintin-home")}`,
      Binaries.tintin,
      "-G",
      "-T",
      "-e",
      `#session loom 127.0.0.1 ${proxy.port}`,
    ]);
    await pane.waitFor("Your name:");
    await pane.typeLine(`create ${name} pw-${name}`);
    await pane.waitFor(`Welcome, ${name}.`);
    await pane.typeLine("north");
    await pane.waitFor("Market Row");
    await pane.typeLine("south");
    await pane.waitFor(/Town Square[\s\S]*Town Square/);
    await pane.typeLine("say compressed hello");
    await pane.waitFor('You say, "compressed hello"');
    await pane.typeLine("quit");
    await pane.waitFor("#SESSION 'loom' DIED.");

    const recording = proxy.recordings[0]!;
    await recording.closed;
    // TinTin++ said DO to our offer...
    expect(count(scanTelnet(Buffer.concat(recording.fromClient)).negotiations, DO, MCCP2)).toBe(1);
    // ...and everything after the marker was one stream, ended before the close.
    const reader = new Mccp2Reader();
    for (const chunk of recording.fromServer) reader.feed(chunk);
    expect([reader.starts, reader.ends]).toEqual([1, 1]);
    const inflated = scanTelnet(reader.meant).text.replace(ANSI, "");
    for (const line of [`Welcome, ${name}.`, "Market Row", 'You say, "compressed hello"', `Goodbye, ${name}.`]) {
      expect(inflated).toContain(line);
    }
  });
});
