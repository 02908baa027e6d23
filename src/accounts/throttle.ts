/**
 * A bounded per-key failure throttle (hardening A2, A3, F10). Use one instance per dimension —
 * failed logins per address, failed logins per account, creations per address — so that
 * neither a botnet on one account nor one address on many accounts gets past.
 *
 * Each key gets a window that opens at its first failure: `maxFailures` failures inside
 * `windowMs` lock the key until the window closes; a success forgets the key. The table holds
 * at most `maxEntries` keys; past that, the key whose last failure is oldest is forgotten
 * first, so memory stays bounded whatever an attacker sends (with 10,000 keys of at most 128
 * characters: a few MiB at worst).
 */
import type { Clock } from "../reactor/clock.js";

/** Options for {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Time source; a FakeClock in tests. */
  readonly clock: Clock;
  /** Failures allowed per window before the key is locked. Default 5. */
  readonly maxFailures?: number;
  /** Window length in ms, from a key's first failure. Default 60,000 (one minute). */
  readonly windowMs?: number;
  /** Most keys remembered; the least recently failed are forgotten first. Default 10,000. */
  readonly maxEntries?: number;
}

/** The answer of {@link LoginThrottle.check}. */
export type ThrottleDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; /** Milliseconds until the key is allowed again. */ readonly retryAfterMs: number };

/**
 * Keys longer than this are cut to it. Addresses and names are far shorter; the cut bounds the
 * memory an attacker can make one entry cost, and merging two absurd keys only throttles harder.
 */
const MAX_KEY_LENGTH = 128;
const ALLOWED: ThrottleDecision = Object.freeze({ allowed: true });

interface Entry {
  failures: number;
  /** When the key's current window opened (its first failure in it). */
  readonly since: number;
}

/** Counts failures per key and says when a key must wait. */
export class LoginThrottle {
  readonly #clock: Clock;
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #maxEntries: number;
  /** Insertion order is recency order: `fail` re-inserts, so the first key is the stalest. */
  readonly #entries = new Map<string, Entry>();

  constructor(options: LoginThrottleOptions) {
    this.#clock = options.clock;
    this.#maxFailures = Math.max(1, options.maxFailures ?? 5);
    this.#windowMs = Math.max(0, options.windowMs ?? 60_000);
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  }

  /** Whether `key` may try now. Does not count as a try. */
  check(key: string): ThrottleDecision {
    const k = trimKey(key);
    const entry = this.#entries.get(k);
    if (entry === undefined) return ALLOWED;
    const now = this.#clock.now();
    const closes = entry.since + this.#windowMs;
    if (now >= closes) {
      this.#entries.delete(k);
      return ALLOWED;
    }
    return entry.failures >= this.#maxFailures ? { allowed: false, retryAfterMs: closes - now } : ALLOWED;
  }

  /** Counts one failure for `key` (for creation throttling: one creation). */
  fail(key: string): void {
    const k = trimKey(key);
    const now = this.#clock.now();
    const entry = this.#entries.get(k);
    this.#entries.delete(k);
    if (entry === undefined || now >= entry.since + this.#windowMs) {
      this.#entries.set(k, { failures: 1, since: now });
      // Only a new key can grow the table, so this is the only place to evict.
      while (this.#entries.size > this.#maxEntries) {
        const stalest = this.#entries.keys().next();
        if (stalest.done === true) break;
        this.#entries.delete(stalest.value);
      }
    } else {
      entry.failures += 1;
      this.#entries.set(k, entry);
    }
  }

  /** Forgets `key`: a successful login clears its failures. */
  succeed(key: string): void {
    this.#entries.delete(trimKey(key));
  }

  /** Keys currently remembered (for metrics and tests); never more than `maxEntries`. */
  get size(): number {
    return this.#entries.size;
  }
}

function trimKey(key: string): string {
  return key.length > MAX_KEY_LENGTH ? key.slice(0, MAX_KEY_LENGTH) : key;
}
