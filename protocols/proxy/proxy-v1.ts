/**
 * PROXY protocol version 1, the text form (haproxy doc/proxy-protocol.txt section 2.1):
 *
 *     PROXY TCP4 192.0.2.1 198.51.100.7 56324 4000\r\n
 *     PROXY TCP6 2001:db8::1 2001:db8::2 56324 4000\r\n
 *     PROXY UNKNOWN[ anything]\r\n
 *
 * Strict, as the specification asks ("any sequence which does not exactly match the protocol
 * must be discarded"): exactly one space between fields, addresses in their canonical form (no
 * leading zeros in a dotted quad), ports 0-65535 in decimal without sign or leading zero, and
 * the line ends with CR LF within 107 bytes (the longest legal line, UNKNOWN with two full
 * IPv6 addresses). A bare LF, a CR not followed by LF, or 107 bytes without CR LF is invalid.
 *
 * Bytes are judged in order, so the first offending byte decides the reason whatever the
 * chunking: a wrong protocol word or a stray character is refused as soon as it arrives, without
 * waiting for the line end.
 */
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from "./ip-text.js";
import { NOT_PROXY_REASON, type HeaderStep } from "./header-step.js";

/** The longest v1 line the specification allows, CR LF included (section 2.1). */
export const V1_MAX_HEADER_BYTES = 107;

/** Every v1 header starts with these six bytes ("PROXY" and exactly one space). */
export const V1_PREFIX = Buffer.from("PROXY ", "latin1");

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;

/** The protocol words that may follow "PROXY ". */
const PROTOCOLS = ["TCP4", "TCP6", "UNKNOWN"] as const;
type Protocol = (typeof PROTOCOLS)[number];

/** Characters a TCP4/TCP6 line may hold before its CR: digits, hex letters, '.', ':', ' '. */
function isAddressLineByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x3a) || // 0-9 and ':'
    (byte >= 0x41 && byte <= 0x46) || // A-F
    (byte >= 0x61 && byte <= 0x66) || // a-f
    byte === 0x2e || // '.'
    byte === SPACE
  );
}

/** The v1 reasons, fixed strings so the caller may log and count them. */
export const V1Reasons = {
  notProxy: NOT_PROXY_REASON,
  unknownProtocol: "PROXY v1: unknown protocol (expected TCP4, TCP6 or UNKNOWN)",
  tooLong: `PROXY v1: no CR LF within ${V1_MAX_HEADER_BYTES} bytes`,
  bareLf: "PROXY v1: line ends with a bare LF (CR LF required)",
  bareCr: "PROXY v1: CR not followed by LF",
  badCharacter: "PROXY v1: unexpected character in the address line",
  badFields: "PROXY v1: expected exactly <source> <destination> <source port> <destination port>",
  badSourceAddress: "PROXY v1: bad source address",
  badDestinationAddress: "PROXY v1: bad destination address",
  badSourcePort: "PROXY v1: bad source port",
  badDestinationPort: "PROXY v1: bad destination port",
} as const;

/**
 * Judges `view`, the first bytes of a connection, as a v1 header. `view` may be cut anywhere
 * and may run past the header (the client's data): only the header's bytes are read.
 */
