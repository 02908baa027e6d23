import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_HEADER_BYTES,
  NOT_PROXY_REASON,
  ProxyHeaderParser,
  V1Reasons,
  V2Reasons,
  startsLikeProxyHeader,
  type ProxyHeaderOptions,
  type ProxyHeaderResult,
} from "../../../protocols/proxy/proxy-header.js";
import { FC_SEED, chunksOf, cutsArbitrary, everyChunkSize, splitAt } from "../line/chunks.js";

/** A final result with `rest` as a plain string of everything after the header, however fed. */
type Normal =
  | { kind: "incomplete" }
  | { kind: "invalid"; reason: string }
  | { kind: "proxied"; version: 1 | 2; source: Endpoint; destination: Endpoint; rest: number[] }
  | { kind: "local"; version: 1 | 2; rest: number[] };
interface Endpoint {
  address: string;
  port: number;
}

interface Run {
  readonly result: Normal;
  /** Largest `bufferedBytes` seen after any feed. */
  readonly maxBuffered: number;
  /** Feeds that returned a final result (must be exactly one, or zero when incomplete). */
  readonly finals: number;
}

/** Feeds `chunks` until a final result; the chunks after it count as client data (`rest`). */
function run(chunks: readonly Uint8Array[], options: ProxyHeaderOptions = {}): Run {
  const parser = new ProxyHeaderParser(options);
  let result: ProxyHeaderResult = { kind: "incomplete" };
  let maxBuffered = 0;
  let finals = 0;
  const after: number[] = [];
  for (const chunk of chunks) {
    if (result.kind !== "incomplete") {
      after.push(...chunk);
      continue;
    }
    result = parser.feed(Buffer.from(chunk));
    maxBuffered = Math.max(maxBuffered, parser.bufferedBytes);
    if (result.kind !== "incomplete") finals += 1;
  }
  return { result: normalize(result, after), maxBuffered, finals };
}

function normalize(result: ProxyHeaderResult, after: readonly number[]): Normal {
  switch (result.kind) {
    case "incomplete":
      return { kind: "incomplete" };
    case "invalid":
      return { kind: "invalid", reason: result.reason };
    case "proxied":
      return {
        kind: "proxied",
        version: result.version,
        source: { ...result.source },
        destination: { ...result.destination },
        rest: [...result.rest, ...after],
      };
    case "local":
      return { kind: "local", version: result.version, rest: [...result.rest, ...after] };
    default: {
      const never: never = result;
      return never;
    }
  }
}

/**
 * Feeds `input` whole, at every chunk size down to one byte, and under seeded random splits:
 * every way gives `expected`, holds at most the cap, and gives one final result (style habit 1).
 */
function expectEverySplit(input: Uint8Array, expected: Normal, options: ProxyHeaderOptions = {}): void {
  const cap = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const finals = expected.kind === "incomplete" ? 0 : 1;
  const check = (chunks: readonly Uint8Array[], label: string): void => {
    const outcome = run(chunks, options);
    expect(outcome.result, label).toEqual(expected);
    expect(outcome.maxBuffered, label).toBeLessThanOrEqual(cap);
    expect(outcome.finals, label).toBe(finals);
  };
  check([input], "whole");
  for (const size of everyChunkSize(input)) check(chunksOf(input, size), `chunk size ${size}`);
  fc.assert(
    fc.property(cutsArbitrary, (cuts) => check(splitAt(input, cuts), `cuts ${cuts.join(",")}`)),
    { seed: FC_SEED, numRuns: 100 },
  );
}

const text = (value: string): number[] => [...Buffer.from(value, "latin1")];
const ascii = (value: string): Buffer => Buffer.from(value, "latin1");

function proxied(version: 1 | 2, source: Endpoint, destination: Endpoint, rest = ""): Normal {
  return { kind: "proxied", version, source, destination, rest: text(rest) };
}
function local(version: 1 | 2, rest = ""): Normal {
  return { kind: "local", version, rest: text(rest) };
}
function invalid(reason: string): Normal {
  return { kind: "invalid", reason };
}

const SIGNATURE = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a];

