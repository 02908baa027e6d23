/**
 * Character names: what a player may be called (hardening E7, E8).
 *
 * A name is 3 to 16 ASCII letters, nothing else. That one rule rejects, without a list to keep
 * up to date, every zero-width character, bidi override, homoglyph from another script
 * (Cyrillic "а" for Latin "a") and combining mark. The display form is fixed too — first
 * letter capital, the rest lowercase — so "AIice" shows as "Aiice", not as a twin of "Alice".
 */

/** Shortest name, in letters. */
export const NAME_MIN_LENGTH = 3;
/** Longest name, in letters: fits a `who` column and a prompt. */
export const NAME_MAX_LENGTH = 16;

/**
 * Words nobody may be called, lowercase: pronouns and targets commands understand ("you",
 * "me", "here", "all"), words that would pass for staff or the server, and the login verbs.
 */
export const ReservedNames = [
  "you", "me", "self", "myself", "here", "all", "everyone", "anyone", "someone", "somebody", "nobody",
  "admin", "administrator", "builder", "player", "moderator", "staff", "sysop", "root", "system", "server",
  "guest", "new", "quit", "create", "connect", "loom",
] as const;

/** The outcome of {@link validateName}. */
export type NameCheck =
  | { readonly ok: true; /** Display form, e.g. "Alice". */ readonly name: string; /** Lowercase key, e.g. "alice". */ readonly key: string }
  | { readonly ok: false; /** A sentence to show the player. */ readonly error: string };

const NAME = new RegExp(`^[A-Za-z]{${NAME_MIN_LENGTH},${NAME_MAX_LENGTH}}$`);
const EDGE_SPACE = /^[ \t]+|[ \t]+$/g;
const RESERVED: ReadonlySet<string> = new Set(ReservedNames);

/**
 * Checks a proposed name (surrounding spaces and tabs ignored) and returns its display form and key,
 * or a message for the player. Pure; says nothing about whether the name is taken.
 */
export function validateName(input: string): NameCheck {
  // Spaces and tabs only: String#trim would also eat U+FEFF and other invisibles, and a name
  // that arrives with those is not the name the player thinks they typed.
  const text = input.replace(EDGE_SPACE, "");
  if (!NAME.test(text)) {
    return { ok: false, error: `Names are ${NAME_MIN_LENGTH} to ${NAME_MAX_LENGTH} letters, A to Z.` };
  }
  const key = text.toLowerCase();
  const name = key.charAt(0).toUpperCase() + key.slice(1);
  if (RESERVED.has(key)) {
    return { ok: false, error: `"${name}" is reserved. Please choose another name.` };
  }
  return { ok: true, name, key };
}
