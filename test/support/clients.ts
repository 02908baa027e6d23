/**
 * Test clients, one per door, behind one interface so the contract suite can run the same
 * steps against all three. Each collects what the server sends as plain text (telnet bytes and
 * ANSI stripped, WebSocket frames joined with newlines) and lets a test await a pattern.
 */
import net from "node:net";
import WebSocket from "ws";
import type { ClientJsonFrame, OobFrame } from "../../protocols/websocket/wire.js";
import type { Door } from "../../src/session/messages.js";
import { uniqueName } from "./names.js";

/** A connected test client. */
export interface TextClient {
  readonly door: Door;
  /** Sends one command (the client adds the line end). */
  send(line: string): void;
  /** Sends raw bytes (TCP doors) or one raw text frame (WebSocket). */
  sendRaw(data: string | Uint8Array): void;
  /**
   * Resolves with all text seen so far once `pattern` appears after the read mark, and moves
   * the mark just past the match; rejects after `ms`.
   */
  expect(pattern: string | RegExp, ms?: number): Promise<string>;
  /** Moves the read mark to the end of what has arrived, so the next expect only sees new text. */
  mark(): void;
  /** Everything received, as text. */
  readonly text: string;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;
  close(): void;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

abstract class BaseClient implements TextClient {
  abstract readonly door: Door;
  abstract send(line: string): void;
  abstract sendRaw(data: string | Uint8Array): void;
  abstract close(): void;
  abstract readonly closed: Promise<void>;
  protected received = "";
  #mark = 0;
  #waiters = new Set<() => void>();

  get text(): string {
    return this.received;
  }

  mark(): void {
    this.#mark = this.received.length;
  }

  protected append(text: string): void {
    this.received += text;
    for (const w of [...this.#waiters]) w();
  }

  expect(pattern: string | RegExp, ms = 5000): Promise<string> {
    const from = this.#mark;
    // Where the match ends, so the read mark moves just past it and text that arrived in the
    // same chunk after it is still there for the next expect.
    const matchEnd = (): number => {
      const tail = this.received.slice(from);
      if (typeof pattern === "string") {
        const at = tail.indexOf(pattern);
        return at < 0 ? -1 : at + pattern.length;
      }
      const m = pattern.exec(tail);
      return m === null ? -1 : m.index + m[0].length;
    };
    return new Promise((resolve, reject) => {
      const tryResolve = (): boolean => {
        const end = matchEnd();
        if (end < 0) return false;
        this.#mark = from + end;
        resolve(this.received);
        return true;
      };
      if (tryResolve()) return;
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`${this.door}: timed out waiting for ${String(pattern)}; got:\n${this.received.slice(from)}`));
      }, ms);
      const check = (): void => {
        if (!tryResolve()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }
}


/** A raw TCP client for the line door (or the telnet door, seen raw). */
export class LineClient extends BaseClient {
  readonly door: Door = "line";
  readonly socket: net.Socket;
  readonly closed: Promise<void>;
  /** Every byte received, for tests that check the wire itself. */
  readonly bytes: Buffer[] = [];

  constructor(socket: net.Socket) {
    super();
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.bytes.push(chunk);
      this.append(this.decode(chunk));
    });
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.on("close", () => resolve()));
  }

  protected decode(chunk: Buffer): string {
    return chunk.toString("utf8").replace(/\r\n/g, "\n");
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  sendRaw(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }

  static connect(port: number, localAddress = "127.0.0.1"): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1", localAddress });
      socket.once("connect", () => resolve(new LineClient(socket)));
      socket.once("error", reject);
    });
  }
}

/**
 * A telnet client that answers negotiation the way a plain terminal telnet does: it lets the
 * server ECHO and suppress go-ahead, refuses every option it is asked to perform itself, and
 * strips IAC sequences and ANSI from the text.
 */
export class TelnetClient extends LineClient {
  override readonly door: Door = "telnet";
  /** Telnet commands seen, as [verb, option] pairs, e.g. [251, 1] for WILL ECHO. */
  readonly negotiations: [number, number][] = [];
  #pending = Buffer.alloc(0);
  #decoder = new TextDecoder();

