/** The things table as the live world: load, held, save, move, delete, seq and num. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openMemoryStore, openSqliteStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import type { StoredThing } from "../../src/store/store.js";
import { room, storeError, thing } from "./thing-fixtures.js";

const ids = (things: readonly StoredThing[]): string[] => things.map((t) => t.record.id);

describe("things (in memory)", () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = openMemoryStore();
  });
  afterEach(() => {
    store.close();
  });

  it("an empty world: nothing to load, maxSeq 0, nothing held", () => {
    expect(store.loadWorldThings()).toEqual([]);
    expect(store.loadHeld("player:bob")).toEqual([]);
    expect(store.maxSeq()).toBe(0);
  });

  it("saves and loads records whole, in ascending seq whatever the order saved", () => {
    const lantern = thing("lantern", "square", { plural: "lanterns", template: "lamp", behaviourState: { respawn: { due: 5 } } });
    const square = room("square");
    const lanternNum = store.saveThing(lantern, 20);
    const squareNum = store.saveThing(square, 10);
    expect(store.loadWorldThings()).toEqual([
      { record: square, seq: 10, num: squareNum },
      { record: lantern, seq: 20, num: lanternNum },
    ]);
    expect(store.maxSeq()).toBe(20);
  });

  it("saving again replaces the record, location and seq but keeps the num", () => {
    const num = store.saveThing(thing("door", "square"), 1);
    const opened = thing("door", "hall", { description: "Now open." });
    expect(store.saveThing(opened, 7)).toBe(num);
    expect(store.loadWorldThings()).toEqual([{ record: opened, seq: 7, num }]);
  });

  it("a key absent from the new record is gone after saving (the record is replaced, not patched)", () => {
    store.saveThing(thing("apple", "square", { plural: "apples" }), 1);
    store.saveThing(thing("apple", "square"), 1);
    expect(store.loadWorldThings()[0]?.record).not.toHaveProperty("plural");
  });

  it("a number is never reused, even after the highest one is deleted", () => {
    const a = store.saveThing(thing("a", "square"), 1);
    const b = store.saveThing(thing("b", "square"), 2);
    expect(b).toBeGreaterThan(a);
    store.deleteThing("b");
    const c = store.saveThing(thing("c", "square"), 3);
    expect(c).toBeGreaterThan(b);
    // The same id made again is a new thing, with a new number.
    expect(store.saveThing(thing("b", "square"), 4)).toBeGreaterThan(c);
  });

  it("moveThing sets location and seq, and keeps record and num", () => {
    const num = store.saveThing(thing("lantern", "square"), 1);
    store.moveThing("lantern", "hall", 9);
    expect(store.loadWorldThings()).toEqual([{ record: thing("lantern", "hall"), seq: 9, num }]);
    store.moveThing("lantern", null, 10);
    expect(store.loadWorldThings()[0]?.record.location).toBeNull();
  });

  it("moveThing on an unknown id throws no-such-thing and writes nothing", () => {
    const err = storeError(() => store.moveThing("ghost", "square", 1), "no-such-thing");
    expect(err.message).toContain('"ghost"');
    expect(store.loadWorldThings()).toEqual([]);
  });

  it("deleteThing removes that thing only; what was inside stays, naming a location that is gone", () => {
    store.saveThing(thing("bag", "square"), 1);
    store.saveThing(thing("coin", "bag"), 2);
    store.deleteThing("bag");
    store.deleteThing("never-was");
    expect(ids(store.loadWorldThings())).toEqual(["coin"]);
  });

  it("maxSeq follows saves, moves and deletes", () => {
    store.saveThing(thing("a", "square"), 3);
    store.saveThing(thing("b", "square"), 5);
    store.moveThing("a", "square", 8);
    expect(store.maxSeq()).toBe(8);
    store.deleteThing("a");
    expect(store.maxSeq()).toBe(5);
  });

  describe("who holds what", () => {
    beforeEach(() => {
      store.saveThing(room("square"), 1);
      store.saveThing(thing("lantern", "square"), 2);
      store.saveThing(thing("chest", "square", { facets: { container: {} } }), 3);
      store.saveThing(thing("rope", "chest"), 4);
      // Bob has no character row: his things were carried before characters were stored.
      store.saveThing(thing("bag", "player:bob", { facets: { portable: true, container: {} } }), 5);
      store.saveThing(thing("coin", "bag"), 6);
      store.saveThing(thing("purse", "coin"), 7);
      // Ana's character is a row, in the square, holding a ring.
      store.saveThing(thing("player:ana", "square", { facets: { character: { pronouns: "she", player: "ana" } } }), 8);
      store.saveThing(thing("ring", "player:ana"), 9);
    });

    it("the world is everything but characters and what they hold, at any depth", () => {
      expect(ids(store.loadWorldThings())).toEqual(["square", "lantern", "chest", "rope"]);
    });

    it("a coin in a bag held by player:bob is held by bob, though bob has no row", () => {
      expect(ids(store.loadHeld("player:bob"))).toEqual(["bag", "coin", "purse"]);
    });

    it("loadHeld gives the character's own row first-by-seq with its contents", () => {
      expect(ids(store.loadHeld("player:ana"))).toEqual(["player:ana", "ring"]);
      expect(store.loadHeld("player:nobody")).toEqual([]);
    });

    it("things move in and out of the world with their holder", () => {
      store.moveThing("bag", "square", 10);
      expect(ids(store.loadWorldThings())).toEqual(["square", "lantern", "chest", "rope", "coin", "purse", "bag"]);
      expect(store.loadHeld("player:bob")).toEqual([]);
      store.moveThing("chest", "player:ana", 11);
      expect(ids(store.loadHeld("player:ana"))).toEqual(["rope", "player:ana", "ring", "chest"]);
    });

    it("only the lowercase player: prefix marks a character (GLOB, not LIKE)", () => {
      store.saveThing(thing("Player:statue", "square"), 12);
      expect(ids(store.loadWorldThings())).toContain("Player:statue");
    });

    it("a location cycle in hand-edited rows ends the recursion", () => {
      store.saveThing(thing("loop-a", "loop-b"), 13);
      store.saveThing(thing("loop-b", "loop-a"), 14);
      expect(ids(store.loadHeld("loop-a"))).toEqual(["loop-a", "loop-b"]);
    });
  });
});

describe("things (on disk)", () => {
  let dir: string;
  let store: SqliteStore;
  let raw: Database.Database;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-things-"));
    store = openSqliteStore({ dataDir: dir });
    raw = new Database(path.join(dir, "loom.db"));
  });
  afterEach(() => {
    raw.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a row holds id and location as columns and the rest as JSON", () => {
    const num = store.saveThing(thing("lantern", "square"), 4);
    expect(raw.prepare("SELECT num, id, location, seq, record, seed FROM things").all()).toEqual([
      {
        num,
        id: "lantern",
        location: "square",
        seq: 4,
        record: JSON.stringify({ name: "a lantern", keywords: ["lantern"], description: "A plain lantern.", facets: { portable: true } }),
        seed: null,
      },
    ]);
  });

  it("survives close and reopen, numbers included", () => {
    const num = store.saveThing(thing("lantern", "square"), 4);
    store.close();
    store = openSqliteStore({ dataDir: dir });
    expect(store.loadWorldThings()).toEqual([{ record: thing("lantern", "square"), seq: 4, num }]);
  });

  it("a row whose record is not a JSON object throws invalid-record naming it", () => {
    store.saveThing(thing("lantern", "square"), 1);
    store.saveThing(thing("coin", "player:bob"), 2);
    raw.prepare("UPDATE things SET record = '{not json' WHERE id = 'lantern'").run();
    expect(storeError(() => store.loadWorldThings(), "invalid-record").message).toContain('"lantern"');
    raw.prepare("UPDATE things SET record = '[1]' WHERE id = 'coin'").run();
    expect(storeError(() => store.loadHeld("player:bob"), "invalid-record").message).toContain('"coin"');
  });
});
