/**
 * What a name looks like, for telling apart names that read the same (hardening E8; issue 5
 * item 7). Names are ASCII letters only (names.ts), so the cross-script homoglyphs are already
 * gone; what remains are the Latin look-alikes a player can type: "rn" for "m", "vv" for "w",
 * "cl" for "d", and "l", "I" and "i" for one another (a display name is "Alice", so "AIice"
 * shows as "Aiice"). Two names with the same skeleton are one name as far as creation goes.
 *
 * Pure, no dependencies: the store uses it for its skeleton column and uniqueness check, and a
 * change to it needs a migration that recomputes that column.
 */

/**
 * Letter sequences folded to the letter they pass for, after lowercasing and `i` → `l`. From
 * Unicode's confusables data (UTS #39), restricted to what a name may hold.
 */
const SEQUENCES = /rn|vv|cl/g;
const SEQUENCE_TO: Readonly<Record<string, string>> = { rn: "m", vv: "w", cl: "d" };

/** The skeleton of `name`: lowercase, `i` read as `l`, then `rn` → `m`, `vv` → `w`, `cl` → `d`. */
export function nameSkeleton(name: string): string {
  return name
    .toLowerCase()
    .replace(/i/g, "l")
    .replace(SEQUENCES, (seq) => SEQUENCE_TO[seq] ?? seq);
}
