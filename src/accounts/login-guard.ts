/**
 * Who may try a password, or make a character, right now (hardening A2, A3, F10; issue 5
 * items 4, 5 and 14). The policy, in one place; the login dialog only asks and settles.
 *
 * A login attempt must pass three limits, all counted when it starts:
 * - per account *and* address key, the small one (`failedLoginsPerMinute`, 5): an address
 *   guessing at one account is stopped quickly, and it stops only that address;
 * - per address key, across accounts (`failedLoginsPerAddressPerMinute`): one address trying
 *   many accounts;
 * - per account, from addresses that have not logged into it recently: a free allowance, then
 *   an exponential delay ({@link AccountBackoff}) that slows a guesser with many addresses.
 *   The owner's recent addresses ({@link KnownAddresses}) skip this one, so no stranger can
 *   lock the owner out.
 *
 * Settling: a success forgets the account-and-address count (the owner's typos are forgiven)
 * and gives back its own attempt elsewhere, but does not forgive the address's other failures
 * (an attacker logging into a character of their own must not reset their count). A failure
 * keeps every count. An attempt the server could not carry out (the hasher was busy) is given
 * back everywhere. Creations count one per address key per hour; a creation that fails for the
 * server's reasons is given back.
 *
 * Every per-address key is {@link addressKey} of the peer: IPv4 whole, IPv6 by /64 (item 14).
 */
import type { Clock } from "../reactor/clock.js";
import { addressKey } from "../reactor/address-key.js";
import { AccountBackoff } from "./account-backoff.js";
import { KnownAddresses } from "./known-addresses.js";
import { MAX_TABLE_ENTRIES } from "./recency-table.js";
import { ALLOWED, LoginThrottle, type ThrottleDecision } from "./throttle.js";

/**
 * Options for {@link LoginGuard}: the operator's `accounts` settings, required, so that their
 * defaults are written once, in config/default.yaml (issue 10).
 */
export interface LoginGuardOptions {
  readonly clock: Clock;
  /** Attempts per minute on one account from one address key. */
  readonly failedLoginsPerMinute: number;
  /** Attempts per minute from one address key, across all accounts. */
  readonly failedLoginsPerAddressPerMinute: number;
  /** Attempts on one account from unrecognised addresses before the delay starts. */
  readonly accountFreeAttempts: number;
  /** The longest delay between such attempts, in seconds. */
  readonly accountBackoffMaxSeconds: number;
  /** Characters created per hour from one address key. */
  readonly creationsPerHour: number;
  /** Most keys each table remembers (hardening F10). Default {@link MAX_TABLE_ENTRIES}. */
  readonly maxEntries?: number | undefined;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** A login attempt under way; settle it exactly once (later calls are ignored). */
export interface LoginAttempt {
  /** The password matched. */
  succeeded(): void;
  /** The password did not match, or the name is unknown. */
  failed(): void;
  /** The check never ran (the hasher was busy, or the server failed): nothing is counted. */
  abandoned(): void;
}

/** A creation under way; settle it exactly once (later calls are ignored). */
export interface CreationAttempt {
  /** The character `account` was made. */
  created(account: string): void;
  /** Refused for the player's reasons (the name was taken meanwhile): it still counts. */
  refused(): void;
  /** Failed for the server's reasons: given back. */
  abandoned(): void;
}

/** What {@link LoginGuard.beginLogin} and {@link LoginGuard.beginCreation} answer. */
export type Admission<A> =
  | { readonly allowed: true; readonly attempt: A }
  | { readonly allowed: false; /** Milliseconds until a retry could be allowed. */ readonly retryAfterMs: number };

/** The login and creation throttles of one server. */
export class LoginGuard {
  readonly #perPair: LoginThrottle;
  readonly #perAddress: LoginThrottle;
  readonly #perAccount: AccountBackoff;
  readonly #creations: LoginThrottle;
  readonly #known: KnownAddresses;