  protected override decode(chunk: Buffer): string {
    const data = Buffer.concat([this.#pending, chunk]);
    const out: number[] = [];
    let i = 0;
    for (; i < data.length; i++) {
      const b = data[i]!;
      if (b !== 255) {
        out.push(b);
        continue;
      }
      const verb = data[i + 1];
      if (verb === undefined) break;
      if (verb === 255) {
        out.push(255);
        i++;
      } else if (verb >= 251 && verb <= 254) {
        const option = data[i + 2];
        if (option === undefined) break;
        this.negotiations.push([verb, option]);
        this.#answer(verb, option);
        i += 2;
      } else if (verb === 250) {
        const end = data.indexOf(Buffer.from([255, 240]), i + 2);
        if (end < 0) break;
        i = end + 1;
      } else {
        i++;
      }
    }
    this.#pending = data.subarray(i);
    return this.#decoder.decode(Buffer.from(out), { stream: true }).replace(ANSI, "").replace(/\r\n/g, "\n").replace(/\r\0/g, "\r");
  }

  /** WILL ECHO/SGA -> DO; any other WILL -> DONT; any DO -> WONT. Answers each offer once. */
  #answer(verb: number, option: number): void {
    const key = `${verb}:${option}`;
    if (this.#answered.has(key)) return;
    this.#answered.add(key);
    const WILL = 251;
    const DO = 253;
    if (verb === WILL) this.socket.write(Buffer.from([255, option === 1 || option === 3 ? DO : 254, option]));
    else if (verb === DO) this.socket.write(Buffer.from([255, 252, option]));
    else {
      // WONT/DONT need no answer, and end the option: its next WILL/DO is a new offer.
      this.#answered.delete(key);
      this.#answered.delete(`${verb - 1}:${option}`);
    }
  }

  #answered = new Set<string>();

  static override connect(port: number, localAddress = "127.0.0.1"): Promise<TelnetClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1", localAddress });
      socket.once("connect", () => resolve(new TelnetClient(socket)));
      socket.once("error", reject);
    });
  }
}

/**
 * A WebSocket client. With `json`, it asks for `loom.v1.json`, flattens the text frames to text
 * and keeps the out-of-band frames apart, with their own read mark ({@link WsClient.expectOob}).
 */
export class WsClient extends BaseClient {
  readonly door: Door = "websocket";
  readonly ws: WebSocket;
  readonly closed: Promise<void>;
  /** The close code the server sent. */
  closeCode: number | undefined;
  /** Raw frames as received. */
  readonly frames: string[] = [];
  /** Out-of-band frames received, in order (only a `json` client parses them). */
  readonly oob: OobFrame[] = [];
  #oobMark = 0;
  #oobWaiters = new Set<() => void>();

  constructor(ws: WebSocket, json: boolean) {
    super();
    this.ws = ws;
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      const frame = isBinary ? "" : data.toString("utf8");
      this.frames.push(frame);
      if (json) {
        const oob = parseOob(frame);
        if (oob !== undefined) {
          this.oob.push(oob);
          for (const w of [...this.#oobWaiters]) w();
        }
      }
      this.append(json ? flattenJson(frame) : `${frame}\n`);
    });
    ws.on("error", () => {});
    this.closed = new Promise((resolve) =>
      ws.on("close", (code) => {
        this.closeCode = code;
        resolve();
      }),
    );
  }

  send(line: string): void {
    this.ws.send(line);
  }

  sendRaw(data: string | Uint8Array): void {
    this.ws.send(data, { binary: false });
  }

  /** Sends one `loom.v1.json` client frame (caps, oob). */
  sendFrame(frame: ClientJsonFrame): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Moves the out-of-band read mark past every oob frame received so far. */
  markOob(): void {
    this.#oobMark = this.oob.length;
  }

