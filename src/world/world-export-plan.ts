/**
 * The plan of a world export (world-export.ts): which records are written, in which file and
 * under which id, before any entry is built. Rooms go in the file of their area; exits in
 * their room, when it and their destination are rooms; things and characters in the file of
 * the room they are in (through containers and carriers), at a location the files can name.
 * `count` copies lying unchanged with their original fold back into `count:`; ids the files
 * do not allow are made into ids they do.
 */
import type { StoredThing } from "../store/store.js";
import { canonicalJson } from "../store/seed-merge.js";
import type { ThingRecord } from "./model/thing-record.js";
import { MAX_THING_COUNT } from "./world-schema.js";
import { WorldIdPattern } from "./world-vocabulary.js";

/** A thing of the store that the export left out, or wrote other than as the store holds it. */
export interface ExportNote {
  /** Its id in the store. */
  readonly id: string;
  /** Why, as a sentence. */
  readonly why: string;
}

/** What a record is, by its facets. */
export type ExportKind = "room" | "exit" | "character" | "thing";

/** A record that will be written: rooms and exits as they are, things and characters placed. */
export interface Placed {
  readonly record: ThingRecord;
  readonly seq: number;
  readonly kind: ExportKind;
  /** The room whose file it is written in (for a room, itself). */
  readonly room: string;
  /** Things and characters: the store id of the room, container or character the files name as its location. */
  readonly location: string;
}

/** The things of one file, in the order they are written. */
export interface FilePlan {
  readonly name: string;
  readonly area: string;
  readonly rooms: readonly Placed[];
  /** Each room's exits, in seq order. */
  readonly exits: ReadonlyMap<string, readonly Placed[]>;
  readonly things: readonly Placed[];
  readonly characters: readonly Placed[];
}

/** The export's plan: every written record, the counts folded, the ids, and the files. */
export interface ExportPlan {
  /** Every written record, by store id, in seq order. */
  readonly placed: ReadonlyMap<string, Placed>;
  /** Originals whose `count` copies fold into them: id -> count. */
  readonly folded: ReadonlyMap<string, number>;
  /** Store id -> id in the files, for rooms, things and characters. */
  readonly fileIds: ReadonlyMap<string, string>;
  /** In name order. */
  readonly files: readonly FilePlan[];
}

/**
 * Plans the export of `stored` (any order; tombstones of destroyed things are skipped). Adds
 * to `leftOut` what cannot be written, and to `changed` what is written elsewhere than the
 * store has it.
 */
export function planExport(stored: readonly StoredThing[], leftOut: ExportNote[], changed: ExportNote[]): ExportPlan {
  const rows = [...stored].sort((a, b) => a.seq - b.seq || a.num - b.num);
  const records = new Map<string, StoredThing>();
  for (const row of rows) {
    if (!readable(row.record)) leftOut.push({ id: String((row.record as { id?: unknown }).id), why: "its stored record cannot be read" });
    // A tombstone (a builder destroyed a world-file thing) is no part of the world: not even a note.
    else if (row.record.destroyed !== true) records.set(row.record.id, row);
  }
  const placed = place(records, leftOut, changed);
  const folded = foldCounts(placed);
  return { placed, folded, fileIds: assignIds(placed, folded), files: groupIntoFiles(placed, folded) };
}

/** Whether a stored record has the fields every record has (the store keeps records as data). */
function readable(record: ThingRecord): boolean {
  const r = record as unknown as Record<string, unknown>;
  return (
    typeof r["id"] === "string" &&
    typeof r["name"] === "string" &&
    typeof r["description"] === "string" &&
    Array.isArray(r["keywords"]) &&
    typeof r["facets"] === "object" &&
    r["facets"] !== null
  );
}

/** What a record is. A room's facet wins, then an exit's, then a character's. */
function kindOf(record: ThingRecord): ExportKind {
  const { facets } = record;
  if (facets.room !== undefined) return "room";
  if (facets.exit !== undefined) return "exit";
  if (facets.character !== undefined) return "character";
  return "thing";
}

