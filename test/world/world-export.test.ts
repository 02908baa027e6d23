/**
 * World export (src/world/world-export.ts, issue 7): the live world in the store back to world
 * files that loadWorld reads, and the round trip the issue demands: an export of a freshly
 * seeded world, imported into an empty database and exported again, gives the same bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { findProjectRoot } from "../../src/config/project-root.js";
import { openMemoryStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import { parseNounPhrase } from "../../src/world/language/noun-phrase.js";
import type { ThingRecord } from "../../src/world/model/thing-record.js";
import { exportWorld, type WorldExport } from "../../src/world/world-export.js";
import { EXPORT_LINE_WIDTH } from "../../src/world/world-export-yaml.js";
import { loadWorld } from "../../src/world/world-file.js";
import type { WorldDefinition } from "../../src/world/world-schema.js";

const shippedWorldDir = join(findProjectRoot(), "config", "world");
const stores: SqliteStore[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An empty in-memory database with `world` seeded into it, as the server's first boot does. */
function seeded(world: WorldDefinition): SqliteStore {
  const store = openMemoryStore();
  stores.push(store);
  store.seedWorld(world.records, store.maxSeq() + 1);
  return store;
}

function exportOf(store: SqliteStore, start = "square"): WorldExport {
  return exportWorld(store.loadWorldThings(), { start });
}

/** Writes the export's files to a fresh directory and returns it. */
function written(exported: WorldExport): string {
  const dir = mkdtempSync(join(tmpdir(), "loom-export-"));
  dirs.push(dir);
  for (const file of exported.files) writeFileSync(join(dir, file.name), file.text);
  return dir;
}

/** The export's files as name -> text. */
function texts(exported: WorldExport): Record<string, string> {
  return Object.fromEntries(exported.files.map((file) => [file.name, file.text]));
}

/** One file of an export, parsed. */
function parsed(exported: WorldExport, name: string): Record<string, Record<string, Record<string, unknown>>> {
  const file = exported.files.find((f) => f.name === name);
  if (file === undefined) throw new Error(`no file ${name} in ${exported.files.map((f) => f.name).join(", ")}`);
  return parse(file.text) as Record<string, Record<string, Record<string, unknown>>>;
}

/** What a record means in play, so that two spellings of one world compare equal (a plural the rule makes anyway). */
function meaning(record: ThingRecord): unknown {
  const { plural, ...rest } = record;
  return { ...rest, plural: parseNounPhrase(record.name, plural).plural };
}

function byId(records: readonly ThingRecord[]): Map<string, unknown> {
  return new Map(records.map((record) => [record.id, meaning(record)]));
}

function thingRecord(id: string, location: string | null, fields: Partial<ThingRecord> = {}): ThingRecord {
  return { id, location, name: "a glass bead", keywords: ["glass", "bead"], description: "Green glass.", facets: { portable: true }, ...fields };
}

