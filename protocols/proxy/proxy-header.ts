/**
 * The PROXY protocol header (HAProxy's doc/proxy-protocol.txt, versions 1 and 2) that a load
 * balancer sends first on each TCP connection, so Loom sees the player's address instead of
 * the balancer's (hardening W6, issue 10). Without it every player behind the balancer shares
 * one address and every per-address limit (F3, F4, A2, A3) counts them all as one.
 *
 * Only the parsing lives here. Whom to believe is the owner's policy (src/reactor/): a header
 * is honoured only from a configured trusted proxy, and a connection from anyone else whose
 * first bytes begin one ({@link startsLikeProxyHeader}) is refused: the specification forbids
 * guessing whether a header is present.
 *
 * Pure state machine (style habit 1): no sockets, timers, logging or await. Feed it the first
 * chunks of a connection until it gives a final result; for any way of cutting the same bytes
 * into chunks the result is the same, and it never holds more than `maxHeaderBytes` bytes.
 * See docs/proxy-protocol.md for what is accepted.
 */
import { NOT_PROXY_REASON, type HeaderStep, type ProxyEndpoint } from "./header-step.js";
import { V1_MAX_HEADER_BYTES, V1_PREFIX, inspectV1 } from "./proxy-v1.js";
import { V2_MAX_HEADER_BYTES, V2_SIGNATURE, inspectV2 } from "./proxy-v2.js";

export { NOT_PROXY_REASON, type ProxyEndpoint } from "./header-step.js";
export { V1Reasons, V1_MAX_HEADER_BYTES } from "./proxy-v1.js";
export { V2Reasons, V2_MAX_HEADER_BYTES } from "./proxy-v2.js";

/**
 * What feeding bytes has told so far.
 *
 * - `incomplete`: more bytes are needed; everything fed so far is held (at most
 *   `maxHeaderBytes`).
 * - `proxied`: the header named the real client (`source`) and the address it connected to
 *   (`destination`). `rest` is what followed the header in the last chunk (the client's first
 *   data, possibly empty), a view into that chunk, not a copy.
 * - `local`: a valid header that carries no address to use — v2 LOCAL (a health check), v1
 *   "PROXY UNKNOWN", or v2 with an UNSPEC, UDP or UNIX family. Keep the socket's own address.
 * - `invalid`: not a PROXY header, or a malformed one. `reason` is one of a fixed set of
 *   human-readable strings (see {@link V1Reasons} and {@link V2Reasons}); close the connection.
 */
export type ProxyHeaderResult =
  | { readonly kind: "incomplete" }
  | {
      readonly kind: "proxied";
      readonly version: 1 | 2;
      readonly source: ProxyEndpoint;
      readonly destination: ProxyEndpoint;
      readonly rest: Buffer;
    }
  | { readonly kind: "local"; readonly version: 1 | 2; readonly rest: Buffer }
  | { readonly kind: "invalid"; readonly reason: string };

/** Default for {@link ProxyHeaderOptions.maxHeaderBytes}: 4 KiB. */
export const DEFAULT_MAX_HEADER_BYTES = 4096;
/** The smallest allowed `maxHeaderBytes`: every legal v1 line must fit. */
export const MIN_MAX_HEADER_BYTES = V1_MAX_HEADER_BYTES;

/** Limits for a {@link ProxyHeaderParser}. */
export interface ProxyHeaderOptions {
  /**
   * Largest header accepted, in bytes, and so the most the parser ever holds. An integer from
   * {@link MIN_MAX_HEADER_BYTES} (107) to 65,551 (the v2 length field's own maximum). It bounds
   * v2 headers, whose 16-bit length field would otherwise let a peer make us hold 64 KiB per
   * connection; a v1 line is always capped at 107 bytes by the specification. Default
   * {@link DEFAULT_MAX_HEADER_BYTES} (4096): a UNIX-family header is 232 bytes and real senders
   * typically add at most a few hundred bytes of TLVs (SNI, ALPN, TLS details, an AWS or Azure id).
   */
  readonly maxHeaderBytes?: number;
}

const INCOMPLETE: ProxyHeaderResult = Object.freeze({ kind: "incomplete" });
const EMPTY = Buffer.alloc(0);
/** Held bytes start in a small buffer that doubles up to `maxHeaderBytes`. */
const INITIAL_HOLD_BYTES = 128;

/**
 * Reads the PROXY header at the start of one connection, v1 or v2, from chunks of any size.
 *
 * `feed` returns `incomplete` until it can decide, then one final result (`proxied`, `local`
 * or `invalid`). It never throws for any bytes. Feeding again after a final result is a
 * programming error and throws: the first result's `rest` already handed on the bytes after
 * the header, and a second answer would hand them on twice.
 */
