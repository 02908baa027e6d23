/**
 * Resume tokens (issue 9, docs/web-client.md, "Resume tokens"): a client that asks is handed a random secret
 * at login, and after a short drop (a phone changing networks, a server restart) presents it
 * instead of the password to play the same character again.
 *
 * - A token is 32 random bytes, base64url (43 characters): 256 bits nobody can guess.
 * - Only its sha256 is stored. A slow hash (argon2id, A1) protects low-entropy passwords from a
 *   stolen database; a 256-bit random secret needs none, and one sha256 per attempt keeps a
 *   resume cheap.
 * - Single use: presenting a token deletes it, in one statement, whatever the outcome; a
 *   successful resume is handed a new one ({@link ResumeTokens.rotate}).
 * - It expires `lifetimeSeconds` after it was issued, and a player holds at most
 *   `maxPerPlayer` (one per device or tab): issuing one more drops the oldest.
 * - Times are wall-clock milliseconds, so a token means the same after a restart.
 *
 * Pure logic over a store: no sockets, no logging (a token must never reach a log line, A4).
 */
import { createHash, randomBytes } from "node:crypto";
import type { ResumeTokenRecord, Store } from "../store/store.js";

/** What {@link ResumeTokens} needs of the store. */
export type ResumeTokenStore = Pick<Store, "addResumeToken" | "takeResumeToken" | "deleteResumeTokens" | "deletePlayerResumeTokens" | "transaction">;

/**
 * Options for {@link ResumeTokens}: the operator's `accounts` settings, required, so their
 * defaults are written once, in config/default.yaml (issue 10).
 */
export interface ResumeTokensOptions {
  readonly store: ResumeTokenStore;
  /** Wall-clock milliseconds (`Date.now` in the server; a FakeClock's in tests). */
  readonly now: () => number;
  /** `accounts.resumeTokenSeconds`: how long a token lives from its issue. */
  readonly lifetimeSeconds: number;
  /** `accounts.maxResumeTokensPerPlayer`: live tokens per player; one more drops the oldest. */
  readonly maxPerPlayer: number;
  /** The source of randomness; `crypto.randomBytes`. Tests may pin it. */
  readonly randomBytes?: (size: number) => Buffer;
}

/** Random bytes in a token: 256 bits. */
export const RESUME_TOKEN_BYTES = 32;

/** A token as issued: 32 bytes in base64url without padding, 43 characters. Anything else is refused unhashed. */
export const RESUME_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A token just issued. The caller sends `token` to the client and keeps at most `tokenHash`. */
export interface IssuedResumeToken {
  /** The secret, for the client only. */
  readonly token: string;
  /** Its sha256, hex: what the store keeps, and what a session remembers to revoke it at `quit`. */
  readonly tokenHash: string;
  /** Wall-clock milliseconds (Unix ms) when it stops working. */
  readonly expiresAt: number;
}

/**
 * Why a token did not log anyone in. `invalid`: malformed, unknown, used, revoked or dropped
 * (one answer for all, so a client learns nothing about tokens it does not hold); `expired`:
 * it was real but too old (the client may say "please log in again").
 */
export type ResumeFailure = "invalid" | "expired";

/** What {@link ResumeTokens.consume} found. */
export type ConsumedToken = { readonly ok: true; readonly playerKey: string } | { readonly ok: false; readonly reason: ResumeFailure };

/** What {@link ResumeTokens.rotate} did. */
export type RotatedToken =
  | { readonly ok: true; readonly playerKey: string; readonly next: IssuedResumeToken }
  | { readonly ok: false; readonly reason: ResumeFailure };

/** The sha256 of a token's text, as 64 lowercase hex digits: the key the store keeps it under. */
export function hashResumeToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Issues, checks and revokes resume tokens. One per server. */
export class ResumeTokens {
  readonly #store: ResumeTokenStore;
  readonly #now: () => number;
  readonly #lifetimeMs: number;
  readonly #maxPerPlayer: number;
  readonly #random: (size: number) => Buffer;

  constructor(options: ResumeTokensOptions) {
    this.#store = options.store;
    this.#now = options.now;
    this.#lifetimeMs = options.lifetimeSeconds * 1000;
    this.#maxPerPlayer = options.maxPerPlayer;
    this.#random = options.randomBytes ?? randomBytes;
  }

  /**
   * A new token for `playerKey`, stored (as its hash) before it is returned. Purges every
   * expired token and the player's oldest past the bound. Throws StoreError
   * `"no-such-player"` for an unknown player.
   */
  issue(playerKey: string): IssuedResumeToken {
    const token = this.#random(RESUME_TOKEN_BYTES).toString("base64url");
    const issuedAt = this.#now();
    const record: ResumeTokenRecord = { tokenHash: hashResumeToken(token), playerKey, issuedAt, expiresAt: issuedAt + this.#lifetimeMs };
    this.#store.addResumeToken(record, this.#maxPerPlayer);
    return { token, tokenHash: record.tokenHash, expiresAt: record.expiresAt };
  }

  /**
   * Checks `token` and uses it up: whatever the answer, it never works again. `token` is
   * whatever the client sent, checked for its shape before it is hashed.
   */
  consume(token: string): ConsumedToken {
    if (!RESUME_TOKEN_PATTERN.test(token)) return INVALID;
    const row = this.#store.takeResumeToken(hashResumeToken(token));
    if (row === undefined) return INVALID;
    if (row.expiresAt <= this.#now()) return EXPIRED;
    return { ok: true, playerKey: row.playerKey };
  }

  /**
   * Consumes `token` and, if it was good, issues its player a new one, in one transaction:
   * a resume hands the client a fresh token and the one it used is gone.
   */
  rotate(token: string): RotatedToken {
    return this.#store.transaction((): RotatedToken => {
      const used = this.consume(token);
      if (!used.ok) return used;
      return { ok: true, playerKey: used.playerKey, next: this.issue(used.playerKey) };
    });
  }

  /** Revokes the tokens with these hashes (a session's, at `quit`); returns how many went. */
  revoke(tokenHashes: readonly string[]): number {
    return this.#store.deleteResumeTokens(tokenHashes);
  }

  /** Revokes every token of a player (a password change); returns how many went. */
  revokePlayer(playerKey: string): number {
    return this.#store.deletePlayerResumeTokens(playerKey);
  }
}

const INVALID: ConsumedToken = Object.freeze({ ok: false, reason: "invalid" });
const EXPIRED: ConsumedToken = Object.freeze({ ok: false, reason: "expired" });
