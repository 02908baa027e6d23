/**
 * Hardening W6, the HTTP half: `Forwarded` / `X-Forwarded-For` / `X-Forwarded-Proto` are
 * believed only from trusted proxies, walked from the right, and never past an entry that cannot
 * be identified. The proxy here is 10.0.0.1; 10.0.0.2 is a second trusted hop (a CDN edge).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressAllowList } from "../../src/http/address-allow-list.js";
import { forwardedClient, MAX_FORWARDED_HEADER_CHARS, MAX_FORWARDED_HOPS, type ForwardingHeaders } from "../../src/http/forwarded.js";

const PROXY = "10.0.0.1";
const trusted = new AddressAllowList([PROXY, "10.0.0.2", "2001:db8:ffff::/48"]);

function from(socket: string, headers: ForwardingHeaders, proto: "http" | "https" = "http") {
  return forwardedClient(socket, proto, trusted, headers);
}

describe("W6: forwarding headers from a socket that is not a trusted proxy", () => {
  it("are ignored entirely, whatever they say", () => {
    const result = from("198.51.100.1", {
      "x-forwarded-for": "203.0.113.7",
      "x-forwarded-proto": "https",
      forwarded: 'for="[2001:db8::1]";proto=https',
    });
    expect(result).toEqual({ clientAddress: "198.51.100.1", clientPort: undefined, proto: "http", via: undefined });
  });

  it("an empty trusted list trusts nobody, not even loopback", () => {
    const none = new AddressAllowList([]);
    expect(forwardedClient("127.0.0.1", "http", none, { "x-forwarded-for": "203.0.113.7" }).clientAddress).toBe("127.0.0.1");
  });
});

describe("W6: X-Forwarded-For from a trusted proxy", () => {
  it.each([
    ["the client the proxy names", "203.0.113.7", "203.0.113.7"],
    ["a forged left-most entry is never believed", "6.6.6.6, 203.0.113.7", "203.0.113.7"],
    ["several forged entries, spaces or none", "1.1.1.1,2.2.2.2 ,  203.0.113.7", "203.0.113.7"],
    ["trusted hops are stepped over", "203.0.113.7, 10.0.0.2", "203.0.113.7"],
    ["the first untrusted hop from the right wins", "6.6.6.6, 198.51.100.4, 10.0.0.2", "198.51.100.4"],
    ["a bare IPv6 address", "2001:db8::7", "2001:db8::7"],
    ["a bracketed IPv6 address with a port", "[2001:db8::7]:4711", "2001:db8::7"],
    ["an IPv4 address with a port", "203.0.113.7:5678", "203.0.113.7"],
    ["an IPv6 hop inside a trusted range is stepped over", "203.0.113.7, 2001:db8:ffff::9", "203.0.113.7"],
    ["every hop trusted: the left-most of them", "10.0.0.2", "10.0.0.2"],
    ["`unknown` stops the walk: the proxy's own address", "unknown", PROXY],
    ["junk stops the walk", "203.0.113.7, not-an-ip", PROXY],
    ["junk behind a trusted hop: that hop", "203.0.113.7, junk, 10.0.0.2", "10.0.0.2"],
    ["a host name is not an address", "evil.example", PROXY],
    ["a zone is refused", "fe80::1%eth0", PROXY],
    ["a port past 65535", "203.0.113.7:65536", PROXY],
    ["an empty entry", "203.0.113.7, ", PROXY],
    ["an empty header", "   ", PROXY],
  ])("%s", (_name, xff, expected) => {
    expect(from(PROXY, { "x-forwarded-for": xff }).clientAddress).toBe(expected);
  });

  it("via names the trusted proxy, believed or not", () => {
    expect(from(PROXY, { "x-forwarded-for": "203.0.113.7" }).via).toBe(PROXY);
    expect(from(PROXY, { "x-forwarded-for": "junk" }).via).toBe(PROXY);
    expect(from(PROXY, {}).via).toBe(PROXY);
  });

  it("several header lines, as Node hands them over or joins them, read as one list", () => {
    expect(from(PROXY, { "x-forwarded-for": ["6.6.6.6", "203.0.113.7"] }).clientAddress).toBe("203.0.113.7");
    expect(from(PROXY, { "x-forwarded-for": "6.6.6.6, 203.0.113.7" }).clientAddress).toBe("203.0.113.7");
  });

  it("X-Forwarded-Proto: the connecting proxy's single value, or the value aligned with the client's entry", () => {
    expect(from(PROXY, { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https" }).proto).toBe("https");
    expect(from(PROXY, { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "HTTPS" }).proto).toBe("https");
    // Two hops, each appending: the client spoke https to the edge, the edge http to nginx.
    expect(from(PROXY, { "x-forwarded-for": "203.0.113.7, 10.0.0.2", "x-forwarded-proto": "https, http" }).proto).toBe("https");
    // A forged left-most proto with one value fewer than the hops: the connecting proxy's word.
    expect(from(PROXY, { "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2", "x-forwarded-proto": "https, http" }).proto).toBe("http");
    expect(from(PROXY, { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "gopher" }).proto).toBe("http");
    expect(from(PROXY, { "x-forwarded-for": "203.0.113.7" }, "https").proto).toBe("https");
  });

  it("X-Forwarded-Proto alone: the proxy's protocol, the proxy's address", () => {
    expect(from(PROXY, { "x-forwarded-proto": "https" })).toEqual({ clientAddress: PROXY, clientPort: undefined, proto: "https", via: PROXY });
  });
});

describe("W6: Forwarded (RFC 7239) from a trusted proxy", () => {
  it.each([
    ["the client the proxy names", "for=203.0.113.7", "203.0.113.7", undefined],
    ["case-insensitive names, other parameters", "For=203.0.113.7;BY=10.0.0.1;host=play.example.org", "203.0.113.7", undefined],
    ["quoted IPv4 with a port", 'for="203.0.113.7:5678"', "203.0.113.7", 5678],
    ["unquoted IPv4 with a port (common, not RFC)", "for=203.0.113.7:5678", "203.0.113.7", 5678],
    ["quoted bracketed IPv6 with a port", 'for="[2001:db8:cafe::17]:4711"', "2001:db8:cafe::17", 4711],
    ["quoted bracketed IPv6", 'for="[2001:db8:cafe::17]"', "2001:db8:cafe::17", undefined],
    ["an obfuscated port hides only the port", 'for="203.0.113.7:_p1"', "203.0.113.7", undefined],
    ["forged left elements", "for=6.6.6.6, for=203.0.113.7", "203.0.113.7", undefined],
    ["spaces around separators", " for=6.6.6.6 ,for=203.0.113.7 ; proto=https ", "203.0.113.7", undefined],
    ["trusted hops stepped over", 'for=203.0.113.7;proto=https, for="10.0.0.2:443"', "203.0.113.7", undefined],
    ["a comma inside a quoted forged value does not split", 'for="6.6.6.6, for=9.9.9.9", for=203.0.113.7', "203.0.113.7", undefined],
    ["`unknown` stops the walk", "for=unknown", PROXY, undefined],
    ["an obfuscated identifier stops the walk", "for=_hidden", PROXY, undefined],
    ["obfuscated behind a trusted hop: that hop", "for=203.0.113.7, for=_hidden, for=10.0.0.2", "10.0.0.2", undefined],
    ["unbracketed IPv6 is malformed", 'for="2001:db8::1"', PROXY, undefined],
    ["unquoted brackets are malformed", "for=[2001:db8::1]", PROXY, undefined],
    ["an element without for=", "proto=https", PROXY, undefined],
    ["a parameter twice", "for=203.0.113.7;for=198.51.100.1", PROXY, undefined],
    ["an unterminated quote", 'for="203.0.113.7', PROXY, undefined],
    ["junk", ";;==,,", PROXY, undefined],
    ["a pair without a name", "=203.0.113.7", PROXY, undefined],
    ["a host name", "for=evil.example", PROXY, undefined],
  ])("%s", (_name, forwarded, expected, port) => {
    const result = from(PROXY, { forwarded });
    expect(result.clientAddress).toBe(expected);
    expect(result.clientPort).toBe(port);
  });

  it("proto= of the believed element", () => {
    expect(from(PROXY, { forwarded: "for=203.0.113.7;proto=https" }).proto).toBe("https");
    expect(from(PROXY, { forwarded: 'for=203.0.113.7;proto=https, for="10.0.0.2";proto=http' }).proto).toBe("https");
    expect(from(PROXY, { forwarded: "for=203.0.113.7;proto=wss" }).proto).toBe("http");
    expect(from(PROXY, { forwarded: "for=unknown;proto=https" }).proto).toBe("https");
  });

  it("takes precedence over X-Forwarded-* when both name the same client", () => {
    const result = from(PROXY, { forwarded: "for=203.0.113.7;proto=https", "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "http" });
    expect(result).toEqual({ clientAddress: "203.0.113.7", clientPort: undefined, proto: "https", via: PROXY });
    expect(from(PROXY, { forwarded: 'for="[2001:DB8::7]"', "x-forwarded-for": "2001:db8:0::7" }).clientAddress).toBe("2001:DB8::7");
  });

  it("believes neither when the two disagree: one of them is the client's own", () => {
    // nginx appends to X-Forwarded-For and passes a client's Forwarded header through untouched.
    expect(from(PROXY, { forwarded: "for=9.9.9.9", "x-forwarded-for": "203.0.113.7" }).clientAddress).toBe(PROXY);
    // And the other way round.
    expect(from(PROXY, { forwarded: "for=203.0.113.7", "x-forwarded-for": "9.9.9.9" }).clientAddress).toBe(PROXY);
  });
});

describe("W6: bounds", () => {
  it(`examines at most ${MAX_FORWARDED_HOPS} entries from the right`, () => {
    const hops = (n: number): string => ["203.0.113.7", ...Array<string>(n).fill("10.0.0.2")].join(", ");
    expect(from(PROXY, { "x-forwarded-for": hops(MAX_FORWARDED_HOPS - 1) }).clientAddress).toBe("203.0.113.7");
    expect(from(PROXY, { "x-forwarded-for": hops(MAX_FORWARDED_HOPS) }).clientAddress).toBe("10.0.0.2");
    const elements = (n: number): string => ["for=203.0.113.7", ...Array<string>(n).fill("for=10.0.0.2")].join(", ");
    expect(from(PROXY, { forwarded: elements(MAX_FORWARDED_HOPS - 1) }).clientAddress).toBe("203.0.113.7");
    expect(from(PROXY, { forwarded: elements(MAX_FORWARDED_HOPS) }).clientAddress).toBe("10.0.0.2");
  });

  it(`reads a header of ${MAX_FORWARDED_HEADER_CHARS} characters, and ignores one longer`, () => {
    const padded = (length: number): string => {
      const tail = ", 203.0.113.7";
      return `${"1".repeat(length - tail.length)}${tail}`;
    };
    expect(padded(MAX_FORWARDED_HEADER_CHARS)).toHaveLength(MAX_FORWARDED_HEADER_CHARS);
    expect(from(PROXY, { "x-forwarded-for": padded(MAX_FORWARDED_HEADER_CHARS) }).clientAddress).toBe("203.0.113.7");
    expect(from(PROXY, { "x-forwarded-for": padded(MAX_FORWARDED_HEADER_CHARS + 1) }).clientAddress).toBe(PROXY);
  });

  it("a huge list of commas and quotes costs little", () => {
    const started = performance.now();
    const header = `${'",'.repeat(4000)}for=203.0.113.7`;
    from(PROXY, { forwarded: header, "x-forwarded-for": ",".repeat(16_000) });
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe("W6: property", () => {
  const listed = ["203.0.113.7", "198.51.100.4", "2001:db8::7", "10.0.0.2", "unknown", "_hidden", "junk", "[2001:db8::9]:80", "203.0.113.8:4000"];
  const piece = fc.oneof(
    fc.constantFrom(...listed, ",", ";", "=", '"', " ", "for=", "proto=https", "[", "]", ":"),
    fc.string({ maxLength: 8 }),
  );
  const header = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(""));

  it("never throws, and answers the socket's address or an address the headers list", () => {
    fc.assert(
      fc.property(fc.constantFrom(PROXY, "198.51.100.1"), fc.option(header), fc.option(header), fc.option(header), (socket, f, x, p) => {
        const headers: ForwardingHeaders = {
          ...(f === null ? {} : { forwarded: f }),
          ...(x === null ? {} : { "x-forwarded-for": x }),
          ...(p === null ? {} : { "x-forwarded-proto": p }),
        };
        const result = forwardedClient(socket, "http", trusted, headers);
        const all = `${f ?? ""} ${x ?? ""}`;
        expect(result.clientAddress === socket || all.includes(result.clientAddress)).toBe(true);
        if (socket !== PROXY) expect(result.clientAddress).toBe(socket);
        expect(["http", "https"]).toContain(result.proto);
      }),
      { seed: 4711, numRuns: 2000 },
    );
  });
});
