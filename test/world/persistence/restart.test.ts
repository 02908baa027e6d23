/**
 * The store is the live world (docs/world.md, "Persistence"): what changed in play survives a
 * restart. Each test plays a Testshire world on a file store, closes it, and opens a new store
 * on the same directory under a new world, as a restarted server would, then looks.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/reactor/clock.js";
import { openSqliteStore } from "../../../src/store/sqlite-store.js";
import type { Thing } from "../../../src/world/model/thing.js";
import { makeTestWorld, type TestWorld } from "../../support/transcript.js";

const worlds: TestWorld[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-persist-"));
  dirs.push(dir);
  return dir;
}

/** A world on the file store in `dataDir`; its clock (and wall clock) starts `at` ms in. */
function boot(dataDir: string, at = 0): TestWorld {
  const clock = new FakeClock();
  clock.advance(at);
  const w = makeTestWorld({ store: openSqliteStore({ dataDir }), clock });
  worlds.push(w);
  return w;
}

/** Shuts a world down and closes its store, as a stopping server does. */
function stop(w: TestWorld): void {
  worlds.splice(worlds.indexOf(w), 1);
  w.close();
}

/** Closes only the store, as `kill -9` would: no shutdown runs, and the world is left as it was. */
function abandon(w: TestWorld): void {
  worlds.splice(worlds.indexOf(w), 1);
  w.store.close();
}

/** The pears lying in the yard. */
function pearsInYard(w: TestWorld): Thing[] {
  return [...w.world.thing("yard")!.contents].filter((th) => th.id === "pear" || th.template === "pear");
}

/** How many things the store holds made from the pear (the pear itself included), in the world or carried by Alice. */
function storedPears(w: TestWorld): number {
  const rows = [...w.store.loadWorldThings(), ...w.store.loadHeld("player:alice")];
  return rows.filter((s) => s.record.id === "pear" || s.record.template === "pear").length;
}

