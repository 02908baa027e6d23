/**
 * From validated world files to the world's records: merges every file, checks what only
 * the whole world can tell (ids unique across files and kinds, one start room, every
 * reference to a room, container, character or key, doors declared once, no thing inside
 * itself), and builds the deeply frozen {@link ThingRecord}s in the order
 * {@link WorldDefinition} promises.
 */
import type { KeyPath, YamlFile } from "../config/read-yaml.js";
import type { BehaviourRecord, Facets, ThingRecord } from "./model/thing-record.js";
import { pairDoors, type DoorwayExit, type SharedDoor } from "./world-doors.js";
import type { ExitFields } from "./world-facet-schemas.js";
import type { WorldIssue } from "./world-file.js";
import type { WorldDefinition, WorldFile } from "./world-schema.js";
import { defaultKeywords, ShortExitNames } from "./world-vocabulary.js";

/** One world file after validation, with what an issue needs to point into it. */
export interface ParsedWorldFile {
  /** The file as shown in messages. */
  readonly file: string;
  readonly yaml: YamlFile;
  /** The area of its rooms that name none: its `area:`, else its name capitalised. */
  readonly area: string;
  readonly data: WorldFile;
}

type ThingFields = NonNullable<WorldFile["things"]>[string];
type CharacterFields = NonNullable<WorldFile["characters"]>[string];

/** A thing or character as defined, in the order its records come. */
type Placed =
  | { readonly kind: "thing"; readonly id: string; readonly from: ParsedWorldFile; readonly fields: ThingFields }
  | { readonly kind: "character"; readonly id: string; readonly from: ParsedWorldFile; readonly fields: CharacterFields };

/** Where an id was defined; for things, what was written (to tell a container from a lamp). */
type Definition = { readonly kind: "room"; readonly from: ParsedWorldFile } | Placed;

interface ExitDraft extends DoorwayExit {
  readonly from: ParsedWorldFile;
  readonly path: KeyPath;
  readonly fields: ExitFields;
}

/** What the checks share: every id defined so far, and where to report a problem. */
interface Context {
  readonly defined: ReadonlyMap<string, Definition>;
  problem(from: ParsedWorldFile, path: KeyPath, message: string): void;
}


/**
 * Merges and cross-checks the files (in the order given) into the world definition.
 * Appends every problem found to `issues`; returns `undefined` when there was any.
 * `shownDir` is where a problem with no file of its own (no start room) is reported.
 */
export function buildWorld(
  files: readonly ParsedWorldFile[],
  shownDir: string,
  issues: WorldIssue[],
): WorldDefinition | undefined {
  const defined = new Map<string, Definition>();
  const context: Context = {
    defined,
    problem(from, path, message) {
      const line = from.yaml.lineOf(path);
      issues.push(line === undefined ? { file: from.file, path, message } : { file: from.file, path, message, line });
    },
  };
  const define = (id: string, definition: Definition, path: KeyPath): boolean => {
    const earlier = defined.get(id);
    if (earlier === undefined) {
      defined.set(id, definition);
      return true;
    }
    const message =
      earlier.kind === definition.kind
        ? `${definition.kind} "${id}" is already defined in ${earlier.from.file}`
        : `"${id}" is already a ${earlier.kind}'s id (in ${earlier.from.file})`;
    context.problem(definition.from, path, message);
    return false;
  };

  // Rooms of every file first, so that a thing reusing a room's id is the one reported.
  const rooms: ThingRecord[] = [];
  const exits: ExitDraft[] = [];
  for (const from of files) {
    for (const [id, room] of Object.entries(from.data.rooms ?? {})) {
      if (!define(id, { kind: "room", from }, ["rooms", id])) continue;
      const { name, description, environment } = room;
      const facet = { area: room.area ?? from.area, ...(environment === undefined ? {} : { environment }) };
      rooms.push({ id, location: null, name, keywords: defaultKeywords(name), description, facets: { room: facet } });
      for (const [direction, fields] of Object.entries(room.exits ?? {})) {
        const { to, door } = fields;
        const path = ["rooms", id, "exits", direction];
        exits.push({ id: `${id}/${direction}`, room: id, direction, to, ...(door === undefined ? {} : { door }), from, path, fields });
      }
    }
  }
  const placed: Placed[] = [];
  for (const from of files) {
    for (const [id, fields] of Object.entries(from.data.things ?? {})) {
      const thing = { kind: "thing", id, from, fields } as const;
      if (define(id, thing, ["things", id])) placed.push(thing);
    }
    for (const [id, fields] of Object.entries(from.data.characters ?? {})) {
      const character = { kind: "character", id, from, fields } as const;
      if (define(id, character, ["characters", id])) placed.push(character);
    }
  }

  const start = checkStart(files, shownDir, issues, context);
  const doors = checkExits(exits, context);
  const located = placed.flatMap((entry) => (entry.kind === "thing" ? thingRecords(entry, context) : [characterRecord(entry, context)]));
  checkLoops(placed, context);

  if (start === undefined || issues.length > 0) return undefined;
  const exitRecords = exits.map((exit) => exitRecord(exit, doors.get(exit.id)));
  return deepFreeze({ start, records: [...rooms, ...exitRecords, ...located] });
}

