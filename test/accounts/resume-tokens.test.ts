/**
 * Resume tokens with no sockets (issue 9, docs/web-client.md, "Resume tokens"): the real in-memory store, a
 * FakeClock for the wall clock, and the default lifetime and per-player bound from
 * config/default.yaml.
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashResumeToken, RESUME_TOKEN_PATTERN, ResumeTokens } from "../../src/accounts/resume-tokens.js";
import { FakeClock } from "../../src/reactor/clock.js";
import { openMemoryStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import { defaultAccounts } from "../support/default-config.js";

const LIFETIME_MS = defaultAccounts.resumeTokenSeconds * 1000;
const MAX = defaultAccounts.maxResumeTokensPerPlayer;
/** A wall clock starting at a real-looking instant, moved by the FakeClock. */
const EPOCH = Date.UTC(2026, 10, 27);

let store: SqliteStore;
let clock: FakeClock;
let tokens: ResumeTokens;

beforeEach(() => {
  store = openMemoryStore();
  clock = new FakeClock();
  for (const key of ["alice", "bob"]) store.createPlayer({ key, name: key[0]!.toUpperCase() + key.slice(1), passwordHash: "$argon2id$x", room: "square", now: EPOCH });
  tokens = new ResumeTokens({
    store,
    now: () => EPOCH + clock.now(),
    lifetimeSeconds: defaultAccounts.resumeTokenSeconds,
    maxPerPlayer: MAX,
  });
});

afterEach(() => {
  store.close();
});

