/**
 * CHARSET (RFC 2066): agreeing with the client on UTF-8.
 *
 * Telnet's default character set is NVT ASCII (RFC 854); Loom writes UTF-8. We offer WILL
 * CHARSET at connect; once the client says DO, we send `REQUEST ";UTF-8"` and the client answers
 * `ACCEPTED UTF-8` or `REJECTED` (TinTin++ rejects unless its session is set to UTF-8). The
 * answer is {@link CharsetOption.utf8}; mtts.ts folds it with the MTTS UTF-8 bit, and the door
 * sends a client that ends up refusing UTF-8 transliterated ASCII (transliterate.ts).
 *
 * Either side may send a REQUEST (RFC 2066 section 2). A client's REQUEST is answered with
 * `ACCEPTED <its spelling of UTF-8>` when it lists UTF-8 and `REJECTED` otherwise; we never
 * switch to another character set. When both REQUESTs cross, RFC 2066 has the server reject the
 * client's and the client answer ours, so that is what we do.
 *
 * No loop is possible: we answer a REQUEST with ACCEPTED or REJECTED, never with a REQUEST, and
 * send our own REQUEST only when the option comes on. Every message we send counts against
 * `maxMessages`, the negotiator's per-option reply cap, so a client repeating REQUEST or
 * flapping DO/DONT gets a bounded number of answers (hardening T3). Translation tables
 * (`[TTABLE]`, TTABLE-IS…) are never offered, so any TTABLE message is a protocol error.
 *
 * Policy: accept on both sides; agreeing costs nothing and is how the client learns we speak
 * UTF-8.
 */
import { CharsetCommand, TelnetOptionCode } from "./constants.js";
import { DEFAULT_MAX_REPLIES_PER_OPTION, type OptionHost, type OptionModule, type Side } from "./options.js";

/** Limits for a {@link CharsetOption}. */
export interface CharsetOptions {
  /**
   * Most CHARSET subnegotiations we send per connection, our REQUESTs and our answers together.
   * A non-negative integer; default {@link DEFAULT_MAX_REPLIES_PER_OPTION}, the negotiator's cap,
   * and the telnet layer passes its own `maxRepliesPerOption`.
   */
  readonly maxMessages?: number;
}

/** The character set we ask for and accept, as RFC 2066 spells names: IANA, case-insensitive. */
export const UTF8_NAME = "UTF-8";

const TTABLE_MARKER = "[TTABLE]";
const REQUEST_UTF8 = Uint8Array.from([CharsetCommand.REQUEST, ...ascii(`;${UTF8_NAME}`)]);
const REJECTED = Uint8Array.of(CharsetCommand.REJECTED);

/**
 * Reads the character-set list of a REQUEST (the bytes after the REQUEST code): an optional
 * `[TTABLE]` marker and its version byte, then a separator byte, then names separated by it.
 * Returns the names as sent (empty ones dropped), or undefined when there is no separator.
 */
export function parseCharsetList(list: Uint8Array): string[] | undefined {
  let from = 0;
  if (latin1(list.subarray(0, TTABLE_MARKER.length)) === TTABLE_MARKER) from = TTABLE_MARKER.length + 1;
  const separator = list[from];
  if (separator === undefined) return undefined;
  const names: string[] = [];
  let start = from + 1;
  for (;;) {
    const end = list.indexOf(separator, start);
    const name = latin1(list.subarray(start, end === -1 ? list.length : end));
    if (name !== "") names.push(name);
    if (end === -1) return names;
    start = end + 1;
  }
}

/** True for the names clients use for UTF-8: `UTF-8` in any case, and the common `UTF8`. */
export function isUtf8Name(name: string): boolean {
  const upper = name.trim().toUpperCase();
  return upper === "UTF-8" || upper === "UTF8";
}

/** The CHARSET option's policy, its REQUEST, and what the client said about UTF-8. */
export class CharsetOption implements OptionModule {
  /** {@link TelnetOptionCode.CHARSET}. */
  readonly option = TelnetOptionCode.CHARSET;
  /** We offer CHARSET, and agree when the client asks us to use it. */
  readonly acceptLocal = true;
  /** A client offering CHARSET may send its own REQUEST, which we answer. */
  readonly acceptRemote = true;
  readonly #host: OptionHost;
  readonly #maxMessages: number;
  #sent = 0;
  /** Our REQUEST is out and neither ACCEPTED nor REJECTED has come back. */
  #awaiting = false;
  #utf8: boolean | undefined;

