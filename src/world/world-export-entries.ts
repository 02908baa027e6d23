/**
 * The entries of an exported world file (world-export.ts): each record as a builder would have
 * written it, defaults left out. Rooms with their exits (short form `north: market` unless
 * the exit has a description or declares a door); things with their location, `portable:
 * false` only for fixtures, `plural` only where the rule would say otherwise, `container:`
 * from the lid's state; characters with pronouns; behaviours with their parameters minus
 * those at their defaults. Every value is written as the loader will read it back (keywords
 * lowercased and deduplicated), so that exporting what was imported gives the same text.
 */
import { canonicalJson } from "../store/seed-merge.js";
import type { BehaviourSchemas } from "./behaviours/params.js";
import { parseNounPhrase } from "./language/noun-phrase.js";
import type { BehaviourRecord, Closure, DoorRecord, ThingRecord } from "./model/thing-record.js";
import { isFoldedCopy, type ExportNote, type FilePlan, type Placed } from "./world-export-plan.js";
import { defaultKeywords } from "./world-vocabulary.js";

/** What building the entries needs from the export as a whole. */
export interface EntryContext {
  /** Every written record, by store id, in seq order. */
  readonly placed: ReadonlyMap<string, Placed>;
  /** Originals whose `count` copies fold into them: id -> count. */
  readonly folded: ReadonlyMap<string, number>;
  /** Store id -> id in the files, for rooms, things and characters. */
  readonly fileIds: ReadonlyMap<string, string>;
  readonly behaviours: BehaviourSchemas;
  /**
   * Exits whose door has been written, across files. A door is declared on the first of its
   * two exits in the order of the files; the twin, met later, gets none (it shares it on load).
   */
  readonly declaredDoors: Set<string>;
  readonly leftOut: ExportNote[];
  readonly changed: ExportNote[];
}

/** A mapping as it will be written: keys in insertion order, values plain data. */
export type Entry = Record<string, unknown>;

/** A file's content in the authored shape. */
export interface FileContent {
  readonly area: string;
  readonly start?: string;
  readonly rooms: Record<string, Entry>;
  readonly things: Record<string, Entry>;
  readonly characters: Record<string, Entry>;
}

/** The entries of one file. Records `declaredDoors` and notes in `context` as it goes. */
export function entriesOfFile(file: FilePlan, context: EntryContext): FileContent {
  const rooms: Record<string, Entry> = {};
  for (const room of file.rooms) {
    put(rooms, fileId(room.record.id, context), roomEntry(room, file, context));
  }
  const things: Record<string, Entry> = {};
  for (const thing of file.things) put(things, fileId(thing.record.id, context), thingEntry(thing, context));
  const characters: Record<string, Entry> = {};
  for (const character of file.characters) put(characters, fileId(character.record.id, context), characterEntry(character, context));
  return { area: file.area, rooms, things, characters };
}

function roomEntry(room: Placed, file: FilePlan, context: EntryContext): Entry {
  const { record } = room;
  const area = record.facets.room?.area ?? file.area;
  const environment = record.facets.room?.environment;
  const exits: Entry = {};
  for (const exit of file.exits.get(record.id) ?? []) {
    const direction = exit.record.facets.exit?.direction ?? "";
    if (Object.hasOwn(exits, direction)) {
      context.leftOut.push({ id: exit.record.id, why: `another exit of ${record.id} already has the name "${direction}"` });
      continue;
    }
    put(exits, direction, exitEntry(exit, context));
  }
  return {
    name: oneLine(record.name),
    ...(area === file.area ? {} : { area }),
    ...(environment === undefined ? {} : { environment }),
    description: prose(record.description),
    ...(Object.keys(exits).length === 0 ? {} : { exits }),
  };
}

function exitEntry({ record }: Placed, context: EntryContext): unknown {
  const exit = record.facets.exit;
  const to = fileId(exit?.to ?? "", context);
  const description = prose(record.description);
  let door: Entry | undefined;
  if (exit?.door !== undefined) {
    const twin = exit.twin;
    // The way back shares the door; it is declared once, where the files meet it first.
    if (twin === undefined || !context.declaredDoors.has(twin)) {
      door = doorEntry(record.id, exit.door, context);
      context.declaredDoors.add(record.id);
    }
  }
  if (description === "" && door === undefined) return to;
  return { to, ...(description === "" ? {} : { description }), ...(door === undefined ? {} : { door }) };
}

function doorEntry(exitId: string, door: DoorRecord, context: EntryContext): Entry {
  const name = oneLine(door.name);
  const named = defaultKeywords(name);
  const keywords = cleanKeywords(door.keywords);
  const lock = lockOf(exitId, "door", door, context);
  return {
    ...(name === "a door" ? {} : { name }),
    ...(keywords === undefined || same(keywords, named.includes("door") ? named : [...named, "door"]) ? {} : { keywords }),
    ...(door.open ? { closed: false } : {}),
    ...lock,
  };
}

