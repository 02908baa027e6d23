/**
 * The world definition format: what one YAML file in the world directory may say, and the
 * plain readonly objects the loader builds from all of them. Cross-file rules (one start,
 * exits and locations that exist, unique ids) are checked by `world-file.ts`, which sees
 * every file at once.
 *
 * ```yaml
 * start: square
 * rooms:
 *   square:
 *     name: Town Square
 *     description: Prose.
 *     exits: { north: market }
 * things:
 *   lantern:
 *     name: a brass lantern
 *     keywords: [lantern, brass]
 *     description: Its glass is sooty but whole.
 *     location: square
 *     portable: true
 * ```
 */
import { z } from "zod";

/** Room and thing ids: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
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

/** Words dropped from a thing's name to make its default keywords. */
export const Articles = ["a", "an", "the", "some"] as const;

// Control characters other than newline never reach a terminal from the world (E3).
const ControlChars = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const id = z.string().regex(WorldIdPattern, {
  error: "ids use lowercase letters, digits, - and _ (and start with a letter or digit)",
});

const exitName = z
  .string()
  .regex(/^[a-z][a-z-]*$/, { error: "exit names are lowercase words (north, up, in, gate...)" })
  .refine((name) => !Object.hasOwn(ExitAbbreviations, name), {
    error: (issue) => {
      const name = String(issue.input);
      const full = Object.hasOwn(ExitAbbreviations, name) ? ExitAbbreviations[name as keyof typeof ExitAbbreviations] : "";
      return `"${name}" is an abbreviation; write "${full}" (players may still type "${name}")`;
    },
  });

/** A one-line name: no newlines or control characters, at most 80 characters. */
const name = z
  .string({ error: "must be text" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(80, { error: "must be at most 80 characters" })
  .refine((text) => !ControlChars.test(text) && !text.includes("\n"), { error: "must be one line of plain text" });

/** Prose; YAML's folded `>` leaves a trailing newline, which is trimmed. */
const description = z
  .string({ error: "must be text" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(4000, { error: "must be at most 4000 characters" })
  .refine((text) => !ControlChars.test(text), { error: "must be plain text (no control characters)" });

const keyword = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}'-]+$/u, { error: "keywords are single words" });

/** One room as written in a file. */
export const roomFileSchema = z.strictObject({
  name,
  description,
  /** Exit name -> room id. Default none. */
  exits: z.record(exitName, id).optional(),
});

/** One thing as written in a file. */
export const thingFileSchema = z.strictObject({
  name,
  /** Default: the words of the name, lowercased, minus articles. */
  keywords: z.array(keyword).min(1, { error: "must list at least one keyword (or be left out)" }).optional(),
  description,
  /** A room id. */
  location: id,
  /** Default true; false for fixtures such as a fountain. */
  portable: z.boolean({ error: "must be true or false" }).optional(),
});

/** One world file. Every key is optional; an empty file is allowed. */
export const worldFileSchema = z.strictObject({
  /** The room new characters start in; exactly one file of the world sets it. */
  start: id.optional(),
  rooms: z.record(id, roomFileSchema, { error: "must be a mapping of room id to room" }).optional(),
  things: z.record(id, thingFileSchema, { error: "must be a mapping of thing id to thing" }).optional(),
});

/** What one world file holds after validation. */
export type WorldFile = z.infer<typeof worldFileSchema>;

/** A room of the loaded world. */
export interface RoomDef {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Exit name (lowercase, full: `north`, never `n`) -> room id; every target exists. */
  readonly exits: ReadonlyMap<string, string>;
}

/** A thing of the loaded world, where it starts. */
export interface ThingDef {
  readonly id: string;
  /** How it reads in a sentence: "a brass lantern". */
  readonly name: string;
  /** Lowercase words players type to refer to it; never empty. */
  readonly keywords: readonly string[];
  readonly description: string;
  /** The id of the room it starts in; it exists. */
  readonly location: string;
  /** False for fixtures, which cannot be picked up. */
  readonly portable: boolean;
}

/** The whole world definition, merged from every file and cross-checked. */
export interface WorldDefinition {
  /** The id of the room new characters start in; it exists. */
  readonly start: string;
  readonly rooms: ReadonlyMap<string, RoomDef>;
  readonly things: ReadonlyMap<string, ThingDef>;
}

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
