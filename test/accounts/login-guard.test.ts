/**
 * The login policy with no sockets and no hashes: a FakeClock and the guard alone (issue 5
 * items 4, 5 and 14; hardening A2, A3, F10).
 */
import { describe, expect, it } from "vitest";
import { AccountBackoff } from "../../src/accounts/account-backoff.js";
import { KnownAddresses } from "../../src/accounts/known-addresses.js";
import { LoginGuard, type LoginAttempt } from "../../src/accounts/login-guard.js";
import { FakeClock } from "../../src/reactor/clock.js";
import { defaultLoginLimits } from "../support/default-config.js";

/** Begins a login and returns its attempt, failing the test if it was refused. */
function begin(guard: LoginGuard, account: string, peer: string): LoginAttempt {
  const admission = guard.beginLogin(account, peer);
  if (!admission.allowed) throw new Error(`refused ${account} from ${peer}`);
  return admission.attempt;
}

describe("issue 5 item 4: throttles count an attempt when it starts", () => {
  it("attempts still waiting for their hash count: the sixth simultaneous one is refused", () => {
    const guard = new LoginGuard({ ...defaultLoginLimits, clock: new FakeClock() });
    const pending = Array.from({ length: 5 }, () => begin(guard, "alice", "203.0.113.7"));
    expect(guard.beginLogin("alice", "203.0.113.7")).toEqual({ allowed: false, retryAfterMs: 60_000 });
    for (const attempt of pending) attempt.failed();
    expect(guard.beginLogin("alice", "203.0.113.7").allowed).toBe(false);
  });

  it("an attempt the server never carried out (hasher busy) is given back", () => {
    const guard = new LoginGuard({ ...defaultLoginLimits, clock: new FakeClock(), failedLoginsPerMinute: 2 });
    begin(guard, "alice", "203.0.113.7").abandoned();
    begin(guard, "alice", "203.0.113.7").abandoned();
    begin(guard, "alice", "203.0.113.7").failed();
    begin(guard, "alice", "203.0.113.7").failed();
    expect(guard.beginLogin("alice", "203.0.113.7").allowed).toBe(false);
  });

  it("settling twice counts once", () => {
    const guard = new LoginGuard({ ...defaultLoginLimits, clock: new FakeClock(), failedLoginsPerMinute: 2 });
    const attempt = begin(guard, "alice", "203.0.113.7");
    attempt.abandoned();
    attempt.abandoned();
    attempt.succeeded();
    begin(guard, "alice", "203.0.113.7").failed();
    begin(guard, "alice", "203.0.113.7").failed();
    expect(guard.beginLogin("alice", "203.0.113.7").allowed).toBe(false);
  });

  it("creations are counted when they start; a server failure is refunded, a refusal is not", () => {
    const guard = new LoginGuard({ ...defaultLoginLimits, clock: new FakeClock(), creationsPerHour: 3 });
    const first = guard.beginCreation("203.0.113.7");
    const second = guard.beginCreation("203.0.113.7");
    const third = guard.beginCreation("203.0.113.7");
    expect([first.allowed, second.allowed, third.allowed]).toEqual([true, true, true]);
    expect(guard.beginCreation("203.0.113.7").allowed).toBe(false);
    if (first.allowed) first.attempt.abandoned();
    if (second.allowed) second.attempt.refused();
    const fourth = guard.beginCreation("203.0.113.7");
    expect(fourth.allowed).toBe(true);
    expect(guard.beginCreation("203.0.113.7").allowed).toBe(false);
  });

  it("a success forgives the account-and-address count, not the address's other failures", () => {
    const guard = new LoginGuard({ ...defaultLoginLimits, clock: new FakeClock(), failedLoginsPerMinute: 3, failedLoginsPerAddressPerMinute: 5 });
    for (let i = 0; i < 2; i++) begin(guard, "alice", "203.0.113.7").failed();
    begin(guard, "alice", "203.0.113.7").succeeded();
    // Alice's typos are forgiven...
    for (let i = 0; i < 3; i++) begin(guard, "alice", "203.0.113.7").succeeded();
    // ...but the two failures still count for the address across accounts: 3 more, then locked.
    for (let i = 0; i < 3; i++) begin(guard, `victim${i}`, "203.0.113.7").failed();
    expect(guard.beginLogin("victim9", "203.0.113.7").allowed).toBe(false);
  });
});

