/**
 * What a password must be. Loom is a MUD, not a bank: what a password guards is a game
 * character, guessing is throttled per address and per account (throttle.ts), and the store
 * keeps only argon2id hashes. So the rule is short enough to type into any client, on any door.
 */

/** Shortest password, in characters (code points). Four keeps casual players; throttling does the rest. */
export const PASSWORD_MIN_LENGTH = 4;
/**
 * Longest password, in characters (code points): far beyond any passphrase, and it bounds the
 * work a hash does on untrusted input.
 */
export const PASSWORD_MAX_LENGTH = 128;

/** The outcome of {@link validatePassword}. */
export type PasswordCheck = { readonly ok: true } | { readonly ok: false; /** A sentence to show the player. */ readonly error: string };

// C0, DEL and C1 controls: a terminal may act on them and no client types them on purpose.
// Lone surrogates are not text: they would hash as U+FFFD and collide with each other.
const BAD_CHARACTER = /[\x00-\x1f\x7f-\x9f]|\p{Cs}/u;

/** Checks a proposed password: 4 to 128 characters, no control characters. Pure. */
export function validatePassword(password: string): PasswordCheck {
  // Count code points, not UTF-16 units, so "🔑🔑" is two characters as the player sees it.
  // A code point is at most two units, so past twice the maximum in units it is too long
  // whatever it holds: refused without copying it into an array.
  const units = password.length;
  const length = units > PASSWORD_MAX_LENGTH * 2 ? units : Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    return { ok: false, error: `Passwords are ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.` };
  }
  if (BAD_CHARACTER.test(password)) {
    return { ok: false, error: "Passwords cannot contain control characters." };
  }
  return { ok: true };
}
