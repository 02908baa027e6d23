/**
 * MSSP, the MUD Server Status Protocol (telnet option 70; tintin.mudhalla.net/protocols/mssp):
 * how MUD listings and crawlers read a server's name, player count, boot time and the rest.
 *
 * Two wire forms carry the same report, and both live here:
 *
 * - The telnet option. We offer `IAC WILL MSSP`; on `IAC DO MSSP` we send one
 *   `IAC SB MSSP MSSP_VAR name MSSP_VAL value … IAC SE`. An array is one `MSSP_VAR` followed by
 *   several `MSSP_VAL`s. Values are read afresh for every report, so PLAYERS is the count now.
 * - The plain-text form, for crawlers that do not negotiate (finalised in the spec's 2009
 *   revision, implemented by the SMAUG family, read by Grapevine's crawler): the line
 *   `MSSP-REQUEST` gets `\r\nMSSP-REPLY-START\r\n`, one `NAME\tvalue\r\n` line per value, and
 *   `MSSP-REPLY-END\r\n`. It is text, not telnet, so the raw line door answers it too (T11 holds:
 *   no telnet byte is ever written there); the line layer calls {@link formatMsspReply}.
 *
 * Names and values are ours or the operator's, but the spec forbids the separator bytes in them
 * (NUL, MSSP_VAR, MSSP_VAL, IAC) and the plain form cannot carry a tab or a line end, so every
 * name and value passes through {@link cleanMsspText} on the way out, whatever the caller did.
 *
 * Policy: we perform MSSP when asked (DO) and never ask the peer to (a client has no status).
 * Repeats are bounded by RFC 1143 and the negotiator's per-option reply budget: a DO while MSSP
 * is on changes nothing, so only a DONT/DO cycle yields another report, and each cycle costs two
 * of the option's replies (hardening T1, T3).
 */
import { MsspMarker, TelnetOptionCode } from "./constants.js";
import type { OptionHost, OptionModule, Side } from "./options.js";

/**
 * One MSSP variable: its name (`PLAYERS`, `XTERM 256 COLORS`) and its value, or several values
 * (the spec's array form, e.g. `PORT` or `GAMEPLAY`; "most important last" where it matters).
 */
export type MsspVariable = readonly [name: string, value: string | readonly string[]];

/** A whole report, in the order it is sent. */
export type MsspVariables = readonly MsspVariable[];

/** Where a report comes from: called for each report, so live values are current. */
export type MsspProvider = () => MsspVariables;

/**
 * Longest name or value sent, in UTF-16 code units; longer ones are cut (on a character
 * boundary). The longest real values are URLs; 256 leaves room for them and keeps one report
 * to a few KiB however it is configured.
 */
export const MAX_MSSP_TEXT_LENGTH = 256;

/** The line a crawler sends to ask for the plain-text report. Matched case-insensitively, as SMAUG does. */
export const MSSP_REQUEST = "MSSP-REQUEST";

/**
 * C0 controls (which include NUL, MSSP_VAR, MSSP_VAL, tab, CR and LF), DEL and the C1 controls.
 * IAC needs no rule of its own: 0xFF never occurs in UTF-8.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * Makes a name or value safe for both wire forms: each run of control characters becomes one
 * space, the ends are trimmed, and the text is cut to {@link MAX_MSSP_TEXT_LENGTH}.
 */
export function cleanMsspText(text: string): string {
  let clean = text.replace(CONTROLS, " ").trim();
  if (clean.length > MAX_MSSP_TEXT_LENGTH) {
    // Do not leave half a surrogate pair at the cut.
    const cut = isHighSurrogate(clean.charCodeAt(MAX_MSSP_TEXT_LENGTH - 1)) ? MAX_MSSP_TEXT_LENGTH - 1 : MAX_MSSP_TEXT_LENGTH;
    clean = clean.slice(0, cut).trimEnd();
  }
  return clean;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The report, cleaned: a variable whose name cleans to nothing, or that has no values at all, is
 * left out (there is nothing to say). An empty value is kept: the spec allows it.
 */
function cleaned(variables: MsspVariables): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const [rawName, rawValue] of variables) {
    const name = cleanMsspText(rawName);
    const values = (typeof rawValue === "string" ? [rawValue] : rawValue).map(cleanMsspText);
    if (name !== "" && values.length > 0) out.push([name, values]);
  }
  return out;
}

/**
 * The payload of `IAC SB MSSP … IAC SE`: `MSSP_VAR name (MSSP_VAL value)+` per variable, UTF-8.
 * It never contains NUL, MSSP_VAR or MSSP_VAL inside a name or value, nor 0xFF at all.
 */
export function encodeMssp(variables: MsspVariables): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let length = 0;
  const push = (part: Uint8Array): void => {
    parts.push(part);
    length += part.length;
  };
  const VAR = Uint8Array.of(MsspMarker.VAR);
  const VAL = Uint8Array.of(MsspMarker.VAL);
  for (const [name, values] of cleaned(variables)) {
    push(VAR);
    push(encoder.encode(name));
    for (const value of values) {
      push(VAL);
      push(encoder.encode(value));
    }
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The plain-text reply: a line end (the request may have arrived mid-prompt), the start marker,
 * `name<TAB>value` per value (an array repeats its name), the end marker. Lines end in CR LF.
 */
export function formatMsspReply(variables: MsspVariables): string {
  let out = "\r\nMSSP-REPLY-START\r\n";
  for (const [name, values] of cleaned(variables)) {
    for (const value of values) out += `${name}\t${value}\r\n`;
  }
  return `${out}MSSP-REPLY-END\r\n`;
}

/** True when a line of input is the plain-text request (`MSSP-REQUEST`, any case, spaces around ignored). */
export function isMsspRequest(line: string): boolean {
  return line.trim().toUpperCase() === MSSP_REQUEST;
}

/** The MSSP option's policy: report on DO, with values from the provider. */
export class MsspOption implements OptionModule {
  /** {@link TelnetOptionCode.MSSP}. */
  readonly option = TelnetOptionCode.MSSP;
  /** A peer that asks (DO MSSP, offered or not) gets the report. */
  readonly acceptLocal = true;
  /** A client has no server status to give us. */
  readonly acceptRemote = false;
  readonly #host: OptionHost;
  readonly #provider: MsspProvider;

  /** `host` sends the report; `provider` is asked for the values each time one is sent. */
  constructor(host: OptionHost, provider: MsspProvider) {
    this.#host = host;
    this.#provider = provider;
  }

  /** MSSP came on at our side (the peer said DO): send the report, once per time it comes on. */
  onChange(side: Side, enabled: boolean): void {
    if (side !== "local" || !enabled) return;
    this.#host.sendSubnegotiation(this.option, encodeMssp(this.#provider()));
  }
}
