/**
 * The things table (migration 3): the live world, one row per thing. {@link SqliteStore}
 * delegates its thing methods here; the statements are prepared once, when the store opens.
 *
 * A row holds a record split in three: `id` and `location` as columns (so the held-things
 * recursion and the contents index can use them) and the rest as JSON in `record`.
 */
import type Database from "better-sqlite3";
import type { ThingRecord } from "../world/model/thing-record.js";
import { canonicalJson, mergeRecord } from "./seed-merge.js";
import { StoreError } from "./store-error.js";
import type { SeedReport, StoredThing } from "./store.js";

interface ThingRow {
  num: number;
  id: string;
  location: string | null;
  seq: number;
  record: string;
  seed: string | null;
}

interface LegacyRow {
  room_id: string | null;
  player_key: string | null;
}

const COLUMNS = "num, id, location, seq, record, seed";

// GLOB, not LIKE: LIKE folds ASCII case, and only the lowercase prefix makes a player's
// character. Things located in `player:…` seed the held set even when that character has no
// row, so what a player carried is never mistaken for part of the world.
const WORLD = `
  WITH RECURSIVE held(id) AS (
    SELECT id FROM things WHERE id GLOB 'player:*' OR location GLOB 'player:*'
    UNION
    SELECT things.id FROM things JOIN held ON things.location = held.id
  )
  SELECT ${COLUMNS} FROM things WHERE id NOT IN held ORDER BY seq, num`;

// UNION (not UNION ALL) also ends the recursion if hand-edited rows ever form a cycle.
const HELD = `
  WITH RECURSIVE held(id) AS (
    SELECT ?
    UNION
    SELECT things.id FROM things JOIN held ON things.location = held.id
  )
  SELECT ${COLUMNS} FROM things WHERE id IN held ORDER BY seq, num`;

/** The things table's statements and the seeding procedure, for {@link SqliteStore}. */
export class SqliteThings {
  readonly #db: Database.Database;
  readonly #world: Database.Statement<[], ThingRow>;
  readonly #held: Database.Statement<[string], ThingRow>;
  readonly #byId: Database.Statement<[string], ThingRow>;
  readonly #seeded: Database.Statement<[], string>;
  readonly #upsert: Database.Statement<[string, string | null, number, string], number>;
  readonly #insertSeeded: Database.Statement<[string, string | null, number, string, string]>;
  readonly #updateSeeded: Database.Statement<[string | null, string, string, string]>;
  readonly #move: Database.Statement<[string | null, number, string]>;
  readonly #delete: Database.Statement<[string]>;
  readonly #maxSeq: Database.Statement<[], number>;
  readonly #legacy: Database.Statement<[string], LegacyRow>;
  readonly #dropLegacy: Database.Statement<[string]>;

  /** Prepares every statement on `db`, which must hold the full schema. */
  constructor(db: Database.Database) {
    this.#db = db;
    this.#world = db.prepare(WORLD);
    this.#held = db.prepare(HELD);
    this.#byId = db.prepare(`SELECT ${COLUMNS} FROM things WHERE id = ?`);
    this.#seeded = db.prepare<[], string>("SELECT id FROM things WHERE seed IS NOT NULL ORDER BY seq, num").pluck();
    // ON CONFLICT DO UPDATE keeps the row, so its num and seed survive every save.
    this.#upsert = db
      .prepare<[string, string | null, number, string], number>(
        `INSERT INTO things (id, location, seq, record) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET location = excluded.location, seq = excluded.seq, record = excluded.record
         RETURNING num`,
      )
      .pluck();
    this.#insertSeeded = db.prepare("INSERT INTO things (id, location, seq, record, seed) VALUES (?, ?, ?, ?, ?)");
    this.#updateSeeded = db.prepare("UPDATE things SET location = ?, record = ?, seed = ? WHERE id = ?");
    this.#move = db.prepare("UPDATE things SET location = ?, seq = ? WHERE id = ?");
    this.#delete = db.prepare("DELETE FROM things WHERE id = ?");
    this.#maxSeq = db.prepare<[], number>("SELECT coalesce(max(seq), 0) FROM things").pluck();
    this.#legacy = db.prepare("SELECT room_id, player_key FROM thing_locations WHERE thing_id = ?");
    this.#dropLegacy = db.prepare("DELETE FROM thing_locations WHERE thing_id = ?");
  }

  /** {@link Store.loadWorldThings}. */
  loadWorld(): StoredThing[] {
    return this.#world.all().map(toStored);
  }

  /** {@link Store.loadHeld}. */
  loadHeld(rootId: string): StoredThing[] {
    return this.#held.all(rootId).map(toStored);
  }

