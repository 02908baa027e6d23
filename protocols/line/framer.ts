/**
 * The byte-level line framer shared by the line door and the telnet door.
 *
 * It works on bytes, not text, for two reasons (hardening L1, L4): a multi-byte UTF-8 character
 * split across two TCP segments must decode as one character, and invalid UTF-8 must become
 * U+FFFD for that line only. So we cut lines on raw bytes and decode each complete line once.
 *
 * Limits (hardening L2, L3, style habit 4): a terminated line longer than `maxLineBytes` is
 * refused but the connection stays; more than `maxBufferBytes` without any line end is an
 * `overflow` and the owner closes the connection with `input-overflow`. The framer never holds
 * more than `min(maxLineBytes, maxBufferBytes)` bytes: once a line is known to be too long its
 * bytes are counted, not kept.
 *
 * Work is bounded too (issue 5 item 3): a run of empty lines collapses to one `line` event, so a
 * flood of line ends costs the scan and nothing else (no decode, no event, no dispatch), while a
 * single Enter still reaches the session (it re-shows the login prompt). And {@link
 * LineFramer.feedUpTo} stops after a given number of events and says how many bytes it took, so
 * the owner can give each connection a budget per reactor turn and keep the unread rest of the
 * chunk it already holds, instead of copying or queueing it.
 *
 * Pure state machine: no sockets, timers or logging. For any way of cutting the same bytes into
 * chunks, and any budget, the events are the same (hardening L7).
 */

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

/**
 * Limits for a {@link LineFramer}. Both must be positive integers, and both are required: they
 * are the operator's `limits.maxLineBytes` and `limits.maxInputBufferBytes`, whose defaults are
 * written once, in config/default.yaml (issue 10).
 */
export interface LineFramerOptions {
  /** Longest accepted line, in bytes, line end excluded (hardening L2). */
  readonly maxLineBytes: number;
  /** Most bytes accepted without a line end before the framer gives up on the connection (hardening L3). */
  readonly maxBufferBytes: number;
}

/**
 * What the framer found.
 *
 * - `line`: one complete line, decoded as UTF-8 (invalid sequences become U+FFFD; a leading
 *   byte-order mark is dropped, as TextDecoder does). The line end is not included.
 * - `line-too-long`: a terminated line of `bytes` bytes (line end excluded) was over
 *   `maxLineBytes` and was discarded. The owner answers "line too long" and keeps the connection.
 *   An empty line directly after another empty line is not reported: a run of them is one event.
 * - `overflow`: more than `maxBufferBytes` arrived without a line end. `bytes` is always
 *   `maxBufferBytes + 1`, because the framer stops at the first byte past the cap whatever the
 *   chunking. The owner closes the connection with reason `input-overflow`; the framer ignores
 *   everything fed afterwards.
 */
export type FramerEvent =
  | { readonly type: "line"; readonly text: string }
  | { readonly type: "line-too-long"; readonly bytes: number }
  | { readonly type: "overflow"; readonly bytes: number };

/** Held lines start in a small buffer that doubles up to the line limit. */
const INITIAL_HOLD_BYTES = 64;
/** A hold buffer larger than this is released after its line ends, so idle connections stay small. */
const RETAINED_HOLD_BYTES = 256;
const EMPTY = new Uint8Array(0);
/**
 * One decoder for every framer: it only ever decodes whole lines (never `stream: true`), so it
 * carries no state from one call to the next and sharing it changes nothing. One per framer
 * cost ~100 B of heap and ~1 KiB of native converter per connection (issue 11 target 3).
 */
const DECODER = new TextDecoder("utf-8", { fatal: false });

/**
 * Cuts a byte stream into lines. CR LF, bare LF, CR NUL and bare CR each end exactly one line
 * (hardening L5; RFC 854 defines CR LF and CR NUL, and real clients send bare LF or bare CR).
 * A CR followed by LF or NUL, even in the next chunk, ends one line, not two.
 */
