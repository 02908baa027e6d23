/**
 * What builders may call what they build: ids made from names (`dig`, `make`), exit names
 * (`dig`, `link`) and keyword lists (`set <thing> keywords ...`). Pure: each check returns
 * the value to use or the sentence that says why not, and the caller refuses with it.
 */
import { z } from "zod";
import { Articles, CompassExits, ExitAbbreviations } from "../world-vocabulary.js";
import { descriptionSchema, MAX_EXIT_NAME_LENGTH, MAX_ID_BASE_LENGTH, MAX_KEYWORD_LENGTH, MAX_KEYWORDS, nameSchema } from "./limits.js";

/** A checked value, or why it was refused (a sentence for the builder). */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * The id a new room or thing is given, before it is made unique: the name's words in lowercase
 * ASCII joined by `-`, without a leading article, at most {@link MAX_ID_BASE_LENGTH}
 * characters. "The Old Mill Race" -> "old-mill-race", "a blue vase" -> "blue-vase". A name
 * with no Latin letters or digits gives `fallback`. Always matches the world files' id pattern.
 */
export function idBaseOf(name: string, fallback: string): string {
  const words = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
  const articles: readonly string[] = Articles;
  if (articles.includes(words[0] ?? "")) words.shift();
  const base = words.join("-").slice(0, MAX_ID_BASE_LENGTH).replace(/-+$/, "");
  return base === "" ? fallback : base;
}

/** Words an exit may not be called: what the parser reads as something else. */
const NOT_EXIT_NAMES: ReadonlySet<string> = new Set(["all", "everything", "here", "me", "self", "myself"]);
const COMPASS: ReadonlySet<string> = new Set(CompassExits);

/**
 * Checks a new exit's name (as typed; it is lowercased): a lowercase word as in the world files,
 * not an abbreviation (`n`: write `north`), not a command's name (the command would win when
 * typed alone), and not a word the parser reads as something else. `commands` holds every
 * command name and alias.
 */
export function checkExitName(typed: string, commands: ReadonlySet<string>): Checked<string> {
  const name = typed.trim().toLowerCase();
  if (Object.hasOwn(ExitAbbreviations, name)) {
    return { ok: false, reason: `"${name}" is an abbreviation; write ${ExitAbbreviations[name as keyof typeof ExitAbbreviations]}.` };
  }
  if (!/^[a-z][a-z-]*$/.test(name)) return { ok: false, reason: "An exit's name is one lowercase word: north, up, in, gate, archway." };
  if (name.length > MAX_EXIT_NAME_LENGTH) return { ok: false, reason: `An exit's name is at most ${MAX_EXIT_NAME_LENGTH} letters.` };
  if (NOT_EXIT_NAMES.has(name) || (commands.has(name) && !COMPASS.has(name))) {
    return { ok: false, reason: `"${name}" is a word commands already use; call the exit something else.` };
  }
  return { ok: true, value: name };
}

/** Checks a name as the world files would (`oneLine`: one line, at most 80 characters). */
export function checkName(typed: string): Checked<string> {
  const parsed = nameSchema.safeParse(typed);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: `A name ${firstMessage(parsed.error)}.` };
}

const KEYWORD = /^[\p{L}\p{N}'-]+$/u;

/**
 * Checks a keyword list as typed (`oak chest box`): single words as the world files take them
 * (lowercased, duplicates dropped), at most {@link MAX_KEYWORDS} of at most
 * {@link MAX_KEYWORD_LENGTH} characters.
 */
export function checkKeywords(typed: string): Checked<string[]> {
  const words = [...new Set(typed.toLowerCase().split(/[\s,]+/).filter((word) => word !== ""))];
  if (words.length === 0) return { ok: false, reason: "Give at least one keyword." };
  const bad = words.find((word) => !KEYWORD.test(word));
  if (bad !== undefined) return { ok: false, reason: "Keywords are single words of letters, digits, - and '." };
  if (words.length > MAX_KEYWORDS) return { ok: false, reason: `A thing may have at most ${MAX_KEYWORDS} keywords.` };
  if (words.some((word) => word.length > MAX_KEYWORD_LENGTH)) return { ok: false, reason: `A keyword is at most ${MAX_KEYWORD_LENGTH} characters.` };
  return { ok: true, value: words };
}

/** The first issue's message, without zod's trailing punctuation. */
export function firstMessage(error: z.ZodError): string {
  return (error.issues[0]?.message ?? "is not valid").replace(/\.$/, "");
}

/** Checks a description as the world files would (`prose`: plain text, at most 4000 characters). */
export function checkDescription(typed: string): Checked<string> {
  const parsed = descriptionSchema.safeParse(typed);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: `A description ${firstMessage(parsed.error)}.` };
}
