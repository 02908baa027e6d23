/**
 * PROXY protocol version 2, the binary form (haproxy doc/proxy-protocol.txt section 2.2):
 *
 *     12 bytes  signature  0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A
 *      1 byte   version (high nibble, must be 2) and command (low nibble: 0 LOCAL, 1 PROXY)
 *      1 byte   address family (high nibble) and transport (low nibble)
 *      2 bytes  length of what follows, big-endian
 *      then     the address block, then TLVs up to that length
 *
 * What Loom makes of each (hardening W6):
 * - LOCAL: the proxy's own connection (a health check); family and body are ignored, as the
 *   specification says, and the socket's address is kept.
 * - PROXY over TCP/IPv4 (0x11) or TCP/IPv6 (0x21): the addresses and ports replace the socket's.
 * - PROXY with any other valid family/transport — UNSPEC (0x00), UDP (0x12, 0x22), UNIX (0x31,
 *   0x32), or one half UNSPEC: `local`. The specification lets a receiver that does not support
 *   a combination fall back to UNSPEC, "use the real endpoint addresses"; refusing instead
 *   would turn a proxy misconfiguration into an outage, and the peer is a trusted proxy anyway.
 * - A family above 3 or a transport above 2 with PROXY, a version other than 2, a command above
 *   1, a length shorter than the family's address block, or TLVs that run past the length: invalid.
 * - TLVs (ALPN, SNI, CRC32C, ...) are walked only to check their bounds; none is interpreted.
 *
 * The length field allows 65,535 bytes; the caller's `maxHeaderBytes` caps the whole header and
 * a header announced longer is refused as soon as its length field arrives, before any of the
 * body is buffered.
 */
import { formatIpv4, formatIpv6 } from "./ip-text.js";
import { NOT_PROXY_REASON, type HeaderStep } from "./header-step.js";

/** The 12 bytes every v2 header starts with. */
export const V2_SIGNATURE = Buffer.from([
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a, // "\r\n\r\n\0\r\nQUIT\n"
]);

/** Signature, version/command, family/transport and length: the part before the body. */
export const V2_FIXED_BYTES = 16;

/** The largest header the length field can describe. */
export const V2_MAX_HEADER_BYTES = V2_FIXED_BYTES + 0xffff;

const COMMAND_LOCAL = 0x0;
const COMMAND_PROXY = 0x1;
const FAMILY_UNSPEC = 0x0;
const FAMILY_INET = 0x1;
const FAMILY_INET6 = 0x2;
const FAMILY_UNIX = 0x3;
const TRANSPORT_UNSPEC = 0x0;
const TRANSPORT_STREAM = 0x1;
const TRANSPORT_DGRAM = 0x2;
/** Type and 16-bit length in front of every TLV value. */
const TLV_HEAD_BYTES = 3;

/** Address block size per family: two addresses plus, for IP, two 16-bit ports. */
const ADDRESS_BLOCK_BYTES: Readonly<Record<number, number>> = {
  [FAMILY_UNSPEC]: 0,
  [FAMILY_INET]: 2 * 4 + 2 * 2,
  [FAMILY_INET6]: 2 * 16 + 2 * 2,
  [FAMILY_UNIX]: 2 * 108,
};

/** The v2 reasons, fixed strings (some carry the offending number). */
export const V2Reasons = {
  notProxy: NOT_PROXY_REASON,
  badVersion: (version: number) => `PROXY v2: unsupported version ${version} (expected 2)`,
  badCommand: (command: number) => `PROXY v2: unknown command ${command} (expected 0 LOCAL or 1 PROXY)`,
  badFamily: (family: number) => `PROXY v2: unknown address family ${family}`,
  badTransport: (transport: number) => `PROXY v2: unknown transport protocol ${transport}`,
  tooLong: (bytes: number, limit: number) =>
    `PROXY v2: header of ${bytes} bytes is over the limit of ${limit}`,
  shortBlock: (length: number, needed: number) =>
    `PROXY v2: length ${length} is shorter than the ${needed}-byte address block`,
  badTlv: "PROXY v2: a TLV runs past the end of the header",
} as const;

