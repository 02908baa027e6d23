/**
 * Building telnet output: data escaping and the command sequences of RFC 854 and RFC 855.
 */
import { IAC, TelnetCommand, VerbByte, type NegotiationVerb } from "./constants.js";

/**
 * Doubles every 0xFF so the peer reads it as data, not as IAC (RFC 854; hardening T5).
 * Returns `bytes` itself, uncopied, when there is no 0xFF: that is nearly all output, and
 * UTF-8 text never contains the byte at all.
 */
export function escapeIac(bytes: Uint8Array): Uint8Array {
  let at = bytes.indexOf(IAC);
  if (at === -1) return bytes;
  let count = 0;
  while (at !== -1) {
    count += 1;
    at = bytes.indexOf(IAC, at + 1);
  }
  const out = new Uint8Array(bytes.length + count);
  let from = 0;
  let to = 0;
  at = bytes.indexOf(IAC);
  while (at !== -1) {
    // Copy up to and including the IAC, then write the second IAC.
    out.set(bytes.subarray(from, at + 1), to);
    to += at + 1 - from;
    out[to] = IAC;
    to += 1;
    from = at + 1;
    at = bytes.indexOf(IAC, from);
  }
  out.set(bytes.subarray(from), to);
  return out;
}

/** `IAC <verb> <option>`. Throws RangeError when `option` is not a byte (a programming error). */
export function negotiation(verb: NegotiationVerb, option: number): Uint8Array {
  return Uint8Array.of(IAC, VerbByte[verb], checkByte(option, "option"));
}

/**
 * `IAC SB <option> <payload> IAC SE`, with any 0xFF in the payload doubled (RFC 855).
 * Throws RangeError when `option` is not a byte.
 */
export function subnegotiation(option: number, payload: Uint8Array): Uint8Array {
  const escaped = escapeIac(payload);
  const out = new Uint8Array(escaped.length + 5);
  out[0] = IAC;
  out[1] = TelnetCommand.SB;
  out[2] = checkByte(option, "option");
  out.set(escaped, 3);
  out[escaped.length + 3] = IAC;
  out[escaped.length + 4] = TelnetCommand.SE;
  return out;
}

/** `IAC <command>`, e.g. `command(TelnetCommand.GA)`. Throws RangeError when `cmd` is not a byte. */
export function command(cmd: number): Uint8Array {
  return Uint8Array.of(IAC, checkByte(cmd, "command"));
}

function checkByte(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new RangeError(`telnet ${what} must be a byte (0-255), got ${value}`);
  }
  return value;
}