/**
 * Decides where each record goes: rooms as they are; exits in their room, when it and their
 * destination are rooms; things and characters in the file of the room they are in, at a
 * location the files can name (a thing: a room, a container or a character; a character: a
 * room), else at that room. Records that reach no room are left out. In seq order.
 */
function place(records: ReadonlyMap<string, StoredThing>, leftOut: ExportNote[], changed: ExportNote[]): Map<string, Placed> {
  const kinds = new Map([...records].map(([id, row]) => [id, kindOf(row.record)] as const));
  const isRoom = (id: string | null): id is string => id !== null && kinds.get(id) === "room";
  /** The room `id` is in, through containers and carriers, or why there is none. */
  const roomOf = (id: string): { room: string } | { why: string } => {
    const seen = new Set<string>();
    let at = records.get(id)?.record.location ?? null;
    let last = id;
    while (!isRoom(at)) {
      if (at === null) {
        if (last === id) return { why: nowhere(records.get(id)?.record) };
        return { why: `it is in ${last}, which is nowhere` };
      }
      const next = records.get(at);
      if (next === undefined) return { why: `it is in ${at}, which is not part of the world (a player's, or gone)` };
      if (seen.has(at)) return { why: `it is inside itself (${[...seen, at].join(" in ")})` };
      if (kinds.get(at) === "exit") return { why: `it is in ${at}, an exit` };
      seen.add(at);
      last = at;
      at = next.record.location;
    }
    return { room: at };
  };

  const placed = new Map<string, Placed>();
  for (const [id, { record, seq }] of records) {
    const kind = kinds.get(id) ?? "thing";
    if (kind === "room") {
      placed.set(id, { record, seq, kind, room: id, location: id });
      continue;
    }
    if (kind === "exit") {
      const to = record.facets.exit?.to ?? "";
      if (!isRoom(record.location)) leftOut.push({ id, why: `it is an exit, but not in a room (${String(record.location)})` });
      else if (!isRoom(to)) leftOut.push({ id, why: `it leads to ${to}, which is not a room of the world` });
      else placed.set(id, { record, seq, kind, room: record.location, location: record.location });
      continue;
    }
    const found = roomOf(id);
    if ("why" in found) {
      leftOut.push({ id, why: found.why });
      continue;
    }
    const location = record.location ?? found.room;
    const at = kinds.get(location);
    const nameable =
      kind === "character"
        ? at === "room"
        : at === "room" || at === "character" || (at === "thing" && records.get(location)?.record.facets.container !== undefined);
    if (!nameable) {
      const what = kind === "character" ? "characters start in rooms" : "it is not a container";
      changed.push({ id, why: `it is in ${location}, which the files cannot name as its place (${what}); written in ${found.room}` });
    }
    placed.set(id, { record, seq, kind, room: found.room, location: nameable ? location : found.room });
  }
  return placed;
}

function nowhere(record: ThingRecord | undefined): string {
  const state = record?.behaviourState?.["respawn"];
  const waiting = typeof state === "object" && state !== null && "dueAt" in state;
  return waiting ? "it is a respawn waiting to appear (nowhere yet)" : "it is nowhere (its location is empty)";
}

/**
 * `count` copies (`coin#2`, `coin#3`) that lie with their original and differ from it in
 * nothing but their id: original id -> how many there are in all (at least 2). The run stops
 * at the first copy missing, moved or changed; the copies after it are written on their own.
 * A copy something lies in is never folded, since its contents name it.
 */
