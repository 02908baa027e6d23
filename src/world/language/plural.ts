/**
 * Plurals of noun phrases, for counts ("two brass lanterns") and groups. The world files may
 * give a thing's plural outright; this is the rule used when they do not, so it aims at the
 * nouns a MUD world actually has (tools, food, animals, people, furniture), not at all of
 * English. Every list below is small on purpose: an author with a rarer noun writes its plural.
 */
import { addS, matchCase } from "./spelling.js";

/** Nouns whose plural is the singular (also as the end of a compound: goldfish, reindeer). */
const UNCHANGED: readonly string[] = ["sheep", "deer", "fish", "moose", "series", "species"];

/** Whole-word irregulars (a Map, so "constructor" is not looked up on Object.prototype). Not matched as word endings: "box" is not "boxen", "mongoose" not "mongeese". */
const IRREGULAR: ReadonlyMap<string, string> = new Map([
  ["ox", "oxen"],
  ["die", "dice"],
  ["foot", "feet"],
  ["tooth", "teeth"],
  ["goose", "geese"],
  ["louse", "lice"],
]);

/** Irregular endings that stay irregular in compounds: fireman firemen, grandchild grandchildren, dormouse dormice, salesperson salespeople. */
const IRREGULAR_ENDINGS: readonly (readonly [string, string])[] = [
  ["man", "men"],
  ["child", "children"],
  ["mouse", "mice"],
  ["person", "people"],
];

/** Words ending in "man" that are not compounds of "man", so take a plain -s (humans, talismans). */
const NOT_MAN: readonly string[] = ["human", "shaman", "talisman", "caiman", "ottoman", "german", "roman", "doberman"];

/**
 * Endings in -f/-fe whose plural is -ves (penknife penknives, bookshelf bookshelves, werewolf
 * werewolves; "elf" also covers shelf and self). Everything else in -f takes -s (roofs, chiefs,
 * cliffs, beliefs). "dwarf" is here because fantasy worlds say "dwarves" (Tolkien's spelling),
 * not the dictionary's "dwarfs".
 */
const VES_ENDINGS: readonly string[] = [
  "knife",
  "wife",
  "life",
  "leaf",
  "loaf",
  "half",
  "wolf",
  "calf",
  "elf",
  "thief",
  "sheaf",
  "scarf",
  "hoof",
  "dwarf",
];

/** Endings in -o that take -es (potatoes, heroes, superheroes); every other -o takes -s (pianos, radios, zeros). */
const OES_ENDINGS: readonly string[] = ["potato", "tomato", "hero", "echo", "torpedo", "veto"];

/** Words whose -ch sounds as "k", so take -s like any hard consonant (stomachs, not stomaches). */
const HARD_CH: readonly string[] = ["stomach", "monarch", "patriarch", "matriarch", "epoch"];

/** The plural of one lowercase word. */
function pluralOfLower(word: string): string {
  if (UNCHANGED.some((end) => word.endsWith(end))) return word;
  const irregular = IRREGULAR.get(word);
  if (irregular !== undefined) return irregular;
  for (const [end, plural] of IRREGULAR_ENDINGS) {
    if (!word.endsWith(end)) continue;
    if (end === "man" && NOT_MAN.some((n) => word.endsWith(n))) break;
    return word.slice(0, -end.length) + plural;
  }
  if (VES_ENDINGS.some((end) => word.endsWith(end))) return word.replace(/fe?$/u, "ves");
  if (word.endsWith("o")) return OES_ENDINGS.some((end) => word.endsWith(end)) ? `${word}es` : `${word}s`;
  if (HARD_CH.some((end) => word.endsWith(end))) return `${word}s`;
  return addS(word);
}

/** The plural of one word, case kept. A hyphenated "X-in-Y" (mother-in-law, man-at-arms, jack-of-all-trades) pluralises X. */
function pluralOfWord(word: string): string {
  const compound = /^([^-]+)(-(?:in|at|of|on)-.+)$/iu.exec(word);
  if (compound !== null) {
    const [, head = "", tail = ""] = compound;
    return pluralOfWord(head) + tail;
  }
  return matchCase(word, pluralOfLower(word.toLowerCase()));
}

/**
 * The plural of a noun phrase (without its article), pluralising its head noun: the last word
 * ("brass lantern" -> "brass lanterns"), or in an "X of Y" phrase the last word of X ("pair of
 * boots" -> "pairs of boots", "book of river songs" -> "books of river songs"). Case is kept
 * ("Old Man" -> "Old Men", "KNIFE" -> "KNIVES"). Surrounding space is dropped.
 */
export function pluralize(noun: string): string {
  const text = noun.trim();
  // The first " of " splits the head from its complement: "bottle of oil of roses" -> "bottles of oil of roses".
  const ofPhrase = /^(.*?\S)(\s+of\s+.*)$/isu.exec(text);
  const [head, tail] = ofPhrase === null ? [text, ""] : [ofPhrase[1] ?? "", ofPhrase[2] ?? ""];
  const last = /^(.*?)(\S+)$/su.exec(head);
  if (last === null) return text;
  const [, before = "", word = ""] = last;
  return before + pluralOfWord(word) + tail;
}