  /** {@link Store.saveThing}. */
  save(record: ThingRecord, seq: number): number {
    const num = this.#upsert.get(record.id, record.location, seq, recordJson(record));
    // RETURNING yields a row on insert and on update alike.
    if (num === undefined) throw new Error(`saving thing "${record.id}" returned no row`);
    return num;
  }

  /** {@link Store.moveThing}. */
  move(id: string, location: string | null, seq: number): void {
    if (this.#move.run(location, seq, id).changes === 0) {
      throw new StoreError("no-such-thing", `Cannot move "${id}": the store holds no such thing.`);
    }
  }

  /** {@link Store.deleteThing}. */
  delete(id: string): void {
    this.#delete.run(id);
  }

  /** {@link Store.maxSeq}. */
  maxSeq(): number {
    return this.#maxSeq.get() ?? 0;
  }

  /** {@link Store.seedWorld}: the seeding rule, in one IMMEDIATE transaction (a savepoint when nested). */
  seed(records: readonly ThingRecord[], firstSeq: number): SeedReport {
    const ids = new Set<string>();
    for (const r of records) {
      if (ids.has(r.id)) throw new StoreError("invalid-record", `The world files define "${r.id}" twice.`);
      ids.add(r.id);
    }
    // IMMEDIATE: it reads before it writes, and taking the write lock up front means it can
    // never fail at its first write because another process wrote in between.
    return this.#db.transaction(() => this.#seedIn(records, ids, firstSeq)).immediate();
  }

  #seedIn(records: readonly ThingRecord[], ids: ReadonlySet<string>, firstSeq: number): SeedReport {
    const rooms = new Set(records.filter((r) => r.facets.room !== undefined).map((r) => r.id));
    const inserted: string[] = [];
    const updated: string[] = [];
    const conflicts: string[] = [];
    for (const next of records) {
      const row = this.#byId.get(next.id);
      const seed = canonicalJson(next);
      if (row === undefined) {
        const location = this.#legacyLocation(next.id, rooms) ?? next.location;
        // The seed is the files' record as given, so a legacy location reads as "moved in play"
        // and the next merge keeps it.
        this.#insertSeeded.run(next.id, location, firstSeq + inserted.length, recordJson(next), seed);
        inserted.push(next.id);
        continue;
      }
      if (row.seed === null) {
        conflicts.push(next.id);
        continue;
      }
      // Seeds are written canonical, so an unchanged record is one string comparison; the
      // parse is for seeds that differ (and for one an operator rewrote by hand).
      if (row.seed === seed) continue;
      const previous = parseRecord(row.id, row.seed, "seed");
      if (canonicalJson(previous) === seed) continue;
      const merged = mergeRecord(previous as unknown as ThingRecord, next, toStored(row).record);
      this.#updateSeeded.run(merged.location ?? null, recordJson(merged), seed, next.id);
      updated.push(next.id);
    }
    const orphaned = this.#seeded.all().filter((id) => !ids.has(id));
    // Every seeded id: a row left for one already in the table could only ever mislead.
    for (const id of ids) this.#dropLegacy.run(id);
    return { inserted, updated, conflicts, orphaned };
  }

  /**
   * Where the pre-things world last left `id` (the old world-build.ts `placeThings`): carried
   * by a player, or lying in a room. A room the files no longer define is ignored, so the thing
   * starts where the files put it rather than somewhere that does not exist.
   */
  #legacyLocation(id: string, rooms: ReadonlySet<string>): string | undefined {
    const row = this.#legacy.get(id);
    if (row === undefined) return undefined;
    // The table's CHECK guarantees exactly one of the two is set.
    if (row.player_key !== null) return `player:${row.player_key}`;
    return row.room_id !== null && rooms.has(row.room_id) ? row.room_id : undefined;
  }
}

/** The record's JSON column: everything but `id` and `location`, which are columns. */
function recordJson(record: ThingRecord): string {
  const { id: _id, location: _location, ...rest } = record;
  return JSON.stringify(rest);
}

function toStored(row: ThingRow): StoredThing {
  const { id: _id, location: _location, ...rest } = parseRecord(row.id, row.record, "record");
  // The columns are authoritative; the JSON's shape is the world's to check when it builds a Thing.
  const record = { id: row.id, location: row.location, ...rest } as unknown as ThingRecord;
  return { record, seq: row.seq, num: row.num };
}

/** A JSON column of `id`'s row as an object; StoreError `"invalid-record"` if it is not one. */
function parseRecord(id: string, json: string, column: "record" | "seed"): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new StoreError("invalid-record", `Thing "${id}" has a ${column} column that is not JSON.`, { cause: err });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new StoreError("invalid-record", `Thing "${id}" has a ${column} column that is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}
