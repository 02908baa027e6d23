/**
 * Spelling rules shared by noun plurals (plural.ts) and verb agreement (verbs.ts). English
 * spells the plural "-s" and the third-person "-s" the same way (boxes/pushes, cities/carries,
 * days/says), so the rule lives once here; each caller adds only its own exceptions.
 */

/**
 * Single-vowel words ending in one "z" double it before "-es" (quizzes, fezzes, whizzes). The
 * rule "double after a stressed short vowel" would need syllable stress, so it is a list.
 */
const DOUBLED_Z: ReadonlySet<string> = new Set(["quiz", "fez", "whiz"]);

/**
 * A lowercase word with the regular "-s" ending: +es after s, x, z, ch and sh (boxes, pushes);
 * consonant + y becomes -ies (cities, carries; "qu" counts as a consonant: soliloquies); anything
 * else +s (lanterns, days). Callers lowercase first and restore the case with {@link matchCase},
 * so this never has to guess whether to append "ES" or "es".
 */
export function addS(word: string): string {
  if (DOUBLED_Z.has(word)) return `${word}zes`;
  if (/(?:s|x|z|ch|sh)$/u.test(word)) return `${word}es`;
  if (/(?:[b-df-hj-np-tv-z]|qu)y$/u.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** Two or more letters and no lowercase ones: "NPC", "KNIFE". */
function isShouted(word: string): boolean {
  return !/\p{Ll}/u.test(word) && /\p{Lu}.*\p{Lu}/su.test(word);
}

/**
 * `inflected` (computed from the lowercase form of `original`) spelled in `original`'s case:
 * "Man" + "men" -> "Men", "McGuffin" + "mcguffins" -> "McGuffins", "KNIFE" + "knives" ->
 * "KNIVES", "Be" + "is" -> "Is". The letters the two share at the start keep the original's
 * case, so inner capitals survive; an all-capitals word stays all capitals.
 */
export function matchCase(original: string, inflected: string): string {
  if (isShouted(original)) return inflected.toUpperCase();
  const lower = original.toLowerCase();
  let shared = 0;
  while (shared < original.length && shared < inflected.length && lower[shared] === inflected[shared]) shared += 1;
  if (shared > 0) return original.slice(0, shared) + inflected.slice(shared);
  // Nothing shared ("Be" -> "is"): keep at least the initial capital.
  const capital = /^\p{Lu}/u.test(original);
  return capital ? inflected.charAt(0).toUpperCase() + inflected.slice(1) : inflected;
}