export function inspectV1(view: Buffer): HeaderStep {
  const length = view.length;
  for (let i = 0; i < Math.min(length, V1_PREFIX.length); i += 1) {
    if (view[i] !== V1_PREFIX[i]) return { kind: "invalid", reason: V1Reasons.notProxy };
  }
  if (length < V1_PREFIX.length) return { kind: "incomplete" };

  // The protocol word, refused at its first wrong byte, then a space or the line end (a
  // missing field is reported once the line is complete).
  let candidates: readonly Protocol[] = PROTOCOLS;
  let at = V1_PREFIX.length;
  for (let i = 0; ; i += 1) {
    if (at >= length) return { kind: "incomplete" };
    const byte = view[at];
    const [only] = candidates;
    if (candidates.length === 1 && only !== undefined && i === only.length) {
      if (byte !== SPACE && byte !== CR && byte !== LF) {
        return { kind: "invalid", reason: V1Reasons.unknownProtocol };
      }
      break;
    }
    candidates = candidates.filter((word) => word.charCodeAt(i) === byte);
    if (candidates.length === 0) return { kind: "invalid", reason: V1Reasons.unknownProtocol };
    at += 1;
  }
  const protocol = candidates[0] ?? "UNKNOWN";

  // The line end, at most V1_MAX_HEADER_BYTES bytes from the start.
  let end = -1;
  for (; at < length; at += 1) {
    if (at >= V1_MAX_HEADER_BYTES) return { kind: "invalid", reason: V1Reasons.tooLong };
    const byte = view[at] ?? 0;
    if (byte === CR) {
      // The LF would be byte 108 or later: too long, known without waiting for it.
      if (at + 1 >= V1_MAX_HEADER_BYTES) return { kind: "invalid", reason: V1Reasons.tooLong };
      if (at + 1 >= length) return { kind: "incomplete" };
      if (view[at + 1] !== LF) return { kind: "invalid", reason: V1Reasons.bareCr };
      end = at;
      break;
    }
    if (byte === LF) return { kind: "invalid", reason: V1Reasons.bareLf };
    // UNKNOWN's tail is ignored by the specification; a TCP line can only hold an address.
    if (protocol !== "UNKNOWN" && !isAddressLineByte(byte)) {
      return { kind: "invalid", reason: V1Reasons.badCharacter };
    }
  }
  if (end === -1) {
    return length >= V1_MAX_HEADER_BYTES
      ? { kind: "invalid", reason: V1Reasons.tooLong }
      : { kind: "incomplete" };
  }
  const headerLength = end + 2;
  if (protocol === "UNKNOWN") return { kind: "local", version: 1, headerLength };
  return parseAddressLine(view.toString("latin1", 0, end), protocol, headerLength);
}

/** The addresses and ports of a complete "PROXY TCP4|TCP6 ..." line (CR LF excluded). */
function parseAddressLine(line: string, protocol: "TCP4" | "TCP6", headerLength: number): HeaderStep {
  const fields = line.split(" ");
  if (fields.length !== 6 || fields.includes("")) return { kind: "invalid", reason: V1Reasons.badFields };
  const [, , sourceText = "", destinationText = "", sourcePortText = "", destinationPortText = ""] = fields;
  const source = canonicalAddress(sourceText, protocol);
  if (source === undefined) return { kind: "invalid", reason: V1Reasons.badSourceAddress };
  const destination = canonicalAddress(destinationText, protocol);
  if (destination === undefined) return { kind: "invalid", reason: V1Reasons.badDestinationAddress };
  const sourcePort = parsePort(sourcePortText);
  if (sourcePort === undefined) return { kind: "invalid", reason: V1Reasons.badSourcePort };
  const destinationPort = parsePort(destinationPortText);
  if (destinationPort === undefined) return { kind: "invalid", reason: V1Reasons.badDestinationPort };
  return {
    kind: "proxied",
    version: 1,
    source: { address: source, port: sourcePort },
    destination: { address: destination, port: destinationPort },
    headerLength,
  };
}

/**
 * The address as Node would spell it, or undefined when it is not an address of the line's
 * family. An IPv6 address is re-spelt ("2001:DB8:0::1" → "2001:db8::1") so a proxied peer and
 * a direct one share one name; `::ffff:1.2.3.4` stays as it is, as Node shows it.
 */
function canonicalAddress(text: string, protocol: "TCP4" | "TCP6"): string | undefined {
  if (protocol === "TCP4") {
    const bytes = parseIpv4(text);
    return bytes === undefined ? undefined : formatIpv4(bytes, 0);
  }
  const bytes = parseIpv6(text);
  return bytes === undefined ? undefined : formatIpv6(bytes, 0);
}

const DECIMAL_PORT = /^(?:0|[1-9][0-9]{0,4})$/;

/** A port 0-65535 in plain decimal (no sign, no leading zero), or undefined. */
function parsePort(text: string): number | undefined {
  if (!DECIMAL_PORT.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}
