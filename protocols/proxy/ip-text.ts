/**
 * IP addresses between bytes and text, for the PROXY protocol header (hardening W6).
 *
 * The address a PROXY header announces replaces `socket.remoteAddress` for everything after it:
 * logs, per-address limits (src/reactor/address-key.ts), the who list. So it must be spelled the
 * way Node spells a peer address, or one client would show up under two names depending on
 * whether a proxy stood in front of it: lower-case hexadecimal, the longest run of zero groups
 * compressed to "::", and an IPv4-mapped (`::ffff:1.2.3.4`) or IPv4-compatible (`::1.2.3.4`)
 * address with a dotted tail. That is what libuv's `uv_inet_ntop` writes; the tests compare
 * {@link formatIpv6} with `net.SocketAddress` on many addresses.
 *
 * Parsing is strict on purpose (the PROXY v1 text must not be read two ways): IPv4 is exactly
 * four decimal numbers 0-255 without leading zeros (a leading zero reads as octal elsewhere),
 * IPv6 is what `net.isIPv6` accepts minus zone ids ("%eth0").
 */
import net from "node:net";

/** The dotted quad of the 4 bytes at `offset` of `bytes`. */
export function formatIpv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** The text Node would show for the 16-byte IPv6 address at `offset` of `bytes`. */
export function formatIpv6(bytes: Uint8Array, offset: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i += 1) {
    words.push(((bytes[offset + 2 * i] ?? 0) << 8) | (bytes[offset + 2 * i + 1] ?? 0));
  }
  // The longest run of two or more zero groups becomes "::"; the first one wins a tie.
  let bestBase = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < 8 && words[end] === 0) end += 1;
    if (end - i > bestLength) {
      bestBase = i;
      bestLength = end - i;
    }
    i = end;
  }
  if (bestLength < 2) bestBase = -1;
  let text = "";
  for (let i = 0; i < 8; i += 1) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLength) {
      if (i === bestBase) text += ":";
      continue;
    }
    if (i !== 0) text += ":";
    // libuv writes an IPv4-compatible (::a.b.c.d) or IPv4-mapped (::ffff:a.b.c.d) address with
    // a dotted tail; "::2" (seven zero groups) stays hexadecimal.
    if (i === 6 && bestBase === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff))) {
      return text + formatIpv4(bytes, offset + 12);
    }
    text += (words[i] ?? 0).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLength === 8) text += ":";
  return text;
}

const DECIMAL_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;

/** The 4 bytes of a strict dotted quad, or undefined when `text` is not one. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i += 1) {
    const part = parts[i] ?? "";
    if (!DECIMAL_OCTET.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    out[i] = value;
  }
  return out;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** The 16 bytes of an IPv6 literal (an embedded dotted quad allowed, no zone id), or undefined. */
export function parseIpv6(text: string): Uint8Array | undefined {
  if (!net.isIPv6(text) || text.includes("%")) return undefined;
  let head = text;
  let tail: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.indexOf(".", lastColon) !== -1) {
    tail = parseIpv4(text.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    // Keep the colon that separated the dotted tail, so "::1.2.3.4" leaves "::".
    head = text.slice(0, lastColon + 1);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const groupsWanted = tail === undefined ? 8 : 6;
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const left = splitGroups(halves[0] ?? "");
  const right = halves.length === 2 ? splitGroups(halves[1] ?? "") : [];
  if (left === undefined || right === undefined) return undefined;
  const missing = groupsWanted - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...left, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...right];
  const out = new Uint8Array(16);
  words.forEach((word, i) => {
    out[2 * i] = word >> 8;
    out[2 * i + 1] = word & 0xff;
  });
  if (tail !== undefined) out.set(tail, 12);
  return out;
}

/** The 16-bit values of colon-separated hex groups ("" is no group), or undefined. */
function splitGroups(text: string): number[] | undefined {
  if (text === "") return [];
  const groups: number[] = [];
  for (const part of text.split(":")) {
    if (!HEX_GROUP.test(part)) return undefined;
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}
