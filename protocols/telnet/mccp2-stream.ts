/**
 * MCCP2's compressor: one zlib stream (RFC 1950) per connection, driven synchronously so that
 * the TCP transport can compress a turn's output inside its flush, in write order, and end
 * every turn with Z_SYNC_FLUSH (the client can show everything sent so far).
 *
 * Why node:zlib's native handle and not its public API (issue 8, measured on this machine,
 * Node 20.20, zlib 1.3): node:zlib streams are asynchronous, run on the libuv thread pool
 * (which argon2 hashing also occupies) and would let output of later turns overtake; and its
 * synchronous `_processChunk` closes the handle after one call (lib/zlib.js, `processChunkSync`
 * ends in `_close`), so it cannot carry one stream across turns. This module makes the same
 * `handle.writeSync` call `processChunkSync` makes, without closing. pako does the job with a
 * public API, but 5× slower: 5.6 µs against 1.1 µs to compress and sync-flush one (repeated)
 * 190-byte turn; on real play this costs 2–4 µs per server write (bench/mccp2.ts). Whether the
 * handle is there is checked once, at boot ({@link Mccp2Compression.create}); without it MCCP2
 * is simply not offered.
 */
import zlib from "node:zlib";
import type { OutputCodec } from "../../src/reactor/interfaces.js";

/**
 * The zlib parameters of every MCCP2 stream of a door: the operator's `telnet.mccp2`, whose
 * defaults (14, 5, 6) are written once, in config/default.yaml. They were measured with
 * `npm run bench:mccp2` (docs/telnet.md, "MCCP2"): on a transcript of real play (a walk round
 * the starter world, looking and talking) a 16 KiB window compresses as well as zlib's 32 KiB
 * (17.9% of plain against 17.8%) for about 155 KB of RSS per connection instead of 225 KB; a
 * 4 KiB window (windowBits 12) saves another 45 KB but sends 38% more bytes (24.7%). memLevel
 * changes nothing measurable in size at turn-sized flushes, so it is low.
 */
export interface Mccp2Settings {
  /**
   * log2 of the history window, 9–15. The client's inflate accepts any window up to 15. Each
   * step down halves the window's memory and costs a little ratio (docs/telnet.md, "MCCP2").
   */
  readonly windowBits: number;
  /** How much memory zlib gives its match finder, 1–9 (zlib's default is 8). */
  readonly memLevel: number;
  /** Compression effort, 0 (none) to 9. */
  readonly level: number;
}

/** What one compressed connection has done, for logs and measurements. */
export interface Mccp2Counts {
  /** Bytes given to the compressor. */
  readonly bytesIn: number;
  /** Bytes it produced, the stream's header and end included. */
  readonly bytesOut: number;
}

/**
 * The raw compressor under an {@link Mccp2Stream}: synchronous deflate with an explicit flush.
 * Throws on any failure; after a throw it is not used again. One implementation drives
 * node:zlib; tests supply failing ones.
 */
export interface Deflater {
  /** Compresses `data` and flushes: `sync` ends at a byte boundary, `finish` ends the stream. */
  deflate(data: Uint8Array, flush: "sync" | "finish"): Uint8Array;
  /** Frees zlib's memory. Idempotent. */
  close(): void;
}

/**
 * One connection's MCCP2 stream, as the transport's {@link OutputCodec}. Each `encode` is one
 * turn: compressed and sync-flushed. `end` sends the stream end (Z_FINISH) and frees zlib.
 *
 * A compressor failure never leaves the client inside a broken stream: every turn ended at a
 * sync flush, a byte boundary the client has fully read, so a valid stream end can always be
 * written from there (an empty final block, `03 00`, and the Adler-32 of everything
 * compressed: exactly what zlib's Z_FINISH writes at that point; before the first turn, a whole
 * empty stream). The failed turn's bytes then follow uncompressed, and so does everything after:
 * MCCP2 lets the server end compression at any time (mudstandards.org, "Compression Format").
 */
export class Mccp2Stream implements OutputCodec {
  readonly #deflater: Deflater;
  readonly #onError: ((error: Error) => void) | undefined;
  #adler = 1;
  #bytesIn = 0;
  #bytesOut = 0;
  #ended = false;

  /** `onError` hears of a compressor failure (to log it); it must not write to the connection. */
  constructor(deflater: Deflater, onError?: (error: Error) => void) {
    this.#deflater = deflater;
    this.#onError = onError;
  }

