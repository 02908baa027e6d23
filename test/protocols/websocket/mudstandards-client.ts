/**
 * A test client for the mudstandards.org subprotocols (`terminal.`, `gmcp.`, `json.`), shaped like
 * the TextClient of test/support/clients.ts so the same login steps drive it: it sends commands
 * as binary frames, reads the binary frames as one terminal stream (ANSI stripped, CR LF as
 * `\n`), and keeps the GMCP messages of the text frames apart, with their own read mark.
 */
import WebSocket from "ws";
import { JSON_SUBPROTOCOL } from "../../../protocols/websocket/subprotocols.js";

/** One GMCP message the client received. `data` is undefined when it had no payload. */
export interface ReceivedGmcp {
  readonly name: string;
  readonly data: unknown;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** A mudstandards.org WebSocket client over a real socket. */
export class MudstandardsClient {
  readonly door = "websocket" as const;
  readonly ws: WebSocket;
  /** The subprotocol the server selected. */
  readonly subprotocol: string;
  readonly closed: Promise<void>;
  /** The kind of every frame received, in order. */
  readonly kinds: ("text" | "binary")[] = [];
  /** The text frames received, raw. */
  readonly textFrames: string[] = [];
  /** The raw terminal stream received (binary frames, ANSI and CR LF kept). */
  raw = "";
  /** GMCP messages received (text frames, unwrapped from their envelope under `json.`). */
  readonly gmcp: ReceivedGmcp[] = [];
  #text = "";
  #mark = 0;
  #gmcpMark = 0;
  readonly #waiters = new Set<() => void>();

  constructor(ws: WebSocket) {
    this.ws = ws;
    this.subprotocol = ws.protocol;
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      this.kinds.push(isBinary ? "binary" : "text");
      const text = data.toString("utf8");
      if (isBinary) {
        this.raw += text;
        this.#text += text.replace(ANSI, "").replace(/\r\n/g, "\n");
      } else {
        this.textFrames.push(text);
        const message = this.#readGmcp(text);
        if (message !== undefined) this.gmcp.push(message);
      }
      for (const wake of [...this.#waiters]) wake();
    });
    ws.on("error", () => {});
    this.closed = new Promise((resolve) => ws.on("close", () => resolve()));
  }

  /** Everything received as game text, ANSI stripped, lines ending in `\n`. */
  get text(): string {
    return this.#text;
  }

  /** Sends one command as a binary frame (the spec's way), or as a text frame with `asText`. */
  send(line: string, asText = false): void {
    if (asText) this.ws.send(`${line}\r\n`);
    else this.ws.send(Buffer.from(`${line}\r\n`, "utf8"), { binary: true });
  }

  /** Sends one GMCP message as a text frame: bare under `gmcp.`, in an envelope under `json.`. */
  sendGmcp(name: string, data?: unknown): void {
    const payload = data === undefined ? "" : JSON.stringify(data);
    if (this.subprotocol === JSON_SUBPROTOCOL) this.ws.send(JSON.stringify({ proto: "gmcp", id: name, data: payload }));
    else this.ws.send(payload === "" ? name : `${name} ${payload}`);
  }

  /** Moves the read mark to the end of the game text received so far. */
  mark(): void {
    this.#mark = this.#text.length;
  }

  /** Moves the GMCP read mark past every GMCP message received so far. */
  markGmcp(): void {
    this.#gmcpMark = this.gmcp.length;
  }

  /** The GMCP messages named `name` after the GMCP read mark (the mark does not move). */
  gmcpSince(name: string): ReceivedGmcp[] {
    return this.gmcp.slice(this.#gmcpMark).filter((m) => m.name === name);
  }

  /**
   * Resolves with all game text so far once `pattern` appears after the read mark, and moves the
   * mark just past it; rejects after `ms`.
   */
  expect(pattern: string, ms = 5000): Promise<string> {
    return this.#await(ms, `text ${JSON.stringify(pattern)}`, () => {
      const at = this.#text.indexOf(pattern, this.#mark);
      if (at < 0) return undefined;
      this.#mark = at + pattern.length;
      return this.#text;
    });
  }

  /** Resolves with the first GMCP message named `name` after the GMCP read mark, and moves the mark past it. */
  expectGmcp(name: string, ms = 5000): Promise<ReceivedGmcp> {
    return this.#await(ms, `GMCP ${name}`, () => {
      for (let i = this.#gmcpMark; i < this.gmcp.length; i++) {
        if (this.gmcp[i]!.name !== name) continue;
        this.#gmcpMark = i + 1;
        return this.gmcp[i];
      }
      return undefined;
    });
  }

  close(): void {
    this.ws.terminate();
  }

  #await<T>(ms: number, what: string, probe: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const first = probe();
      if (first !== undefined) {
        resolve(first);
        return;
      }
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        const seen = this.gmcp.slice(this.#gmcpMark).map((m) => m.name);
        reject(new Error(`${this.subprotocol}: timed out waiting for ${what}; text:\n${this.#text.slice(this.#mark)}\nGMCP: ${JSON.stringify(seen)}`));
      }, ms);
      const check = (): void => {
        const value = probe();
        if (value === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(value);
      };
      this.#waiters.add(check);
    });
  }

  #readGmcp(frame: string): ReceivedGmcp | undefined {
    try {
      if (this.subprotocol === JSON_SUBPROTOCOL) {
        const envelope = JSON.parse(frame) as { proto?: unknown; id?: unknown; data?: unknown };
        if (envelope.proto !== "gmcp" || typeof envelope.id !== "string" || typeof envelope.data !== "string") return undefined;
        return { name: envelope.id, data: envelope.data === "" ? undefined : (JSON.parse(envelope.data) as unknown) };
      }
      const gap = frame.indexOf(" ");
      return gap === -1 ? { name: frame, data: undefined } : { name: frame.slice(0, gap), data: JSON.parse(frame.slice(gap + 1)) as unknown };
    } catch {
      return undefined;
    }
  }

  /** Opens a client offering `subprotocols` to the game door on `port`. */
  static connect(port: number, subprotocols: string | readonly string[]): Promise<MudstandardsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, typeof subprotocols === "string" ? [subprotocols] : [...subprotocols]);
      ws.once("open", () => resolve(new MudstandardsClient(ws)));
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }
}