  /** `host` sends our subnegotiations and receives protocol errors and capability changes. */
  constructor(host: OptionHost, options: CharsetOptions = {}) {
    this.#host = host;
    const max = options.maxMessages ?? DEFAULT_MAX_REPLIES_PER_OPTION;
    if (!Number.isSafeInteger(max) || max < 0) {
      throw new RangeError(`CharsetOption: maxMessages must be a non-negative integer, got ${max}`);
    }
    this.#maxMessages = max;
  }

  /**
   * What the client said about UTF-8: true once it accepted our REQUEST or asked for UTF-8
   * itself, false once it rejected ours, accepted something we did not offer, or asked only for
   * other character sets; undefined until it says anything. The last word counts.
   */
  get utf8(): boolean | undefined {
    return this.#utf8;
  }

  /** True while our REQUEST waits for its answer. */
  get awaitingAnswer(): boolean {
    return this.#awaiting;
  }

  /** Sends our REQUEST when our side comes on (RFC 2066: only after DO CHARSET and our WILL). */
  onChange(side: Side, enabled: boolean): void {
    if (side !== "local") return;
    if (!enabled) {
      // A REQUEST that crossed a DONT will not be answered; allow asking again if it comes back.
      this.#awaiting = false;
      return;
    }
    if (this.#awaiting) return;
    if (this.#send(REQUEST_UTF8)) this.#awaiting = true;
  }

  /** REQUEST, ACCEPTED or REJECTED from the client. */
  onSubnegotiation(data: Uint8Array): void {
    const code = data[0];
    switch (code) {
      case CharsetCommand.REQUEST:
        this.#answer(data.subarray(1));
        return;
      case CharsetCommand.ACCEPTED:
        if (!this.#takeAnswer("ACCEPTED")) return;
        if (isUtf8Name(latin1(data.subarray(1)))) {
          this.#learn(true);
        } else {
          this.#host.protocolError(`CHARSET: the client accepted a character set we did not offer (we offered only ${UTF8_NAME})`);
          this.#learn(false);
        }
        return;
      case CharsetCommand.REJECTED:
        if (this.#takeAnswer("REJECTED")) this.#learn(false);
        return;
      case CharsetCommand.TTABLE_IS:
      case CharsetCommand.TTABLE_REJECTED:
      case CharsetCommand.TTABLE_ACK:
      case CharsetCommand.TTABLE_NAK:
        this.#host.protocolError(`CHARSET: translation-table message ${code} without a [TTABLE] request; ignored`);
        return;
      default:
        this.#host.protocolError(`CHARSET: unknown subnegotiation code ${String(code)}; ignored`);
    }
  }

  /** A client REQUEST: accept UTF-8 if listed, else reject (RFC 2066: the server rejects when REQUESTs cross). */
  #answer(list: Uint8Array): void {
    const names = parseCharsetList(list);
    if (names === undefined) {
      this.#host.protocolError("CHARSET: REQUEST without a character-set list; rejected");
      this.#send(REJECTED);
      return;
    }
    if (this.#awaiting) {
      this.#send(REJECTED);
      return;
    }
    const utf8 = names.find(isUtf8Name);
    if (utf8 === undefined) {
      if (this.#send(REJECTED)) this.#learn(false);
      return;
    }
    // RFC 2066: ACCEPTED names one of the listed sets as the client spelt it (trimmed, that is
    // `UTF-8` or `UTF8` in some case: printable ASCII).
    if (this.#send(Uint8Array.from([CharsetCommand.ACCEPTED, ...ascii(utf8.trim())]))) this.#learn(true);
  }

  /** An ACCEPTED or REJECTED arrived: true if it answers our REQUEST, else it is reported and dropped. */
  #takeAnswer(what: string): boolean {
    if (!this.#awaiting) {
      this.#host.protocolError(`CHARSET: ${what} without a REQUEST from us; ignored`);
      return false;
    }
    this.#awaiting = false;
    return true;
  }

  #learn(utf8: boolean): void {
    if (this.#utf8 === utf8) return;
    this.#utf8 = utf8;
    this.#host.capabilitiesChanged();
  }

  /** Sends one subnegotiation within the cap; false (and one report) once the cap is spent. */
  #send(payload: Uint8Array): boolean {
    if (this.#sent >= this.#maxMessages) {
      if (this.#sent === this.#maxMessages) {
        this.#sent += 1;
        this.#host.protocolError(`CHARSET: more than ${this.#maxMessages} subnegotiations; no longer answering`);
      }
      return false;
    }
    this.#sent += 1;
    this.#host.sendSubnegotiation(this.option, payload);
    return true;
  }
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0) & 0x7f);
}

/** Stateless (never used with `stream`), so one is shared. Only ASCII names are ever compared. */
const LATIN1 = new TextDecoder("latin1");

function latin1(bytes: Uint8Array): string {
  return LATIN1.decode(bytes);
}
