/**
 * The rate limit on `tell` (issue 5 item 9, hardening S4): a token bucket per sender and one
 * per recipient, keyed by player. Per sender, so one player cannot bury another in private
 * messages; per recipient, so a crowd of senders cannot either. Either way the sender is told,
 * and the recipient's output stays small enough that the slow-consumer policy rarely has to act.
 *
 * Memory is bounded: at most `maxKeys` buckets per side ({@link KeyedBuckets}).
 */
import type { Clock } from "../reactor/clock.js";
import { KeyedBuckets } from "../reactor/token-bucket.js";

/**
 * Most buckets kept per side: a bound on memory (a few hundred KB), not a setting. A full
 * bucket is the same as none, so only senders in the middle of a burst are remembered.
 */
export const TELL_LIMIT_MAX_KEYS = 10_000;

/**
 * Settings of {@link TellLimits}. The rates are the operator's (`limits.tellsPerSecond`,
 * `limits.tellBurst` in config/default.yaml, the one place their defaults are written).
 */
export interface TellLimitOptions {
  /** Tells per second, sustained, per sender and per recipient. */
  readonly perSecond: number;
  /** Tells at once before the rate applies, per sender and per recipient. */
  readonly burst: number;
  /** Most buckets kept per side. Default {@link TELL_LIMIT_MAX_KEYS}. */
  readonly maxKeys?: number;
}

/** Whether a tell may go: `ok`, or which side's allowance is spent. */
export type TellAdmission = "ok" | "sender-limited" | "recipient-limited";

/** The per-sender and per-recipient tell allowances. */
export class TellLimits {
  readonly #senders: KeyedBuckets;
  readonly #recipients: KeyedBuckets;

  constructor(clock: Clock, options: TellLimitOptions) {
    const { perSecond, burst } = options;
    const maxKeys = options.maxKeys ?? TELL_LIMIT_MAX_KEYS;
    this.#senders = new KeyedBuckets(clock, { perSecond, burst }, maxKeys);
    this.#recipients = new KeyedBuckets(clock, { perSecond, burst }, maxKeys);
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
