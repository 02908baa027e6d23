/**
 * The store as the live world (docs/world.md, "Persistence"): every thing loaded from the
 * store at boot, each change saved before anyone is told of it. Players' characters and what
 * they carry are loaded at login and put away at logout, so a world with a hundred thousand
 * accounts holds only the people playing.
 */
import type { Logger } from "pino";
import type { Store, StoredThing } from "../../store/store.js";
import { detach, place } from "./containment.js";
import { Thing } from "./thing.js";
import type { ThingRecord } from "./thing-record.js";

/** The id of a player's character. */
export function characterId(playerKey: string): string {
  return `player:${playerKey}`;
}

/** Every loaded thing, by id, and the operations that change them, each saved first. */
export class LiveWorld {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #things = new Map<string, Thing>();
  /** The ids the world files define: destroying one of these leaves a tombstone (see {@link remove}). */
  readonly #authored: ReadonlySet<string>;
  #seq: number;

  private constructor(store: Store, log: Logger, authored: ReadonlySet<string>) {
    this.#store = store;
    this.#log = log;
    this.#authored = authored;
    this.#seq = store.maxSeq();
  }

  /**
   * Seeds the store from the world files' records (the seeding rule: new things are added,
   * changed ones merged, what changed in play kept) and loads the world from it.
   */
  static open(store: Store, records: readonly ThingRecord[], log: Logger): LiveWorld {
    const report = store.seedWorld(records, store.maxSeq() + 1);
    const counts = {
      inserted: report.inserted.length,
      updated: report.updated.length,
      conflicts: report.conflicts.length,
      orphaned: report.orphaned.length,
    };
    if (counts.inserted + counts.updated + counts.conflicts + counts.orphaned > 0) log.info(counts, "world files seeded into the store");
    if (counts.conflicts > 0) log.warn({ ids: report.conflicts.slice(0, 20) }, "world-file ids already used by things made in play; kept the game's");
    const world = new LiveWorld(store, log, new Set(records.map((record) => record.id)));
    world.#adopt(store.loadWorldThings());
    return world;
  }

  /** The thing with this id, if loaded. */
  get(id: string): Thing | undefined {
    return this.#things.get(id);
  }

  /** Every loaded thing. */
  all(): IterableIterator<Thing> {
    return this.#things.values();
  }

  /** Moves `thing` into `into`: saved, then done. Its contents go with it. */
  move(thing: Thing, into: Thing): void {
    const seq = ++this.#seq;
    this.#store.moveThing(thing.id, into.id, seq);
    thing.seq = seq;
    place(thing, into);
  }

