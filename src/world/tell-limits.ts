/**
 * The rate limit on `tell` (issue 5 item 9, hardening S4): a token bucket per sender and one
 * per recipient, keyed by player. Per sender, so one player cannot bury another in private
 * messages; per recipient, so a crowd of senders cannot either. Either way the sender is told,
 * and the recipient's output stays small enough that the slow-consumer policy rarely has to act.
 *
 * Memory is bounded: at most `maxKeys` buckets per side. A full bucket is the same as no
 * bucket, so those are forgotten first; only if every bucket is in use is the oldest forgotten.
 */
import type { Clock } from "../reactor/clock.js";
import { TokenBucket } from "../session/rate-limit.js";

/** Settings of {@link TellLimits}. */
export interface TellLimitOptions {
  /** Tells per second, sustained, per sender and per recipient. Default 2. */
  readonly perSecond?: number;
  /** Tells at once before the rate applies, per sender and per recipient. Default 10. */
  readonly burst?: number;
  /** Most buckets kept per side. Default 10,000 (a few hundred KB). */
  readonly maxKeys?: number;
}

/** Whether a tell may go: `ok`, or which side's allowance is spent. */
export type TellAdmission = "ok" | "sender-limited" | "recipient-limited";

/** Token buckets by key, bounded in number. */
class KeyedBuckets {
  readonly #clock: Clock;
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(clock: Clock, perSecond: number, burst: number, maxKeys: number) {
    this.#clock = clock;
    this.#perSecond = perSecond;
    this.#burst = burst;
    this.#maxKeys = maxKeys;
  }

  /** Takes a token from `key`'s bucket, making one if needed. */
  take(key: string): boolean {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) this.#evict();
      bucket = new TokenBucket(this.#clock, { perSecond: this.#perSecond, burst: this.#burst });
      this.#buckets.set(key, bucket);
    }
    return bucket.take();
  }

  /** Buckets held, for tests. */
  get size(): number {
    return this.#buckets.size;
  }

  /**
   * Forgets every full bucket; if none was full, the oldest one. Runs only when the map is at
   * its cap, and then usually frees many slots, so its cost spreads over many calls.
   */
  #evict(): void {
    for (const [key, bucket] of this.#buckets) if (bucket.isFull()) this.#buckets.delete(key);
    if (this.#buckets.size < this.#maxKeys) return;
    const oldest = this.#buckets.keys().next();
    if (oldest.done !== true) this.#buckets.delete(oldest.value);
  }
}

/** The per-sender and per-recipient tell allowances. */
export class TellLimits {
  readonly #senders: KeyedBuckets;
  readonly #recipients: KeyedBuckets;

  constructor(clock: Clock, options: TellLimitOptions = {}) {
    const perSecond = options.perSecond ?? 2;
    const burst = options.burst ?? 10;
    const maxKeys = options.maxKeys ?? 10_000;
    this.#senders = new KeyedBuckets(clock, perSecond, burst, maxKeys);
    this.#recipients = new KeyedBuckets(clock, perSecond, burst, maxKeys);
  }

  /**
   * Decides one tell from `sender` to `recipient` (player keys). The sender's allowance is
   * checked first and spent even when the recipient's is empty: a refused flood still costs
   * the flooder.
   */
  admit(sender: string, recipient: string): TellAdmission {
    if (!this.#senders.take(sender)) return "sender-limited";
    if (!this.#recipients.take(recipient)) return "recipient-limited";
    return "ok";
  }

  /** Buckets held per side, for tests of the memory bound. */
  get size(): { readonly senders: number; readonly recipients: number } {
    return { senders: this.#senders.size, recipients: this.#recipients.size };
  }
}