  /** True once the stream has ended (by `end`, or after a failure): output now passes as it is. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Bytes in and out so far. */
  get counts(): Mccp2Counts {
    return { bytesIn: this.#bytesIn, bytesOut: this.#bytesOut };
  }

  /** Compresses one turn's output and sync-flushes it. Once ended, returns `data` as it is. */
  encode(data: Uint8Array): Uint8Array {
    if (this.#ended) return data;
    let out: Uint8Array;
    try {
      out = this.#deflater.deflate(data, "sync");
    } catch (error) {
      return concat(this.#fail(error), data);
    }
    this.#adler = adler32(this.#adler, data);
    this.#bytesIn += data.length;
    this.#bytesOut += out.length;
    return out;
  }

  /** The stream's end (Z_FINISH), once; then zlib's memory is freed. Empty if already ended. */
  end(): Uint8Array {
    if (this.#ended) return EMPTY;
    let out: Uint8Array;
    try {
      out = this.#deflater.deflate(EMPTY, "finish");
    } catch (error) {
      return this.#fail(error);
    }
    this.#ended = true;
    this.#deflater.close();
    this.#bytesOut += out.length;
    return out;
  }

  /** Frees zlib's memory without ending the stream (the connection is gone). Idempotent. */
  dispose(): void {
    this.#ended = true;
    this.#deflater.close();
  }

  /** Ends the stream from the last sync point after a failure; returns the bytes that do it. */
  #fail(error: unknown): Uint8Array {
    this.#ended = true;
    this.#deflater.close();
    // Nothing sent yet means the client has not even had the stream's header: send a whole one.
    const end = this.#bytesOut === 0 ? EMPTY_STREAM : syntheticEnd(this.#adler);
    this.#bytesOut += end.length;
    this.#onError?.(error instanceof Error ? error : new Error(String(error)));
    return end;
  }
}

/** Where a connection's MCCP2 gets its stream: {@link Mccp2Compression}, or a test's. */
export interface Mccp2Streams {
  /** A new stream for one connection; `onError` hears of its failures. Throws if none can be made. */
  openStream(onError?: (error: Error) => void): Mccp2Stream;
}

/**
 * A door's MCCP2 compression: the settings and one output buffer shared by all its streams
 * (everything is synchronous on one thread, so one buffer serves every connection instead of
 * 16 KiB each).
 */
export class Mccp2Compression implements Mccp2Streams {
  /** The zlib parameters in use. */
  readonly settings: Mccp2Settings;
  readonly #scratch: Buffer;

  private constructor(settings: Mccp2Settings) {
    const { windowBits, memLevel, level } = settings;
    this.settings = Object.freeze({ windowBits, memLevel, level });
    this.#scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  }

  /**
   * Checks the settings and that this Node's zlib can be driven synchronously (one round trip
   * through a real stream); returns the reason when not, and then MCCP2 must not be offered.
   */
  static create(settings: Mccp2Settings): Mccp2Compression | Error {
    const problem = checkSettings(settings);
    if (problem !== undefined) return new RangeError(problem);
    const compression = new Mccp2Compression(settings);
    try {
      const probe = compression.openStream();
      const text = Buffer.from("MCCP2 probe\r\n");
      const wire = Buffer.concat([probe.encode(text), probe.end()]);
      if (!zlib.inflateSync(wire).equals(text)) return new Error("MCCP2: zlib's output did not inflate to its input");
    } catch (error) {
      return new Error(`MCCP2: this Node's zlib cannot be driven synchronously: ${error instanceof Error ? error.message : String(error)}`);
    }
    return compression;
  }

  /** A new stream for one connection. Throws if zlib cannot allocate it. */
  openStream(onError?: (error: Error) => void): Mccp2Stream {
    return new Mccp2Stream(new NativeDeflater(this.settings, this.#scratch), onError);
  }
}

/** The internals of a node:zlib stream this module drives (lib/zlib.js, Node 20). */
interface ZlibInternals {
  /** The native ZlibContext; null once closed, including after zlib reported an error. */
  readonly _handle: NativeHandle | null;
  /** Filled by each `writeSync`: [avail_out, avail_in] after the call. */
  readonly _writeState: Uint32Array;
  /** Set (synchronously) when zlib reported an error during a call. */
  readonly errored: Error | null;
}

interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
}

/** Output buffer shared by a door's streams; larger turns loop (a 1 MiB turn takes 64 rounds). */
const SCRATCH_BYTES = 16 * 1024;
const EMPTY = new Uint8Array(0);
/** A whole zlib stream with nothing in it: `zlib.deflateSync(Buffer.alloc(0))`. */
const EMPTY_STREAM = Uint8Array.of(0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01);
const FLUSH = { sync: zlib.constants.Z_SYNC_FLUSH, finish: zlib.constants.Z_FINISH } as const;

/**
 * node:zlib's deflate, called synchronously through its native handle. `scratch` receives
 * zlib's output before it is copied out; a door shares one among all its connections.
 */
export class NativeDeflater implements Deflater {
  readonly #stream: zlib.Deflate;
  readonly #internals: ZlibInternals;
  readonly #scratch: Buffer;

  constructor(settings: Mccp2Settings, scratch: Buffer = Buffer.allocUnsafe(SCRATCH_BYTES)) {
    // chunkSize 64 (zlib's minimum): the stream's own output buffer is never used, and at the
    // default it would cost 16 KiB per connection.
    const { windowBits, memLevel, level } = settings;
    this.#stream = zlib.createDeflate({ windowBits, memLevel, level, chunkSize: 64 });
    // zlib reports errors by destroying the stream; the error is read synchronously below, and
    // the 'error' event that follows on the next tick must not become an uncaught exception.
    this.#stream.on("error", () => {});
    this.#internals = this.#stream as unknown as ZlibInternals;
    if (typeof this.#internals._handle?.writeSync !== "function" || !(this.#internals._writeState instanceof Uint32Array)) {
      this.#stream.close();
      throw new Error("node:zlib has no synchronous handle (lib/zlib.js changed)");
    }
    this.#scratch = scratch;
  }

  deflate(data: Uint8Array, flush: "sync" | "finish"): Uint8Array {
    const state = this.#internals._writeState;
    const scratch = this.#scratch;
    const chunks: Uint8Array[] = [];
    let inOff = 0;
    let inLen = data.length;
    for (;;) {
      // Read afresh each time: zlib closes the handle when it reports an error, and calling a
      // closed native handle would abort the process.
      const handle = this.#internals._handle;
      if (handle === null) throw this.#internals.errored ?? new Error("zlib stream closed");
      handle.writeSync(FLUSH[flush], data, inOff, inLen, scratch, 0, scratch.length);
      if (this.#internals.errored !== null) throw this.#internals.errored;
      const availOut = state[0]!;
      const availIn = state[1]!;
      const produced = scratch.length - availOut;
      // Copied out (Buffer's own slice would not copy): the scratch buffer is the next call's.
      if (produced > 0) chunks.push(Uint8Array.prototype.slice.call(scratch, 0, produced));
      inOff += inLen - availIn;
      inLen = availIn;
      // A full output buffer means zlib may have more to say; anything less, it is done.
      if (availOut !== 0) break;
    }
    return chunks.length === 1 ? chunks[0]! : concat(...chunks);
  }

  close(): void {
    if (!this.#stream.destroyed) this.#stream.close();
  }
}

/** Problems with `settings`, or undefined. Node would throw on them, less readably. */
function checkSettings(settings: Mccp2Settings): string | undefined {
  const { windowBits, memLevel, level } = settings;
  if (!Number.isInteger(windowBits) || windowBits < 9 || windowBits > 15) return `MCCP2 windowBits must be an integer from 9 to 15, got ${windowBits}`;
  if (!Number.isInteger(memLevel) || memLevel < 1 || memLevel > 9) return `MCCP2 memLevel must be an integer from 1 to 9, got ${memLevel}`;
  if (!Number.isInteger(level) || level < 0 || level > 9) return `MCCP2 level must be an integer from 0 to 9, got ${level}`;
  return undefined;
}

/**
 * A zlib stream end written at a sync-flush point: an empty final fixed-Huffman block (`03 00`)
 * and the Adler-32 of everything compressed, big-endian (RFC 1950, RFC 1951 §3.2.6). Byte for
 * byte what zlib's Z_FINISH writes there (checked in the tests).
 */
function syntheticEnd(adler: number): Uint8Array {
  return Uint8Array.of(0x03, 0x00, (adler >>> 24) & 0xff, (adler >>> 16) & 0xff, (adler >>> 8) & 0xff, adler & 0xff);
}

/**
 * Adler-32 (RFC 1950 §8.2), continued from `adler` over `data`. 1–2 ns a byte on this machine,
 * a fifth of what compressing the byte costs; it is what lets a failed stream still end cleanly.
 */
function adler32(adler: number, data: Uint8Array): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  let i = 0;
  while (i < data.length) {
    // zlib's NMAX: the most bytes between reductions for which b stays below 2^32. The sums are
    // plain numbers (exact to 2^53), so no bitwise operator may touch them before the modulo.
    const stop = Math.min(i + 5552, data.length);
    for (; i < stop; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
