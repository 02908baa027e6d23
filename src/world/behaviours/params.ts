/**
 * The parameters each built-in behaviour takes, as zod schemas. The world loader checks a
 * world file's `behaviours:` against these (errors name the file, key and line), and each
 * behaviour parses its own parameters with the same schema when it is attached.
 */
import { z } from "zod";

/** A verb phrase in the base form ("pad in"): lowercase words, so it can stand in a narration template. */
const verb = z
  .string()
  .trim()
  .regex(/^[a-z]+( [a-z]+){0,2}$/, { error: "a verb in the base form, one to three lowercase words: pad in" });

/** `greet`: says something to each player who arrives in the greeter's room. */
export const greetParams = z.strictObject({
  /** What the greeter says; `{name}` becomes the arrival's name. */
  say: z.string().trim().min(1).max(200),
  /** Seconds between the arrival and the greeting. Default 1. */
  delaySeconds: z.number().min(0).max(60).default(1),
});

/** `wander`: walks through a random open exit every so often. */
export const wanderParams = z.strictObject({
  /** Seconds between steps, on average (each wait is between half and one and a half times this). */
  everySeconds: z.number().min(5).max(86_400),
  /** Stay within rooms of this area. Default: the area of the room the wanderer is in when it starts. */
  area: z.string().trim().min(1).max(80).optional(),
  /** The verb for leaving, as "you" would say it: "pad off" reads "A grey cat pads off north." Default "leave". */
  leaves: verb.default("leave"),
  /** The verb for arriving: "pad in" reads "A grey cat pads in from the south." Default "arrive". */
  arrives: verb.default("arrive"),
});

/** `respawn`: a while after the thing is taken from where it lies, a fresh copy appears there. */
export const respawnParams = z.strictObject({
  /** Seconds from the taking to the new copy. */
  afterSeconds: z.number().min(1).max(86_400),
});

/** Parameter schemas by behaviour name: what the world loader accepts under `behaviours:`. */
export type BehaviourSchemas = ReadonlyMap<string, z.ZodType<Record<string, unknown>>>;

/** The built-in behaviours' parameter schemas. */
export const BUILT_IN_BEHAVIOUR_PARAMS: BehaviourSchemas = new Map<string, z.ZodType<Record<string, unknown>>>([
  ["greet", greetParams],
  ["wander", wanderParams],
  ["respawn", respawnParams],
]);
