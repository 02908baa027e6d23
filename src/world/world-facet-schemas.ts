/**
 * The field schemas of the world files: ids, names, prose and keywords, and the parts that
 * become facets — exits with their doors, containers with their lids, behaviours with their
 * parameters. Each turns what a builder wrote into the record shape (`DoorRecord`,
 * `ContainerFacet`, `BehaviourRecord`), defaults applied, so that `world-records.ts` only
 * assembles and cross-checks.
 */
import { z } from "zod";
import { flattenIssues } from "../config/issues.js";
import type { KeyPath } from "../config/read-yaml.js";
import type { BehaviourSchemas } from "./behaviours/params.js";
import type { BehaviourRecord, ContainerFacet, DoorRecord } from "./model/thing-record.js";
import { defaultKeywords, ExitAbbreviations, WorldIdPattern } from "./world-vocabulary.js";

// Control characters other than newline never reach a terminal from the world (E3).
const ControlChars = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** A room, thing or character id ({@link WorldIdPattern}). */
export const id = z.string({ error: "must be an id" }).regex(WorldIdPattern, {
  error: "ids use lowercase letters, digits, - and _ (and start with a letter or digit)",
});

/** An exit's name in its room: a lowercase word, never one of {@link ExitAbbreviations}. */
export const exitName = z
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
export const oneLine = z
  .string({ error: "must be text" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(80, { error: "must be at most 80 characters" })
  .refine((text) => !ControlChars.test(text) && !text.includes("\n"), { error: "must be one line of plain text" });

/**
 * A room's environment (GMCP `Room.Info.environment`): one word of letters, digits and hyphens,
 * starting with a letter, at most 32 characters; case kept ("urban", "Forest").
 */
export const environmentWord = z
  .string({ error: "must be a word" })
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,31}$/, { error: "must be one word (letters, digits, -), at most 32 characters: urban, forest" });