/** A v2 header: signature, version/command, family/transport, `body`; length = body's unless given. */
function v2(versionCommand: number, familyTransport: number, body: readonly number[], length = body.length): number[] {
  return [...SIGNATURE, versionCommand, familyTransport, length >> 8, length & 0xff, ...body];
}
const port = (value: number): number[] => [value >> 8, value & 0xff];
const IPV4_BLOCK = [192, 0, 2, 1, 198, 51, 100, 7, ...port(56324), ...port(4000)];
const IPV6_SOURCE = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // 2001:db8::1
const IPV6_LOOPBACK = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // ::1
const IPV6_BLOCK = [...IPV6_SOURCE, ...IPV6_LOOPBACK, ...port(56324), ...port(4000)];
const tlv = (type: number, value: readonly number[]): number[] => [type, ...port(value.length), ...value];

const V4_SOURCE = { address: "192.0.2.1", port: 56324 };
const V4_DESTINATION = { address: "198.51.100.7", port: 4000 };

describe("ProxyHeaderParser, v1 (text)", () => {
  it("reads a TCP4 line", () => {
    expectEverySplit(
      ascii("PROXY TCP4 192.0.2.1 198.51.100.7 56324 4000\r\n"),
      proxied(1, V4_SOURCE, V4_DESTINATION),
    );
  });

  it("reads a TCP6 line, spelling the addresses as Node does", () => {
    expectEverySplit(
      ascii("PROXY TCP6 2001:DB8:0:0:0:0:0:1 ::1 65535 0\r\n"),
      proxied(1, { address: "2001:db8::1", port: 65535 }, { address: "::1", port: 0 }),
    );
  });

  it("passes an IPv4-mapped IPv6 source through as Node shows it", () => {
    expectEverySplit(
      ascii("PROXY TCP6 ::ffff:192.0.2.1 ::ffff:198.51.100.7 1 2\r\n"),
      proxied(1, { address: "::ffff:192.0.2.1", port: 1 }, { address: "::ffff:198.51.100.7", port: 2 }),
    );
  });

  it("reads PROXY UNKNOWN, short and with ignored fields, as local", () => {
    expectEverySplit(ascii("PROXY UNKNOWN\r\n"), local(1));
    expectEverySplit(ascii("PROXY UNKNOWN whatever the sender \x01 put here\r\nlook\r\n"), local(1, "look\r\n"));
  });

  it("hands on the client's data that came in the same chunk as the header (rest)", () => {
    expectEverySplit(
      ascii("PROXY TCP4 192.0.2.1 198.51.100.7 56324 4000\r\nconnect alice secret\r\n\xff\xfb\x01"),
      proxied(1, V4_SOURCE, V4_DESTINATION, "connect alice secret\r\n\xff\xfb\x01"),
    );
  });

  it("rest is a view of the chunk that finished the header", () => {
    const parser = new ProxyHeaderParser();
    expect(parser.feed(Buffer.from("PROXY TCP4 192.0.2.1 198.51.100.7 56324 40"))).toEqual({ kind: "incomplete" });
    const last = Buffer.from("00\r\nlook\r\n");
    const result = parser.feed(last);
    expect(result.kind).toBe("proxied");
    if (result.kind !== "proxied") return;
    expect(result.rest.toString()).toBe("look\r\n");
    expect(result.rest.buffer).toBe(last.buffer);
  });

  it("accepts the longest legal line, 107 bytes", () => {
    const full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
    const line = `PROXY UNKNOWN ${full} ${full} 65535 65535\r\n`;
    expect(line.length).toBe(107);
    expectEverySplit(ascii(`${line}x`), local(1, "x"));
    const tcp6 = `PROXY TCP6 ${full} ${full} 65535 65535\r\n`;
    expectEverySplit(ascii(tcp6), proxied(1, { address: full, port: 65535 }, { address: full, port: 65535 }));
  });

  it("refuses 108 bytes without CR LF, at byte 107 and holding no more", () => {
    const line = `PROXY UNKNOWN ${"x".repeat(93)}`;
    expect(line.length).toBe(107);
    expectEverySplit(ascii(line), invalid(V1Reasons.tooLong));
    expectEverySplit(ascii(`${line}\r\n`), invalid(V1Reasons.tooLong));
    // A CR as byte 107 cannot be followed by its LF within the limit.
    expectEverySplit(ascii(`${line.slice(0, 106)}\r\n`), invalid(V1Reasons.tooLong));
  });

  it("refuses a line ended by LF alone, or by CR alone", () => {
    expectEverySplit(ascii("PROXY TCP4 192.0.2.1 198.51.100.7 56324 4000\n"), invalid(V1Reasons.bareLf));
    expectEverySplit(ascii("PROXY UNKNOWN\n"), invalid(V1Reasons.bareLf));
    expectEverySplit(ascii("PROXY TCP4 192.0.2.1 198.51.100.7 56324 4000\rlook"), invalid(V1Reasons.bareCr));
  });

  it("refuses bad addresses", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["PROXY TCP4 256.0.2.1 198.51.100.7 1 2\r\n", V1Reasons.badSourceAddress],
      ["PROXY TCP4 192.0.2.01 198.51.100.7 1 2\r\n", V1Reasons.badSourceAddress], // leading zero: octal elsewhere
      ["PROXY TCP4 192.0.2 198.51.100.7 1 2\r\n", V1Reasons.badSourceAddress],
      ["PROXY TCP4 192.0.2.1 ::1 1 2\r\n", V1Reasons.badDestinationAddress], // family mismatch
      ["PROXY TCP6 192.0.2.1 ::1 1 2\r\n", V1Reasons.badSourceAddress],
      ["PROXY TCP6 ::1 1::2::3 1 2\r\n", V1Reasons.badDestinationAddress],
      ["PROXY TCP6 ::1 ::ffff:1.2.3.04 1 2\r\n", V1Reasons.badDestinationAddress],
      ["PROXY TCP6 ::1 ::g 1 2\r\n", V1Reasons.badCharacter],
      ["PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n", V1Reasons.badCharacter], // zone ids are not addresses
      ["PROXY TCP4 localhost 198.51.100.7 1 2\r\n", V1Reasons.badCharacter],
    ];
    for (const [line, reason] of cases) expectEverySplit(ascii(line), invalid(reason));
  });

  it("refuses bad ports: 65536, a sign, a leading zero, hex", () => {
    const line = (source: string, destination: string): Uint8Array =>
      ascii(`PROXY TCP4 192.0.2.1 198.51.100.7 ${source} ${destination}\r\n`);
    expectEverySplit(line("65536", "4000"), invalid(V1Reasons.badSourcePort));
    expectEverySplit(line("4000", "65536"), invalid(V1Reasons.badDestinationPort));
    expectEverySplit(line("04000", "4000"), invalid(V1Reasons.badSourcePort));
    expectEverySplit(line("4000", "99999999"), invalid(V1Reasons.badDestinationPort));
    expectEverySplit(line("4000", "fa"), invalid(V1Reasons.badDestinationPort));
    expectEverySplit(line("+1", "4000"), invalid(V1Reasons.badCharacter));
    expectEverySplit(line("65535", "0"), proxied(1, { ...V4_SOURCE, port: 65535 }, { ...V4_DESTINATION, port: 0 }));
  });

  it("refuses anything but single spaces between exactly four fields", () => {
    const cases = [
      "PROXY TCP4 192.0.2.1  198.51.100.7 1 2\r\n",
      "PROXY TCP4 192.0.2.1 198.51.100.7 1 2 \r\n",
      "PROXY TCP4 192.0.2.1 198.51.100.7 1\r\n",
      "PROXY TCP4 192.0.2.1 198.51.100.7 1 2 3\r\n",
      "PROXY TCP4\r\n",
    ];
    for (const line of cases) expectEverySplit(ascii(line), invalid(V1Reasons.badFields));
    expectEverySplit(ascii("PROXY TCP4 192.0.2.1\t198.51.100.7 1 2\r\n"), invalid(V1Reasons.badCharacter));
  });

  it("refuses an unknown protocol word at its first wrong byte", () => {
    expectEverySplit(ascii("PROXY UDP4 "), invalid(V1Reasons.unknownProtocol));
    expectEverySplit(ascii("PROXY TCP5"), invalid(V1Reasons.unknownProtocol));
    expectEverySplit(ascii("PROXY tcp4"), invalid(V1Reasons.unknownProtocol));
    expectEverySplit(ascii("PROXY UNKNOWNX\r\n"), invalid(V1Reasons.unknownProtocol));
    expectEverySplit(ascii("PROXY  TCP4"), invalid(V1Reasons.unknownProtocol));
  });

  it("waits on a partial line", () => {
    expectEverySplit(ascii("PROXY TCP4 192.0.2.1 198.51.100.7 56324 4000\r"), { kind: "incomplete" });
    expectEverySplit(ascii("PROXY UNKNOWN"), { kind: "incomplete" });
  });
});

