/**
 * The world definition format: what one YAML file in the world directory may say, and what
 * the loader builds from all of them. The field schemas for the parts that carry facets
 * (exits and doors, containers, behaviours) live in `world-facet-schemas.ts`; rules that
 * need every file at once (unique ids, references, door twins, location loops) are checked
 * by `world-records.ts`.
 *
 * ```yaml
 * area: Shuttleford              # default for this file's rooms: the file name, capitalised
 * start: square                  # exactly one file sets it
 * rooms:
 *   square:
 *     name: Town Square
 *     environment: urban         # optional, one word: GMCP Room.Info's environment, for mappers
 *     description: Prose.
 *     exits:
 *       north: market            # short form: the room it leads to
 *       down: { to: cellar, door: { name: a trapdoor, locked: true, key: iron-key } }
 * things:
 *   chest:
 *     name: an oak chest
 *     description: Prose.
 *     location: square           # a room, a container thing or a character
 *     portable: false
 *     container: { closable: true, closed: true }
 *   coin: { name: a copper coin, plural: copper coins, description: Prose., location: chest, count: 2 }
 * characters:
 *   marta:
 *     name: Marta
 *     pronouns: she
 *     description: Prose.
 *     location: square           # a room
 *     behaviours: { greet: { say: "Welcome, {name}!" } }
 * ```
 */
import { z } from "zod";
import type { BehaviourSchemas } from "./behaviours/params.js";
import { PronounSets, type ThingRecord } from "./model/thing-record.js";
import {
  behavioursSchema,
  containerSchema,
  environmentWord,
  exitSchema,
  exitName,
  id,
  keywordList,
  oneLine,
  prose,
} from "./world-facet-schemas.js";

// Re-exported so that importers of the format find its vocabulary in one place.
export {
  Articles,
  CompassExits,
  defaultKeywords,
  ExitAbbreviations,
  OppositeExits,
  WorldIdPattern,
} from "./world-vocabulary.js";

/**
 * The most copies one `count:` may make. Counts are for a handful of coins or apples; a
 * typo such as `count: 5000` would otherwise fill a room with records nobody meant.
 */
export const MAX_THING_COUNT = 50;

const bool = z.boolean({ error: "must be true or false" });

/** One room as written in a file, exits already in their long form. */
function roomSchema() {
  return z.strictObject(
    {
      name: oneLine,
      /** Default: the file's `area`. */
      area: oneLine.optional(),
      /** One word for mappers (GMCP `Room.Info.environment`). Default none. */
      environment: environmentWord.optional(),
      description: prose,
      /** Exit name -> a room id (short form) or `{ to, description, door }`. Default none. */
      exits: z.record(exitName, exitSchema, { error: "must be a mapping of exit name to room id or exit" }).optional(),
    },
    { error: "must be a mapping (name, area, environment, description, exits)" },
  );
}

/** One thing as written in a file. */
function thingSchema(behaviours: ReturnType<typeof behavioursSchema>) {
  return z.strictObject(
    {
      name: oneLine,
      /** The plural noun for counted lists ("copper coins"). Default: made from the name by rule. */
      plural: oneLine.optional(),
      /** Default: the words of the name, lowercased, minus articles. */
      keywords: keywordList.optional(),
      description: prose,
      /** A room id, a container thing's id or a character's id. */
      location: id,
      /** Default true; false for fixtures such as a fountain. */
      portable: bool.optional(),
      /** How many alike; copies get ids `<id>#2`..`<id>#<count>`. Default 1. */
      count: z
        .int({ error: "must be a whole number" })
        .min(1, { error: "must be at least 1" })
        .max(MAX_THING_COUNT, { error: `must be at most ${MAX_THING_COUNT}` })
        .optional(),
      /** `true` (always open) or `{ closable, closed, locked, key }`. Default: not a container. */
      container: containerSchema.optional(),
      /** Behaviour name -> parameters. Default none. */
      behaviours: behaviours.optional(),
    },
    { error: "must be a mapping (name, description, location...)" },
  );
}

/** One non-player character as written in a file. */
function characterSchema(behaviours: ReturnType<typeof behavioursSchema>) {
  return z.strictObject(
    {
      name: oneLine,
      /** Default "they". */
      pronouns: z.enum(PronounSets, { error: `must be one of ${PronounSets.join(", ")}` }).optional(),
      /** Default: the words of the name, lowercased, minus articles. */
      keywords: keywordList.optional(),
      description: prose,
      /** A room id. */
      location: id,
      /** Behaviour name -> parameters. Default none. */
      behaviours: behaviours.optional(),
    },
    { error: "must be a mapping (name, pronouns, description, location...)" },
  );
}

/**
 * The schema of one world file, given the behaviours the world knows (their names are
 * checked and their parameters parsed with defaults applied). Every key is optional; an
 * empty file is allowed.
 */
export function worldFileSchema(behaviourParams: BehaviourSchemas) {
  const behaviours = behavioursSchema(behaviourParams);
  return z.strictObject({
    /** The area of this file's rooms that name none. Default: the file name, capitalised. */
    area: oneLine.optional(),
    /** The room new characters start in; exactly one file of the world sets it. */
    start: id.optional(),
    rooms: z.record(id, roomSchema(), { error: "must be a mapping of room id to room" }).optional(),
    things: z.record(id, thingSchema(behaviours), { error: "must be a mapping of thing id to thing" }).optional(),
    characters: z
      .record(id, characterSchema(behaviours), { error: "must be a mapping of character id to character" })
      .optional(),
  });
}

/** What one world file holds after validation. */
export type WorldFile = z.output<ReturnType<typeof worldFileSchema>>;

/** The whole world definition, merged from every file and cross-checked. */
export interface WorldDefinition {
  /** The id of the room new characters start in; it exists. */
  readonly start: string;
  /**
   * Every thing the files describe: rooms (file order), then exits (room order, then the
   * room's exit order), then things and characters (file order: a file's things, then its
   * characters; `count` copies right after their original). Ids unique; every reference
   * checked. Deeply frozen.
   */
  readonly records: readonly ThingRecord[];
}
