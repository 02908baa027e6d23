/**
 * Noun phrases: a thing's name as the world files author it ("a brass lantern", "Marta",
 * "some rope"), parsed once into its article and its singular and plural forms, and then
 * rendered with whichever article a sentence needs ("a", "the", a count, or none).
 */
import { pluralize } from "./plural.js";
import { numberWord } from "./sentence.js";

/**
 * How a phrase takes articles. "a"/"an": an ordinary countable thing (indefinite "a brass
 * lantern", definite "the brass lantern"). "the": a unique thing ("the great waterwheel" in
 * both). "some": a mass noun ("some rope", "the rope"), never counted. "proper": a name, with
 * no article at all ("Marta").
 */
export type ArticleKind = "a" | "an" | "the" | "some" | "proper";

/** A parsed name. Build one with {@link parseNounPhrase} (or {@link properNoun} for a character's name). */
export interface NounPhrase {
  /** Its article; "a" and "an" are always the right one for the sound of {@link singular}. */
  readonly article: ArticleKind;
  /** The name without its article: "brass lantern", "great waterwheel", "rope", "Marta". */
  readonly singular: string;
  /** The plural, also without article: "brass lanterns"; a mass noun's or a name's is its singular. */
  readonly plural: string;
}

/** An authored article followed by the rest of the name. Matched without regard to case, so "The Rusty Anchor" keeps its article. */
const AUTHORED_ARTICLE = /^(a|an|the|some) (.+)$/iu;

/**
 * Parses an authored name. "a brass lantern" -> {a, "brass lantern", "brass lanterns"};
 * "an oak chest"; "the great waterwheel" (a unique thing); "some rope" (a mass noun: plural =
 * singular); "Marta", "Old Tom" (starts with a capital and has no article) -> proper; "water"
 * (lowercase, no article) -> indefinite, "a" or "an" by sound. A wrong authored "a"/"an" is
 * corrected by sound ("a oak chest" -> "an oak chest"). `plural`, when given, overrides the
 * rule ("cactus", "cacti"). Runs of spaces collapse to one; "" parses as an empty proper name.
 */
export function parseNounPhrase(name: string, plural?: string): NounPhrase {
  const text = tidy(name);
  const given = plural === undefined ? undefined : tidy(plural);
  const authored = AUTHORED_ARTICLE.exec(text);
  if (authored !== null) {
    const [, word = "", rest = ""] = authored;
    switch (word.toLowerCase()) {
      case "the":
        return { article: "the", singular: rest, plural: given ?? pluralize(rest) };
      case "some":
        return { article: "some", singular: rest, plural: given ?? rest };
      default:
        return { article: articleFor(rest), singular: rest, plural: given ?? pluralize(rest) };
    }
  }
  if (text === "" || /^[\p{Lu}\p{Lt}]/u.test(text)) return { article: "proper", singular: text, plural: given ?? text };
  return { article: articleFor(text), singular: text, plural: given ?? pluralize(text) };
}

/**
 * A name that is proper however it is spelled: a player's character called "xena" is "xena",
 * never "a xena". Use it for character names instead of {@link parseNounPhrase}.
 */
export function properNoun(name: string): NounPhrase {
  const text = tidy(name);
  return { article: "proper", singular: text, plural: text };
}

/** One space between words: a name folded across lines in YAML must not carry its line break into a sentence. */
function tidy(text: string): string {
  return text.trim().replace(/\s+/gu, " ");
}

/** The phrase as first mentioned: "a brass lantern", "an oak chest", "the great waterwheel", "some rope", "Marta". */
export function indefinite(np: NounPhrase): string {
  return np.article === "proper" ? np.singular : `${np.article} ${np.singular}`;
}

/** The phrase once known: "the brass lantern", "the great waterwheel", "the rope", "Marta". */
export function definite(np: NounPhrase): string {
  return np.article === "proper" ? np.singular : `the ${np.singular}`;
}

/**
 * `n` of the thing: n = 1 is {@link indefinite}; more is a count and the plural ("two brass
 * lanterns", "13 copper coins", words up to twelve). A mass noun is not counted ("some rope"
 * for any n), nor is a proper name ("Marta": callers do not group names). Throws a RangeError
 * unless `n` is a positive integer, since "0 lanterns" or "1.5 lanterns" means the caller
 * grouped wrongly.
 */
