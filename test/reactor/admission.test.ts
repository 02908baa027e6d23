/**
 * Issue 5 item 14, the connection caps: they keyed on the literal peer address, so one IPv6
 * /64 (one customer line, 2^64 addresses) was endless addresses, and one IPv4 client seen as
 * `::ffff:a.b.c.d` on a dual-stack listener counted apart from `a.b.c.d`. The reactor's
 * admission now counts under `addressKey` (hardening F3).
 */
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging.js";
import { FakeClock } from "../../src/reactor/clock.js";
import { Reactor } from "../../src/reactor/reactor.js";
import { defaultLimits } from "../support/default-config.js";

function reactor(): Reactor {
  return new Reactor({ clock: new FakeClock(), logger: createLogger("silent"), connectionRate: { perSecond: 2, burst: 20 }, outputPacingMs: defaultLimits.outputPacingMs });
}

const limits = { maxPerAddress: 2, maxTotal: 100 };

describe("issue 5 item 14: per-address connection caps key IPv6 by /64 and IPv4-mapped as IPv4", () => {
  it("addresses of one /64 share one cap; another /64 has its own", () => {
    const r = reactor();
    expect(r.admit("2001:db8:1:2::1", limits, "telnet")).toBe("ok");
    expect(r.admit("2001:db8:1:2:ffff:ffff:ffff:fffe", limits, "line")).toBe("ok");
    expect(r.admit("2001:0DB8:0001:0002:0:0:0:99", limits, "http")).toBe("address");
    expect(r.admit("2001:db8:1:3::1", limits, "http")).toBe("ok");
    expect(r.stats.refusedByDoor).toEqual({ http: { busy: 0, address: 1, rate: 0 } });
  });

  it("an IPv4-mapped address counts with its IPv4 address", () => {
    const r = reactor();
    expect(r.admit("192.0.2.7", limits)).toBe("ok");
    expect(r.admit("::ffff:192.0.2.7", limits)).toBe("ok");
    expect(r.admit("::ffff:c000:207", limits)).toBe("address");
    expect(r.admit("192.0.2.8", limits)).toBe("ok");
  });

  it("release gives the place back under the same key, whatever spelling it was admitted with", () => {
    const r = reactor();
    expect(r.admit("2001:db8::a", limits)).toBe("ok");
    expect(r.admit("2001:db8::b", limits)).toBe("ok");
    r.release("2001:db8:0:0::a");
    expect(r.stats.open).toBe(1);
    expect(r.admit("2001:db8::c", limits)).toBe("ok");
    expect(r.admit("2001:db8::d", limits)).toBe("address");
  });

  it("the global cap refuses as busy, counted by door", () => {
    const r = reactor();
    for (let i = 0; i < 3; i++) expect(r.admit(`198.51.100.${i}`, { maxPerAddress: 10, maxTotal: 3 }, "telnet")).toBe("ok");
    expect(r.admit("198.51.100.9", { maxPerAddress: 10, maxTotal: 3 }, "telnet")).toBe("busy");
    expect(r.stats.refusedByDoor).toEqual({ telnet: { busy: 1, address: 0, rate: 0 } });
    expect(r.stats.refused).toBe(1);
  });
});

describe("hardening F4: the rate of new connections per address", () => {
  it("spends one token per arrival, refused or not, per address key, and refills on the clock", () => {
    const clock = new FakeClock();
    const r = new Reactor({ clock, logger: createLogger("silent"), connectionRate: { burst: 3, perSecond: 1 }, outputPacingMs: defaultLimits.outputPacingMs });
    const roomy = { maxPerAddress: 100, maxTotal: 100 };
    for (let i = 0; i < 3; i++) expect(r.admit("2001:db8::1", roomy, "line")).toBe("ok");
    // Another address of the same /64 shares the bucket; an arrival past it is "rate".
    expect(r.admit("2001:db8::2", roomy, "line")).toBe("rate");
    expect(r.admitArrival("2001:db8::3", "websocket")).toBe(false);
    expect(r.admit("192.0.2.1", roomy, "line")).toBe("ok");
    // Plain HTTP is capped but not rate-limited.
    expect(r.admit("2001:db8::4", roomy, "http", false)).toBe("ok");
    clock.advance(1000);
    expect(r.admitArrival("2001:db8::5", "websocket")).toBe(true);
    expect(r.admitArrival("2001:db8::5", "websocket")).toBe(false);
    expect(r.stats.refusedByDoor).toEqual({ line: { busy: 0, address: 0, rate: 1 }, websocket: { busy: 0, address: 0, rate: 2 } });
  });

  it("remembers a bounded number of addresses (F10)", () => {
    const clock = new FakeClock();
    const r = new Reactor({ clock, logger: createLogger("silent"), connectionRate: { burst: 2, perSecond: 1, maxAddresses: 100 }, outputPacingMs: defaultLimits.outputPacingMs });
    for (let i = 0; i < 100_000; i++) r.admitArrival(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, "line");
    // Every address made one arrival: each bucket is below full, so the oldest are forgotten.
    expect(r.admitArrival("10.0.0.0", "line")).toBe(true);
  });
});
