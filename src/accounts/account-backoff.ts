/**
 * The per-account ceiling against a distributed guesser (issue 5 item 5; hardening A2, F10).
 *
 * Per-address limits cannot stop a guesser who has many addresses, and a plain per-account
 * lock hands every stranger a way to lock the owner out (the old rule: five wrong guesses from
 * anywhere locked the account for a minute, and one address could keep it locked forever). So
 * this ceiling applies only to addresses that have not logged into the account recently
 * ({@link KnownAddresses}; the guard decides), and it slows rather than locks: the first
 * `freeAttempts` attempts are free, then each further one must wait a delay that doubles
 * (1 s, 2 s, 4 s, …) up to `maxDelayMs` after the previous one. However many addresses a
 * guesser has, once the delay reaches its cap the account takes one guess per `maxDelayMs`.
 *
 * Attempts are counted when they start (item 4), so simultaneous guesses are serialised by the
 * delay. An account's record is forgotten after a quiet period of twice the longest delay, and
 * the table holds at most `maxEntries` accounts, the least recently tried forgotten first.
 */
import type { Clock } from "../reactor/clock.js";
import { MAX_TABLE_ENTRIES, remember, trimKey } from "./recency-table.js";
import { ALLOWED, type ThrottleDecision } from "./throttle.js";

/** Options for {@link AccountBackoff}. */
export interface AccountBackoffOptions {
  readonly clock: Clock;
  /** Attempts an account takes from unrecognised addresses before the delay starts (`accounts.accountFreeAttempts`). */
  readonly freeAttempts: number;
  /** The first delay, in ms; each further attempt doubles it. Default {@link BACKOFF_BASE_DELAY_MS}. */
  readonly baseDelayMs?: number;
  /** The longest delay, in ms (`accounts.accountBackoffMaxSeconds`, in seconds there). */
  readonly maxDelayMs: number;
  /** Most accounts remembered; the least recently tried are forgotten first. Default {@link MAX_TABLE_ENTRIES}. */
  readonly maxEntries?: number;
}

/** The first delay past the free attempts, doubled per attempt: 1 s, 2 s, 4 s... Not a setting. */
export const BACKOFF_BASE_DELAY_MS = 1000;

interface Entry {
  attempts: number;
  /** When the latest attempt started. */
  lastAt: number;
}

/** Counts attempts per account and spaces them out exponentially past a free allowance. */
export class AccountBackoff {
  readonly #clock: Clock;
  readonly #free: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #forgetMs: number;
  readonly #maxEntries: number;
  /** Insertion order is recency order; the first key is the stalest. */
  readonly #entries = new Map<string, Entry>();

  constructor(options: AccountBackoffOptions) {
    this.#clock = options.clock;
    this.#free = Math.max(0, options.freeAttempts);
    this.#baseMs = Math.max(1, options.baseDelayMs ?? BACKOFF_BASE_DELAY_MS);
    this.#maxMs = Math.max(this.#baseMs, options.maxDelayMs);
    this.#forgetMs = 2 * this.#maxMs;
    this.#maxEntries = Math.max(1, options.maxEntries ?? MAX_TABLE_ENTRIES);
  }

  /** The delay the next attempt on an account with `attempts` behind it must wait. */
  delayAfter(attempts: number): number {
    const over = attempts - this.#free;
    if (over < 0) return 0;
    // 2^over overflows to Infinity past ~1024, which min() caps; no loop, no big numbers.
    return Math.min(this.#maxMs, this.#baseMs * 2 ** over);
  }

  /** Whether an unrecognised address may try `account` now. Does not count. */
  check(account: string): ThrottleDecision {
    const entry = this.#live(trimKey(account));
    if (entry === undefined) return ALLOWED;
    const opens = entry.lastAt + this.delayAfter(entry.attempts);
    const now = this.#clock.now();
    return now >= opens ? ALLOWED : { allowed: false, retryAfterMs: opens - now };
  }

  /** Counts one attempt on `account`, starting now (the caller has already checked). */
  count(account: string): void {
    const k = trimKey(account);
    const entry = this.#live(k);
    remember(this.#entries, k, { attempts: (entry?.attempts ?? 0) + 1, lastAt: this.#clock.now() }, this.#maxEntries);
  }

  /** Gives back one attempt (it succeeded, or never ran). */
  refund(account: string): void {
    const entry = this.#entries.get(trimKey(account));
    if (entry !== undefined && entry.attempts > 0) entry.attempts -= 1;
  }

  /** Attempts counted against `account` now (for tests and metrics). */
  attempts(account: string): number {
    return this.#live(trimKey(account))?.attempts ?? 0;
  }

  /** Accounts remembered; never more than `maxEntries`. */
  get size(): number {
    return this.#entries.size;
  }

  #live(k: string): Entry | undefined {
    const entry = this.#entries.get(k);
    if (entry === undefined) return undefined;
    if (this.#clock.now() >= entry.lastAt + this.#forgetMs) {
      this.#entries.delete(k);
      return undefined;
    }
    return entry;
  }
}