  /** The oob frames on `channel` received after the oob read mark (the mark does not move). */
  oobSince(channel: string): OobFrame[] {
    return this.oob.slice(this.#oobMark).filter((f) => f.channel === channel);
  }

  /**
   * Resolves with the first oob frame on `channel` after the oob read mark and moves the mark
   * just past it; rejects after `ms`. The text read mark is separate and does not move.
   */
  expectOob(channel: string, ms = 5000): Promise<OobFrame> {
    return new Promise((resolve, reject) => {
      const tryResolve = (): boolean => {
        for (let i = this.#oobMark; i < this.oob.length; i++) {
          const frame = this.oob[i]!;
          if (frame.channel !== channel) continue;
          this.#oobMark = i + 1;
          resolve(frame);
          return true;
        }
        return false;
      };
      if (tryResolve()) return;
      const timer = setTimeout(() => {
        this.#oobWaiters.delete(check);
        const seen = this.oob.slice(this.#oobMark).map((f) => f.channel);
        reject(new Error(`websocket: timed out waiting for oob ${channel}; got: ${JSON.stringify(seen)}`));
      }, ms);
      const check = (): void => {
        if (!tryResolve()) return;
        clearTimeout(timer);
        this.#oobWaiters.delete(check);
      };
      this.#oobWaiters.add(check);
    });
  }

  close(): void {
    this.ws.terminate();
  }

  static connect(port: number, options: { json?: boolean; origin?: string } = {}): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, options.json ? ["loom.v1.json"] : [], {
        ...(options.origin !== undefined ? { origin: options.origin } : {}),
      });
      const client = new WsClient(ws, options.json ?? false);
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }
}

/** What {@link wsFrom} got: an open WebSocket, or the refusal's HTTP status (none if the connection failed). */
export type WsAttempt = { ok: true; ws: WebSocket } | { ok: false; status: number | undefined };

/**
 * Opens a WebSocket to the game door from `localAddress` (a 127.0.0.x address, so tests can
 * stand for different peers) and resolves with the result instead of rejecting, for tests
 * about refusals. The caller terminates an open one.
 */
export function wsFrom(port: number, localAddress: string): Promise<WsAttempt> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { localAddress });
    ws.once("open", () => resolve({ ok: true, ws }));
    ws.once("unexpected-response", (_req, res) => resolve({ ok: false, status: res.statusCode }));
    ws.once("error", () => resolve({ ok: false, status: undefined }));
  });
}

/** The frame as an oob frame, or undefined if it is anything else. */
function parseOob(frame: string): OobFrame | undefined {
  try {
    const msg = JSON.parse(frame) as { t?: unknown; channel?: unknown; data?: unknown };
    if (msg.t !== "oob" || typeof msg.channel !== "string") return undefined;
    return { t: "oob", channel: msg.channel, data: msg.data };
  } catch {
    return undefined;
  }
}

function flattenJson(frame: string): string {
  try {
    const msg = JSON.parse(frame) as { t?: string; kind?: string; spans?: (string | { text: string })[] };
    if (msg.t !== "text" || !Array.isArray(msg.spans)) return "";
    const text = msg.spans.map((s) => (typeof s === "string" ? s : s.text)).join("");
    return msg.kind === "prompt" ? text : `${text}\n`;
  } catch {
    return "";
  }
}

/** Connects a client of the given door to a running server's ports. */
export function connectDoor(door: Door, ports: { telnet: number; line: number; http: number }): Promise<TextClient> {
  switch (door) {
    case "line":
      return LineClient.connect(ports.line);
    case "telnet":
      return TelnetClient.connect(ports.telnet);
    case "websocket":
      return WsClient.connect(ports.http, { json: true });
    default: {
      const unreachable: never = door;
      throw new Error(`unknown door ${String(unreachable)}`);
    }
  }
}

/**
 * Connects a line client and creates a new character named from `prefix`; resolves once it is
 * welcomed. The client is handed to `track` as soon as it connects, so the caller's afterEach
 * closes it even if the login fails.
 */
export async function linePlayer(port: number, prefix: string, track: { push(client: LineClient): unknown }): Promise<{ client: LineClient; name: string }> {
  const client = await LineClient.connect(port);
  track.push(client);
  return { client, name: await createCharacter(client, prefix) };
}

/**
 * Creates a new character named from `prefix` (password `pw-<name>`) on a client at the login
 * prompt, of any door; resolves with the name once it is welcomed.
 */
export async function createCharacter(client: TextClient, prefix: string): Promise<string> {
  await client.expect("Your name:");
  const name = uniqueName(prefix);
  client.send(`create ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);
  return name;
}