export class ProxyHeaderParser {
  readonly #maxHeaderBytes: number;
  #hold: Buffer = EMPTY;
  #held = 0;
  #final: ProxyHeaderResult | undefined;

  constructor(options: ProxyHeaderOptions = {}) {
    const max = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    if (!Number.isInteger(max) || max < MIN_MAX_HEADER_BYTES || max > V2_MAX_HEADER_BYTES) {
      throw new RangeError(
        `maxHeaderBytes must be an integer from ${MIN_MAX_HEADER_BYTES} to ${V2_MAX_HEADER_BYTES}, got ${max}`,
      );
    }
    this.#maxHeaderBytes = max;
  }

  /** Bytes held while the header is incomplete; never more than `maxHeaderBytes`. */
  get bufferedBytes(): number {
    return this.#held;
  }

  /** Consumes the next chunk of the connection. See the class comment for the contract. */
  feed(chunk: Buffer): ProxyHeaderResult {
    if (this.#final !== undefined) {
      throw new Error(`ProxyHeaderParser.feed after a final result (${this.#final.kind})`);
    }
    const heldBefore = this.#held;
    let view = chunk;
    if (heldBefore > 0) {
      // Never hold past the cap: a view this long always decides (see inspect).
      this.#keep(chunk.subarray(0, this.#maxHeaderBytes - heldBefore));
      view = this.#hold.subarray(0, this.#held);
    }
    const step = inspect(view, this.#maxHeaderBytes);
    switch (step.kind) {
      case "incomplete":
        // The view is shorter than the header it starts, so the whole chunk fits under the cap.
        if (heldBefore === 0) this.#keep(chunk);
        return INCOMPLETE;
      case "invalid":
        return this.#finish({ kind: "invalid", reason: step.reason });
      case "proxied": {
        const rest = chunk.subarray(step.headerLength - heldBefore);
        const { version, source, destination } = step;
        return this.#finish({ kind: "proxied", version, source, destination, rest });
      }
      case "local":
        return this.#finish({
          kind: "local",
          version: step.version,
          rest: chunk.subarray(step.headerLength - heldBefore),
        });
      default: {
        const never: never = step;
        return never;
      }
    }
  }

  #finish(result: ProxyHeaderResult): ProxyHeaderResult {
    this.#final = result;
    this.#hold = EMPTY;
    this.#held = 0;
    return result;
  }

  /** Appends `bytes` to the hold, growing it by doubling up to the cap. */
  #keep(bytes: Buffer): void {
    const needed = this.#held + bytes.length;
    if (needed > this.#hold.length) {
      const size = Math.min(this.#maxHeaderBytes, Math.max(needed, INITIAL_HOLD_BYTES, 2 * this.#hold.length));
      const grown = Buffer.allocUnsafe(size);
      this.#hold.copy(grown, 0, 0, this.#held);
      this.#hold = grown;
    }
    bytes.copy(this.#hold, this.#held);
    this.#held = needed;
  }
}

/**
 * Judges the first bytes of a connection. Invariant the parser relies on: `incomplete` only
 * when `view` is shorter than the header it begins, and that header is within the cap (v1:
 * 107 bytes; v2: refused at its length field when over `maxHeaderBytes`).
 *
 * Each feed judges the held bytes again from the start instead of keeping a cursor. Senders
 * must send the header at once (specification section 2), so it is one call in practice, and
 * the worst case stays small: a v1 TCP6 line fed one byte at a time costs about 60 µs in all,
 * against about 5 µs whole and 1 µs for v2 (Node 20.20, shared 2-core Xeon).
 */
function inspect(view: Buffer, maxHeaderBytes: number): HeaderStep {
  const first = view[0];
  if (first === undefined) return { kind: "incomplete" };
  if (first === V1_PREFIX[0]) return inspectV1(view);
  if (first === V2_SIGNATURE[0]) return inspectV2(view, maxHeaderBytes);
  return { kind: "invalid", reason: NOT_PROXY_REASON };
}

/**
 * True when `prefix` (the first bytes a connection sent, maybe only a few, maybe empty) begins
 * a PROXY header, v1 or v2, or could still become one: it matches "PROXY " or the 12-byte v2
 * signature as far as it goes. The owner refuses such a connection from an address that is not
 * a trusted proxy (hardening W6), rather than let it pass its header off as a command. Exactly
 * the bytes a {@link ProxyHeaderParser} would not reject as {@link NOT_PROXY_REASON}.
 */
export function startsLikeProxyHeader(prefix: Buffer): boolean {
  return matchesAsFarAsItGoes(prefix, V1_PREFIX) || matchesAsFarAsItGoes(prefix, V2_SIGNATURE);
}

function matchesAsFarAsItGoes(prefix: Buffer, start: Buffer): boolean {
  const n = Math.min(prefix.length, start.length);
  return prefix.subarray(0, n).equals(start.subarray(0, n));
}