describe("ProxyHeaderParser, v2 (binary)", () => {
  it("reads PROXY over TCP/IPv4", () => {
    expectEverySplit(Uint8Array.from(v2(0x21, 0x11, IPV4_BLOCK)), proxied(2, V4_SOURCE, V4_DESTINATION));
  });

  it("reads PROXY over TCP/IPv6, spelling ::1 and 2001:db8::1 as Node does", () => {
    expectEverySplit(
      Uint8Array.from(v2(0x21, 0x21, IPV6_BLOCK)),
      proxied(2, { address: "2001:db8::1", port: 56324 }, { address: "::1", port: 4000 }),
    );
  });

  it("reads LOCAL as local, ignoring the family and any body", () => {
    expectEverySplit(Uint8Array.from(v2(0x20, 0x00, [])), local(2));
    expectEverySplit(Uint8Array.from(v2(0x20, 0x11, IPV4_BLOCK)), local(2));
    expectEverySplit(Uint8Array.from(v2(0x20, 0xff, [1, 2, 3])), local(2));
  });

  it("reads AF_UNSPEC, UNIX and UDP as local (the specification's fallback to UNSPEC)", () => {
    expectEverySplit(Uint8Array.from(v2(0x21, 0x00, [])), local(2));
    expectEverySplit(Uint8Array.from(v2(0x21, 0x00, [9, 9, 9])), local(2));
    const unixBlock = new Array<number>(216).fill(0x41);
    expectEverySplit(Uint8Array.from(v2(0x21, 0x31, unixBlock)), local(2));
    expectEverySplit(Uint8Array.from(v2(0x21, 0x32, unixBlock)), local(2));
    expectEverySplit(Uint8Array.from(v2(0x21, 0x12, IPV4_BLOCK)), local(2));
    expectEverySplit(Uint8Array.from(v2(0x21, 0x22, IPV6_BLOCK)), local(2));
  });

  it("skips TLVs after the addresses", () => {
    const tlvs = [...tlv(0x02, text("mud.example")), ...tlv(0x01, text("telnet")), ...tlv(0x04, []), ...tlv(0xe0, [1, 2, 3])];
    expectEverySplit(Uint8Array.from(v2(0x21, 0x11, [...IPV4_BLOCK, ...tlvs])), proxied(2, V4_SOURCE, V4_DESTINATION));
  });

  it("refuses TLVs that run past the header's length", () => {
    const header = v2(0x21, 0x11, [...IPV4_BLOCK, ...tlv(0x02, text("mud.example")).slice(0, -1)]);
    expectEverySplit(Uint8Array.from(header), invalid(V2Reasons.badTlv));
    expectEverySplit(Uint8Array.from(v2(0x21, 0x11, [...IPV4_BLOCK, 0x04, 0x00])), invalid(V2Reasons.badTlv));
  });

  it("hands on the client's data after the header (rest)", () => {
    expectEverySplit(
      Uint8Array.from([...v2(0x21, 0x11, [...IPV4_BLOCK, ...tlv(0x04, [0, 0])]), ...text("look\r\n")]),
      proxied(2, V4_SOURCE, V4_DESTINATION, "look\r\n"),
    );
    expectEverySplit(Uint8Array.from([...v2(0x20, 0x00, []), ...text("\xff\xfd\x18")]), local(2, "\xff\xfd\x18"));
  });

  it("refuses a length shorter than the address block", () => {
    expectEverySplit(Uint8Array.from(v2(0x21, 0x11, IPV4_BLOCK.slice(0, 11))), invalid(V2Reasons.shortBlock(11, 12)));
    expectEverySplit(Uint8Array.from(v2(0x21, 0x21, IPV6_BLOCK.slice(0, 35))), invalid(V2Reasons.shortBlock(35, 36)));
    expectEverySplit(Uint8Array.from(v2(0x21, 0x31, [])), invalid(V2Reasons.shortBlock(0, 216)));
    // Refused at the length field: the body that follows is never waited for.
    expectEverySplit(Uint8Array.from(v2(0x21, 0x11, [], 4)), invalid(V2Reasons.shortBlock(4, 12)));
  });

  describe("maxHeaderBytes", () => {
    const padded = (total: number): Uint8Array =>
      Uint8Array.from(v2(0x21, 0x11, [...IPV4_BLOCK, ...tlv(0x04, new Array<number>(total - 16 - 12 - 3).fill(0))]));

    it("accepts a header of exactly the limit and refuses one byte more, holding at most the limit", () => {
      expectEverySplit(padded(300), proxied(2, V4_SOURCE, V4_DESTINATION), { maxHeaderBytes: 300 });
      expectEverySplit(padded(301), invalid(V2Reasons.tooLong(301, 300)), { maxHeaderBytes: 300 });
    });

    it("defaults to 4096", () => {
      expect(DEFAULT_MAX_HEADER_BYTES).toBe(4096);
      expect(run([padded(4096)]).result.kind).toBe("proxied");
      expect(run([padded(4097)]).result).toEqual(invalid(V2Reasons.tooLong(4097, 4096)));
    });

    it("refuses a header announced at 65,551 bytes from its first 16 bytes", () => {
      const outcome = run([Uint8Array.from(v2(0x21, 0x11, [], 0xffff))]);
      expect(outcome.result).toEqual(invalid(V2Reasons.tooLong(65551, 4096)));
    });

    it("must be an integer from 107 to 65,551", () => {
      expect(() => new ProxyHeaderParser({ maxHeaderBytes: 106 })).toThrow(RangeError);
      expect(() => new ProxyHeaderParser({ maxHeaderBytes: 65552 })).toThrow(RangeError);
      expect(() => new ProxyHeaderParser({ maxHeaderBytes: 200.5 })).toThrow(RangeError);
      expect(() => new ProxyHeaderParser({ maxHeaderBytes: 107 })).not.toThrow();
      expect(() => new ProxyHeaderParser({ maxHeaderBytes: 65551 })).not.toThrow();
    });

    it("at the smallest limit, still reads a 107-byte v1 line", () => {
      const full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
      expectEverySplit(ascii(`PROXY UNKNOWN ${full} ${full} 65535 65535\r\n`), local(1), { maxHeaderBytes: 107 });
    });
  });

  it("refuses a version other than 2", () => {
    expectEverySplit(Uint8Array.from(v2(0x11, 0x11, IPV4_BLOCK)), invalid(V2Reasons.badVersion(1)));
    expectEverySplit(Uint8Array.from(v2(0x31, 0x11, IPV4_BLOCK)), invalid(V2Reasons.badVersion(3)));
    expectEverySplit(Uint8Array.from([...SIGNATURE, 0x01]), invalid(V2Reasons.badVersion(0)));
  });

  it("refuses a command other than LOCAL or PROXY", () => {
    expectEverySplit(Uint8Array.from(v2(0x22, 0x11, IPV4_BLOCK)), invalid(V2Reasons.badCommand(2)));
    expectEverySplit(Uint8Array.from(v2(0x2f, 0x11, IPV4_BLOCK)), invalid(V2Reasons.badCommand(15)));
  });

  it("refuses an unknown family or transport with PROXY", () => {
    expectEverySplit(Uint8Array.from(v2(0x21, 0x41, IPV4_BLOCK)), invalid(V2Reasons.badFamily(4)));
    expectEverySplit(Uint8Array.from(v2(0x21, 0x13, IPV4_BLOCK)), invalid(V2Reasons.badTransport(3)));
  });

  it("refuses a broken signature at its first wrong byte", () => {
    expectEverySplit(Uint8Array.from([0x0d, 0x0a, 0x0d, 0x0a, 0x01]), invalid(NOT_PROXY_REASON));
    expectEverySplit(ascii("\r\n\r\n\0\r\nQUIT\r"), invalid(NOT_PROXY_REASON));
  });

  it("waits on a partial header, holding what came", () => {
    const header = v2(0x21, 0x21, IPV6_BLOCK);
    const parser = new ProxyHeaderParser();
    expect(parser.feed(Buffer.from(header.slice(0, 40)))).toEqual({ kind: "incomplete" });
    expect(parser.bufferedBytes).toBe(40);
    expect(parser.feed(Buffer.from(header.slice(40))).kind).toBe("proxied");
    expect(parser.bufferedBytes).toBe(0);
  });
});