function foldCounts(placed: ReadonlyMap<string, Placed>): Map<string, number> {
  const holders = new Set([...placed.values()].filter((p) => p.kind !== "room" && p.kind !== "exit").map((p) => p.location));
  const counts = new Map<string, number>();
  for (const [id, original] of placed) {
    if (original.kind !== "thing" || original.record.template !== undefined) continue;
    const look = sameness(original.record);
    let count = 1;
    for (let n = 2; n <= MAX_THING_COUNT; n++) {
      const copy = placed.get(`${id}#${n}`);
      if (copy === undefined || copy.kind !== "thing" || copy.record.template !== id) break;
      if (copy.location !== original.location || holders.has(copy.record.id) || sameness(copy.record) !== look) break;
      count = n;
    }
    if (count > 1) counts.set(id, count);
  }
  return counts;
}

/** A record as the files author it, for comparing copies: no id, template, location or state. */
function sameness(record: ThingRecord): string {
  const { id: _id, template: _template, location: _location, behaviourState: _state, ...authored } = record;
  return canonicalJson(authored);
}

/** Whether `id` is a `count` copy folded into its original's `count:`. */
export function isFoldedCopy(id: string, folded: ReadonlyMap<string, number>): boolean {
  const match = /^(.*)#(\d+)$/.exec(id);
  if (match === null) return false;
  const count = folded.get(match[1] ?? "");
  return count !== undefined && Number(match[2]) <= count;
}

/**
 * The id each written room, thing and character has in the files. Valid ids are kept (they are
 * unique in the store); the others, in seq order, become a slug of themselves (`apple~57` ->
 * `apple-57`), with `-2`, `-3`... added if that is taken.
 */
function assignIds(placed: ReadonlyMap<string, Placed>, folded: ReadonlyMap<string, number>): Map<string, string> {
  const named = [...placed.values()].filter((p) => p.kind !== "exit" && !isFoldedCopy(p.record.id, folded));
  const taken = new Set(named.map((p) => p.record.id).filter((id) => WorldIdPattern.test(id)));
  const ids = new Map<string, string>();
  for (const { record } of named) {
    if (WorldIdPattern.test(record.id)) {
      ids.set(record.id, record.id);
      continue;
    }
    const base = slug(record.id, "thing", /[^a-z0-9_-]+/g);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    ids.set(record.id, id);
  }
  return ids;
}

/**
 * `text` lowercased, accents dropped, every run of characters that `outside` matches (global)
 * made one `-`, with no `-` or `_` at either end; `fallback` when nothing is left. For file
 * names (`The River` -> `the-river`) and for ids (`apple~57` -> `apple-57`).
 */
function slug(text: string, fallback: string, outside: RegExp = /[^a-z0-9]+/g): string {
  const made = text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(outside, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
  return made === "" ? fallback : made;
}

/**
 * One file per area slug, in name order. Two areas with one slug ("The River", "the river")
 * share a file; its `area:` is the first room's, and the others' rooms name their own.
 */
function groupIntoFiles(placed: ReadonlyMap<string, Placed>, folded: ReadonlyMap<string, number>): FilePlan[] {
  interface Building {
    area: string;
    rooms: Placed[];
    exits: Map<string, Placed[]>;
    things: Placed[];
    characters: Placed[];
  }
  const byRoom = new Map<string, Building>();
  const byName = new Map<string, Building>();
  for (const p of placed.values()) {
    if (p.kind !== "room") continue;
    const area = p.record.facets.room?.area ?? "";
    const name = `${slug(area, "world")}.yaml`;
    let file = byName.get(name);
    if (file === undefined) {
      file = { area, rooms: [], exits: new Map(), things: [], characters: [] };
      byName.set(name, file);
    }
    file.rooms.push(p);
    file.exits.set(p.record.id, []);
    byRoom.set(p.record.id, file);
  }
  for (const p of placed.values()) {
    const file = byRoom.get(p.room);
    if (file === undefined || p.kind === "room") continue;
    if (p.kind === "exit") file.exits.get(p.room)?.push(p);
    else if (p.kind === "character") file.characters.push(p);
    else if (!isFoldedCopy(p.record.id, folded)) file.things.push(p);
  }
  return [...byName]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, file]) => ({ name, ...file }));
}
