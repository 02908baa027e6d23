/**
 * A bounded per-key attempt throttle (hardening A2, A3, F10). {@link LoginGuard} uses one
 * instance per dimension — logins per account-and-address, logins per address, creations per
 * address — and decides what a success forgives.
 *
 * An attempt is counted when it *starts* ({@link LoginThrottle.take}), not when its hash
 * answers: issue 5 item 4 found that checking before the hash and counting after let 99
 * guesses sent at the same instant all be verified, because none of them had failed yet when
 * the next was checked. The owner of the attempt settles it later: a success may
 * {@link LoginThrottle.forget} the key or {@link LoginThrottle.refund} its one attempt, a
 * failure keeps the count, and an attempt the server could not carry out (the hasher was busy)
 * is refunded.
 *
 * Each key gets a window that opens at its first attempt: `maxAttempts` inside `windowMs` lock
 * the key until the window closes. The table holds at most `maxEntries` keys; past that, the
 * key whose last attempt is oldest is forgotten first, so memory stays bounded whatever an
 * attacker sends (with 10,000 keys of at most 128 characters: a few MiB at worst).
 */
import type { Clock } from "../reactor/clock.js";
import { MAX_TABLE_ENTRIES, remember, trimKey } from "./recency-table.js";

/** Options for {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Time source; a FakeClock in tests. */
  readonly clock: Clock;
  /** Attempts allowed per window before the key is locked (the operator's, via {@link LoginGuard}). */
  readonly maxAttempts: number;
  /** Window length in ms, from a key's first attempt. */
  readonly windowMs: number;
  /** Most keys remembered; the least recently tried are forgotten first. Default {@link MAX_TABLE_ENTRIES}. */
  readonly maxEntries?: number;
}

/** The answer of {@link LoginThrottle.check} and {@link LoginThrottle.take}. */
export type ThrottleDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; /** Milliseconds until the key is allowed again. */ readonly retryAfterMs: number };

/** The allowed decision, shared: it carries nothing. */
export const ALLOWED: ThrottleDecision = Object.freeze({ allowed: true });

interface Entry {
  attempts: number;
  /** When the key's current window opened (its first attempt in it). */
  readonly since: number;
}

/** Counts attempts per key and says when a key must wait. */
export class LoginThrottle {
  readonly #clock: Clock;
  readonly #maxAttempts: number;
  readonly #windowMs: number;
  readonly #maxEntries: number;
  /** Insertion order is recency order: `take` re-inserts, so the first key is the stalest. */
  readonly #entries = new Map<string, Entry>();

  constructor(options: LoginThrottleOptions) {
    this.#clock = options.clock;
    this.#maxAttempts = Math.max(1, options.maxAttempts);
    this.#windowMs = Math.max(0, options.windowMs);
    this.#maxEntries = Math.max(1, options.maxEntries ?? MAX_TABLE_ENTRIES);
  }

  /** Whether `key` may try now. Does not count as a try. */
  check(key: string): ThrottleDecision {
    const entry = this.#live(trimKey(key));
    if (entry === undefined || entry.attempts < this.#maxAttempts) return ALLOWED;
    return { allowed: false, retryAfterMs: entry.since + this.#windowMs - this.#clock.now() };
  }

  /** Like {@link check}, and if allowed, counts one attempt for `key` at once. */
  take(key: string): ThrottleDecision {
    const decision = this.check(key);
    if (decision.allowed) this.count(key);
    return decision;
  }

  /** Counts one attempt for `key` unconditionally (the caller has already checked). */
  count(key: string): void {
    const k = trimKey(key);
    const entry = this.#live(k);
    if (entry !== undefined) entry.attempts += 1;
    remember(this.#entries, k, entry ?? { attempts: 1, since: this.#clock.now() }, this.#maxEntries);
  }

  /** Gives back one attempt counted for `key` (it succeeded, or never ran). Never below zero. */
  refund(key: string): void {
    const entry = this.#entries.get(trimKey(key));
    if (entry !== undefined && entry.attempts > 0) entry.attempts -= 1;
  }

  /** Forgets `key` and every attempt counted for it. */
  forget(key: string): void {
    this.#entries.delete(trimKey(key));
  }

  /** Keys currently remembered (for metrics and tests); never more than `maxEntries`. */
  get size(): number {
    return this.#entries.size;
  }

  /** The key's entry if its window is still open; a closed window is dropped. */
  #live(k: string): Entry | undefined {
    const entry = this.#entries.get(k);
    if (entry === undefined) return undefined;
    if (this.#clock.now() >= entry.since + this.#windowMs) {
      this.#entries.delete(k);
      return undefined;
    }
    return entry;
  }
}
