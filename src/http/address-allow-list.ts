/**
 * Which peers may read an operator-only route such as `/metrics` (issue 5 item 13): a list of
 * addresses and CIDR ranges, checked against the socket's remote address.
 *
 * The metrics name every door's load and every refusal; a stranger reading them learns when the
 * server is near its caps. The default admits loopback and the private ranges, so a Prometheus
 * on the same host or in the same compose network still scrapes, and the public Internet gets
 * 403. Behind a reverse proxy the peer is the proxy: list it only if the proxy itself guards
 * the route.
 */
import net from "node:net";

/** An entry parsed from `"10.0.0.0/8"`, `"::1"` or `"fc00::/7"`. */
export interface AddressRange {
  readonly family: "ipv4" | "ipv6";
  readonly network: string;
  readonly prefix: number;
}

/**
 * Parses one entry: an IP address (a single host) or `address/prefix`. Returns `undefined`
 * for anything else (a host name, a prefix out of range), so the config schema can name it.
 */
export function parseAddressRange(entry: string): AddressRange | undefined {
  const slash = entry.indexOf("/");
  const network = slash === -1 ? entry : entry.slice(0, slash);
  const kind = net.isIP(network);
  if (kind === 0) return undefined;
  const family = kind === 4 ? "ipv4" : "ipv6";
  const max = kind === 4 ? 32 : 128;
  if (slash === -1) return { family, network, prefix: max };
  const text = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const prefix = Number(text);
  return prefix <= max ? { family, network, prefix } : undefined;
}

/** A set of address ranges. Empty admits nobody. */
export class AddressAllowList {
  readonly #ranges: net.BlockList;
  readonly #empty: boolean;

  /** Throws a RangeError naming the first entry that is neither an address nor a CIDR range. */
  constructor(entries: readonly string[]) {
    this.#ranges = new net.BlockList();
    this.#empty = entries.length === 0;
    for (const entry of entries) {
      const range = parseAddressRange(entry);
      if (range === undefined) throw new RangeError(`not an IP address or CIDR range: ${JSON.stringify(entry)}`);
      this.#ranges.addSubnet(range.network, range.prefix, range.family);
    }
  }

  /**
   * Whether `address` (a socket's remote address) is in one of the ranges. An IPv4-mapped IPv6
   * address (`::ffff:10.1.2.3`, from a dual-stack listener) matches the IPv4 ranges: BlockList
   * compares it as IPv4. Anything unparseable is refused.
   */
  allows(address: string | undefined): boolean {
    if (this.#empty || address === undefined) return false;
    const kind = net.isIP(address);
    if (kind === 0) return false;
    return this.#ranges.check(address, kind === 4 ? "ipv4" : "ipv6");
  }
}
