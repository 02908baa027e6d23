/** The allow-list behind `/metrics` (issue 5 item 13). */
import { describe, expect, it } from "vitest";
import { AddressAllowList, parseAddressRange } from "../../src/http/address-allow-list.js";
import { defaultConfig } from "../support/default-config.js";

describe("parseAddressRange", () => {
  it("reads addresses and CIDR ranges of both families", () => {
    expect(parseAddressRange("127.0.0.1")).toEqual({ family: "ipv4", network: "127.0.0.1", prefix: 32 });
    expect(parseAddressRange("10.0.0.0/8")).toEqual({ family: "ipv4", network: "10.0.0.0", prefix: 8 });
    expect(parseAddressRange("::1")).toEqual({ family: "ipv6", network: "::1", prefix: 128 });
    expect(parseAddressRange("fc00::/7")).toEqual({ family: "ipv6", network: "fc00::", prefix: 7 });
  });

  it("refuses host names, bad prefixes and junk", () => {
    for (const bad of ["localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/ 8", ""]) {
      expect(parseAddressRange(bad), bad).toBeUndefined();
    }
  });
});

describe("AddressAllowList", () => {
  // The shipped http.metricsAllow: loopback, the RFC 1918 ranges and IPv6 unique-local (RFC 4193).
  const defaults = new AddressAllowList(defaultConfig.http.metricsAllow);

  it("the default admits loopback and the private ranges", () => {
    for (const ok of ["127.0.0.1", "127.9.9.9", "::1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "fd12:3456::1", "fc00::1"]) {
      expect(defaults.allows(ok), ok).toBe(true);
    }
  });

  it("the default refuses public addresses", () => {
    for (const no of ["8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:db8::1", "fe80::1", "unknown", undefined]) {
      expect(defaults.allows(no), String(no)).toBe(false);
    }
  });

  it("an IPv4-mapped address (dual-stack listener) matches the IPv4 ranges", () => {
    expect(defaults.allows("::ffff:127.0.0.1")).toBe(true);
    expect(defaults.allows("::ffff:10.0.0.7")).toBe(true);
    expect(defaults.allows("::ffff:8.8.8.8")).toBe(false);
  });

  it("an empty list admits nobody", () => {
    expect(new AddressAllowList([]).allows("127.0.0.1")).toBe(false);
  });

  it("names a bad entry", () => {
    expect(() => new AddressAllowList(["10.0.0.0/8", "intranet"])).toThrow(/"intranet"/);
  });
});
