/**
 * The address keys each account was recently used from (issue 5 item 5): an owner logging in
 * from one of them is never held back by the account's ceiling ({@link AccountBackoff}), so a
 * stranger guessing at the account cannot lock its owner out.
 *
 * In memory only, and bounded twice (hardening F10): at most `perAccount` address keys per
 * account (the least recently used forgotten first) and at most `maxAccounts` accounts. Only a
 * successful login or a creation adds an entry, so an attacker cannot fill it without
 * passwords. After a restart it is empty: an owner's first login then counts as from an
 * unrecognised address, which at worst waits out the backoff delay.
 */
import type { Clock } from "../reactor/clock.js";
import { MAX_TABLE_ENTRIES, remember } from "./recency-table.js";

/** Options for {@link KnownAddresses}. */
export interface KnownAddressesOptions {
  readonly clock: Clock;
  /** Address keys remembered per account. Default 4. */
  readonly perAccount?: number;
  /** Accounts remembered. Default {@link MAX_TABLE_ENTRIES}. */
  readonly maxAccounts?: number;
  /** How long a good login vouches for its address, in ms. Default 30 days. */
  readonly ttlMs?: number;
}

const DAY_MS = 86_400_000;

/** Recent good (account, address key) pairs, bounded. */
export class KnownAddresses {
  readonly #clock: Clock;
  readonly #perAccount: number;
  readonly #maxAccounts: number;
  readonly #ttlMs: number;
  /** account -> (address key -> when last good); both maps in recency order. */
  readonly #accounts = new Map<string, Map<string, number>>();

  constructor(options: KnownAddressesOptions) {
    this.#clock = options.clock;
    this.#perAccount = Math.max(1, options.perAccount ?? 4);
    this.#maxAccounts = Math.max(1, options.maxAccounts ?? MAX_TABLE_ENTRIES);
    this.#ttlMs = Math.max(0, options.ttlMs ?? 30 * DAY_MS);
  }

  /** Whether `address` (an address key) logged into `account` within the time to live. */
  has(account: string, address: string): boolean {
    const at = this.#accounts.get(account)?.get(address);
    return at !== undefined && this.#clock.now() < at + this.#ttlMs;
  }

  /** Records a good login (or a creation) of `account` from `address` (an address key). */
  add(account: string, address: string): void {
    const addresses = this.#accounts.get(account) ?? new Map<string, number>();
    remember(this.#accounts, account, addresses, this.#maxAccounts);
    remember(addresses, address, this.#clock.now(), this.#perAccount);
  }

  /** Accounts remembered; never more than `maxAccounts`. */
  get size(): number {
    return this.#accounts.size;
  }
}