describe("across a restart", () => {
  it("an opened door is open from both sides, and an unlocked one is still unlocked", async () => {
    const dataDir = tempDir();
    const first = boot(dataDir);
    const alice = await first.join("Alice");
    first.run(alice, "north");
    first.run(alice, "get key");
    first.run(alice, "south");
    first.run(alice, "unlock iron door");
    first.run(alice, "open iron door");
    expect(first.run(alice, "open cupboard door").Alice).toEqual(["You open the cupboard door."]);
    stop(first);

    const second = boot(dataDir);
    const hall = second.world.thing("hall/east")!.exit!.door!;
    const vault = second.world.thing("vault/west")!.exit!.door!;
    expect(hall).toBe(vault);
    expect(hall).toMatchObject({ open: true, locked: false });
    expect(second.world.thing("hall/in")!.exit!.door!.open).toBe(true);
    const back = await second.join("Alice", "line", "connect");
    expect(second.run(back, "look").Alice).toContain("Exits: north, east, in.");
    expect(second.run(back, "east").Alice?.[0]).toBe("The Vault");
    expect(second.run(back, "look west").Alice).toEqual(["The iron door is open. The way west leads to The Hall."]);
    expect(second.run(back, "west").Alice?.[0]).toBe("The Hall");
  });

  it("an unlocked door that was closed again opens without the key", async () => {
    const dataDir = tempDir();
    const first = boot(dataDir);
    const alice = await first.join("Alice");
    first.run(alice, "north");
    first.run(alice, "get key");
    first.run(alice, "south");
    first.run(alice, "unlock iron door");
    first.run(alice, "drop key");
    stop(first);

    const second = boot(dataDir);
    const bob = await second.join("Bob");
    expect(second.run(bob, "look").Bob).toContain("Exits: north, east (closed), in (closed).");
    expect(second.run(bob, "open iron door").Bob).toEqual(["You open the iron door."]);
  });

  it("the cat is where its last step took it, and walks on from there", async () => {
    const dataDir = tempDir();
    const first = boot(dataDir);
    const alice = await first.join("Alice");
    first.run(alice, "north");
    first.run(alice, "get key");
    first.run(alice, "south");
    first.run(alice, "unlock iron door");
    first.run(alice, "open iron door");
    // random() = 0: a step every 15 s, through the first open way: vault -> hall -> yard.
    first.advance(30_000);
    expect(first.world.thing("cat")!.location?.id).toBe("yard");
    stop(first);

    const second = boot(dataDir);
    const cat = second.world.thing("cat")!;
    expect(cat.location?.id).toBe("yard");
    expect([...second.world.thing("vault")!.contents]).not.toContain(cat);
    second.advance(15_000);
    expect(cat.location?.id).toBe("hall");
  });

  it("what was put in a container is still in it", async () => {
    const dataDir = tempDir();
    const first = boot(dataDir);
    const alice = await first.join("Alice");
    first.run(alice, "get red apple");
    expect(first.run(alice, "put apple in basket").Alice).toEqual(["You put a red apple in the wicker basket."]);
    first.run(alice, "get green apple");
    first.run(alice, "open chest");
    expect(first.run(alice, "put apple in chest").Alice).toEqual(["You put a green apple in the oak chest."]);
    first.run(alice, "close chest");
    stop(first);

    const second = boot(dataDir);
    const bob = await second.join("Bob");
    expect(second.run(bob, "look in basket").Bob).toEqual(["In the wicker basket you see a red apple."]);
    expect(second.run(bob, "look in chest").Bob).toEqual(["The oak chest is closed."]);
    second.run(bob, "open chest");
    expect(second.run(bob, "look in chest").Bob).toEqual(["In the oak chest you see two copper coins, a folded letter and a green apple."]);
    expect(second.run(bob, "look").Bob).toContain("You see an oak chest, a stone fountain and a wicker basket here.");
  });

  it("what a player carried is in their hands when they log back in, where they were", async () => {
    const dataDir = tempDir();
    const first = boot(dataDir);
    const alice = await first.join("Alice");
    const bob = await first.join("Bob");
    first.run(alice, "get red apple");
    first.run(alice, "north");
    first.run(alice, "get key");
    first.run(bob, "get green apple");
    first.run(bob, "open chest");
    first.run(bob, "get letter from chest");
    first.run(bob, "get basket");
    first.run(bob, "put green apple in basket");
    // Alice quits before the restart; Bob is still playing when the server stops.
    first.leave(alice, "quit");
    stop(first);

    const second = boot(dataDir);
    const carol = await second.join("Carol");
    // Nothing either carried lies anywhere in the world while they are away; the chest Bob
    // opened is still open.
    expect(second.run(carol, "look").Carol).toContain("You see an oak chest and a stone fountain here.");
    expect(second.run(carol, "look in chest").Carol).toEqual(["In the oak chest you see two copper coins."]);
    const a = await second.join("Alice", "line", "connect");
    expect(second.gateway.linesFor(a.session)).toContain("The Yard");
    expect(second.run(a, "inventory").Alice).toEqual(["You are carrying:", "  a red apple", "  a brass key"]);
    expect(second.run(a, "get key").Alice).toEqual(["You already have that."]);
    const b = await second.join("Bob", "line", "connect");
    expect(second.gateway.linesFor(b.session)).toContain("The Hall");
    expect(second.run(b, "inventory").Bob).toEqual(["You are carrying:", "  a folded letter", "  a wicker basket"]);
    // What was in what they carried is in it still.
    expect(second.run(b, "look in basket").Bob).toEqual(["In the wicker basket you see a green apple."]);
  });

  it("things stored as carried by a player whose character has no row yet are in their hands at login", async () => {
    const dataDir = tempDir();
    const first = boot(dataDir);
    const alice = await first.join("Alice");
    first.run(alice, "get red apple");
    first.leave(alice, "quit");
    stop(first);
    // The shape a store upgraded from before characters were things holds (src/store/store.ts,
    // loadHeld): what the player carried names "player:alice" as its location, and there is no
    // character row.
    const store = openSqliteStore({ dataDir });
    store.deleteThing("player:alice");
    expect(store.loadHeld("player:alice").map((s) => s.record.id)).toEqual(["red-apple"]);
    store.close();

    const second = boot(dataDir);
    const back = await second.join("Alice", "line", "connect");
    expect(second.gateway.linesFor(back.session)).toContain("The Hall");
    expect(second.run(back, "inventory").Alice).toEqual(["You are carrying:", "  a red apple"]);
  });

  it("a respawn pending at shutdown appears on time after the restart, once", async () => {
    const dataDir = tempDir();
    const first = boot(dataDir);
    first.advance(10_000);
    const alice = await first.join("Alice");
    first.run(alice, "north");
    first.run(alice, "get pear");
    // Due at 70 s; the server stops at 30 s and is back at 50 s.
    first.advance(20_000);
    stop(first);

    const second = boot(dataDir, 50_000);
    expect(pearsInYard(second)).toEqual([]);
    second.advance(19_999);
    expect(pearsInYard(second)).toEqual([]);
    second.advance(1);
    expect(pearsInYard(second)).toHaveLength(1);
    second.advance(10 * 60_000);
    expect(pearsInYard(second)).toHaveLength(1);
    // The pear Alice took, and the one that grew back: no third.
    expect(storedPears(second)).toBe(2);
    stop(second);

    // Once more: nothing is pending now, and Alice's pear, back in the world, makes none.
    const third = boot(dataDir, 2 * 60 * 60_000);
    const back = await third.join("Alice", "line", "connect");
    expect(third.run(back, "inventory").Alice).toEqual(["You are carrying:", "  a yellow pear"]);
    const hers = third.world.thing("pear")!;
    third.run(back, "drop pear");
    third.run(back, "get 2.pear");
    expect([...third.world.thing("player:alice")!.contents]).toEqual([hers]);
    third.advance(10 * 60_000);
    expect(pearsInYard(third)).toHaveLength(1);
    expect(storedPears(third)).toBe(2);
  });

  it("a respawn that fell due while the server was down appears as it starts", async () => {
    const dataDir = tempDir();
    const first = boot(dataDir);
    const alice = await first.join("Alice");
    first.run(alice, "north");
    first.run(alice, "get pear");
    stop(first);

    const second = boot(dataDir, 5 * 60_000);
    second.advance(0);
    expect(pearsInYard(second)).toHaveLength(1);
    second.advance(10 * 60_000);
    expect(pearsInYard(second)).toHaveLength(1);
  });

  it("a respawn pending when the world was abandoned without a shutdown appears once", async () => {
    const dataDir = tempDir();
    const first = boot(dataDir);
    const alice = await first.join("Alice");
    first.run(alice, "north");
    first.run(alice, "get pear");
    // As after kill -9: no shutdown ran, only what was committed remains.
    abandon(first);

    const second = boot(dataDir, 30_000);
    second.advance(29_999);
    expect(pearsInYard(second)).toEqual([]);
    second.advance(1);
    expect(pearsInYard(second)).toHaveLength(1);
    second.advance(10 * 60_000);
    expect(pearsInYard(second)).toHaveLength(1);
  });

  it("chosen pronouns are kept", async () => {
    const dataDir = tempDir();
    const first = boot(dataDir);
    const alice = await first.join("Alice");
    expect(first.run(alice, "pronouns she").Alice).toEqual(["Your pronouns are now she/her/her."]);
    first.leave(alice, "quit");
    stop(first);

    const second = boot(dataDir);
    const back = await second.join("Alice", "line", "connect");
    const bob = await second.join("Bob");
    expect(second.run(back, "pronouns").Alice).toEqual(["Your pronouns are she/her/her. Type pronouns he, she, they or it to change them."]);
    expect(second.run(bob, "look alice").Bob?.[0]).toBe("Alice (she/her)");
  });
});