/**
 * Judges `view`, the first bytes of a connection, as a v2 header no longer than
 * `maxHeaderBytes`. `view` may be cut anywhere and may run past the header (the client's data).
 */
export function inspectV2(view: Buffer, maxHeaderBytes: number): HeaderStep {
  const length = view.length;
  for (let i = 0; i < Math.min(length, V2_SIGNATURE.length); i += 1) {
    if (view[i] !== V2_SIGNATURE[i]) return { kind: "invalid", reason: V2Reasons.notProxy };
  }
  const versionCommand = view[12];
  if (versionCommand === undefined) return { kind: "incomplete" };
  const version = versionCommand >> 4;
  if (version !== 2) return { kind: "invalid", reason: V2Reasons.badVersion(version) };
  const command = versionCommand & 0x0f;
  if (command !== COMMAND_LOCAL && command !== COMMAND_PROXY) {
    return { kind: "invalid", reason: V2Reasons.badCommand(command) };
  }

  const familyTransport = view[13];
  if (familyTransport === undefined) return { kind: "incomplete" };
  const family = familyTransport >> 4;
  const transport = familyTransport & 0x0f;
  // LOCAL ignores the family byte entirely (section 2.2), so only PROXY checks it.
  if (command === COMMAND_PROXY) {
    if (family > FAMILY_UNIX) return { kind: "invalid", reason: V2Reasons.badFamily(family) };
    if (transport > TRANSPORT_DGRAM) return { kind: "invalid", reason: V2Reasons.badTransport(transport) };
  }

  if (length < V2_FIXED_BYTES) return { kind: "incomplete" };
  const bodyLength = view.readUInt16BE(14);
  const headerLength = V2_FIXED_BYTES + bodyLength;
  if (headerLength > maxHeaderBytes) {
    return { kind: "invalid", reason: V2Reasons.tooLong(headerLength, maxHeaderBytes) };
  }
  // With an UNSPEC half the address information is to be ignored, so no block is required.
  const blockBytes =
    command === COMMAND_LOCAL || transport === TRANSPORT_UNSPEC ? 0 : (ADDRESS_BLOCK_BYTES[family] ?? 0);
  if (bodyLength < blockBytes) {
    return { kind: "invalid", reason: V2Reasons.shortBlock(bodyLength, blockBytes) };
  }
  if (length < headerLength) return { kind: "incomplete" };

  if (command === COMMAND_LOCAL) return { kind: "local", version: 2, headerLength };
  if (blockBytes > 0 && !tlvsFit(view, V2_FIXED_BYTES + blockBytes, headerLength)) {
    return { kind: "invalid", reason: V2Reasons.badTlv };
  }
  if (transport === TRANSPORT_STREAM && family === FAMILY_INET) {
    return {
      kind: "proxied",
      version: 2,
      source: { address: formatIpv4(view, 16), port: view.readUInt16BE(24) },
      destination: { address: formatIpv4(view, 20), port: view.readUInt16BE(26) },
      headerLength,
    };
  }
  if (transport === TRANSPORT_STREAM && family === FAMILY_INET6) {
    return {
      kind: "proxied",
      version: 2,
      source: { address: formatIpv6(view, 16), port: view.readUInt16BE(48) },
      destination: { address: formatIpv6(view, 32), port: view.readUInt16BE(50) },
      headerLength,
    };
  }
  // UNSPEC, UDP or UNIX: fall back to the socket's own addresses (see the module comment).
  return { kind: "local", version: 2, headerLength };
}

/** True when the TLVs in `view[from, to)` each fit, head and value, inside that range. */
function tlvsFit(view: Buffer, from: number, to: number): boolean {
  let at = from;
  while (at < to) {
    if (at + TLV_HEAD_BYTES > to) return false;
    at += TLV_HEAD_BYTES + view.readUInt16BE(at + 1);
  }
  return at === to;
}
