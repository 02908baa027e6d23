/**
 * What the model gained for builders (src/world/model/live-world.ts, thing.ts): removing a
 * thing for good (a tombstone for a world-file thing, a deleted row for one made in play),
 * free ids across the loaded world and the store, saving a door's two sides together, and a
 * thing's rename.
 */
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openMemoryStore, type SqliteStore } from "../../../src/store/sqlite-store.js";
import { LiveWorld } from "../../../src/world/model/live-world.js";
import { definitionOf, TESTSHIRE } from "../../support/transcript.js";

const log = pino({ level: "silent" });
let store: SqliteStore;
afterEach(() => store.close());

function open(): LiveWorld {
  return LiveWorld.open(store, definitionOf(TESTSHIRE).records, log);
}

describe("LiveWorld.remove", () => {
  it("a world-file thing leaves a tombstone, which the next open neither loads nor seeds again", () => {
    store = openMemoryStore();
    const live = open();
    const fountain = live.get("fountain")!;
    const hall = live.get("hall")!;
    live.remove(fountain);
    expect(live.get("fountain")).toBeUndefined();
    expect(fountain.location).toBeNull();
    expect([...hall.contents]).not.toContain(fountain);
    expect(store.loadWorldThings().find((t) => t.record.id === "fountain")?.record).toMatchObject({ location: null, destroyed: true });
    const again = open();
    expect(again.get("fountain")).toBeUndefined();
    expect(again.has("fountain")).toBe(true);
  });

  it("a thing made in play is deleted", () => {
    store = openMemoryStore();
    const live = open();
    const vase = live.create({ id: "vase", name: "a vase", keywords: ["vase"], description: "Blue.", facets: { portable: true } }, live.get("hall")!);
    live.remove(vase);
    expect(store.loadHeld("vase")).toEqual([]);
    expect(live.has("vase")).toBe(false);
  });

  it("refuses a thing that still holds things", () => {
    store = openMemoryStore();
    const live = open();
    expect(() => live.remove(live.get("chest")!)).toThrow(/still holds things/);
  });
});

describe("LiveWorld.has and freeId", () => {
  it("counts loaded things, and rows not loaded (what an offline player carries)", () => {
    store = openMemoryStore();
    store.saveThing({ id: "lamp", location: "player:zed", name: "a lamp", keywords: ["lamp"], description: "Lit.", facets: { portable: true } }, 1);
    const live = open();
    expect(live.get("lamp")).toBeUndefined();
    expect(live.has("lamp")).toBe(true);
    expect(live.has("hall")).toBe(true);
    expect(live.has("lantern")).toBe(false);
    expect(live.freeId("lantern")).toBe("lantern");
    expect(live.freeId("lamp")).toBe("lamp-2");
    expect(live.freeId("hall")).toBe("hall-2");
  });
});

describe("LiveWorld.saveAll", () => {
  it("saves a door's two sides together, in one transaction", () => {
    store = openMemoryStore();
    const live = open();
    const door = live.get("hall/east")!.exit!.door!;
    door.locked = false;
    live.saveAll([live.get("hall/east")!]);
    const rows = store.loadWorldThings().filter((t) => t.record.id === "hall/east" || t.record.id === "vault/west");
    expect(rows.map((t) => t.record.facets.exit?.door?.locked)).toEqual([false, false]);
  });
});

describe("Thing.rename", () => {
  it("the phrase follows; keywords follow only when they were the name's own", () => {
    store = openMemoryStore();
    const live = open();
    const fountain = live.get("fountain")!;
    expect(fountain.keywordsFollowName).toBe(true);
    expect(fountain.rename("a marble fountain")).toBe(true);
    expect(fountain.phrase).toEqual({ article: "a", singular: "marble fountain", plural: "marble fountains" });
    expect(fountain.keywords).toEqual(["marble", "fountain"]);
    const apple = live.get("red-apple")!;
    expect(apple.keywordsFollowName).toBe(false);
    expect(apple.rename("an heirloom apple")).toBe(false);
    expect(apple.keywords).toEqual(["apple", "red"]);
    expect(apple.toRecord()).toMatchObject({ name: "an heirloom apple" });
  });
});
