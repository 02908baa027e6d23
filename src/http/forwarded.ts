/**
 * Who is really at the other end of an HTTP request (hardening W6, the HTTP half): the client a
 * trusted reverse proxy names in `Forwarded` (RFC 7239) or `X-Forwarded-For` /
 * `X-Forwarded-Proto`, or else the socket's own peer. Pure: no sockets, no logs; the reactor
 * and the HTTP routes call it with what Node parsed.
 *
 * What is believed, and why:
 * - From a socket whose address is not in `proxy.trusted`, no header is read at all: anybody
 *   can send them, so believing one would let anybody choose the address every per-address
 *   limit, log line and `who` sees.
 * - From a trusted proxy, the list is walked from the RIGHT. The right-most entry was written by
 *   the proxy that connected to us; each entry further left is only as good as the proxy that
 *   wrote it. So entries naming trusted proxies are stepped over and the first untrusted one is
 *   the client. A client's own forged entries sit to the left of that and are never reached.
 * - A malformed entry, `unknown`, or an obfuscated identifier (`_hidden`) stops the walk: the
 *   hop that wrote it cannot be identified. The answer is then the last hop that could: the
 *   trusted proxy named just right of it, or the socket itself. Erring on the side of not
 *   believing costs only that such clients share their proxy's per-address allowance.
 * - `Forwarded` is read in preference to `X-Forwarded-*` (it is the standard, and carries the
 *   protocol per hop). But a proxy usually writes one of the two and passes the other through
 *   untouched, so the other one is the client's to write: when both are present they must name
 *   the same client, or neither is believed and the answer is the socket's address.
 * - At most {@link MAX_FORWARDED_HOPS} entries are examined, and a header longer than
 *   {@link MAX_FORWARDED_HEADER_CHARS} is not read at all (Node's own 16 KiB cap on all headers
 *   normally comes first).
 */
import net from "node:net";

/** The protocol the client used to reach the first proxy (or us). */
export type ForwardedProto = "http" | "https";

/** What a request's forwarding headers, as far as they are believed, say about its client. */
export interface ForwardedClient {
  /** The client's address: a forwarded one, or the socket's when no header is believed. */
  readonly clientAddress: string;
  /** The client's port, when a believed `Forwarded` entry names one; otherwise undefined. */
  readonly clientPort: number | undefined;
  /**
   * How the client reached the first proxy: the believed hop's `proto=` or `X-Forwarded-Proto`,
   * or else the listener's own. Logged; the Origin check does not depend on it.
   */
  readonly proto: ForwardedProto;
  /**
   * The trusted proxy the request came through: the socket's address when it is in
   * `proxy.trusted` (whether or not its headers were believed), undefined for a direct client.
   */
  readonly via: string | undefined;
}

/** The request headers read here, as Node's `IncomingHttpHeaders` holds them. */
export interface ForwardingHeaders {
  readonly forwarded?: string | readonly string[] | undefined;
  readonly "x-forwarded-for"?: string | readonly string[] | undefined;
  readonly "x-forwarded-proto"?: string | readonly string[] | undefined;
}

/** Which addresses are trusted proxies: an `AddressAllowList` over `proxy.trusted`. */
export interface TrustedProxies {
  allows(address: string | undefined): boolean;
}

/**
 * Most entries examined, from the right. Twenty is far more proxies than any real chain has
 * (CDN, balancer, nginx), and bounds the work a long forged list can cause.
 */
export const MAX_FORWARDED_HOPS = 20;

/**
 * Longest forwarding header read, in characters. Longer, it is ignored as a whole: nothing in
 * it is believed. Node refuses a request whose headers pass 16 KiB (`maxHeaderSize`), so this
 * binds only if that is raised.
 */
export const MAX_FORWARDED_HEADER_CHARS = 16_384;

/**
 * The client of a request that came in on a socket from `socketAddress`, over a listener
 * speaking `socketProto`. Never throws.
 */
