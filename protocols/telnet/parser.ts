/**
 * The telnet byte-stream parser: a pure state machine, `feed(bytes)` → events (RFC 854, 855).
 *
 * It only separates data from commands; it does not frame lines or interpret options. CR LF and
 * CR NUL are ordinary data here (RFC 854 defines them, but the line framer is what ends lines),
 * which is the opposite of RanvierMUD's codec that split lines first and then parsed telnet.
 *
 * Subnegotiations are the one place a peer can make a telnet parser buffer, so their buffer has
 * a cap (hardening T4): past `maxSubnegotiationBytes` the parser reports the overflow at once
 * and then drops bytes until the subnegotiation ends.
 */
import { IAC, TelnetCommand, type NegotiationVerb } from "./constants.js";

/** Limits for a {@link TelnetParser}. */
export interface TelnetParserOptions {
  /**
   * Most payload bytes (after unescaping, option byte excluded) kept for one subnegotiation
   * (hardening T4). A positive integer, required: it is the operator's
   * `limits.maxSubnegotiationBytes`, whose default is written once, in config/default.yaml.
   */
  readonly maxSubnegotiationBytes: number;
}

/**
 * What the parser found, in stream order.
 *
 * - `data`: application bytes, `IAC IAC` already turned into one 0xFF. Consecutive data within
 *   one `feed` is one event; across feeds the split is arbitrary. `bytes` may be a view into the
 *   chunk given to `feed`, so it stays valid only as long as the caller leaves that chunk alone.
 * - `command`: `IAC <byte>` for anything but a negotiation, SB or IAC: NOP, GA, AYT, IP, a stray
 *   SE, or a byte no RFC defines (the owner decides what to ignore).
 * - `negotiate`: `IAC DO|DONT|WILL|WONT <option>`.
 * - `subnegotiation`: `IAC SB <option> … IAC SE`, payload unescaped.
 * - `subnegotiation-overflow`: the payload passed the cap. Reported once, as soon as it happens;
 *   the rest of that subnegotiation is dropped and no `subnegotiation` event follows for it.
 * - `subnegotiation-aborted`: `IAC <command>` other than `IAC SE` or `IAC IAC` arrived inside a
 *   subnegotiation. The subnegotiation is dropped and the command is parsed normally, so a peer
 *   that forgets `IAC SE` loses one subnegotiation rather than all its typing up to the cap
 *   (libtelnet does the same).
 */
export type TelnetEvent =
  | { readonly type: "data"; readonly bytes: Uint8Array }
  | { readonly type: "command"; readonly command: number }
  | { readonly type: "negotiate"; readonly verb: NegotiationVerb; readonly option: number }
  | { readonly type: "subnegotiation"; readonly option: number; readonly data: Uint8Array }
  | { readonly type: "subnegotiation-overflow"; readonly option: number }
  | { readonly type: "subnegotiation-aborted"; readonly option: number };

/** The parser's states. `sb-*` states are inside `IAC SB`. */
const ParserStates = ["data", "iac", "negotiate", "sb-option", "sb-data", "sb-iac"] as const;
type ParserState = (typeof ParserStates)[number];

const INITIAL_SB_BYTES = 32;
const EMPTY = new Uint8Array(0);

/** Splits a telnet byte stream into data, commands, negotiations and subnegotiations. */
export class TelnetParser {
  readonly #maxSubnegotiationBytes: number;
  #state: ParserState = "data";
  /** The verb of a negotiation whose option byte has not arrived yet. */
  #verb: NegotiationVerb = "DO";
  #sbOption = 0;
  /** Subnegotiation payload so far; grows by doubling up to the cap. */
  #sb: Uint8Array = EMPTY;
  #sbLength = 0;
  /** The current subnegotiation passed the cap and is being dropped until it ends. */
  #sbOverflowed = false;
  /** Data of the current feed not yet emitted, so a run of data becomes one event. */
  #pending: Uint8Array[] = [];

  constructor(options: TelnetParserOptions) {
    const cap = options.maxSubnegotiationBytes;
    if (!Number.isSafeInteger(cap) || cap < 1) {
      throw new RangeError(`TelnetParser: maxSubnegotiationBytes must be a positive integer, got ${cap}`);
    }
    this.#maxSubnegotiationBytes = cap;
  }

  /** Subnegotiation payload bytes held right now; never more than `maxSubnegotiationBytes`. */
  get bufferedBytes(): number {
    return this.#sbLength;
  }