describe("issue", () => {
  it("makes 32 random bytes as base64url (43 characters) and stores only their sha256", () => {
    const issued = tokens.issue("alice");
    expect(issued.token).toMatch(RESUME_TOKEN_PATTERN);
    expect(Buffer.from(issued.token, "base64url")).toHaveLength(32);
    expect(issued.tokenHash).toBe(createHash("sha256").update(issued.token, "utf8").digest("hex"));
    expect(issued.expiresAt).toBe(EPOCH + LIFETIME_MS);
    expect(tokens.issue("alice").token).not.toBe(issued.token);
    const row = store.takeResumeToken(issued.tokenHash);
    expect(row).toEqual({ tokenHash: issued.tokenHash, playerKey: "alice", issuedAt: EPOCH, expiresAt: EPOCH + LIFETIME_MS });
    expect(store.takeResumeToken(issued.token)).toBeUndefined();
  });

  it("hashResumeToken is the hex sha256 of the text", () => {
    expect(hashResumeToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("refuses an unknown player with the store's error", () => {
    expect(() => tokens.issue("nobody")).toThrow(/No player "nobody"/);
  });
});

describe("consume", () => {
  it("logs its player in once; a second use fails as invalid", () => {
    const { token } = tokens.issue("alice");
    expect(tokens.consume(token)).toEqual({ ok: true, playerKey: "alice" });
    expect(tokens.consume(token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("an unknown token, a malformed one and a non-string are invalid", () => {
    tokens.issue("alice");
    expect(tokens.consume(Buffer.alloc(32, 7).toString("base64url"))).toEqual({ ok: false, reason: "invalid" });
    for (const bad of ["", "short", "x".repeat(44), "+".repeat(43), `${"a".repeat(42)}=`, "a".repeat(10_000)]) {
      expect(tokens.consume(bad)).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("works until one millisecond before it expires, and is expired at its expiry (FakeClock)", () => {
    const early = tokens.issue("alice");
    const late = tokens.issue("alice");
    clock.advance(LIFETIME_MS - 1);
    expect(tokens.consume(early.token)).toEqual({ ok: true, playerKey: "alice" });
    clock.advance(1);
    expect(tokens.consume(late.token)).toEqual({ ok: false, reason: "expired" });
    // An expired token is gone too: it does not say "expired" twice.
    expect(tokens.consume(late.token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("issuing purges everyone's expired tokens", () => {
    const old = tokens.issue("bob");
    clock.advance(LIFETIME_MS);
    tokens.issue("alice");
    expect(store.takeResumeToken(old.tokenHash)).toBeUndefined();
  });
});

describe("rotate", () => {
  it("consumes the token and issues the same player a new one, valid for a full lifetime", () => {
    const first = tokens.issue("alice");
    clock.advance(60_000);
    const rotated = tokens.rotate(first.token);
    if (!rotated.ok) throw new Error(`rotate failed: ${rotated.reason}`);
    expect(rotated.playerKey).toBe("alice");
    expect(rotated.next.token).not.toBe(first.token);
    expect(rotated.next.expiresAt).toBe(EPOCH + 60_000 + LIFETIME_MS);
    expect(tokens.consume(first.token)).toEqual({ ok: false, reason: "invalid" });
    expect(tokens.consume(rotated.next.token)).toEqual({ ok: true, playerKey: "alice" });
  });

  it("fails as consume does and issues nothing", () => {
    const issued = tokens.issue("alice");
    clock.advance(LIFETIME_MS);
    expect(tokens.rotate(issued.token)).toEqual({ ok: false, reason: "expired" });
    expect(tokens.rotate("not-a-token")).toEqual({ ok: false, reason: "invalid" });
    expect(store.deletePlayerResumeTokens("alice")).toBe(0);
  });
});

describe(`the bound per player (maxResumeTokensPerPlayer, default ${MAX})`, () => {
  it(`at ${MAX} every token works; one more drops the oldest only, and other players are untouched`, () => {
    const bobs = tokens.issue("bob");
    const issued = Array.from({ length: MAX }, () => {
      clock.advance(1000);
      return tokens.issue("alice");
    });
    clock.advance(1000);
    const extra = tokens.issue("alice");
    expect(tokens.consume(issued[0]!.token)).toEqual({ ok: false, reason: "invalid" });
    for (const kept of [...issued.slice(1), extra]) expect(tokens.consume(kept.token)).toEqual({ ok: true, playerKey: "alice" });
    expect(tokens.consume(bobs.token)).toEqual({ ok: true, playerKey: "bob" });
  });

  it("tokens issued in the same millisecond are dropped in the order they were issued", () => {
    const issued = Array.from({ length: MAX + 2 }, () => tokens.issue("alice"));
    expect(tokens.consume(issued[0]!.token).ok).toBe(false);
    expect(tokens.consume(issued[1]!.token).ok).toBe(false);
    for (const kept of issued.slice(2)) expect(tokens.consume(kept.token).ok).toBe(true);
  });
});

describe("revoke", () => {
  it("revokes the given hashes only, and says how many went", () => {
    const a = tokens.issue("alice");
    const b = tokens.issue("alice");
    const c = tokens.issue("alice");
    expect(tokens.revoke([a.tokenHash, b.tokenHash, a.tokenHash])).toBe(2);
    expect(tokens.revoke([])).toBe(0);
    expect(tokens.consume(a.token).ok).toBe(false);
    expect(tokens.consume(b.token).ok).toBe(false);
    expect(tokens.consume(c.token).ok).toBe(true);
  });

  it("revokePlayer revokes every token of one player", () => {
    const a = tokens.issue("alice");
    const b = tokens.issue("alice");
    const bob = tokens.issue("bob");
    expect(tokens.revokePlayer("alice")).toBe(2);
    expect(tokens.consume(a.token).ok).toBe(false);
    expect(tokens.consume(b.token).ok).toBe(false);
    expect(tokens.consume(bob.token).ok).toBe(true);
  });

  it("a ban revokes the player's tokens; lifting it brings none back", () => {
    const a = tokens.issue("alice");
    store.setBan("alice", { reason: "spam", by: "admin", at: EPOCH });
    store.setBan("alice", null);
    expect(tokens.consume(a.token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("deleting nothing but an unknown hash is not an error", () => {
    expect(tokens.revoke([hashResumeToken("never issued")])).toBe(0);
    expect(tokens.revokePlayer("nobody")).toBe(0);
  });
});