describe("an export of the starter world", () => {
  const world = loadWorld(shippedWorldDir);

  it("imported into an empty database and exported again, gives byte-identical files", () => {
    const first = exportOf(seeded(world));
    const again = exportOf(seeded(loadWorld(written(first))));
    expect(again.files.map((f) => f.name)).toEqual(first.files.map((f) => f.name));
    expect(texts(again)).toEqual(texts(first));
  });

  it("says the same world as config/world/: every record reads back as it was seeded", () => {
    const reread = loadWorld(written(exportOf(seeded(world))));
    expect(reread.start).toBe(world.start);
    expect(byId(reread.records)).toEqual(byId(world.records));
  });

  it("is one file per area, named by the area's slug, with the start in the start room's file only", () => {
    const exported = exportOf(seeded(world));
    expect(exported.files.map((f) => [f.name, f.area])).toEqual([
      ["shuttleford.yaml", "Shuttleford"],
      ["the-meadows.yaml", "The Meadows"],
      ["the-river.yaml", "The River"],
    ]);
    expect(exported.files.map((f) => parsed(exported, f.name)["start"] ?? null)).toEqual(["square", null, null]);
    // The south gate is in outskirts.yaml, but its area is Shuttleford.
    expect(Object.keys(parsed(exported, "shuttleford.yaml")["rooms"] ?? {})).toContain("gate");
    expect(exported.leftOut).toEqual([]);
    expect(exported.changed).toEqual([]);
    expect(exported.renamed.size).toBe(0);
  });

  it("writes rooms, things and characters by seq, exits under their rooms, defaults left out", () => {
    const exported = exportOf(seeded(world));
    const town = parsed(exported, "shuttleford.yaml");
    // Seeded file by file (inn.yaml, outskirts.yaml, town.yaml), so the inn comes first.
    expect(Object.keys(town["rooms"] ?? {})).toEqual(["inn", "upstairs", "gate", "square", "market", "garden", "library", "dyeworks"]);
    expect(town["rooms"]?.["square"]?.["exits"]).toEqual({ north: "market", east: "inn", in: "inn", west: "library", south: "gate" });
    expect(town["things"]?.["coin"]).toEqual({
      name: "a copper coin",
      description: "Worn thin, with the old king's head on one side and a fleece on the other.",
      location: "chest",
      count: 2,
    });
    expect(town["things"]?.["chest"]?.["container"]).toEqual({ closable: true, closed: true });
    expect(town["things"]?.["basket"]?.["container"]).toBe(true);
    expect(town["things"]?.["fountain"]?.["portable"]).toBe(false);
    expect(town["things"]?.["apple"]?.["behaviours"]).toEqual({ respawn: { afterSeconds: 120 } });
    // greet's delaySeconds is at its default (1), so it is left out.
    expect(town["characters"]?.["marta"]).toMatchObject({ pronouns: "she", behaviours: { greet: { say: expect.stringContaining("{name}") } } });
    expect(town["characters"]?.["marta"]?.["behaviours"]).toEqual({ greet: { say: "Welcome to the Drowsy Shuttle, {name}! Sit by the fire and warm yourself." } });
  });

  it("declares the sluice door once, on the mill's side, as it is now; the way back is short", () => {
    const river = parsed(exportOf(seeded(world)), "the-river.yaml");
    const exits = river["rooms"]?.["mill"]?.["exits"] as Record<string, unknown>;
    expect(exits).toMatchObject({ east: "riverbank", out: "riverbank", west: { to: "race" } });
    const west = exits["west"] as Record<string, unknown>;
    // Folded (>), so it reads back with the newline the loader trims.
    expect(west["description"]).toBe("A low door of black oak, swollen with damp, with a keyhole big enough for a thumb.\n");
    expect(west["door"]).toEqual({ name: "a low sluice door", keywords: ["door", "sluice"], locked: true, key: "key" });
    expect(river["rooms"]?.["race"]?.["exits"]).toEqual({ east: "mill" });
  });

  it("folds long descriptions (>) and keeps short ones on their line", () => {
    const text = exportOf(seeded(world)).files.find((f) => f.name === "shuttleford.yaml")?.text ?? "";
    expect(text).toContain("    description: >\n      The common room of the inn is low and warm");
    expect(text).toContain("    description: Dented, much loved, and smelling faintly of cider.\n");
    // Folded prose stays within the line width (a long flow mapping may not: yaml does not break it).
    let folded = false;
    for (const line of text.split("\n")) {
      if (folded && !line.startsWith("      ")) folded = false;
      if (folded) expect(line.length, line).toBeLessThanOrEqual(EXPORT_LINE_WIDTH);
      if (line.endsWith("description: >")) folded = true;
    }
  });
});