export function counted(np: NounPhrase, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`counted: expected a positive integer count, got ${n}`);
  if (n === 1 || np.article === "some" || np.article === "proper") return indefinite(np);
  return `${numberWord(n)} ${np.plural}`;
}

/*
 * a/an by sound. English chooses by the first sound, not the first letter, so the spelling
 * rule "vowel letter -> an" needs these corrections. Each list holds only what a MUD's nouns
 * plausibly start with; they are prefixes of the lowercase, accent-stripped first word.
 */

/** Silent h: an hour, an hourglass, an honest, an honourable, an heir, an heirloom. */
const SILENT_H: readonly string[] = ["hour", "honest", "honor", "honour", "heir"];

/**
 * Vowel letters sounding as a consonant ("you", "w"): a European, a ewe, a one-eyed cat, a
 * once-proud city, a unicorn, a unanimous vote. "uni" is "you-ni" except in the negating "un-"
 * of unimportant, uninvited, unidentified.
 */
const CONSONANT_SOUND: readonly RegExp[] = [/^eu/u, /^ewe/u, /^one(?![a-z])/u, /^once/u, /^uni(?![mnd])/u, /^unanim/u, /^ubiq/u];

/**
 * Besides the list: a "u" then one consonant then a vowel is "you" (a user, a usual, a
 * utensil, a urinal, a ukulele, a uvula), while "u" before two consonants is "uh" (an
 * umbrella, an usher, an utter, an urn, an ugly). "un-" is left out (an unusual, an undead)
 * and so are b, d, m, p and x, whose words mostly say "uh" or "oo" (an udon, an upon).
 */
const YOU_SOUND = /^u[fgklrstv][aeiou]/u;

/** Letters whose names start with a vowel sound: an F, an H-bomb, an L, an M, an N, an R, an S-bend, an X-ray. */
const VOWEL_SOUND_LETTERS = "aefhilmnorsx";

/**
 * "an" or "a" for a word (or a phrase: its first word decides) by how it sounds: an apple, an
 * hour, an heir, an honest man, a unicorn, a user, a one-eyed cat, an umbrella, a European, an
 * X-ray, an NPC, an 8-sided die, an 11-year-old, a 1-pound coin. Leading quotes and brackets
 * are skipped, accents ignored (an élan). Initialisms (a word in capitals) are read letter by
 * letter, so acronyms said as words come out wrong ("an NASA"): an author writes those out.
 */
export function articleFor(word: string): "a" | "an" {
  const first = /[\p{L}\p{N}]\S*/u.exec(word)?.[0] ?? "";
  if (/^\p{N}/u.test(first)) return articleForNumber(first);
  // One letter standing alone or before a hyphen (X-ray, U-turn, T-shirt), or an initialism (NPC, UFO).
  if (/^\p{L}(?![\p{L}'’])/u.test(first) || /^\p{Lu}{2,}(?!\p{L})/u.test(first)) {
    return VOWEL_SOUND_LETTERS.includes(bare(first.charAt(0))) ? "an" : "a";
  }
  const spoken = bare(first);
  if (SILENT_H.some((prefix) => spoken.startsWith(prefix))) return "an";
  if (CONSONANT_SOUND.some((pattern) => pattern.test(spoken)) || YOU_SOUND.test(spoken)) return "a";
  return /^[aeiou]/u.test(spoken) ? "an" : "a";
}

/** Lowercase, without accents: "Élan" -> "elan". */
function bare(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * A number is "an" when said starting with "eight" (8, 80, 800, 8,000) or "eleven"/"eighteen"
 * (11, 18, 11,000, 18,000,000: the digits before the first thousands group are 11 or 18).
 * Read as a quantity, so "1800" is "one thousand eight hundred", not the year.
 */
function articleForNumber(first: string): "a" | "an" {
  const digits = (/^[\d,]*/u.exec(first)?.[0] ?? "").replace(/,/gu, "");
  if (digits.startsWith("8")) return "an";
  const leading = digits.slice(0, ((digits.length - 1) % 3) + 1);
  return leading === "11" || leading === "18" ? "an" : "a";
}