export class LineFramer {
  readonly #maxLineBytes: number;
  readonly #maxBufferBytes: number;
  /** Bytes of the current unterminated line, kept only while it is within the line limit. */
  #hold: Uint8Array = EMPTY;
  #held = 0;
  /** Length of the current unterminated line, counting bytes dropped because it was already too long. */
  #lineBytes = 0;
  /** The last line ended with CR at the very end of a chunk: a LF or NUL starting the next chunk belongs to it. */
  #afterCr = false;
  #overflowed = false;
  /** The last line that ended was empty: another empty one right after it is dropped unseen. */
  #afterEmpty = false;

  constructor(options: LineFramerOptions) {
    this.#maxLineBytes = positiveInteger(options.maxLineBytes, "maxLineBytes");
    this.#maxBufferBytes = positiveInteger(options.maxBufferBytes, "maxBufferBytes");
  }

  /** Bytes held for the current unterminated line; never more than either limit. */
  get bufferedBytes(): number {
    return this.#held;
  }

  /** True once an `overflow` was reported; from then on `feed` returns no events. */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  /**
   * Consumes one chunk and returns the events it completes, in order. Never throws for any
   * input. The chunk is not retained: bytes of an unfinished line are copied.
   */
  feed(bytes: Uint8Array): FramerEvent[] {
    return this.feedUpTo(bytes, Number.POSITIVE_INFINITY).events;
  }