describe("an export of a world changed in play", () => {
  const world = loadWorld(shippedWorldDir);

  /** The starter world after some play, written to the store the way the live world writes it. */
  function played(): SqliteStore {
    const store = seeded(world);
    const records = new Map(store.loadWorldThings().map((row) => [row.record.id, row]));
    const next = (): number => store.maxSeq() + 1;
    // Alice took the iron key, unlocked the sluice door and opened it; both sides are saved.
    store.saveThing({ id: "player:alice", location: "mill", name: "Alice", keywords: ["alice"], description: "", facets: { character: { pronouns: "she", player: "alice" } } }, next());
    store.moveThing("key", "player:alice", next());
    for (const id of ["mill/west", "race/east"]) {
      const row = records.get(id);
      const exit = row?.record.facets.exit;
      if (row === undefined || exit?.door === undefined) throw new Error(`no door on ${id}`);
      store.saveThing({ ...row.record, facets: { ...row.record.facets, exit: { ...exit, door: { ...exit.door, open: true, locked: false } } } }, row.seq);
    }
    // The wooden shuttle went from the mill into the wicker basket in the garden.
    store.moveThing("shuttle", "basket", next());
    // She carries the second copper coin; one sprig of lavender lies in the market.
    store.moveThing("coin#2", "player:alice", next());
    store.moveThing("lavender#2", "market", next());
    // A builder made a bead in the inn; the apple was taken, and its respawn now lies at home...
    store.saveThing(thingRecord("bead", "inn"), next());
    const apple = records.get("apple")?.record;
    if (apple === undefined) throw new Error("no apple");
    store.moveThing("apple", "player:alice", next());
    store.saveThing({ ...apple, id: "apple~57", template: "apple", behaviourState: { respawn: { home: "market" } } }, next());
    // ...and one more waits to appear, nowhere yet.
    store.saveThing({ ...apple, id: "apple~58", location: null, template: "apple", behaviourState: { respawn: { home: "market", dueAt: 1 } } }, next());
    return store;
  }

  it("writes what changed: the door open, the shuttle in the basket, the bead, the respawned apple", () => {
    const exported = exportOf(played());
    const town = parsed(exported, "shuttleford.yaml");
    const river = parsed(exported, "the-river.yaml");
    const door = (river["rooms"]?.["mill"]?.["exits"] as Record<string, { door?: unknown }>)["west"]?.door;
    // Open, and with no lock: its key is in Alice's pocket, which the world files cannot name.
    expect(door).toEqual({ name: "a low sluice door", keywords: ["door", "sluice"], closed: false });
    expect(exported.changed).toEqual([
      { id: "mill/west", why: "its door's key key is not in the world (a player may carry it): written with no lock" },
    ]);
    expect(river["rooms"]?.["race"]?.["exits"]).toEqual({ east: "mill" });
    // The shuttle now lies in the garden's basket, so it moved into the Shuttleford file.
    expect(river["things"]?.["shuttle"]).toBeUndefined();
    expect(town["things"]?.["shuttle"]?.["location"]).toBe("basket");
    expect(town["things"]?.["bead"]).toEqual({ name: "a glass bead", description: "Green glass.", location: "inn" });
    expect(town["things"]?.["apple-57"]).toMatchObject({ name: "a red apple", location: "market", behaviours: { respawn: { afterSeconds: 120 } } });
    expect(town["things"]?.["apple"]).toBeUndefined();
    expect(exported.renamed).toEqual(new Map([["apple~57", "apple-57"], ["lavender#2", "lavender-2"], ["lavender#3", "lavender-3"]]));
  });

  it("leaves out players' things and a respawn waiting nowhere, and folds only unbroken counts", () => {
    const exported = exportOf(played());
    const town = parsed(exported, "shuttleford.yaml");
    expect(exported.leftOut).toEqual([{ id: "apple~58", why: "it is a respawn waiting to appear (nowhere yet)" }]);
    for (const id of ["key", "coin-2", "player-alice", "alice"]) expect(town["things"]?.[id]).toBeUndefined();
    // coin#2 is carried: the coin is one. lavender#2 is in the market: the run breaks there.
    expect(town["things"]?.["coin"]?.["count"]).toBeUndefined();
    expect(town["things"]?.["lavender"]?.["count"]).toBeUndefined();
    expect(town["things"]?.["lavender-2"]?.["location"]).toBe("market");
    expect(town["things"]?.["lavender-3"]?.["location"]).toBe("basket");
  });

  it("round-trips too: imported into an empty database and exported again, the same bytes", () => {
    const first = exportOf(played());
    const again = exportOf(seeded(loadWorld(written(first))));
    expect(texts(again)).toEqual(texts(first));
  });

  it("a door opened and a chest closed and locked read back as they are", () => {
    const store = seeded(world);
    const chest = store.loadWorldThings().find((row) => row.record.id === "chest");
    if (chest === undefined) throw new Error("no chest");
    store.saveThing({ ...chest.record, facets: { ...chest.record.facets, container: { closure: { open: false, locked: true, key: "trowel" } } } }, chest.seq);
    const exported = exportOf(store);
    expect(parsed(exported, "shuttleford.yaml")["things"]?.["chest"]?.["container"]).toEqual({ closable: true, closed: true, locked: true, key: "trowel" });
    const reread = loadWorld(written(exported)).records.find((r) => r.id === "chest");
    expect(reread?.facets.container).toEqual({ closure: { open: false, locked: true, key: "trowel" } });
  });
});

