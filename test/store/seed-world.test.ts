/**
 * seedWorld: the seeding rule (docs/world.md) through the store, with the worked examples,
 * the legacy thing_locations adoption, and a version-2 database upgrading.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS, runMigrations, schemaVersion } from "../../src/store/migrations.js";
import { openMemoryStore, openSqliteStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import type { SeedReport, StoredThing } from "../../src/store/store.js";
import type { ExitFacet, ThingRecord } from "../../src/world/model/thing-record.js";
import { room, storeError, thing } from "./thing-fixtures.js";

const HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
const NOTHING: SeedReport = { inserted: [], updated: [], conflicts: [], orphaned: [] };

function exit(id: string, location: string, facet: ExitFacet): ThingRecord {
  return { id, location, name: facet.direction, keywords: [facet.direction], description: "", facets: { exit: facet } };
}

const door = (name: string) => ({ name, keywords: ["door"], open: false, locked: false });
const northDoor = (name: string) => exit("square/north", "square", { direction: "north", to: "hall", door: door(name) });

/** The world files, version 1. */
const WORLD: readonly ThingRecord[] = [
  room("square"),
  room("hall"),
  northDoor("a heavy oak door"),
  thing("lantern", "square"),
  thing("waterwheel", "square", { facets: {} }),
];

function find(store: SqliteStore, id: string): StoredThing | undefined {
  return [...store.loadWorldThings(), ...store.loadHeld(id)].find((t) => t.record.id === id);
}

interface LegacyRow {
  readonly thing_id: string;
  readonly room_id: string | null;
  readonly player_key: string | null;
}

/** The legacy thing_locations table's rows, by thing id. */
function legacyRows(db: Database.Database): LegacyRow[] {
  return db.prepare<[], LegacyRow>("SELECT thing_id, room_id, player_key FROM thing_locations ORDER BY thing_id").all();
}

/** `WORLD` with the record `id` replaced. */
function edited(id: string, record: ThingRecord): ThingRecord[] {
  return WORLD.map((r) => (r.id === id ? record : r));
}

