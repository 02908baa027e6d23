/**
 * The key every per-address limit counts under (hardening F3, F4, F10, A2, A3; issue 5 item 14).
 *
 * A limit keyed on the literal peer address is no limit against IPv6: one ordinary customer
 * line is a /64, 2^64 addresses, so an attacker changes address for every connection. And one
 * IPv4 client seen by a dual-stack listener arrives as `::ffff:192.0.2.1`, which must count
 * with `192.0.2.1`. So IPv4 (plain or mapped) keys on the whole address, IPv6 on its /64.
 *
 * Logs keep the real address; only limits use the key.
 */
import net from "node:net";

/** How many leading 16-bit groups of an IPv6 address the key keeps: a /64. */
const IPV6_KEY_GROUPS = 4;

/**
 * The per-address limit key for `address`: an IPv4 address as is (an IPv4-mapped IPv6 address
 * such as `::ffff:192.0.2.1` becomes `192.0.2.1`), an IPv6 address as its /64 prefix
 * (`2001:db8:1:2::/64`), and anything else (a Unix socket path, "unknown") unchanged. Pure;
 * the same network always gives the same string whatever notation the address came in.
 */
export function addressKey(address: string): string {
  // A zone ("fe80::1%eth0") names the interface, not the peer; two zones are one limit.
  const percent = address.indexOf("%");
  const bare = percent === -1 ? address : address.slice(0, percent);
  const family = net.isIP(bare);
  if (family === 4) return bare;
  if (family !== 6) return address;
  const groups = expandIpv6(bare);
  if (groups === undefined) return address;
  // ::ffff:a.b.c.d (and its hexadecimal form ::ffff:xxxx:yyyy) is an IPv4 peer.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const hi = groups[6]!;
    const lo = groups[7]!;
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  const prefix = groups.slice(0, IPV6_KEY_GROUPS).map((g) => g.toString(16));
  // Trailing zero groups compress as "::", so one network has one spelling.
  while (prefix.length > 0 && prefix[prefix.length - 1] === "0") prefix.pop();
  return `${prefix.join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 literal (net.isIP already said it is one). */
function expandIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  // A dotted IPv4 tail ("::ffff:1.2.3.4") is two groups.
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const octets = tail.split(".").map(Number);
    if (octets.length !== 4) return undefined;
    const [a, b, c, d] = octets as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const rest = halves.length === 2 ? (halves[1] === "" ? [] : halves[1]!.split(":")) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...Array<string>(missing).fill("0"), ...rest].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}