  constructor(options: LoginGuardOptions) {
    const { clock } = options;
    const maxEntries = options.maxEntries ?? MAX_TABLE_ENTRIES;
    this.#perPair = new LoginThrottle({ clock, maxAttempts: options.failedLoginsPerMinute, windowMs: MINUTE_MS, maxEntries });
    this.#perAddress = new LoginThrottle({ clock, maxAttempts: options.failedLoginsPerAddressPerMinute, windowMs: MINUTE_MS, maxEntries });
    this.#perAccount = new AccountBackoff({
      clock,
      freeAttempts: options.accountFreeAttempts,
      maxDelayMs: options.accountBackoffMaxSeconds * 1000,
      maxEntries,
    });
    this.#creations = new LoginThrottle({ clock, maxAttempts: options.creationsPerHour, windowMs: HOUR_MS, maxEntries });
    this.#known = new KnownAddresses({ clock, maxAccounts: maxEntries });
  }

  /**
   * Asks whether `peer` may try a password for `account` (a lowercase name key, existing or
   * not: the answer must not say which). If allowed, the attempt is already counted.
   */
  beginLogin(account: string, peer: string): Admission<LoginAttempt> {
    const address = addressKey(peer);
    const pair = `${account}\n${address}`;
    const known = this.#known.has(account, address);
    const refusal = slowest([
      this.#perPair.check(pair),
      this.#perAddress.check(address),
      known ? ALLOWED : this.#perAccount.check(account),
    ]);
    if (refusal !== undefined) return refusal;
    this.#perPair.count(pair);
    this.#perAddress.count(address);
    if (!known) this.#perAccount.count(account);
    const settle = settleOnce();
    return {
      allowed: true,
      attempt: {
        succeeded: () =>
          settle(() => {
            this.#perPair.forget(pair);
            this.#perAddress.refund(address);
            if (!known) this.#perAccount.refund(account);
            this.#known.add(account, address);
          }),
        failed: () => settle(() => {}),
        abandoned: () =>
          settle(() => {
            this.#perPair.refund(pair);
            this.#perAddress.refund(address);
            if (!known) this.#perAccount.refund(account);
          }),
      },
    };
  }

  /**
   * Asks whether `peer` may present a resume token now (issue 9). A token names no account
   * until it is checked, so only the per-address limit applies: a wrong token counts as a
   * failed login from that address, and tokens cannot be guessed at speed (A2). A success
   * gives its own attempt back; a failure keeps it.
   */
  beginResume(peer: string): Admission<LoginAttempt> {
    const address = addressKey(peer);
    const decision = this.#perAddress.take(address);
    if (!decision.allowed) return decision;
    const settle = settleOnce();
    return {
      allowed: true,
      attempt: {
        succeeded: () => settle(() => this.#perAddress.refund(address)),
        failed: () => settle(() => {}),
        abandoned: () => settle(() => this.#perAddress.refund(address)),
      },
    };
  }

  /** Asks whether `peer` may make a character now. If allowed, the creation is already counted. */
  beginCreation(peer: string): Admission<CreationAttempt> {
    const address = addressKey(peer);
    const decision = this.#creations.take(address);
    if (!decision.allowed) return decision;
    const settle = settleOnce();
    return {
      allowed: true,
      attempt: {
        // The creating address vouches for the new account, so its owner is recognised at once.
        created: (account) => settle(() => this.#known.add(account, address)),
        refused: () => settle(() => {}),
        abandoned: () => settle(() => this.#creations.refund(address)),
      },
    };
  }

  /** How many keys each table holds (for tests and metrics; each at most `maxEntries`). */
  get sizes(): { readonly pairs: number; readonly addresses: number; readonly accounts: number; readonly creations: number; readonly known: number } {
    return {
      pairs: this.#perPair.size,
      addresses: this.#perAddress.size,
      accounts: this.#perAccount.size,
      creations: this.#creations.size,
      known: this.#known.size,
    };
  }
}

/** The refusal with the longest wait among `decisions`, or undefined if all allow. */
function slowest(decisions: readonly ThrottleDecision[]): { allowed: false; retryAfterMs: number } | undefined {
  let wait = -1;
  for (const d of decisions) if (!d.allowed) wait = Math.max(wait, d.retryAfterMs);
  return wait < 0 ? undefined : { allowed: false, retryAfterMs: wait };
}

/**
 * An attempt is settled exactly once: whichever of succeeded / failed / abandoned comes first
 * counts, and a second call (a retry path calling both) changes nothing.
 */
function settleOnce(): (fn: () => void) => void {
  let settled = false;
  return (fn) => {
    if (settled) return;
    settled = true;
    fn();
  };
}
