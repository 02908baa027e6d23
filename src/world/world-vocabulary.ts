/**
 * The words of the world files: what an id may look like, exit names and their short forms
 * and opposites, and the default keywords made from a name. A leaf module (it imports
 * nothing of the world), so both the file schemas and the rest of the world can use it;
 * `world-schema.ts` re-exports it.
 */

/** Room, thing and character ids: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
export const WorldIdPattern = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * Short exit names the file may not use: the world's command parser maps `n` to `north` and
 * so on, so an exit literally named `n` would be ambiguous. Value: the full name to write.
 */
export const ExitAbbreviations = {
  n: "north",
  s: "south",
  e: "east",
  w: "west",
  ne: "northeast",
  nw: "northwest",
  se: "southeast",
  sw: "southwest",
  u: "up",
  d: "down",
} as const satisfies Record<string, string>;

/** Full exit name -> the short form players may type (`north` -> `n`): {@link ExitAbbreviations} turned round. */
export const ShortExitNames: ReadonlyMap<string, string> = new Map(Object.entries(ExitAbbreviations).map(([short, full]) => [full, short]));

/** The exit names with a conventional opposite, for builders and for checks. */
export const CompassExits = [
  "north",
  "south",
  "east",
  "west",
  "northeast",
  "northwest",
  "southeast",
  "southwest",
  "up",
  "down",
  "in",
  "out",
] as const;

/** Each of {@link CompassExits} -> the direction of the way back (`north` -> `south`, `in` -> `out`). */
export const OppositeExits = {
  north: "south",
  south: "north",
  east: "west",
  west: "east",
  northeast: "southwest",
  southwest: "northeast",
  northwest: "southeast",
  southeast: "northwest",
  up: "down",
  down: "up",
  in: "out",
  out: "in",
} as const satisfies Record<(typeof CompassExits)[number], (typeof CompassExits)[number]>;

/** Words dropped from a thing's name to make its default keywords. */
export const Articles = ["a", "an", "the", "some"] as const;

/**
 * The default keywords for a thing's name: its words, lowercased, without punctuation or
 * {@link Articles}. "a brass lantern" -> ["brass", "lantern"]. Falls back to every word if
 * the name is nothing but articles.
 */
export function defaultKeywords(thingName: string): string[] {
  const words = thingName
    .toLowerCase()
    .split(/[^\p{L}\p{N}'-]+/u)
    .map((word) => word.replace(/^['-]+|['-]+$/g, ""))
    .filter((word) => word !== "");
  const articles: readonly string[] = Articles;
  const kept = words.filter((word) => !articles.includes(word));
  return [...new Set(kept.length > 0 ? kept : words)];
}