export function forwardedClient(
  socketAddress: string,
  socketProto: ForwardedProto,
  trusted: TrustedProxies,
  headers: ForwardingHeaders,
): ForwardedClient {
  if (!trusted.allows(socketAddress)) return { clientAddress: socketAddress, clientPort: undefined, proto: socketProto, via: undefined };
  const proxy: ForwardedClient = { clientAddress: socketAddress, clientPort: undefined, proto: socketProto, via: socketAddress };
  const forwarded = joined(headers.forwarded);
  const xff = joined(headers["x-forwarded-for"]);
  const xfp = joined(headers["x-forwarded-proto"]);
  if ([forwarded, xff, xfp].some((h) => h !== undefined && h.length > MAX_FORWARDED_HEADER_CHARS)) return proxy;
  const fromXff = xff === undefined ? undefined : walk(socketAddress, trusted, hopsOfXff(xff, xfp));
  if (forwarded !== undefined) {
    const fromForwarded = walk(socketAddress, trusted, hopsOfForwarded(forwarded));
    // Both present: one of them may be the client's own; they must agree.
    if (fromXff !== undefined && !sameAddress(fromXff.address, fromForwarded.address)) return proxy;
    return believed(proxy, fromForwarded);
  }
  if (fromXff !== undefined) return believed(proxy, fromXff);
  // X-Forwarded-Proto alone: the trusted proxy's word on how it was reached.
  return { ...proxy, proto: parseProto(lastItem(xfp ?? "")) ?? socketProto };
}

/** One entry of a forwarding list, from the right: who the proxy that wrote it heard from. */
interface Hop {
  /** A valid IP address, or undefined for `unknown`, an obfuscated name or junk. */
  readonly address: string | undefined;
  readonly port: number | undefined;
  readonly proto: ForwardedProto | undefined;
}

/** Where a walk ended: the address believed, and the hop that said so (none: the socket). */
interface WalkResult {
  readonly address: string;
  readonly hop: Hop | undefined;
  /** The right-most hop, the connecting proxy's word on how it was reached. */
  readonly first: Hop | undefined;
}

/** Walks `hops` (right-most first) past trusted proxies to the first untrusted address. */
function walk(socketAddress: string, trusted: TrustedProxies, hops: readonly Hop[]): WalkResult {
  let address = socketAddress;
  let believed: Hop | undefined;
  for (const hop of hops.slice(0, MAX_FORWARDED_HOPS)) {
    if (hop.address === undefined) break;
    address = hop.address;
    believed = hop;
    if (!trusted.allows(hop.address)) break;
  }
  return { address, hop: believed, first: hops[0] };
}

/** The answer for a walk: the address it ended on, with that hop's port and protocol. */
function believed(proxy: ForwardedClient, result: WalkResult): ForwardedClient {
  const proto = result.hop?.proto ?? result.first?.proto ?? proxy.proto;
  return { ...proxy, clientAddress: result.address, clientPort: result.hop?.port, proto };
}

/** Several header lines of one name, joined as Node joins them (", "); empty counts as absent. */
function joined(value: string | readonly string[] | undefined): string | undefined {
  const text = typeof value === "string" ? value : value?.join(", ");
  return text === undefined || text.trim() === "" ? undefined : text;
}

/**
 * `X-Forwarded-For` entries, right-most first, each with its `X-Forwarded-Proto` when that
 * header has one value per entry (appended hop by hop); a single value, or any other count, is
 * taken as the connecting proxy's word for the right-most entry only.
 */
function hopsOfXff(xff: string, xfp: string | undefined): Hop[] {
  const entries = rightmost(xff);
  const protos = xfp === undefined ? [] : rightmost(xfp);
  const aligned = xfp !== undefined && xff.split(",").length === xfp.split(",").length;
  return entries.map((entry, i) => {
    const { address, port } = parseNode(entry, true);
    const protoText = aligned ? protos[i] : i === 0 ? protos[0] : undefined;
    return { address, port, proto: protoText === undefined ? undefined : parseProto(protoText) };
  });
}

/** The last {@link MAX_FORWARDED_HOPS} comma-separated items, trimmed, right-most first. */
function rightmost(list: string): string[] {
  const items = list.split(",");
  return items.slice(-MAX_FORWARDED_HOPS).reverse().map((s) => s.trim());
}

function lastItem(list: string): string {
  return list.slice(list.lastIndexOf(",") + 1).trim();
}

