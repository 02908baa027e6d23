/**
 * A token bucket: the flood limits on commands (hardening F1), tells (S4) and new connections
 * (F4). Each command, tell or connection takes a token; tokens refill at `perSecond` up to
 * `burst`. Time comes from the injected Clock.
 */
import type { Clock } from "./clock.js";

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

/**
 * Token buckets by key (a player, an address), bounded in number (hardening F10): at most
 * `maxKeys`. A full bucket is the same as no bucket, so those are forgotten first; only if
 * every bucket is in use is the oldest forgotten.
 */
export class KeyedBuckets {
  readonly #clock: Clock;
  readonly #options: TokenBucketOptions;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(clock: Clock, options: TokenBucketOptions, maxKeys: number) {
    this.#clock = clock;
    this.#options = Object.freeze({ ...options });
    this.#maxKeys = Math.max(1, maxKeys);
  }

  /** Takes a token from `key`'s bucket, making one if needed. */
  take(key: string): boolean {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) this.#evict();
      bucket = new TokenBucket(this.#clock, this.#options);
      this.#buckets.set(key, bucket);
    }
    return bucket.take();
  }

  /** Buckets held, for tests. */
  get size(): number {
    return this.#buckets.size;
  }

  /**
   * Forgets every full bucket; if that frees too little, the oldest ones, a hundredth of the
   * table at a time. Runs only when the map is at its cap and always frees a batch, so its scan
   * spreads over many calls even when many addresses are busy at once (a botnet).
   */
  #evict(): void {
    for (const [key, bucket] of this.#buckets) if (bucket.isFull()) this.#buckets.delete(key);
    let excess = this.#buckets.size - this.#maxKeys + Math.ceil(this.#maxKeys / 100);
    for (const key of this.#buckets.keys()) {
      if (excess-- <= 0) break;
      this.#buckets.delete(key);
    }
  }
}
