import { describe, expect, it } from "vitest";
import { MAX_TABLE_ENTRIES } from "../../src/accounts/recency-table.js";
import { LoginThrottle } from "../../src/accounts/throttle.js";
import { FakeClock } from "../../src/reactor/clock.js";
import { defaultAccounts } from "../support/default-config.js";

/** The per-account-and-address throttle as the login guard builds it, at the shipped limit. */
const PER_MINUTE = { maxAttempts: defaultAccounts.failedLoginsPerMinute, windowMs: 60_000 } as const;

describe("LoginThrottle", () => {
  it("A2: allows maxAttempts attempts, then locks the key until the window closes", () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle({ clock, ...PER_MINUTE });
    for (let i = 0; i < PER_MINUTE.maxAttempts - 1; i++) throttle.count("10.0.0.1");
    expect(throttle.check("10.0.0.1")).toEqual({ allowed: true });
    clock.advance(10_000);
    throttle.count("10.0.0.1");
    expect(throttle.check("10.0.0.1")).toEqual({ allowed: false, retryAfterMs: 50_000 });
    clock.advance(49_999);
    expect(throttle.check("10.0.0.1")).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(throttle.check("10.0.0.1")).toEqual({ allowed: true });
    expect(throttle.size).toBe(0);
  });

  it("keys are independent", () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle({ clock, maxAttempts: 2, windowMs: PER_MINUTE.windowMs });
    throttle.count("alice");
    throttle.count("alice");
    expect(throttle.check("alice").allowed).toBe(false);
    expect(throttle.check("bob").allowed).toBe(true);
  });

  it("forget drops the key and its attempts", () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle({ clock, maxAttempts: 3, windowMs: PER_MINUTE.windowMs });
    throttle.count("alice");
    throttle.count("alice");
    throttle.forget("alice");
    throttle.count("alice");
    throttle.count("alice");
    expect(throttle.check("alice").allowed).toBe(true);
    expect(throttle.size).toBe(1);
  });

  it("a failure after the window closes opens a fresh window", () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle({ clock, maxAttempts: 2, windowMs: 1000 });
    throttle.count("k");
    clock.advance(1000);
    throttle.count("k");
    expect(throttle.check("k").allowed).toBe(true);
    throttle.count("k");
    expect(throttle.check("k")).toEqual({ allowed: false, retryAfterMs: 1000 });
  });

  it("A3: counting creations per address", () => {
    const clock = new FakeClock();
    const creations = new LoginThrottle({ clock, maxAttempts: 3, windowMs: 600_000 });
    for (let i = 0; i < 3; i++) {
      expect(creations.check("203.0.113.9").allowed).toBe(true);
      creations.count("203.0.113.9");
    }
    expect(creations.check("203.0.113.9")).toEqual({ allowed: false, retryAfterMs: 600_000 });
  });

  it("F10: 100,000 distinct keys never grow the table past maxEntries", () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle({ clock, ...PER_MINUTE });
    for (let i = 0; i < 100_000; i++) {
      throttle.count(`198.51.${i >> 8}.${i & 255}:${i}`);
      if (throttle.size > MAX_TABLE_ENTRIES) throw new Error(`size ${throttle.size} at key ${i}`);
    }
    expect(throttle.size).toBe(MAX_TABLE_ENTRIES);
  });

  it("F10: the least recently failed key is forgotten first", () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle({ clock, maxAttempts: 2, windowMs: PER_MINUTE.windowMs, maxEntries: 3 });
    throttle.count("a");
    throttle.count("a"); // a locked
    throttle.count("b");
    throttle.count("c"); // recency: a, b, c
    throttle.count("a"); // recency: b, c, a — failing again keeps a fresh
    throttle.count("d"); // evicts b
    expect(throttle.size).toBe(3);
    expect(throttle.check("a").allowed).toBe(false);
    throttle.count("b"); // b is new again: evicts c; recency: a, d, b
    throttle.count("b");
    expect(throttle.check("b").allowed).toBe(false);
    throttle.count("e"); // evicts a, now the stalest
    expect(throttle.check("a").allowed).toBe(true);
    expect(throttle.check("b").allowed).toBe(false);
    expect(throttle.size).toBe(3);
  });

  it("very long keys are cut, so one entry's memory is bounded", () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle({ clock, maxAttempts: 1, windowMs: PER_MINUTE.windowMs });
    throttle.count("x".repeat(100_000));
    expect(throttle.check("x".repeat(128)).allowed).toBe(false);
    expect(throttle.check("x".repeat(127)).allowed).toBe(true);
  });

  it("never schedules timers", () => {
    const clock = new FakeClock();
    const throttle = new LoginThrottle({ clock, ...PER_MINUTE });
    throttle.count("a");
    throttle.check("a");
    expect(clock.pendingCount).toBe(0);
  });
});
