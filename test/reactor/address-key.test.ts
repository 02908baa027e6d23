import { describe, expect, it } from "vitest";
import { addressKey } from "../../src/reactor/address-key.js";

describe("issue 5 item 14: per-address limits key IPv6 by /64 and IPv4-mapped addresses as IPv4", () => {
  it("keeps an IPv4 address whole", () => {
    expect(addressKey("127.0.0.2")).toBe("127.0.0.2");
    expect(addressKey("192.0.2.200")).toBe("192.0.2.200");
  });

  it("turns an IPv4-mapped IPv6 address, dotted or hexadecimal, into the IPv4 address", () => {
    expect(addressKey("::ffff:127.0.0.2")).toBe("127.0.0.2");
    expect(addressKey("::FFFF:192.0.2.1")).toBe("192.0.2.1");
    expect(addressKey("::ffff:c000:201")).toBe("192.0.2.1");
    expect(addressKey("0:0:0:0:0:ffff:c000:0201")).toBe("192.0.2.1");
  });

  it("gives every address of one /64 the same key, whatever its notation", () => {
    const keys = new Set(
      ["2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0DB8:0001:0002:0:0:0:9", "2001:db8:1:2:abcd::%eth0"].map(addressKey),
    );
    expect([...keys]).toEqual(["2001:db8:1:2::/64"]);
  });

  it("gives neighbouring /64s different keys", () => {
    expect(addressKey("2001:db8:1:2::1")).not.toBe(addressKey("2001:db8:1:3::1"));
    expect(addressKey("2001:db8::1")).toBe("2001:db8::/64");
    expect(addressKey("::1")).toBe("::/64");
  });

  it("leaves what is not an IP literal alone", () => {
    expect(addressKey("unknown")).toBe("unknown");
    expect(addressKey("")).toBe("");
  });
});
