/**
 * A token bucket per session: the flood limit on commands (hardening F1). Each command takes a
 * token; tokens refill at `perSecond` up to `burst`. Time comes from the injected Clock.
 */
import type { Clock } from "../reactor/clock.js";

/** Refill rate and capacity of a {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second. */
  readonly perSecond: number;
  /** Most tokens held at once: how big a burst is allowed. */
  readonly burst: number;
}

/** One sender's allowance. */
export class TokenBucket {
  readonly #clock: Clock;
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #at: number;

  constructor(clock: Clock, options: TokenBucketOptions) {
    this.#clock = clock;
    this.#perMs = options.perSecond / 1000;
    this.#burst = options.burst;
    this.#tokens = options.burst;
    this.#at = clock.now();
  }

  /** True when the bucket has refilled to its burst: it then holds nothing a new bucket would not. */
  isFull(): boolean {
    return this.#tokens + (this.#clock.now() - this.#at) * this.#perMs >= this.#burst;
  }

  /** Takes a token if there is one. */
  take(): boolean {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#perMs);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