describe("ProxyHeaderParser, not a PROXY header", () => {
  it("refuses ordinary first bytes at once, without waiting for 107 bytes", () => {
    const inputs = [
      ascii("hello\r\n"),
      ascii("connect alice secret\r\n"),
      ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
      Uint8Array.from([0xff, 0xfb, 0x18]), // telnet IAC WILL TTYPE
      ascii("PROXYTCP4"),
      ascii("proxy TCP4 192.0.2.1 198.51.100.7 1 2\r\n"),
      ascii("PRX"),
    ];
    for (const input of inputs) {
      expectEverySplit(input, invalid(NOT_PROXY_REASON));
      // Decided by the first byte that rules it out.
      const parser = new ProxyHeaderParser();
      let decidedAt = -1;
      for (const [i, byte] of chunksOf(input, 1).entries()) {
        if (parser.feed(Buffer.from(byte)).kind !== "incomplete") {
          decidedAt = i;
          break;
        }
      }
      expect(startsLikeProxyHeader(Buffer.from(input.subarray(0, decidedAt)))).toBe(true);
      expect(startsLikeProxyHeader(Buffer.from(input.subarray(0, decidedAt + 1)))).toBe(false);
    }
  });

  it("an empty chunk decides nothing", () => {
    const parser = new ProxyHeaderParser();
    expect(parser.feed(Buffer.alloc(0))).toEqual({ kind: "incomplete" });
    expect(parser.feed(Buffer.from("PROXY UNKNOWN\r\n")).kind).toBe("local");
  });

  it("throws when fed after its final result (a caller bug: rest was already handed on)", () => {
    const parser = new ProxyHeaderParser();
    expect(parser.feed(Buffer.from("hello")).kind).toBe("invalid");
    expect(() => parser.feed(Buffer.from("again"))).toThrow(/after a final result/);
    const done = new ProxyHeaderParser();
    expect(done.feed(Buffer.from("PROXY UNKNOWN\r\n")).kind).toBe("local");
    expect(() => done.feed(Buffer.alloc(0))).toThrow(/after a final result/);
  });
});