/** Prose; YAML's folded `>` leaves a trailing newline, which is trimmed. */
export const prose = z
  .string({ error: "must be text" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(4000, { error: "must be at most 4000 characters" })
  .refine((text) => !ControlChars.test(text), { error: "must be plain text (no control characters)" });

const keyword = z
  .string({ error: "must be text" })
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}'-]+$/u, { error: "keywords are single words" });

/** Words players type for a thing: at least one, lowercased, duplicates dropped. */
export const keywordList = z
  .array(keyword, { error: "must be a list of words" })
  .min(1, { error: "must list at least one keyword (or be left out)" })
  .transform((words) => [...new Set(words)]);

const bool = z.boolean({ error: "must be true or false" });

/**
 * A value written either in a short form (a scalar) or in a long form (a mapping). Unlike
 * `z.union`, a mistake inside the long form is reported at its own key: zod 4 keeps an
 * option's issues only when exactly one option got past its type check, and reports
 * everything else as a bare "Invalid input" on the whole value.
 */
function shortOrLong<S extends z.ZodType, L extends z.ZodType>(isShort: (value: unknown) => boolean, short: S, long: L) {
  return z.unknown().transform((value, ctx): z.output<S> | z.output<L> => {
    // reportInput again: the outer parse's option does not reach this inner one, and
    // flattenIssues needs the input to tell "is required" from a wrong value.
    const result = (isShort(value) ? short : long).safeParse(value, { reportInput: true });
    if (result.success) return result.data as z.output<S> | z.output<L>;
    reraise(result.error.issues, [], ctx);
    return z.NEVER;
  });
}

/**
 * Raises the issues of an inner parse again on the outer one, under `prefix` (relative to
 * the outer value). They are flattened here, into their final one-line messages, because
 * zod's raw issue types cannot carry a finished issue of every code through.
 */
function reraise(issues: readonly z.core.$ZodIssue[], prefix: KeyPath, ctx: z.core.$RefinementCtx): void {
  for (const { path, message } of flattenIssues(issues)) {
    ctx.issues.push({ code: "custom", path: [...prefix, ...path], message, input: undefined });
  }
}

interface ClosureFields {
  readonly closed?: boolean | undefined;
  readonly locked?: boolean | undefined;
  readonly key?: string | undefined;
}

/** The rules a door and a lid share: only a closed thing can be locked, and a lock needs a key. */
function checkClosure(what: "door" | "container", value: ClosureFields, ctx: z.RefinementCtx): void {
  if (value.locked !== true) return;
  if (value.closed === false) {
    ctx.addIssue({ code: "custom", path: ["locked"], message: `a locked ${what} must be closed: leave out "closed: false"` });
  }
  if (value.key === undefined) {
    ctx.addIssue({ code: "custom", path: ["locked"], message: `a locked ${what} needs a key: add "key: <thing id>"` });
  }
}

/** `door:` on a long-form exit, as the door it becomes. */
const doorSchema = z
  .strictObject(
    {
      /** Default "a door". */
      name: oneLine.optional(),
      /** Default: the name's words, plus "door" if they lack it. */
      keywords: keywordList.optional(),
      /** Default true. */
      closed: bool.optional(),
      /** Default false; a locked door must be closed and have a key. */
      locked: bool.optional(),
      /** The id of the thing that locks and unlocks it. Default: no lock. */
      key: id.optional(),
    },
    { error: "must be a mapping (name, keywords, closed, locked, key)" },
  )
  .superRefine((door, ctx) => checkClosure("door", door, ctx))
  .transform((door): DoorRecord => {
    const name = door.name ?? "a door";
    const named = defaultKeywords(name);
    // "a sluice gate" should still answer to "open door".
    const keywords = door.keywords ?? (named.includes("door") ? named : [...named, "door"]);
    const closed = door.closed ?? true;
    return { name, keywords, open: !closed, locked: door.locked ?? false, ...(door.key === undefined ? {} : { key: door.key }) };
  });

/** An exit after parsing either form. */
export interface ExitFields {
  /** The room it leads to. */
  readonly to: string;
  /** Default "". */
  readonly description: string;
  /** The door declared on this side, if any. */
  readonly door?: DoorRecord;
  /** Written as `north: market`, so a bad `to` is reported at the exit's own key. */
  readonly short: boolean;
}

const longExit = z
  .strictObject(
    { to: id, description: prose.optional(), door: doorSchema.optional() },
    { error: "must be a room id or a mapping (to, description, door)" },
  )
  .transform(
    (exit): ExitFields => ({
      to: exit.to,
      description: exit.description ?? "",
      ...(exit.door === undefined ? {} : { door: exit.door }),
      short: false,
    }),
  );

/** An exit: `north: market` or `down: { to: cellar, description: ..., door: {...} }`. */
export const exitSchema = shortOrLong(
  (value) => typeof value === "string",
  id.transform((to): ExitFields => ({ to, description: "", short: true })),
  longExit,
);

const containerMapping = z
  .strictObject(
    {
      /** Default false, unless any of the others is given. */
      closable: bool.optional(),
      /** Default false (open), or true when locked. */
      closed: bool.optional(),
      /** Default false; a locked container must be closed and have a key. */
      locked: bool.optional(),
      /** The id of the thing that locks and unlocks it. Default: no lock. */
      key: id.optional(),
    },
    { error: "must be true, false or a mapping (closable, closed, locked, key)" },
  )
  .superRefine((box, ctx) => {
    if (box.closable === false && (box.closed !== undefined || box.locked !== undefined || box.key !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["closable"], message: "a container that is not closable has no lid to close, lock or key" });
    }
    checkClosure("container", box, ctx);
  })
  .transform((box): ContainerFacet => {
    const lidded = box.closable === true || box.closed !== undefined || box.locked !== undefined || box.key !== undefined;
    if (!lidded) return {};
    const locked = box.locked ?? false;
    const closed = box.closed ?? locked;
    return { closure: { open: !closed, locked, ...(box.key === undefined ? {} : { key: box.key }) } };
  });

/** `container:` on a thing: `true` (always open), `false` (none), or a mapping with a lid. */
export const containerSchema = shortOrLong(
  (value) => typeof value === "boolean",
  bool.transform((isContainer): ContainerFacet | undefined => (isContainer ? {} : undefined)),
  containerMapping,
);

/**
 * `behaviours:` on a thing or character: behaviour name -> parameters, each parsed by that
 * behaviour's schema (defaults applied). An unknown name lists the known ones; a bad
 * parameter is reported at `behaviours.<name>.<param>`. `greet:` with no value means `{}`.
 */
export function behavioursSchema(schemas: BehaviourSchemas) {
  const known = schemas.size === 0 ? "(none)" : [...schemas.keys()].sort().join(", ");
  return z
    .record(z.string(), z.unknown(), { error: "must be a mapping of behaviour name to parameters" })
    .transform((entries, ctx): BehaviourRecord[] => {
      const attached: BehaviourRecord[] = [];
      for (const [name, raw] of Object.entries(entries)) {
        const schema = schemas.get(name);
        if (schema === undefined) {
          ctx.issues.push({ code: "custom", path: [name], input: raw, message: `unknown behaviour "${name}"; known: ${known}` });
          continue;
        }
        const params = schema.safeParse(raw ?? {}, { reportInput: true });
        if (params.success) attached.push({ name, params: params.data });
        else reraise(params.error.issues, [name], ctx);
      }
      return attached;
    });
}