describe("ids and places the files cannot say as they are", () => {
  const world = loadWorld(shippedWorldDir);

  it("makes invalid ids valid and unique: a copy's id beside a thing already called that", () => {
    const store = seeded(world);
    store.saveThing(thingRecord("bead-2", "inn"), store.maxSeq() + 1);
    store.saveThing(thingRecord("bead#2", "inn", { template: "bead" }), store.maxSeq() + 1);
    store.saveThing(thingRecord("Bead Three!", "inn"), store.maxSeq() + 1);
    const exported = exportOf(store);
    expect(exported.renamed).toEqual(new Map([["bead#2", "bead-2-2"], ["Bead Three!", "bead-three"]]));
    const things = parsed(exported, "shuttleford.yaml")["things"] ?? {};
    expect(Object.keys(things).filter((id) => id.startsWith("bead"))).toEqual(["bead-2", "bead-2-2", "bead-three"]);
    expect(() => loadWorld(written(exported))).not.toThrow();
  });

  it("renames what lies inside a renamed thing along with it", () => {
    const store = seeded(world);
    store.saveThing(thingRecord("box~9", "inn", { name: "a box", keywords: ["box"], facets: { portable: true, container: {} } }), store.maxSeq() + 1);
    store.saveThing(thingRecord("bead", "box~9"), store.maxSeq() + 1);
    const things = parsed(exportOf(store), "shuttleford.yaml")["things"] ?? {};
    expect(things["box-9"]?.["container"]).toBe(true);
    expect(things["bead"]?.["location"]).toBe("box-9");
  });

  it("writes a thing inside something that is no container at that thing's room, and says so", () => {
    const store = seeded(world);
    store.saveThing(thingRecord("bead", "mug"), store.maxSeq() + 1);
    const exported = exportOf(store);
    expect(parsed(exported, "shuttleford.yaml")["things"]?.["bead"]?.["location"]).toBe("inn");
    expect(exported.changed).toEqual([
      { id: "bead", why: "it is in mug, which the files cannot name as its place (it is not a container); written in inn" },
    ]);
  });

  it("leaves out a thing whose record cannot be read, and one inside itself", () => {
    const store = seeded(world);
    store.saveThing({ id: "broken", location: "inn" } as unknown as ThingRecord, store.maxSeq() + 1);
    store.saveThing(thingRecord("a", "b", { facets: { container: {} } }), store.maxSeq() + 1);
    store.saveThing(thingRecord("b", "a", { facets: { container: {} } }), store.maxSeq() + 1);
    const exported = exportOf(store);
    expect(exported.leftOut).toEqual([
      { id: "broken", why: "its stored record cannot be read" },
      { id: "a", why: "it is inside itself (b in a in b)" },
      { id: "b", why: "it is inside itself (a in b in a)" },
    ]);
    expect(() => loadWorld(written(exported))).not.toThrow();
  });

  it("leaves out, without a word, the tombstones of things and exits a builder destroyed", () => {
    const store = seeded(world);
    const rows = new Map(store.loadWorldThings().map((row) => [row.record.id, row]));
    for (const id of ["mug", "library/north"]) {
      const row = rows.get(id);
      if (row === undefined) throw new Error(`no ${id}`);
      store.saveThing({ ...row.record, location: null, destroyed: true }, store.maxSeq() + 1);
    }
    const exported = exportOf(store);
    const town = parsed(exported, "shuttleford.yaml");
    expect(town["things"]?.["mug"]).toBeUndefined();
    expect(town["rooms"]?.["library"]?.["exits"]).toEqual({ east: "square", out: "square" });
    expect(exported.leftOut).toEqual([]);
    expect(exported.changed).toEqual([]);
  });

  it("gives no start when the start room is not in the store", () => {
    expect(exportOf(seeded(world), "nowhere").start).toBeUndefined();
  });

  it("names an area's file by its slug, accents and punctuation dropped", () => {
    const store = openMemoryStore();
    stores.push(store);
    store.saveThing({ id: "hall", location: null, name: "The Hall", keywords: ["hall"], description: "Echoes.", facets: { room: { area: "Château d'Ÿ!" } } }, 1);
    expect(exportOf(store, "hall").files.map((f) => f.name)).toEqual(["chateau-d-y.yaml"]);
  });
});

