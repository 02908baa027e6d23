/**
 * MCCP2 test support. {@link Mccp2Reader} is a model MCCP2 client: it reads what the server sent in whatever chunks it is
 * given, finds `IAC SB MCCP2 IAC SE` outside the data, inflates everything after it, and goes
 * back to reading plain bytes where the zlib stream ends, as TinTin++ and Mudlet do.
 *
 * Inflating uses only node:zlib's public API: each chunk re-inflates the stream from its start
 * with a sync flush (quadratic, and fine for test-sized transcripts), so a stream cut anywhere
 * yields exactly the bytes a real client could show at that point.
 */
import zlib from "node:zlib";
import { NativeDeflater, type Deflater } from "../../../protocols/telnet/mccp2-stream.js";
import { defaultMccp2Settings } from "../../support/default-config.js";

const IAC = 255;
const MARKER = Buffer.from([IAC, 250, 86, IAC, 240]);

/** Reads a server's output as an MCCP2 client would. */
export class Mccp2Reader {
  /** The telnet stream the server meant: plain bytes and inflated bytes, markers left out. */
  readonly #meant: Buffer[] = [];
  /** The bytes of the current compressed stream so far. */
  #stream: Buffer | undefined;
  /** How much of the current stream's output has been passed on already. */
  #inflated = 0;
  /** Plain bytes since the last stream, rescanned whole for a marker (one may be cut across chunks). */
  #plain = Buffer.alloc(0);
  /** Compressed streams started (markers seen). */
  starts = 0;
  /** Compressed streams that ended (Z_FINISH seen). */
  ends = 0;
  /** Wire bytes that were part of a compressed stream. */
  compressedBytes = 0;

  /** Reads the next chunk of the server's output. */
  feed(chunk: Uint8Array): void {
    let rest: Buffer = Buffer.from(chunk);
    while (rest.length > 0) {
      rest = this.#stream === undefined ? this.#readPlain(rest) : this.#readCompressed(rest);
    }
  }

  /** True while inside a compressed stream. */
  get compressing(): boolean {
    return this.#stream !== undefined;
  }

  /** Everything the server meant so far (inflated, markers removed). */
  get meant(): Buffer {
    return Buffer.concat([...this.#meant, this.#plain]);
  }

  /** Plain bytes up to the marker go out; the rest is returned, to be inflated. */
  #readPlain(chunk: Buffer): Buffer {
    const plain = Buffer.concat([this.#plain, chunk]);
    const at = findMarker(plain);
    if (at === -1) {
      this.#plain = plain;
      return Buffer.alloc(0);
    }
    this.#meant.push(plain.subarray(0, at));
    this.#plain = Buffer.alloc(0);
    this.#stream = Buffer.alloc(0);
    this.#inflated = 0;
    this.starts += 1;
    return plain.subarray(at + MARKER.length);
  }

  /** Inflates as far as the stream goes; returns what follows its end, if it ended. */
  #readCompressed(chunk: Buffer): Buffer {
    const stream = Buffer.concat([this.#stream!, chunk]);
    const { buffer, engine } = zlib.inflateSync(stream, { finishFlush: zlib.constants.Z_SYNC_FLUSH, info: true }) as unknown as {
      buffer: Buffer;
      engine: { bytesWritten: number };
    };
    this.#meant.push(buffer.subarray(this.#inflated));
    this.#inflated = buffer.length;
    const consumed = engine.bytesWritten;
    if (consumed === stream.length && !complete(stream)) {
      this.#stream = stream;
      this.compressedBytes += chunk.length;
      return Buffer.alloc(0);
    }
    // The stream ended (Z_FINISH): what follows is plain again.
    this.compressedBytes += chunk.length - (stream.length - consumed);
    this.#stream = undefined;
    this.ends += 1;
    return stream.subarray(consumed);
  }
}

/**
 * Where the start marker begins in plain telnet bytes, or -1. An IAC counts as a command only
 * when an even number of IACs (escaped 0xFF data) stands right before it.
 */
function findMarker(bytes: Buffer): number {
  let from = 0;
  for (;;) {
    const at = bytes.indexOf(MARKER, from);
    if (at === -1) return -1;
    let run = 0;
    while (at - run - 1 >= 0 && bytes[at - run - 1] === IAC) run += 1;
    if (run % 2 === 0) return at;
    from = at + 1;
  }
}

/** True when `stream` holds a whole zlib stream (its end and checksum included). */
function complete(stream: Buffer): boolean {
  try {
    zlib.inflateSync(stream);
    return true;
  } catch {
    return false;
  }
}

/** A deflater that works like the real one until its `failAt`-th call, which throws. */
export class FailingDeflater implements Deflater {
  readonly #inner = new NativeDeflater(defaultMccp2Settings);
  readonly #failAt: number;
  #calls = 0;
  /** True once closed. */
  closed = false;

  constructor(failAt: number) {
    this.#failAt = failAt;
  }

  deflate(data: Uint8Array, flush: "sync" | "finish"): Uint8Array {
    this.#calls += 1;
    if (this.#calls === this.#failAt) throw new Error("simulated zlib failure");
    return this.#inner.deflate(data, flush);
  }

  close(): void {
    this.closed = true;
    this.#inner.close();
  }
}
