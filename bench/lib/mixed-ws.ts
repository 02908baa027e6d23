/**
 * The mixed-play bench's WebSocket client side, as small as one can be (RFC 6455): an upgrade
 * request written by hand, then a state machine that reads the server's frames from arbitrary
 * chunks and hands out views of the text payloads, with no Buffer, event or UTF-8 pass per
 * frame. The `ws` package costs the generator about 12 µs a delivery (docs/benchmarks.md, the
 * generator's ceiling); a third of ten thousand players on this door would fill the
 * generator's core with it alone.
 *
 * What the server sends is trusted to be well formed (it is Loom, on loopback): frames are
 * unmasked, control frames carry at most 125 bytes. Pings are answered with pongs (Loom reaps a
 * peer that never answers, F9); a close frame is reported. Text and continuation payloads
 * are passed on as they arrive, possibly cut between chunks: the players' receive path
 * (mixed-players.ts) already copes with a marker or a room's name split across reads.
 */
import { randomBytes } from "node:crypto";

/** Where the reader is between chunks. */
const State = { header: 0, length: 1, payload: 2 } as const;
type StateValue = (typeof State)[keyof typeof State];

const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** What the reader hands out. */
export interface FrameSink {
  /** A piece of a data frame's payload: a view valid only during the call. */
  data(payload: Buffer): void;
  /** A whole ping's payload, to echo in a pong. */
  ping(payload: Buffer): void;
  /** The server sent a close frame. */
  close(): void;
}

/** Reads server-to-client frames from a byte stream. */
export class WsFrameReader {
  #state: StateValue = State.header;
  /** The frame's header bytes gathered so far (2, then up to 8 more for the length). */
  readonly #header = Buffer.alloc(10);
  #headerHave = 0;
  #headerNeed = 2;
  #opcode = 0;
  #remaining = 0;
  /** A control frame's payload, gathered whole (≤ 125 bytes). */
  #control: Buffer[] = [];

  /** Feeds one chunk; calls `sink` for what it completes. */
  feed(chunk: Buffer, sink: FrameSink): void {
    let i = 0;
    const end = chunk.length;
    while (i < end) {
      switch (this.#state) {
        case State.header:
        case State.length: {
          const take = Math.min(this.#headerNeed - this.#headerHave, end - i);
          chunk.copy(this.#header, this.#headerHave, i, i + take);
          this.#headerHave += take;
          i += take;
          if (this.#headerHave < this.#headerNeed) break;
          if (this.#state === State.header) {
            this.#opcode = this.#header[0]! & 0x0f;
            const len7 = this.#header[1]! & 0x7f;
            if (len7 < 126) {
              this.#startPayload(len7, sink);
            } else {
              this.#state = State.length;
              this.#headerNeed = len7 === 126 ? 4 : 10;
            }
          } else {
            const len = this.#headerNeed === 4 ? this.#header.readUInt16BE(2) : Number(this.#header.readBigUInt64BE(2));
            this.#startPayload(len, sink);
          }
          break;
        }
        case State.payload: {
          const take = Math.min(this.#remaining, end - i);
          const piece = chunk.subarray(i, i + take);
          i += take;
          this.#remaining -= take;
          if (this.#opcode >= OPCODE.close) this.#control.push(Buffer.from(piece));
          else if (take > 0) sink.data(piece);
          if (this.#remaining === 0) this.#endFrame(sink);
          break;
        }
        default: {
          const unreachable: never = this.#state;
          throw new Error(`frame reader in state ${String(unreachable)}`);
        }
      }
    }
  }

  #startPayload(length: number, sink: FrameSink): void {
    this.#remaining = length;
    this.#state = State.payload;
    if (length === 0) this.#endFrame(sink);
  }

  #endFrame(sink: FrameSink): void {
    const opcode = this.#opcode;
    const control = this.#control.length === 1 ? this.#control[0]! : Buffer.concat(this.#control);
    this.#control = [];
    this.#state = State.header;
    this.#headerHave = 0;
    this.#headerNeed = 2;
    if (opcode === OPCODE.ping) sink.ping(control);
    else if (opcode === OPCODE.close) sink.close();
    // pong, and the end of a data frame: nothing more to do.
  }
}

/** A client-to-server frame (RFC 6455 §5.3: masked, here with a fresh key each frame). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + 4 + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) frame[1] = 0x80 | length;
  else if (length < 65_536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const key = headerLength;
  const k = (Math.random() * 0x1_0000_0000) >>> 0;
  frame.writeUInt32BE(k, key);
  for (let i = 0; i < length; i++) frame[key + 4 + i] = payload[i]! ^ frame[key + (i & 3)]!;
  return frame;
}

/** A masked text frame of `text`. */
export function textFrame(text: string): Buffer {
  return clientFrame(OPCODE.text, Buffer.from(text, "utf8"));
}

/** A masked pong echoing `payload`. */
export function pongFrame(payload: Buffer): Buffer {
  return clientFrame(OPCODE.pong, payload);
}

/** A masked close frame, 1000 (normal closure). */
export function closeFrame(): Buffer {
  return clientFrame(OPCODE.close, Buffer.from([0x03, 0xe8]));
}

/** The upgrade request for `path` on `host:port`, no subprotocol (Loom's plain-text dialect). */
export function upgradeRequest(host: string, port: number, path: string): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`
  );
}

/**
 * Gathers the upgrade response: `undefined` until its blank line has arrived; then whether it
 * was `101 Switching Protocols`, its status line, and the bytes after it (the first frames).
 */
export function upgradeResponse(received: Buffer): { ok: boolean; status: string; rest: Buffer } | undefined {
  const end = received.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const status = received.toString("latin1", 0, received.indexOf("\r\n"));
  return { ok: / 101 /.test(status), status, rest: received.subarray(end + 4) };
}
