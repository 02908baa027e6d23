import net from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from "../../../protocols/proxy/ip-text.js";
import { FC_SEED } from "../line/chunks.js";

/** How Node itself spells an IPv6 address (the same libuv routine as `socket.remoteAddress`). */
function nodeSpelling(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return new net.SocketAddress({ address: groups.join(":"), family: "ipv6" }).address;
}

/** 16 bytes made of 16-bit groups that are mostly zero, so every "::" placement is visited. */
const ipv6Bytes = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0xffff), fc.constant(1), fc.integer({ min: 0, max: 0xffff })), {
    minLength: 8,
    maxLength: 8,
  })
  .map((groups) => {
    const out = new Uint8Array(16);
    groups.forEach((group, i) => {
      out[2 * i] = group >> 8;
      out[2 * i + 1] = group & 0xff;
    });
    return out;
  });

describe("formatIpv6", () => {
  it("spells well-known addresses as socket.remoteAddress does", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["0:0:0:0:0:0:0:1", "::1"],
      ["2001:db8:0:0:0:0:0:1", "2001:db8::1"],
      ["0:0:0:0:0:0:0:0", "::"],
      ["0:0:0:0:0:ffff:c000:201", "::ffff:192.0.2.1"],
      ["0:0:0:0:0:0:c000:201", "::192.0.2.1"],
      ["0:0:0:0:0:0:0:2", "::2"],
      ["1:0:0:1:0:0:0:1", "1:0:0:1::1"],
      ["1:0:0:2:0:0:3:4", "1::2:0:0:3:4"],
      ["1:0:0:0:0:0:0:0", "1::"],
      ["fe80:0:0:0:0:0:0:1", "fe80::1"],
      ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
      ["1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"],
    ];
    for (const [long, short] of cases) {
      const bytes = parseIpv6(long);
      expect(bytes, long).toBeDefined();
      if (bytes === undefined) continue;
      expect(formatIpv6(bytes, 0), long).toBe(short);
      expect(nodeSpelling(bytes), long).toBe(short);
    }
  });

  it("agrees with net.SocketAddress and reads back its own output (property)", () => {
    fc.assert(
      fc.property(ipv6Bytes, (bytes) => {
        const spelt = formatIpv6(bytes, 0);
        expect(spelt).toBe(nodeSpelling(bytes));
        expect(parseIpv6(spelt)).toEqual(bytes);
      }),
      { seed: FC_SEED, numRuns: 2000 },
    );
  });

  it("reads at an offset", () => {
    const bytes = Uint8Array.from([9, 9, 0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1]);
    expect(formatIpv6(bytes, 2)).toBe("2001:db8::1");
    expect(formatIpv4(Uint8Array.from([7, 192, 0, 2, 1]), 1)).toBe("192.0.2.1");
  });
});

describe("parseIpv4", () => {
  it("accepts only a strict dotted quad", () => {
    expect(parseIpv4("192.0.2.1")).toEqual(Uint8Array.from([192, 0, 2, 1]));
    expect(parseIpv4("0.0.0.0")).toEqual(Uint8Array.from([0, 0, 0, 0]));
    expect(parseIpv4("255.255.255.255")).toEqual(Uint8Array.from([255, 255, 255, 255]));
    for (const bad of ["192.0.2.01", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "+1.2.3.4", "1.2.3.4 ", "0x1.2.3.4", ""]) {
      expect(parseIpv4(bad), bad).toBeUndefined();
    }
  });
});

describe("parseIpv6", () => {
  it("refuses what is not one IPv6 address", () => {
    for (const bad of ["1::2::3", "fe80::1%eth0", "12345::", "::ffff:1.2.3.04", "1:2:3:4:5:6:7:8:9", "1.2.3.4", "", ":"]) {
      expect(parseIpv6(bad), bad).toBeUndefined();
    }
  });

  it("reads an embedded dotted quad", () => {
    expect(parseIpv6("::ffff:1.2.3.4")).toEqual(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]));
    expect(parseIpv6("1:2:3:4:5:6:1.2.3.4")).toEqual(Uint8Array.from([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]));
    expect(parseIpv6("1::1.2.3.4")).toEqual(Uint8Array.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]));
  });
});