describe("seedWorld", () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = openMemoryStore();
  });
  afterEach(() => {
    store.close();
  });

  it("inserts what the store lacks, at seqs from firstSeq up in the order given", () => {
    expect(store.seedWorld(WORLD, 100)).toEqual({ ...NOTHING, inserted: WORLD.map((r) => r.id) });
    const world = store.loadWorldThings();
    expect(world.map((t) => t.record)).toEqual(WORLD);
    expect(world.map((t) => t.seq)).toEqual([100, 101, 102, 103, 104]);
    expect(store.maxSeq()).toBe(104);
  });

  it("an unchanged file changes nothing, and key order does not count as a change", () => {
    store.seedWorld(WORLD, 1);
    const before = store.loadWorldThings();
    const reordered = WORLD.map((r) => Object.fromEntries(Object.entries(r).reverse()) as unknown as ThingRecord);
    expect(store.seedWorld(reordered, 50)).toEqual(NOTHING);
    expect(store.loadWorldThings()).toEqual(before);
  });

  it("a room added to the files is inserted, after what is there", () => {
    store.seedWorld(WORLD, 1);
    const cellar = room("cellar");
    expect(store.seedWorld([...WORLD, cellar], store.maxSeq() + 1)).toEqual({ ...NOTHING, inserted: ["cellar"] });
    expect(find(store, "cellar")).toMatchObject({ record: cellar, seq: 6 });
  });

  it("a door opened in play whose name the files change: the name follows the files, it stays open", () => {
    store.seedWorld(WORLD, 1);
    const live = find(store, "square/north")!;
    const opened = exit("square/north", "square", { direction: "north", to: "hall", door: { ...door("a heavy oak door"), open: true } });
    store.saveThing(opened, live.seq);

    const renamed = northDoor("an iron-bound door");
    expect(store.seedWorld(edited("square/north", renamed), 99)).toEqual({ ...NOTHING, updated: ["square/north"] });
    const after = find(store, "square/north")!;
    expect(after.record.facets.exit?.door).toEqual({ ...door("an iron-bound door"), open: true });
    expect(after).toMatchObject({ seq: live.seq, num: live.num });
  });

  it("a lantern a player moved whose description the files change: the description updates, it stays put", () => {
    store.seedWorld(WORLD, 1);
    store.moveThing("lantern", "hall", 40);
    const report = store.seedWorld(edited("lantern", thing("lantern", "square", { description: "Dented brass." })), 99);
    expect(report).toEqual({ ...NOTHING, updated: ["lantern"] });
    expect(find(store, "lantern")).toMatchObject({ record: { location: "hall", description: "Dented brass." }, seq: 40 });
  });

  it("a fixture nobody moved whose files location changes: it moves", () => {
    store.seedWorld(WORLD, 1);
    store.seedWorld(edited("waterwheel", thing("waterwheel", "hall", { facets: {} })), 99);
    expect(find(store, "waterwheel")?.record.location).toBe("hall");
  });

  it("state the files never author (behaviourState) survives a merge; a key the files drop goes", () => {
    const v1 = thing("apple", "square", { plural: "apples" });
    store.seedWorld([v1], 1);
    store.saveThing({ ...v1, behaviourState: { respawn: { due: 77 } } }, 1);
    store.seedWorld([thing("apple", "square", { description: "Crisp." })], 99);
    expect(find(store, "apple")?.record).toEqual({ ...thing("apple", "square", { description: "Crisp." }), behaviourState: { respawn: { due: 77 } } });
  });

  it("the merge is against the last seed: a second edit merges from the first edit, not the original", () => {
    store.seedWorld(WORLD, 1);
    store.seedWorld(edited("lantern", thing("lantern", "square", { description: "v2" })), 99);
    // Play now sets the description back to the original text: a change from the v2 seed.
    store.saveThing(thing("lantern", "square"), 4);
    store.seedWorld(edited("lantern", thing("lantern", "square", { description: "v3", name: "a lamp" })), 99);
    expect(find(store, "lantern")?.record).toMatchObject({ name: "a lamp", description: "A plain lantern." });
  });

  it("a thing made in play with an id the files now define is left alone: a conflict", () => {
    const statue = thing("lantern", "hall", { description: "Made by a builder." });
    store.saveThing(statue, 1);
    expect(store.seedWorld(WORLD, 10).conflicts).toEqual(["lantern"]);
    expect(find(store, "lantern")?.record).toEqual(statue);
    // Still made in play: the next seeding reports it again.
    expect(store.seedWorld(WORLD, 20)).toEqual({ ...NOTHING, conflicts: ["lantern"] });
  });

  it("a seeded thing the files no longer define stays, reported as orphaned (not a thing made in play)", () => {
    store.seedWorld(WORLD, 1);
    store.saveThing(thing("pie", "square"), 9);
    expect(store.seedWorld(WORLD.filter((r) => r.id !== "lantern"), 99)).toEqual({ ...NOTHING, orphaned: ["lantern"] });
    expect(find(store, "lantern")).toBeDefined();
  });

  it("saveThing keeps the seed: a thing changed in play is still seeded, not a conflict", () => {
    store.seedWorld(WORLD, 1);
    store.saveThing(thing("lantern", "square", { name: "a lit lantern" }), 4);
    expect(store.seedWorld(WORLD, 99)).toEqual(NOTHING);
  });

  it("two records with one id: invalid-record, and nothing is written", () => {
    expect(storeError(() => store.seedWorld([room("square"), room("hall"), room("square")], 1), "invalid-record").message).toContain(
      '"square"',
    );
    expect(store.loadWorldThings()).toEqual([]);
  });

  it("a stored seed that is not JSON: invalid-record, and the whole seeding rolls back", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-seed-"));
    const disk = openSqliteStore({ dataDir: dir });
    const raw = new Database(path.join(dir, "loom.db"));
    try {
      disk.seedWorld([room("square"), thing("lantern", "square")], 1);
      raw.prepare("UPDATE things SET seed = 'oops' WHERE id = 'lantern'").run();
      const err = storeError(() => disk.seedWorld([room("hall"), thing("lantern", "hall")], 9), "invalid-record");
      expect(err.message).toContain('"lantern"');
      expect(disk.loadWorldThings().map((t) => t.record.id)).toEqual(["square", "lantern"]);
    } finally {
      raw.close();
      disk.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("inside a store transaction that throws, the seeding rolls back with it", () => {
    expect(() =>
      store.transaction(() => {
        store.seedWorld(WORLD, 1);
        throw new Error("boot failed");
      }),
    ).toThrow("boot failed");
    expect(store.loadWorldThings()).toEqual([]);
  });
});

/**
 * The legacy table as migration 1 made it: the store has no method for it any more, so the
 * tests write and read its rows with SQL over a second connection to the same file.
 */