describe("startsLikeProxyHeader", () => {
  it("answers on short prefixes", () => {
    expect(startsLikeProxyHeader(Buffer.alloc(0))).toBe(true);
    expect(startsLikeProxyHeader(ascii("P"))).toBe(true);
    expect(startsLikeProxyHeader(Buffer.from("PRO"))).toBe(true);
    expect(startsLikeProxyHeader(Buffer.from("PROXY"))).toBe(true);
    expect(startsLikeProxyHeader(Buffer.from("PROXY TCP4 1.2.3.4"))).toBe(true);
    expect(startsLikeProxyHeader(Buffer.from("PRX"))).toBe(false);
    expect(startsLikeProxyHeader(Buffer.from("PROXYfoo"))).toBe(false);
    expect(startsLikeProxyHeader(Buffer.from("GET "))).toBe(false);
    expect(startsLikeProxyHeader(Buffer.from("hello"))).toBe(false);
    expect(startsLikeProxyHeader(Buffer.from(SIGNATURE.slice(0, 5)))).toBe(true);
    expect(startsLikeProxyHeader(Buffer.from(SIGNATURE))).toBe(true);
    expect(startsLikeProxyHeader(Buffer.from(v2(0x21, 0x11, IPV4_BLOCK)))).toBe(true);
    expect(startsLikeProxyHeader(Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x01]))).toBe(false);
    expect(startsLikeProxyHeader(Buffer.from("\r\n"))).toBe(true); // could still be the v2 signature
    expect(startsLikeProxyHeader(Buffer.from("\r\nlook"))).toBe(false);
  });

  it("is false exactly when the parser refuses the prefix as not a PROXY header (property)", () => {
    const starts = fc.constantFrom<readonly number[]>([], text("PROXY "), SIGNATURE, text("PRO"), SIGNATURE.slice(0, 7));
    fc.assert(
      fc.property(starts, fc.uint8Array({ maxLength: 20 }), (start, tail) => {
        const prefix = Buffer.from([...start, ...tail]);
        const result = new ProxyHeaderParser().feed(prefix);
        const refusedAsForeign = result.kind === "invalid" && result.reason === NOT_PROXY_REASON;
        expect(startsLikeProxyHeader(prefix)).toBe(!refusedAsForeign);
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});

describe("ProxyHeaderParser, any bytes (property)", () => {
  /** Random bytes, often starting like a header so the deeper states are reached. */
  const input = fc
    .tuple(
      fc.constantFrom<readonly number[]>(
        [],
        text("PROXY "),
        text("PROXY TCP4 "),
        text("PROXY TCP6 "),
        text("PROXY UNKNOWN"),
        SIGNATURE,
        [...SIGNATURE, 0x21],
        [...SIGNATURE, 0x21, 0x11],
        [...SIGNATURE, 0x21, 0x21, 0x00],
        [...SIGNATURE, 0x20],
        [...SIGNATURE, 0x21, 0x11, 0x00, 0x0c],
        [...SIGNATURE, 0x21, 0x21, 0x00, 0x28],
        text("PROXY TCP4 192.0.2.1 "),
      ),
      fc.oneof(
        fc.uint8Array({ maxLength: 400 }),
        // Mostly the characters of an address line, so the v1 field checks are reached.
        fc
          .array(fc.constantFrom(..."0123456789abcdefABCDEF.: \r\n".split(""), "::", "255.", " 65535", "\r\n"), {
            maxLength: 60,
          })
          .map((parts) => Buffer.from(parts.join(""), "latin1")),
      ),
    )
    .map(([start, tail]) => Uint8Array.from([...start, ...tail]));

  it("never throws, never holds more than maxHeaderBytes, and ignores how the bytes are cut", () => {
    fc.assert(
      fc.property(input, cutsArbitrary, fc.integer({ min: 107, max: 400 }), (bytes, cuts, maxHeaderBytes) => {
        const options = { maxHeaderBytes };
        const whole = run([bytes], options);
        const split = run(splitAt(bytes, cuts), options);
        const single = run(chunksOf(bytes, 1), options);
        expect(split.result).toEqual(whole.result);
        expect(single.result).toEqual(whole.result);
        for (const outcome of [whole, split, single]) {
          expect(outcome.maxBuffered).toBeLessThanOrEqual(maxHeaderBytes);
          expect(outcome.finals).toBe(outcome.result.kind === "incomplete" ? 0 : 1);
        }
        // Incomplete only while shorter than the longest header the limit allows.
        if (whole.result.kind === "incomplete") expect(bytes.length).toBeLessThan(maxHeaderBytes);
      }),
      { seed: FC_SEED, numRuns: 1000 },
    );
  });

  it("reads back any TCP header it is given, v1 and v2, with client data after it", () => {
    const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
    const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 });
    fc.assert(
      fc.property(
        fc.boolean(),
        ipv4,
        ipv4,
        ipv6,
        ipv6,
        fc.nat({ max: 65535 }),
        fc.nat({ max: 65535 }),
        fc.uint8Array({ maxLength: 30 }),
        cutsArbitrary,
        (useV6, s4, d4, s6, d6, sourcePort, destinationPort, client, cuts) => {
          const source = useV6 ? s6 : s4;
          const destination = useV6 ? d6 : d4;
          const header = v2(0x21, useV6 ? 0x21 : 0x11, [...source, ...destination, ...port(sourcePort), ...port(destinationPort)]);
          const outcome = run(splitAt(Uint8Array.from([...header, ...client]), cuts));
          expect(outcome.result.kind).toBe("proxied");
          if (outcome.result.kind !== "proxied") return;
          expect(outcome.result.source.port).toBe(sourcePort);
          expect(outcome.result.destination.port).toBe(destinationPort);
          expect(outcome.result.rest).toEqual([...client]);
          // The same addresses as text in a v1 line read back the same.
          const { source: s, destination: d } = outcome.result;
          const line = `PROXY ${useV6 ? "TCP6" : "TCP4"} ${s.address} ${d.address} ${sourcePort} ${destinationPort}\r\n`;
          const v1 = run([Uint8Array.from([...text(line), ...client])]);
          expect(v1.result).toEqual({ ...outcome.result, version: 1 });
        },
      ),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});