describe("descriptions and names", () => {
  /** Printable text with what YAML treats specially: quotes, colons, hashes, indicators, spaces, line breaks. */
  const awkward = fc.string({
    unit: fc.constantFrom(..."ab cd\n:#'\"-{}[]>|!&*%@,?`é—…\\", "  ", "\n  ", "- ", ": ", " #"),
    minLength: 1,
    maxLength: 300,
  });

  it("read back exactly as the loader keeps them (trimmed), whatever they contain", () => {
    fc.assert(
      fc.property(awkward, awkward, (description, exitText) => {
        fc.pre(description.trim() !== "" && exitText.trim() !== "");
        const store = openMemoryStore();
        try {
          store.saveThing({ id: "hall", location: null, name: "The Hall", keywords: ["hall"], description, facets: { room: { area: "Here" } } }, 1);
          store.saveThing({ id: "yard", location: null, name: "The Yard", keywords: ["yard"], description: "Mud.", facets: { room: { area: "Here" } } }, 2);
          store.saveThing({ id: "hall/out", location: "hall", name: "out", keywords: ["out"], description: exitText, facets: { exit: { direction: "out", to: "yard" } } }, 3);
          store.saveThing(thingRecord("bead", "hall", { description }), 4);
          const reread = loadWorld(written(exportOf(store, "hall"))).records;
          expect(reread.find((r) => r.id === "hall")?.description).toBe(description.trim());
          expect(reread.find((r) => r.id === "hall/out")?.description).toBe(exitText.trim());
          expect(reread.find((r) => r.id === "bead")?.description).toBe(description.trim());
        } finally {
          store.close();
        }
      }),
      { numRuns: 100 },
    );
  });

  it("a line of nothing but spaces is not folded: yaml wrote it back as an extra empty line", () => {
    const store = openMemoryStore();
    stores.push(store);
    const description = "a\n  \n  \na";
    store.saveThing({ id: "hall", location: null, name: "The Hall", keywords: ["hall"], description, facets: { room: { area: "Here" } } }, 1);
    expect(loadWorld(written(exportOf(store, "hall"))).records[0]?.description).toBe(description);
  });

  it("names that look like other YAML (true, 12, null, a: b) stay text", () => {
    const store = openMemoryStore();
    stores.push(store);
    store.saveThing({ id: "hall", location: null, name: "true", keywords: ["true"], description: "null", facets: { room: { area: "12" } } }, 1);
    store.saveThing(thingRecord("bead", "hall", { name: "a bead: yes", plural: "#beads" }), 2);
    const exported = exportOf(store, "hall");
    const reread = loadWorld(written(exported)).records;
    expect(reread.find((r) => r.id === "hall")).toMatchObject({ name: "true", description: "null", facets: { room: { area: "12" } } });
    expect(reread.find((r) => r.id === "bead")).toMatchObject({ name: "a bead: yes", plural: "#beads" });
  });
});