function thingEntry({ record, location }: Placed, context: EntryContext): Entry {
  const name = oneLine(record.name);
  const plural = record.plural === undefined ? undefined : oneLine(record.plural);
  const byRule = parseNounPhrase(name).plural;
  const keywords = cleanKeywords(record.keywords);
  const count = context.folded.get(record.id);
  const container = record.facets.container;
  return {
    name,
    ...(plural === undefined || parseNounPhrase(name, plural).plural === byRule ? {} : { plural }),
    ...(keywords === undefined || same(keywords, defaultKeywords(name)) ? {} : { keywords }),
    description: prose(record.description),
    location: fileId(location, context),
    ...(record.facets.portable === true ? {} : { portable: false }),
    ...(count === undefined ? {} : { count }),
    ...(container === undefined ? {} : { container: containerEntry(record.id, container.closure, context) }),
    ...behavioursEntry(record.facets.behaviours, context),
  };
}

function characterEntry({ record, location }: Placed, context: EntryContext): Entry {
  const name = oneLine(record.name);
  const keywords = cleanKeywords(record.keywords);
  return {
    name,
    pronouns: record.facets.character?.pronouns ?? "they",
    ...(keywords === undefined || same(keywords, defaultKeywords(name)) ? {} : { keywords }),
    description: prose(record.description),
    location: fileId(location, context),
    ...behavioursEntry(record.facets.behaviours, context),
  };
}

/** `container:` — `true` for one always open, else the lid as it is now. */
function containerEntry(id: string, closure: Closure | undefined, context: EntryContext): true | Entry {
  if (closure === undefined) return true;
  return { closable: true, ...(closure.open ? {} : { closed: true }), ...lockOf(id, "container", closure, context) };
}

/**
 * A door's or lid's `locked` and `key`. A key the export does not hold (a player carries it)
 * cannot be named in the files; a copy of it can (a lock accepts its key's copies), and else
 * the lock is left off, with a note.
 */
function lockOf(id: string, what: "door" | "container", closure: Closure, context: EntryContext): Entry {
  const locked = closure.locked && !closure.open;
  if (closure.key === undefined) {
    // The files refuse a lock with no key: nothing could ever open it.
    if (locked) context.changed.push({ id, why: `its ${what} is locked with no key: written unlocked` });
    return {};
  }
  const key = keyInFiles(closure.key, context);
  if (key === undefined) {
    const state = locked ? "it was locked, and is written unlocked with no lock" : "written with no lock";
    context.changed.push({ id, why: `its ${what}'s key ${closure.key} is not in the world (a player may carry it): ${state}` });
    return {};
  }
  return { ...(locked ? { locked: true } : {}), key };
}

/** The id in the files of the thing that opens a lock keyed to `key`: it, or a copy of it. */
function keyInFiles(key: string, context: EntryContext): string | undefined {
  const fits = (p: Placed): boolean => p.kind === "thing" && (p.record.id === key || p.record.template === key);
  const found = context.placed.get(key);
  const thing = found !== undefined && fits(found) ? found : [...context.placed.values()].find(fits);
  return thing === undefined ? undefined : fileId(thing.record.id, context);
}

/**
 * `behaviours:` with each behaviour's parameters as its schema reads them, minus those whose
 * leaving out reads the same (defaults). A behaviour the schemas do not know keeps its
 * parameters as they are (the loader will refuse it, naming it).
 */
function behavioursEntry(behaviours: readonly BehaviourRecord[] | undefined, context: EntryContext): Entry {
  if (behaviours === undefined || behaviours.length === 0) return {};
  const written: Entry = {};
  for (const { name, params } of behaviours) {
    const schema = context.behaviours.get(name);
    if (schema === undefined) {
      put(written, name, params);
      continue;
    }
    const read = schema.safeParse(params);
    const full = read.success ? read.data : params;
    let kept: Record<string, unknown> = { ...full };
    for (const key of Object.keys(full)) {
      const { [key]: _dropped, ...without } = kept;
      const reread = schema.safeParse(without);
      if (reread.success && canonicalJson(reread.data) === canonicalJson(full)) kept = without;
    }
    put(written, name, kept);
  }
  return { behaviours: written };
}

/** The id a record has in the files; a folded copy's is its original's. */
function fileId(id: string, context: EntryContext): string {
  const original = isFoldedCopy(id, context.folded) ? id.slice(0, id.lastIndexOf("#")) : id;
  return context.fileIds.get(original) ?? original;
}

/** Keywords as the loader keeps them: trimmed, lowercased, single words, no repeats; `undefined` if none is left. */
function cleanKeywords(words: readonly unknown[]): string[] | undefined {
  const kept = words
    .filter((word): word is string => typeof word === "string")
    .map((word) => word.trim().toLowerCase())
    .filter((word) => /^[\p{L}\p{N}'-]+$/u.test(word));
  const unique = [...new Set(kept)];
  return unique.length === 0 ? undefined : unique;
}

/** A name as the loader keeps it: trimmed (the schema trims; a newline would be refused). */
function oneLine(text: string): string {
  return text.trim();
}

/** Prose as the loader keeps it: trimmed. */
function prose(text: string): string {
  return text.trim();
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, i) => word === b[i]);
}

/** Sets a key as an own property, whatever it is called (an id may be "constructor"). */
function put(target: Entry, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
