/**
 * TTYPE, terminal type (RFC 1091), with MTTS cycling.
 *
 * We ask DO TTYPE; once the client says WILL we send `IAC SB TTYPE SEND IAC SE` and it answers
 * `IAC SB TTYPE IS <name> IAC SE`. RFC 1091 lets a client hold several names and hand out the
 * next one on each SEND, repeating the last when it runs out. MUD clients use that for MTTS:
 * first the client name ("MUDLET"), then the terminal type ("XTERM-256COLOR"), then
 * "MTTS <bitvector>" of capabilities. So we keep asking until a name repeats, and stop there
 * (hardening T7). A client that never repeats is cut off after `maxRounds` SENDs.
 *
 * Names are the peer's bytes and end up in logs and on screens: only printable ASCII is kept,
 * at most {@link MAX_TERMINAL_NAME_LENGTH} characters, upper-cased (RFC 1091 names are
 * case-insensitive and sent in upper case).
 *
 * Policy: we want the client's terminal type; we have none to report ourselves.
 */
import { TelnetOptionCode, TtypeQualifier } from "./constants.js";
import type { OptionHost, OptionModule, Side } from "./options.js";

/** Default for {@link TtypeOptions.maxRounds}: enough for MTTS (3 names plus the repeat). */
export const DEFAULT_TTYPE_ROUNDS = 4;
/** Longest terminal name kept; longer names are truncated. */
export const MAX_TERMINAL_NAME_LENGTH = 64;

/** Limits for {@link TtypeOption}. */
export interface TtypeOptions {
  /** Most `SEND` requests per connection; a positive integer. Default {@link DEFAULT_TTYPE_ROUNDS}. */
  readonly maxRounds?: number;
}

const SEND = Uint8Array.of(TtypeQualifier.SEND);
const MTTS_NAME = /^MTTS (\d{1,10})$/;

/** The TTYPE option's policy and the names the client reported. */
export class TtypeOption implements OptionModule {
  /** {@link TelnetOptionCode.TTYPE}. */
  readonly option = TelnetOptionCode.TTYPE;
  /** We have no terminal type to report. */
  readonly acceptLocal = false;
  /** We always want the client's terminal type. */
  readonly acceptRemote = true;
  readonly #host: OptionHost;
  readonly #maxRounds: number;
  readonly #names: string[] = [];
  #sent = 0;
  /** A SEND is out and its IS has not arrived; an IS we did not ask for is ignored. */
  #awaiting = false;
  #finished = false;
  #mtts: number | undefined;

  /** `host` sends our SENDs and receives protocol errors and capability changes. */
  constructor(host: OptionHost, options: TtypeOptions = {}) {
    this.#host = host;
    const rounds = options.maxRounds ?? DEFAULT_TTYPE_ROUNDS;
    if (!Number.isSafeInteger(rounds) || rounds < 1) {
      throw new RangeError(`TtypeOption: maxRounds must be a positive integer, got ${rounds}`);
    }
    this.#maxRounds = rounds;
  }

  /** Every distinct name the client reported, in order. */
  get names(): readonly string[] {
    return this.#names;
  }

  /** The first name reported: the client's name under MTTS, the terminal type otherwise. */
  get client(): string | undefined {
    return this.#names[0];
  }

  /** The MTTS capability bitvector, when the client sent `MTTS <n>`. */
  get mtts(): number | undefined {
    return this.#mtts;
  }

  /** True once cycling stopped: a name repeated, the client sent an empty name, or rounds ran out. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Starts (or resumes) asking when the client agrees to TTYPE. */
  onChange(side: Side, enabled: boolean): void {
    if (side !== "remote") return;
    if (enabled) {
      this.#ask();
    } else {
      // A SEND that crossed a WONT will not be answered; allow asking again if it comes back.
      this.#awaiting = false;
    }
  }

  /** `IS <name>`: records the name and asks for the next one until a name repeats. */
  onSubnegotiation(data: Uint8Array): void {
    if (data[0] !== TtypeQualifier.IS) {
      this.#host.protocolError(`TTYPE: expected IS, got qualifier ${String(data[0])}`);
      return;
    }
    if (!this.#awaiting) return;
    this.#awaiting = false;
    const name = cleanName(data.subarray(1));
    if (name === "" || this.#names.includes(name)) {
      this.#finished = true;
      return;
    }
    this.#names.push(name);
    const mtts = MTTS_NAME.exec(name);
    if (mtts !== null) this.#mtts = Number(mtts[1]);
    this.#host.capabilitiesChanged();
    this.#ask();
  }

  #ask(): void {
    if (this.#finished || this.#awaiting) return;
    if (this.#sent >= this.#maxRounds) {
      this.#finished = true;
      return;
    }
    this.#sent += 1;
    this.#awaiting = true;
    this.#host.sendSubnegotiation(this.option, SEND);
  }
}

function cleanName(bytes: Uint8Array): string {
  let name = "";
  for (const byte of bytes) {
    if (byte >= 0x20 && byte <= 0x7e) name += String.fromCharCode(byte);
    if (name.length === MAX_TERMINAL_NAME_LENGTH) break;
  }
  return name.trim().toUpperCase();
}