  /** Saves a thing's changed record (a door opened, pronouns chosen). A door is saved on both sides. */
  save(thing: Thing): void {
    const twin = thing.exit?.twin !== undefined ? this.#things.get(thing.exit.twin) : undefined;
    this.#store.transaction(() => {
      thing.num = this.#store.saveThing(thing.toRecord(), thing.seq);
      if (twin !== undefined && twin.exit?.door === thing.exit?.door) twin.num = this.#store.saveThing(twin.toRecord(), twin.seq);
    });
  }

  /**
   * Saves several changed things in one transaction (a door put on both its sides, a lid and
   * its key). As with {@link save}, an exit's door is saved on both sides.
   */
  saveAll(things: Iterable<Thing>): void {
    const all = new Set<Thing>();
    for (const thing of things) {
      all.add(thing);
      const twin = thing.exit?.twin !== undefined ? this.#things.get(thing.exit.twin) : undefined;
      if (twin !== undefined && twin.exit?.door === thing.exit?.door) all.add(twin);
    }
    this.#store.transaction(() => {
      for (const thing of all) thing.num = this.#store.saveThing(thing.toRecord(), thing.seq);
    });
  }

  /**
   * Takes `thing` out of the world for good (a builder's `destroy` or `unlink`): saved, then
   * gone from containment and from memory. It must hold nothing (move its contents out first).
   * A thing the world files define leaves a tombstone row ({@link ThingRecord.destroyed}) so
   * that the next boot's seeding does not add it again; a thing made in play is deleted.
   */
  remove(thing: Thing): void {
    if (thing.contents.size > 0) throw new Error(`cannot remove ${thing.id}: it still holds things`);
    if (this.#authored.has(thing.id)) {
      const tombstone: ThingRecord = { ...thing.toRecord(), location: null, destroyed: true };
      this.#store.saveThing(tombstone, ++this.#seq);
    } else {
      this.#store.deleteThing(thing.id);
    }
    detach(thing);
    this.#things.delete(thing.id);
  }

  /**
   * Whether `id` is taken: by a loaded thing, or by a row the world has not loaded (a thing a
   * player who is offline carries, a tombstone). The store is asked only for ids not in memory,
   * and then reads that one thing and what it holds.
   */
  has(id: string): boolean {
    return this.#things.has(id) || this.#store.loadHeld(id).length > 0;
  }

  /** `base` if no thing has that id yet, else the first of `base-2`, `base-3`… that is free. */
  freeId(base: string): string {
    if (!this.has(base)) return base;
    for (let n = 2; ; n++) {
      const id = `${base}-${n}`;
      if (!this.has(id)) return id;
    }
  }

  /** Makes a new thing from `record` inside `into`, or nowhere for `null` (a respawn waiting): saved, then placed. */
  create(record: Omit<ThingRecord, "location">, into: Thing | null): Thing {
    const full: ThingRecord = { ...record, location: into?.id ?? null };
    const thing = Thing.fromRecord(full);
    thing.seq = ++this.#seq;
    thing.num = this.#store.saveThing(full, thing.seq);
    this.#things.set(thing.id, thing);
    if (into !== null) place(thing, into);
    return thing;
  }

  /** A fresh id for a copy of `template`, never used before (a respawn): `<template>~<n>`. */
  copyId(template: string): string {
    let id: string;
    do id = `${template}~${++this.#seq}`;
    while (this.#things.has(id));
    return id;
  }

  /**
   * Loads a player's character and what it carries, putting it in the room it was last in
   * (or `fallback`, for a new character or a room that is gone). Makes the character the
   * first time, from `create`.
   */
  loadCharacter(playerKey: string, create: () => ThingRecord, fallback: Thing): Thing {
    const id = characterId(playerKey);
    const loaded = this.#things.get(id);
    if (loaded !== undefined) return loaded;
    const held = this.#store.loadHeld(id);
    if (!held.some((row) => row.record.id === id)) {
      // The first login since the character was made — or since an older Loom, whose players'
      // things the seeding already moved into `player:<key>` before this row existed.
      const record = create();
      const seq = ++this.#seq;
      const num = this.#store.saveThing(record, seq);
      held.unshift({ record, seq, num });
    }
    const character = this.#adopt(held, fallback).get(id);
    if (character === undefined) throw new Error(`character ${id} did not load`);
    if (character.location === null || character.location.room === undefined) place(character, fallback);
    return character;
  }

  /** Puts a departing character and everything it holds away: out of the room and out of memory. */
  unloadCharacter(character: Thing): void {
    detach(character);
    const forget = (thing: Thing): void => {
      this.#things.delete(thing.id);
      for (const inner of thing.contents) forget(inner);
    };
    forget(character);
  }

  /**
   * Builds live things from stored rows and places each in its location, in seq order (so
   * contents keep their order). A location that is not loaded puts the thing in `fallback`, or
   * leaves it nowhere (and unreachable) when there is none.
   */
  #adopt(rows: readonly StoredThing[], fallback?: Thing): Map<string, Thing> {
    const made = new Map<string, Thing>();
    for (const { record, num, seq } of rows) {
      // A destroyed world-file thing's tombstone: it stays in the store only to stay destroyed.
      if (record.destroyed === true) continue;
      let thing: Thing;
      try {
        const twinId = record.facets.exit?.twin;
        const twin = twinId !== undefined ? (made.get(twinId) ?? this.#things.get(twinId)) : undefined;
        thing = Thing.fromRecord(record, twin?.exit?.door);
      } catch (err) {
        // A row the store holds but this build cannot read (edited by hand, say): the rest of
        // the world still loads, and the row stays in the store untouched.
        this.#log.error({ err, thing: record.id }, "a stored thing could not be loaded; left out");
        continue;
      }
      thing.num = num;
      thing.seq = seq;
      this.#things.set(thing.id, thing);
      made.set(thing.id, thing);
    }
    for (const { record } of rows) {
      const thing = made.get(record.id);
      if (thing === undefined || record.location === null) continue;
      const into = this.#things.get(record.location) ?? fallback;
      if (into !== undefined) place(thing, into);
    }
    return made;
  }
}