describe("seedWorld with legacy thing_locations rows", () => {
  let dir: string;
  let store: SqliteStore;
  let raw: Database.Database;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-seed-"));
    store = openSqliteStore({ dataDir: dir });
    raw = new Database(path.join(dir, "loom.db"));
    store.createPlayer({ key: "bob", name: "Bob", passwordHash: HASH, room: "square", now: 1 });
    raw
      .prepare(
        `INSERT INTO thing_locations (thing_id, room_id, player_key) VALUES
         ('lantern', NULL, 'bob'), ('waterwheel', 'hall', NULL), ('anvil', 'demolished-smithy', NULL), ('unrelated', 'square', NULL)`,
      )
      .run();
  });
  afterEach(() => {
    raw.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a newly seeded thing starts where the old world left it, and its row is deleted", () => {
    const world = [...WORLD, thing("anvil", "square")];
    expect(store.seedWorld(world, 1).inserted).toEqual(world.map((r) => r.id));
    expect(store.loadHeld("player:bob").map((t) => t.record)).toEqual([thing("lantern", "player:bob")]);
    expect(find(store, "waterwheel")?.record.location).toBe("hall");
    // A room the files no longer define: the files' place, as the old placeThings did.
    expect(find(store, "anvil")?.record.location).toBe("square");
    // Rows for ids the files do not define are not the seeding's to touch.
    expect(legacyRows(raw)).toEqual([{ thing_id: "unrelated", room_id: "square", player_key: null }]);
  });

  it("the adopted location reads as moved in play, so a later change to the files keeps it", () => {
    store.seedWorld(WORLD, 1);
    store.seedWorld(edited("lantern", thing("lantern", "square", { description: "Dented." })), 99);
    expect(store.loadHeld("player:bob").map((t) => t.record)).toEqual([thing("lantern", "player:bob", { description: "Dented." })]);
  });

  it("a row for an id already in the table is not adopted, only deleted", () => {
    store.saveThing(thing("lantern", "hall"), 1);
    expect(store.seedWorld(WORLD, 10).conflicts).toEqual(["lantern"]);
    expect(find(store, "lantern")?.record.location).toBe("hall");
    expect(legacyRows(raw).map((r) => r.thing_id)).toEqual(["anvil", "unrelated"]);
  });
});

describe("seedWorld on disk", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-seed-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("an unchanged file commits nothing at all (another connection sees no new data)", () => {
    const store = openSqliteStore({ dataDir: dir });
    const raw = new Database(path.join(dir, "loom.db"));
    try {
      store.seedWorld(WORLD, 1);
      // data_version changes when another connection commits a change to the file.
      const version = (): unknown => raw.pragma("data_version", { simple: true });
      const before = version();
      expect(store.seedWorld(WORLD, 1)).toEqual(NOTHING);
      expect(version()).toBe(before);
      store.moveThing("lantern", "hall", 9);
      expect(version()).not.toBe(before);
    } finally {
      raw.close();
      store.close();
    }
  });

  it("a version-2 database with thing_locations rows upgrades, keeps them, and seeding adopts them", () => {
    const file = path.join(dir, "loom.db");
    const old = new Database(file);
    runMigrations(old, MIGRATIONS.slice(0, 2));
    old.prepare("INSERT INTO players (key, name, password_hash, role, room, created_at, skeleton) VALUES ('bob', 'Bob', ?, 'player', 'hall', 1, 'bob')").run(HASH);
    old.prepare("INSERT INTO thing_locations (thing_id, room_id, player_key) VALUES ('lantern', NULL, 'bob'), ('waterwheel', 'hall', NULL)").run();
    old.close();

    const store = openSqliteStore({ dataDir: dir });
    const raw = new Database(file, { readonly: true });
    try {
      expect(schemaVersion(raw)).toBe(MIGRATIONS.at(-1)!.version);
      expect(legacyRows(raw)).toEqual([
        { thing_id: "lantern", room_id: null, player_key: "bob" },
        { thing_id: "waterwheel", room_id: "hall", player_key: null },
      ]);
      expect(store.loadWorldThings()).toEqual([]);

      store.seedWorld(WORLD, 1);
      expect(store.loadHeld("player:bob").map((t) => t.record.id)).toEqual(["lantern"]);
      expect(find(store, "waterwheel")?.record.location).toBe("hall");
      expect(legacyRows(raw)).toEqual([]);
      expect(store.findPlayer("bob")?.room).toBe("hall");
    } finally {
      raw.close();
      store.close();
    }
  });
});
