/** Unique, valid character names for tests (names are letters only). */
let counter = 0;

/**
 * Letters that take part in no confusable fold (src/accounts/name-skeleton.ts: i/l, rn, vv, cl),
 * so names that differ in them never read alike and the store accepts them all.
 */
export const DISTINCT_LETTERS = "abefghjkopqstuxy";

/** A fresh name such as "Tlinebc": `prefix` plus a counter spelled in letters. */
export function uniqueName(prefix: string): string {
  let n = ++counter + process.pid * 1000;
  let suffix = "";
  const base = DISTINCT_LETTERS.length;
  while (n > 0) {
    suffix = DISTINCT_LETTERS[n % base]! + suffix;
    n = Math.floor(n / base);
  }
  const name = (prefix + suffix).slice(0, 16);
  return name[0]!.toUpperCase() + name.slice(1).toLowerCase();
}