describe("issue 5 item 5: a stranger cannot lock the owner out", () => {
  it("an attacker address hammering an account does not stop the owner from another address", () => {
    const clock = new FakeClock();
    const guard = new LoginGuard({ ...defaultLoginLimits, clock });
    begin(guard, "alice", "198.51.100.1").succeeded(); // the owner's usual address
    for (let minute = 0; minute < 60; minute++) {
      for (let i = 0; i < 1000; i++) {
        const admission = guard.beginLogin("alice", "203.0.113.66");
        if (admission.allowed) admission.attempt.failed();
      }
      expect(guard.beginLogin("alice", "198.51.100.1").allowed).toBe(true);
      clock.advance(60_000);
    }
  });

  it("an owner who just created the character is recognised from the creating address", () => {
    const guard = new LoginGuard({ ...defaultLoginLimits, clock: new FakeClock(), accountFreeAttempts: 0 });
    const creation = guard.beginCreation("198.51.100.1");
    if (creation.allowed) creation.attempt.created("alice");
    begin(guard, "alice", "203.0.113.1").failed(); // starts the backoff for strangers
    expect(guard.beginLogin("alice", "203.0.113.2").allowed).toBe(false);
    expect(guard.beginLogin("alice", "198.51.100.1").allowed).toBe(true);
  });

  it("a distributed guesser is slowed: the wait doubles, and guesses per minute stay bounded", () => {
    const clock = new FakeClock();
    const guard = new LoginGuard({ ...defaultLoginLimits, clock, accountFreeAttempts: 10, accountBackoffMaxSeconds: 300 });
    let address = 0;
    const perMinute: number[] = [];
    const waits: number[] = [];
    for (let minute = 0; minute < 30; minute++) {
      let allowed = 0;
      // A botnet: a fresh address every try, 100 tries a second.
      for (let tick = 0; tick < 600; tick++) {
        for (let i = 0; i < 10; i++) {
          address += 1;
          const admission = guard.beginLogin("alice", `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`);
          if (admission.allowed) {
            admission.attempt.failed();
            allowed += 1;
          } else if (waits.at(-1) !== admission.retryAfterMs && admission.retryAfterMs > (waits.at(-1) ?? 0)) {
            waits.push(admission.retryAfterMs);
          }
        }
        clock.advance(100);
      }
      perMinute.push(allowed);
    }
    // 10 free, then 1, 2, 4, 8, 16 s apart (the next waits 32 s, past the minute): 15 in the
    // first minute, however many addresses.
    expect(perMinute[0]).toBe(15);
    // Once the wait reaches its cap, one guess per five minutes.
    expect(Math.max(...perMinute.slice(10))).toBeLessThanOrEqual(1);
    expect(perMinute.reduce((a, b) => a + b, 0)).toBeLessThan(40);
    expect(waits.at(-1)).toBe(300_000);
  });

  it("F10: the tables stay bounded with 100,000 distinct addresses and accounts", () => {
    const clock = new FakeClock();
    const guard = new LoginGuard({ ...defaultLoginLimits, clock, maxEntries: 1000 });
    for (let i = 0; i < 100_000; i++) {
      const peer = `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;
      const admission = guard.beginLogin(`account${i}`, peer);
      if (admission.allowed) {
        if (i % 10 === 0) admission.attempt.succeeded();
        else admission.attempt.failed();
      }
      const creation = guard.beginCreation(peer);
      if (creation.allowed) creation.attempt.created(`account${i}`);
    }
    const sizes = guard.sizes;
    for (const size of Object.values(sizes)) expect(size).toBeLessThanOrEqual(1000);
    expect(sizes.pairs).toBe(1000);
  });

  it("F10: known addresses are bounded per account and in all", () => {
    const clock = new FakeClock();
    const known = new KnownAddresses({ clock, perAccount: 2, maxAccounts: 3 });
    known.add("alice", "a");
    known.add("alice", "b");
    known.add("alice", "c");
    expect([known.has("alice", "a"), known.has("alice", "b"), known.has("alice", "c")]).toEqual([false, true, true]);
    for (const account of ["bob", "carol", "dave"]) known.add(account, "x");
    expect(known.size).toBe(3);
    expect(known.has("alice", "c")).toBe(false);
  });

  it("the backoff doubles from one second to its cap and is forgotten after a quiet spell", () => {
    const clock = new FakeClock();
    const backoff = new AccountBackoff({ clock, freeAttempts: 2, baseDelayMs: 1000, maxDelayMs: 8000 });
    expect([0, 1, 2, 3, 4, 5, 6, 2000].map((n) => backoff.delayAfter(n))).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000, 8000]);
    backoff.count("alice");
    backoff.count("alice");
    expect(backoff.check("alice")).toEqual({ allowed: false, retryAfterMs: 1000 });
    clock.advance(16_000);
    expect(backoff.check("alice")).toEqual({ allowed: true });
    expect(backoff.attempts("alice")).toBe(0);
  });
});

describe("issue 5 item 14: login and creation throttles key on addressKey", () => {
  it("one IPv6 /64 is one address, and an IPv4-mapped address is its IPv4 address", () => {
    const guard = new LoginGuard({ ...defaultLoginLimits, clock: new FakeClock(), failedLoginsPerMinute: 2, creationsPerHour: 2 });
    begin(guard, "alice", "2001:db8:1:2::1").failed();
    begin(guard, "alice", "2001:db8:1:2:ffff::9").failed();
    expect(guard.beginLogin("alice", "2001:db8:1:2:abcd::77").allowed).toBe(false);
    expect(guard.beginLogin("alice", "2001:db8:1:3::1").allowed).toBe(true);
    expect(guard.beginCreation("192.0.2.1").allowed).toBe(true);
    expect(guard.beginCreation("::ffff:192.0.2.1").allowed).toBe(true);
    expect(guard.beginCreation("::ffff:c000:201").allowed).toBe(false);
  });
});

describe("issue 9: resume tokens count against the per-address limit", () => {
  it("at failedLoginsPerAddressPerMinute failed tokens the address is refused, passwords too; other addresses are not", () => {
    const clock = new FakeClock();
    const limit = defaultLoginLimits.failedLoginsPerAddressPerMinute;
    const guard = new LoginGuard({ ...defaultLoginLimits, clock });
    for (let i = 0; i < limit; i++) {
      const admission = guard.beginResume("203.0.113.7");
      if (!admission.allowed) throw new Error(`refused at ${i}`);
      admission.attempt.failed();
    }
    expect(guard.beginResume("203.0.113.7")).toEqual({ allowed: false, retryAfterMs: 60_000 });
    expect(guard.beginLogin("alice", "203.0.113.7").allowed).toBe(false);
    expect(guard.beginResume("203.0.113.8").allowed).toBe(true);
    clock.advance(60_000);
    expect(guard.beginResume("203.0.113.7").allowed).toBe(true);
  });

  it("a good token gives its attempt back", () => {
    const guard = new LoginGuard({ ...defaultLoginLimits, clock: new FakeClock(), failedLoginsPerAddressPerMinute: 1 });
    for (let i = 0; i < 3; i++) {
      const admission = guard.beginResume("203.0.113.7");
      if (!admission.allowed) throw new Error(`refused at ${i}`);
      admission.attempt.succeeded();
    }
    expect(guard.beginResume("203.0.113.7").allowed).toBe(true);
  });
});