/** `Forwarded` elements, right-most first. A malformed element becomes a hop with no address. */
function hopsOfForwarded(header: string): Hop[] {
  const elements = splitElements(header);
  const hops: Hop[] = [];
  for (let i = elements.length - 1; i >= 0 && hops.length < MAX_FORWARDED_HOPS; i--) {
    const element = elements[i];
    const pairs = element === undefined ? undefined : parsePairs(element);
    const forValue = pairs?.get("for");
    const node = forValue === undefined ? { address: undefined, port: undefined } : parseNode(forValue, false);
    const protoValue = pairs?.get("proto");
    hops.push({ ...node, proto: protoValue === undefined ? undefined : parseProto(protoValue) });
  }
  return hops;
}

/**
 * Splits a `Forwarded` value into its elements at commas outside quoted strings. An element
 * with an unterminated quote becomes `undefined` (malformed), and so stops the walk there.
 */
function splitElements(header: string): (string | undefined)[] {
  const elements: (string | undefined)[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      elements.push(header.slice(start, i));
      start = i + 1;
    }
  }
  elements.push(quoted ? undefined : header.slice(start));
  return elements;
}

/** RFC 7230 token characters (RFC 7239 section 4 uses them for names and bare values). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * An element's `name=value` pairs, names lower-cased, quoted values unquoted. Undefined when
 * the element is malformed or names a parameter twice (RFC 7239 section 4: each at most once).
 */
function parsePairs(element: string): Map<string, string> | undefined {
  const pairs = new Map<string, string>();
  for (const raw of splitPairs(element)) {
    const pair = raw.trim();
    const eq = pair.indexOf("=");
    if (eq <= 0) return undefined;
    const name = pair.slice(0, eq).toLowerCase();
    let value = pair.slice(eq + 1);
    if (!TOKEN.test(name) || pairs.has(name)) return undefined;
    if (value.startsWith('"')) {
      if (value.length < 2 || !value.endsWith('"')) return undefined;
      value = value.slice(1, -1).replace(/\\(.)/g, "$1");
    } else if (!TOKEN.test(value)) {
      // Unquoted `for=1.2.3.4:5678` is not RFC 7239 (':' is no token character) but proxies
      // send it; an address is checked as strictly either way.
      if (name !== "for" || !/^[0-9.:]+$/.test(value)) return undefined;
    }
    pairs.set(name, value);
  }
  return pairs;
}

/** Splits an element at semicolons outside quoted strings. */
function splitPairs(element: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < element.length; i++) {
    const c = element[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ";") {
      out.push(element.slice(start, i));
      start = i + 1;
    }
  }
  out.push(element.slice(start));
  return out;
}

/**
 * A node (RFC 7239 section 6): `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]`, `[2001:db8::1]:4711`.
 * `bareIpv6` also allows an unbracketed IPv6 address, as `X-Forwarded-For` writes it. `unknown`,
 * obfuscated names (`_hidden`), ports that are not numbers and anything else give no address.
 */
function parseNode(text: string, bareIpv6: boolean): { address: string | undefined; port: number | undefined } {
  const none = { address: undefined, port: undefined };
  let host = text;
  let portText: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close === -1) return none;
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== "") {
      if (!rest.startsWith(":")) return none;
      portText = rest.slice(1);
    }
    if (net.isIPv6(host) === false) return none;
  } else if (net.isIPv4(text)) {
    host = text;
  } else if (bareIpv6 && net.isIPv6(text)) {
    host = text;
  } else {
    const colon = text.lastIndexOf(":");
    if (colon === -1 || !net.isIPv4(text.slice(0, colon))) return none;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  if (host.includes("%")) return none; // a zone names our interface, not the client
  if (portText === undefined) return { address: host, port: undefined };
  // An obfuscated port ("_abc") hides only the port; the address still stands.
  if (/^_[0-9A-Za-z._-]+$/.test(portText)) return { address: host, port: undefined };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return none;
  return { address: host, port: Number(portText) };
}

function parseProto(text: string): ForwardedProto | undefined {
  const p = text.trim().toLowerCase();
  return p === "http" || p === "https" ? p : undefined;
}

/** Whether two addresses are one, whatever their notation (IPv6 case and zero compression). */
function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  if (!net.isIPv6(a) || !net.isIPv6(b)) return false;
  const list = new net.BlockList();
  list.addAddress(a, "ipv6");
  return list.check(b, "ipv6");
}
