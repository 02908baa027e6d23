/**
 * Password hashing with argon2id (hardening A1, A5). The store only ever sees the PHC string
 * this returns (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), which carries its own salt and
 * parameters, so changing the defaults later does not break existing accounts.
 *
 * Hashing is deliberately expensive: about 19 MiB and tens of milliseconds each on libuv's
 * thread pool (four threads by default, shared with file and DNS work). Unlimited, twenty
 * simultaneous logins would take the whole pool and ~400 MiB. So at most `maxConcurrent` run at
 * once and the rest wait in a bounded queue.
 *
 * The queue is fair between owners (the login dialog passes the peer's address key): each
 * owner waits in its own sub-queue of at most `maxQueuedPerOwner`, and a freed slot goes to
 * the owners in turn (round-robin), so one address filling the queue delays another address's
 * login by at most one hash per other waiting owner, not by its whole backlog (issue 5 item 4:
 * one address made everyone's login take 16 s). Within an owner, calls run in arrival order.
 */
import * as argon2 from "argon2";
import { AccountError } from "./account-error.js";

/** The cost parameters of one argon2id hash. */
export interface Argon2Parameters {
  /** Memory per hash, in KiB. */
  readonly memoryCost: number;
  /** Passes over the memory. */
  readonly timeCost: number;
  /** Lanes (threads) per hash. */
  readonly parallelism: number;
}

/** What actually hashes and verifies; argon2 by default, replaceable to instrument tests. */
export interface HashBackend {
  /** An argon2id PHC string for `password` with a fresh random salt. */
  hash(password: string, params: Argon2Parameters): Promise<string>;
  /** Whether `password` matches the PHC string `hash`. May reject if `hash` is malformed. */
  verify(hash: string, password: string): Promise<boolean>;
}

/** The real backend: node-argon2, argon2id. */
export const argon2idBackend: HashBackend = Object.freeze({
  hash: (password: string, params: Argon2Parameters) => argon2.hash(password, { type: argon2.argon2id, ...params }),
  verify: (hash: string, password: string) => argon2.verify(hash, password),
});

/**
 * OWASP's minimum for argon2id (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane —
 * about 20–40 ms per hash on a small server, which a login can afford and a guesser cannot.
 */
export const DEFAULT_ARGON2_PARAMETERS: Argon2Parameters = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

/**
 * Options for {@link PasswordHasher}. The queue limits are the operator's (`accounts.*` in
 * config/default.yaml, where their defaults are written once) and required; the argon2id
 * parameters are Loom's own, with defaults here.
 */
export interface PasswordHasherOptions {
  /** KiB per hash. Default 19,456 (19 MiB). Tests use a few MiB to stay fast. */
  readonly memoryCost?: number;
  /** Passes. Default 2. */
  readonly timeCost?: number;
  /** Lanes. Default 1. */
  readonly parallelism?: number;
  /** Hashes or verifies running at once; the rest queue (`accounts.hashConcurrency`). */
  readonly maxConcurrent: number;
  /** Calls allowed to wait in all; one more rejects with AccountError `"hasher-busy"` (`accounts.maxQueuedHashes`). */
  readonly maxQueued: number;
  /**
   * Calls one owner (an address key) may have waiting; one more rejects with `"hasher-busy"`.
   * Calls without an owner (the server's own) are held only to `maxQueued`
   * (`accounts.maxQueuedHashesPerAddress`).
   */
  readonly maxQueuedPerOwner: number;
  /** The hashing implementation. Default {@link argon2idBackend}. */
  readonly backend?: HashBackend;
}

/** Hashes and verifies passwords, a few at a time. */
export class PasswordHasher {
  readonly #params: Argon2Parameters;
  readonly #backend: HashBackend;
  readonly #maxConcurrent: number;
  readonly #maxQueued: number;
  readonly #maxQueuedPerOwner: number;
  #running = 0;
  #queued = 0;
  #refused = 0;
  /**
   * Waiting calls by owner, each sub-queue oldest first; each call is started by the call that
   * hands it a free slot. The map's order is the rotation: an owner just served goes to the back.
   */
  readonly #waiting = new Map<string, Array<() => void>>();

  constructor(options: PasswordHasherOptions) {
    this.#params = Object.freeze({
      memoryCost: options.memoryCost ?? DEFAULT_ARGON2_PARAMETERS.memoryCost,
      timeCost: options.timeCost ?? DEFAULT_ARGON2_PARAMETERS.timeCost,
      parallelism: options.parallelism ?? DEFAULT_ARGON2_PARAMETERS.parallelism,
    });
    this.#backend = options.backend ?? argon2idBackend;
    this.#maxConcurrent = Math.max(1, options.maxConcurrent);
    this.#maxQueued = Math.max(0, options.maxQueued);
    this.#maxQueuedPerOwner = Math.max(0, options.maxQueuedPerOwner);
  }

  /** The argon2id parameters new hashes use. */
  get parameters(): Argon2Parameters {
    return this.#params;
  }

  /** Calls running now (never more than `maxConcurrent`) and waiting; for metrics. */
  get load(): { readonly running: number; readonly queued: number } {
    return { running: this.#running, queued: this.#queued };
  }

  /** Calls refused with `"hasher-busy"` since the hasher was made; for metrics. */
  get refusedTotal(): number {
    return this.#refused;
  }

  /**
   * An argon2id PHC string for `password` (NFC-normalised first, so the same password typed
   * on any client matches). Rejects with AccountError `"hasher-busy"` when the queue, or
   * `owner`'s share of it, is full.
   */
  hash(password: string, owner?: string): Promise<string> {
    return this.#limit(owner, () => this.#backend.hash(password.normalize("NFC"), this.#params));
  }

  /**
   * Whether `password` matches `hash`. Resolves `false`, never rejects, for a wrong password
   * or a malformed or foreign hash; rejects only with AccountError `"hasher-busy"`.
   */
  verify(hash: string, password: string, owner?: string): Promise<boolean> {
    return this.#limit(owner, async () => {
      try {
        return await this.#backend.verify(hash, password.normalize("NFC"));
      } catch {
        // node-argon2 throws on a string it cannot parse; to a login that is just "no".
        return false;
      }
    });
  }

  async #limit<T>(owner: string | undefined, job: () => Promise<T>): Promise<T> {
    if (this.#running < this.#maxConcurrent) {
      this.#running += 1;
    } else {
      const key = owner ?? "";
      const queue = this.#waiting.get(key);
      const ownerFull = owner !== undefined && (queue?.length ?? 0) >= this.#maxQueuedPerOwner;
      if (this.#queued >= this.#maxQueued || ownerFull) {
        this.#refused += 1;
        throw new AccountError("hasher-busy", "Too many logins at once; please try again in a moment.");
      }
      // The finishing call passes its slot straight to us, so #running is not touched here.
      await new Promise<void>((resolve) => {
        if (queue === undefined) this.#waiting.set(key, [resolve]);
        else queue.push(resolve);
        this.#queued += 1;
      });
    }
    try {
      return await job();
    } finally {
      this.#handOver();
    }
  }

  /** Gives the freed slot to the next owner in the rotation, or releases it. */
  #handOver(): void {
    const first = this.#waiting.entries().next();
    if (first.done === true) {
      this.#running -= 1;
      return;
    }
    const [owner, queue] = first.value;
    const next = queue.shift()!;
    this.#queued -= 1;
    this.#waiting.delete(owner);
    if (queue.length > 0) this.#waiting.set(owner, queue); // to the back of the rotation
    next();
  }
}