  /** Consumes one chunk and returns the events it completes, in order. Never throws. */
  feed(bytes: Uint8Array): TelnetEvent[] {
    const events: TelnetEvent[] = [];
    const end = bytes.length;
    let at = 0;
    while (at < end) {
      switch (this.#state) {
        case "data": {
          // Data is nearly everything: hand out views between IACs instead of copying bytes.
          const iac = bytes.indexOf(IAC, at);
          const stop = iac === -1 ? end : iac;
          if (stop > at) this.#pending.push(bytes.subarray(at, stop));
          if (iac === -1) {
            at = end;
          } else {
            at = iac + 1;
            this.#state = "iac";
          }
          break;
        }
        case "iac":
          this.#command(bytes[at]!, events);
          at += 1;
          break;
        case "negotiate":
          this.#emit(events, { type: "negotiate", verb: this.#verb, option: bytes[at]! });
          this.#state = "data";
          at += 1;
          break;
        case "sb-option":
          this.#sbOption = bytes[at]!;
          this.#sbLength = 0;
          this.#sbOverflowed = false;
          this.#state = "sb-data";
          at += 1;
          break;
        case "sb-data": {
          const iac = bytes.indexOf(IAC, at);
          const stop = iac === -1 ? end : iac;
          if (stop > at) this.#sbAppend(bytes.subarray(at, stop), events);
          if (iac === -1) {
            at = end;
          } else {
            at = iac + 1;
            this.#state = "sb-iac";
          }
          break;
        }
        case "sb-iac":
          this.#sbCommand(bytes[at]!, events);
          at += 1;
          break;
        default:
          return unreachable(this.#state);
      }
    }
    this.#flush(events);
    return events;
  }

  /** The byte after an IAC outside a subnegotiation. */
  #command(byte: number, events: TelnetEvent[]): void {
    switch (byte) {
      case TelnetCommand.IAC:
        this.#pending.push(Uint8Array.of(IAC));
        this.#state = "data";
        return;
      case TelnetCommand.DO:
        this.#negotiate("DO");
        return;
      case TelnetCommand.DONT:
        this.#negotiate("DONT");
        return;
      case TelnetCommand.WILL:
        this.#negotiate("WILL");
        return;
      case TelnetCommand.WONT:
        this.#negotiate("WONT");
        return;
      case TelnetCommand.SB:
        this.#state = "sb-option";
        return;
      default:
        this.#emit(events, { type: "command", command: byte });
        this.#state = "data";
    }
  }

  #negotiate(verb: NegotiationVerb): void {
    this.#verb = verb;
    this.#state = "negotiate";
  }

  /** The byte after an IAC inside a subnegotiation. */
  #sbCommand(byte: number, events: TelnetEvent[]): void {
    if (byte === TelnetCommand.IAC) {
      this.#sbAppend(Uint8Array.of(IAC), events);
      this.#state = "sb-data";
      return;
    }
    const option = this.#sbOption;
    const overflowed = this.#sbOverflowed;
    const data = this.#sb.subarray(0, this.#sbLength);
    // The payload is handed out as a view, so start the next subnegotiation in a new buffer.
    this.#sb = EMPTY;
    this.#sbLength = 0;
    this.#sbOverflowed = false;
    if (byte === TelnetCommand.SE) {
      if (!overflowed) this.#emit(events, { type: "subnegotiation", option, data });
      this.#state = "data";
      return;
    }
    if (!overflowed) this.#emit(events, { type: "subnegotiation-aborted", option });
    this.#command(byte, events);
  }

  #sbAppend(chunk: Uint8Array, events: TelnetEvent[]): void {
    if (this.#sbOverflowed) return;
    const need = this.#sbLength + chunk.length;
    if (need > this.#maxSubnegotiationBytes) {
      this.#sbOverflowed = true;
      this.#sb = EMPTY;
      this.#sbLength = 0;
      this.#emit(events, { type: "subnegotiation-overflow", option: this.#sbOption });
      return;
    }
    if (need > this.#sb.length) {
      let size = Math.max(this.#sb.length * 2, INITIAL_SB_BYTES);
      while (size < need) size *= 2;
      const grown = new Uint8Array(Math.min(size, this.#maxSubnegotiationBytes));
      grown.set(this.#sb.subarray(0, this.#sbLength));
      this.#sb = grown;
    }
    this.#sb.set(chunk, this.#sbLength);
    this.#sbLength = need;
  }

  /** Pushes a non-data event, after the data that came before it. */
  #emit(events: TelnetEvent[], event: TelnetEvent): void {
    this.#flush(events);
    events.push(event);
  }

  #flush(events: TelnetEvent[]): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    if (pending.length === 1) {
      events.push({ type: "data", bytes: pending[0]! });
      return;
    }
    const joined = new Uint8Array(pending.reduce((sum, part) => sum + part.length, 0));
    let to = 0;
    for (const part of pending) {
      joined.set(part, to);
      to += part.length;
    }
    events.push({ type: "data", bytes: joined });
  }
}

function unreachable(state: never): never {
  throw new Error(`TelnetParser: impossible state ${String(state)}`);
}