/** Exactly one file names the start, and it is a room. */
function checkStart(files: readonly ParsedWorldFile[], shownDir: string, issues: WorldIssue[], context: Context): string | undefined {
  const [first, ...extra] = files.filter((from) => from.data.start !== undefined);
  const start = first?.data.start;
  if (first === undefined || start === undefined) {
    issues.push({ file: shownDir, path: ["start"], message: "no world file sets the start room; exactly one must" });
    return undefined;
  }
  for (const from of extra) {
    context.problem(from, ["start"], `the start room is already set to "${start}" in ${first.file}; exactly one file may set it`);
  }
  if (context.defined.get(start)?.kind !== "room") context.problem(first, ["start"], `no room named "${start}"`);
  return start;
}

/** Every exit leads to a room and every door's key is a thing; then doors are paired with the ways back. */
function checkExits(exits: readonly ExitDraft[], { defined, problem }: Context): Map<string, SharedDoor> {
  const leadsToRoom = (exit: ExitDraft): boolean => defined.get(exit.to)?.kind === "room";
  for (const exit of exits) {
    // A short-form exit has no `to` key of its own: report at the exit.
    if (!leadsToRoom(exit)) problem(exit.from, exit.fields.short ? exit.path : [...exit.path, "to"], `no room named "${exit.to}"`);
    const key = exit.door?.key;
    if (key !== undefined && defined.get(key)?.kind !== "thing") problem(exit.from, [...exit.path, "door", "key"], `no thing named "${key}"`);
  }
  // Pair only exits that lead somewhere, so that a typo in `to` is reported once.
  return pairDoors(exits.filter(leadsToRoom), (exit, message) => problem(exit.from, [...exit.path, "door"], message));
}

function exitRecord(exit: ExitDraft, shared: SharedDoor | undefined): ThingRecord {
  const abbreviation = ShortExitNames.get(exit.direction);
  const words = [exit.direction, ...(abbreviation === undefined ? [] : [abbreviation]), ...(shared?.door.keywords ?? [])];
  return {
    id: exit.id,
    location: exit.room,
    name: exit.direction,
    keywords: [...new Set(words)],
    description: exit.fields.description,
    facets: {
      exit: {
        direction: exit.direction,
        to: exit.to,
        ...(shared === undefined ? {} : { door: shared.door }),
        ...(shared?.twin === undefined ? {} : { twin: shared.twin }),
      },
    },
  };
}

/** A thing's record and its `count` copies, after checking its location and its lid's key. */
function thingRecords({ id, from, fields: thing }: Placed & { kind: "thing" }, { defined, problem }: Context): ThingRecord[] {
  const at = defined.get(thing.location);
  if (at === undefined) {
    problem(from, ["things", id, "location"], `no room, container or character named "${thing.location}"`);
  } else if (at.kind === "thing" && at.fields.container === undefined) {
    problem(from, ["things", id, "location"], `"${thing.location}" is not a container (give it "container: true")`);
  }
  const key = thing.container?.closure?.key;
  if (key !== undefined && defined.get(key)?.kind !== "thing") problem(from, ["things", id, "container", "key"], `no thing named "${key}"`);

  const facets: Facets = {
    ...(thing.portable === false ? {} : { portable: true as const }),
    ...(thing.container === undefined ? {} : { container: thing.container }),
    ...behaviourFacet(thing.behaviours),
  };
  const original: ThingRecord = {
    id,
    location: thing.location,
    name: thing.name,
    ...(thing.plural === undefined ? {} : { plural: thing.plural }),
    keywords: thing.keywords ?? defaultKeywords(thing.name),
    description: thing.description,
    facets,
  };
  const copies: ThingRecord[] = [];
  for (let n = 2; n <= (thing.count ?? 1); n++) copies.push({ ...original, id: `${id}#${n}`, template: id });
  return [original, ...copies];
}

/** A character's record, after checking that it starts in a room. */
function characterRecord({ id, from, fields: character }: Placed & { kind: "character" }, { defined, problem }: Context): ThingRecord {
  const at = defined.get(character.location)?.kind;
  const path = ["characters", id, "location"];
  if (at === undefined) problem(from, path, `no room named "${character.location}"`);
  else if (at !== "room") problem(from, path, `"${character.location}" is a ${at}, not a room; characters start in rooms`);
  return {
    id,
    location: character.location,
    name: character.name,
    keywords: character.keywords ?? defaultKeywords(character.name),
    description: character.description,
    facets: { character: { pronouns: character.pronouns ?? "they" }, ...behaviourFacet(character.behaviours) },
  };
}

function behaviourFacet(behaviours: readonly BehaviourRecord[] | undefined): Pick<Facets, "behaviours"> {
  return behaviours === undefined || behaviours.length === 0 ? {} : { behaviours };
}

/**
 * No thing may end up inside itself, directly (a box in itself) or round a chain (a in b
 * in a). Each loop is reported once, at the first of its things that the walk meets.
 */
function checkLoops(placed: readonly Placed[], { defined, problem }: Context): void {
  const containerOf = (id: string): string | undefined => {
    const here = defined.get(id);
    const location = here?.kind === "thing" ? here.fields.location : undefined;
    return location !== undefined && defined.get(location)?.kind === "thing" ? location : undefined;
  };
  const done = new Set<string>();
  for (const { id } of placed) {
    const walk: string[] = [];
    for (let at: string | undefined = id; at !== undefined && !done.has(at); at = containerOf(at)) {
      const seen = walk.indexOf(at);
      if (seen >= 0) {
        const loop = [...walk.slice(seen), at];
        const from = defined.get(at)?.from;
        if (from !== undefined) problem(from, ["things", at, "location"], `a thing cannot be inside itself: ${loop.join(" in ")}`);
        break;
      }
      walk.push(at);
    }
    for (const visited of walk) done.add(visited);
  }
}

/** Freezes a plain JSON value all the way down; records are shared, so nobody may edit them in place. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
