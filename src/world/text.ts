/**
 * Small pieces of English the narration needs: lists, capitals, direction names.
 */
import { Articles, CompassExits, ExitAbbreviations } from "./world-schema.js";

/** "a", "a and b", "a, b and c". */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]!}`;
}

/** What players may type for the compass and vertical exits (the same table the world files are checked against). */
export const DIRECTION_ABBREVIATIONS: Readonly<Record<string, string>> = ExitAbbreviations;

const OPPOSITES: Readonly<Record<string, string>> = {
  north: "the south",
  south: "the north",
  east: "the west",
  west: "the east",
  northeast: "the southwest",
  northwest: "the southeast",
  southeast: "the northwest",
  southwest: "the northeast",
  up: "below",
  down: "above",
  in: "outside",
  out: "inside",
};

/** Where someone who left by `exit` seems to come from, if that can be said: "the south". */
export function arrivalSide(exit: string): string | undefined {
  return OPPOSITES[exit];
}

/** The order exits are listed in: compass first, then the rest alphabetically. */
export function sortExits(names: Iterable<string>): string[] {
  const order: readonly string[] = CompassExits;
  return [...names].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia >= 0 && ib >= 0) return ia - ib;
    if (ia >= 0) return -1;
    if (ib >= 0) return 1;
    return a.localeCompare(b);
  });
}

const ARTICLES: ReadonlySet<string> = new Set(Articles);

/** The words of a player's reference to a thing, lowercase, without articles. */
export function queryWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0 && !ARTICLES.has(w));
}

/**
 * Whether `words` refer to something with these keywords: every word must be a keyword or
 * the start (3+ letters) of one, so "lan" and "brass lantern" both find the brass lantern.
 */
export function matchesKeywords(words: readonly string[], keywords: readonly string[]): boolean {
  if (words.length === 0) return false;
  return words.every((w) => keywords.some((k) => k === w || (w.length >= 3 && k.startsWith(w))));
}