  /**
   * Like {@link feed}, but stops once `maxEvents` events are found (at least 1). `consumed` is
   * how many bytes of `bytes` were used; the caller feeds `bytes.subarray(consumed)` later, and
   * the events are exactly those of feeding everything at once. After an `overflow` the whole
   * chunk counts as consumed.
   */
  feedUpTo(bytes: Uint8Array, maxEvents: number): { events: FramerEvent[]; consumed: number } {
    const events: FramerEvent[] = [];
    const end = bytes.length;
    if (this.#overflowed) return { events, consumed: end };
    const limit = Math.max(1, maxEvents);
    let pos = 0;
    if (this.#afterCr && end > 0) {
      this.#afterCr = false;
      if (bytes[0] === LF || bytes[0] === NUL) pos = 1;
    }
    // Two memchr-style scans instead of a per-byte loop; the cached positions are only
    // recomputed once the cursor passes them, so a chunk is scanned at most twice in total.
    // Measured at ~300 MiB/s of 70-byte lines in 1460-byte chunks (Node 20.20, 2-core EPYC);
    // the per-line TextDecoder call is most of that cost.
    let cr = pos < end ? bytes.indexOf(CR, pos) : -1;
    let lf = pos < end ? bytes.indexOf(LF, pos) : -1;
    while (pos < end && events.length < limit) {
      if (cr !== -1 && cr < pos) cr = bytes.indexOf(CR, pos);
      if (lf !== -1 && lf < pos) lf = bytes.indexOf(LF, pos);
      const stop = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (stop === -1) {
        this.#keep(bytes, pos, end, events);
        return { events, consumed: end };
      }
      if (!this.#endLine(bytes, pos, stop, events)) return { events, consumed: end };
      pos = stop + 1;
      if (bytes[stop] === CR) {
        if (pos === end) this.#afterCr = true;
        else if (bytes[pos] === LF || bytes[pos] === NUL) pos += 1;
      }
      if (this.#afterEmpty) pos = this.#skipLineEnds(bytes, pos, end);
    }
    return { events, consumed: pos };
  }

  /**
   * The peer will send nothing more (a half-close, issue 5 item 15): an unterminated last line
   * is reported as if its line end had arrived. Afterwards the framer is empty; feeding more
   * starts a new line.
   */
  end(): FramerEvent[] {
    const events: FramerEvent[] = [];
    this.#afterCr = false;
    if (this.#overflowed || this.#lineBytes === 0) return events;
    this.#endLine(EMPTY, 0, 0, events);
    return events;
  }

  /**
   * After an empty line, every further line end is another empty line, dropped: skip the run in
   * one tight loop. A `\n` flood then costs about 1 ns a byte instead of two `indexOf` calls and
   * a method call per byte (issue 5 item 3; see docs/hardening.md for the measurement).
   */
  #skipLineEnds(bytes: Uint8Array, from: number, end: number): number {
    let pos = from;
    while (pos < end) {
      const byte = bytes[pos];
      if (byte === LF) {
        pos += 1;
      } else if (byte === CR) {
        pos += 1;
        if (pos === end) this.#afterCr = true;
        else if (bytes[pos] === LF || bytes[pos] === NUL) pos += 1;
      } else {
        break;
      }
    }
    return pos;
  }

  /** Adds `bytes[from, to)` to the unterminated line. Reports overflow past the buffer cap. */
  #keep(bytes: Uint8Array, from: number, to: number, events: FramerEvent[]): void {
    const total = this.#lineBytes + (to - from);
    if (total > this.#maxBufferBytes) {
      this.#overflow(events);
      return;
    }
    this.#lineBytes = total;
    if (total <= this.#maxLineBytes) {
      this.#append(bytes, from, to);
    } else {
      // Already too long: it can only end as `line-too-long`, so count it and drop the bytes.
      this.#release();
    }
  }

  /** Ends the current line with `bytes[from, to)` as its tail. Returns false after an overflow. */
  #endLine(bytes: Uint8Array, from: number, to: number, events: FramerEvent[]): boolean {
    const total = this.#lineBytes + (to - from);
    if (total > this.#maxBufferBytes) {
      // Byte by byte, the cap would have been passed before this line end arrived (L7).
      this.#overflow(events);
      return false;
    }
    if (total === 0) {
      // Empty: only the first of a run is news; the rest cost this comparison (issue 5 item 3).
      if (!this.#afterEmpty) events.push({ type: "line", text: "" });
      this.#afterEmpty = true;
      return true;
    }
    this.#afterEmpty = false;
    if (total > this.#maxLineBytes) {
      events.push({ type: "line-too-long", bytes: total });
    } else if (this.#held === 0) {
      // Common case: the whole line is inside this chunk, decode it in place without copying.
      events.push({ type: "line", text: DECODER.decode(bytes.subarray(from, to)) });
    } else {
      this.#append(bytes, from, to);
      events.push({ type: "line", text: DECODER.decode(this.#hold.subarray(0, this.#held)) });
    }
    this.#lineBytes = 0;
    this.#release();
    return true;
  }

  #append(bytes: Uint8Array, from: number, to: number): void {
    const need = this.#held + (to - from);
    if (need > this.#hold.length) {
      let size = Math.max(this.#hold.length * 2, INITIAL_HOLD_BYTES);
      while (size < need) size *= 2;
      // Never past either limit: a held line is at most min(maxLineBytes, maxBufferBytes) long.
      const grown = new Uint8Array(Math.min(size, this.#maxLineBytes, this.#maxBufferBytes));
      grown.set(this.#hold.subarray(0, this.#held));
      this.#hold = grown;
    }
    this.#hold.set(bytes.subarray(from, to), this.#held);
    this.#held = need;
  }

  #release(): void {
    this.#held = 0;
    if (this.#hold.length > RETAINED_HOLD_BYTES) this.#hold = EMPTY;
  }

  #overflow(events: FramerEvent[]): void {
    this.#overflowed = true;
    this.#lineBytes = 0;
    this.#held = 0;
    this.#hold = EMPTY;
    events.push({ type: "overflow", bytes: this.#maxBufferBytes + 1 });
  }
}

const HTTP_REQUEST_LINE =
  /^(?:GET|POST|HEAD|PUT|DELETE|OPTIONS|CONNECT|PATCH) \S+ HTTP\/1\.\d$/;

/**
 * True when `firstLine` is an HTTP/1.x request line such as `GET / HTTP/1.1` (hardening L6).
 * The owner calls it on a connection's first line and, when it matches, answers with a one-line
 * hint and closes with `wrong-protocol`. Only the request line is checked: browsers and curl
 * always send it first, and anything looser risks catching a player's first command.
 */
export function looksLikeHttp(firstLine: string): boolean {
  return HTTP_REQUEST_LINE.test(firstLine);
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`LineFramer: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
