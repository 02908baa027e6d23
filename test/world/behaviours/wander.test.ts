/**
 * `wander` (src/world/behaviours/wander.ts) on the fake clock: the Testshire cat starts in the
 * vault, behind the locked iron door, and walks every 15 to 45 s (`everySeconds: 30`). It is
 * narrated on both sides of each step, stopped by closed doors, kept within its area (the
 * garden off the yard is area Elsewhere), and its place is saved with every step.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Thing } from "../../../src/world/model/thing.js";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";

let tw: TestWorld | undefined;

afterEach(() => {
  tw?.close();
  tw = undefined;
});

/** Where the store says `id` is. */
function storedLocation(t: TestWorld, id: string): string | null | undefined {
  return t.store.loadWorldThings().find((s) => s.record.id === id)?.record.location;
}

/** Fetches the brass key from the yard and unlocks and opens the iron door, leaving `player` in the hall. */
function openIronDoor(t: TestWorld, player: TestPlayer): void {
  t.run(player, "north");
  t.run(player, "get key");
  t.run(player, "south");
  expect(t.run(player, "unlock iron door")[player.name]).toEqual(["You unlock the iron door with a brass key."]);
  expect(t.run(player, "open iron door")[player.name]).toEqual(["You open the iron door."]);
}

describe("wander", () => {
  it("never walks through a closed door", async () => {
    tw = makeTestWorld();
    const t = tw;
    const alice = await t.join("Alice");
    const cat = t.world.thing("cat")!;
    // Twenty steps' worth of time: the vault's only way out is the locked iron door.
    expect(t.advance(20 * 45_000)).toEqual({ Alice: [] });
    expect(cat.location?.id).toBe("vault");
    // Unlocked but still closed is still shut.
    t.run(alice, "north");
    t.run(alice, "get key");
    t.run(alice, "south");
    t.run(alice, "unlock iron door");
    expect(t.advance(20 * 45_000)).toEqual({ Alice: [] });
    expect(cat.location?.id).toBe("vault");
  });

  it("is narrated on both sides of the door it walks through", async () => {
    tw = makeTestWorld();
    const t = tw;
    const alice = await t.join("Alice");
    const bob = await t.join("Bob");
    openIronDoor(t, alice);
    t.run(alice, "east");
    // random() = 0: every wait is half the mean, and the first open way is taken.
    expect(t.advance(14_999)).toEqual({ Alice: [], Bob: [] });
    expect(t.advance(1)).toEqual({ Alice: ["A grey cat pads off west."], Bob: ["A grey cat pads in from the east."] });
    expect(t.world.thing("cat")!.location?.id).toBe("hall");
    // Then north, out of the hall, into the yard.
    expect(t.advance(15_000)).toEqual({ Alice: [], Bob: ["A grey cat pads off north."] });
    expect(t.world.thing("cat")!.location?.id).toBe("yard");
  });

  it("never walks into a room of another area", async () => {
    // 0.99 picks the last open way: from the yard that would be the garden (area Elsewhere).
    tw = makeTestWorld({ random: () => 0.99 });
    const t = tw;
    const cat = t.world.thing("cat")!;
    const yard = t.world.thing("yard")!;
    expect(t.world.thing("garden")!.room?.area).toBe("Elsewhere");
    t.world.move(cat, yard);
    const visited: string[] = [];
    for (let i = 0; i < 20; i++) {
      t.advance(45_000);
      visited.push(cat.location!.id);
    }
    expect(visited).not.toContain("garden");
    expect(new Set(visited)).toEqual(new Set(["hall", "yard"]));
  });

  it("saves its place with every step", async () => {
    tw = makeTestWorld({ random: seeded(7) });
    const t = tw;
    const cat: Thing = t.world.thing("cat")!;
    t.world.move(cat, t.world.thing("yard")!);
    const alice = await t.join("Alice");
    openIronDoor(t, alice);
    let steps = 0;
    let last = cat.location;
    for (let i = 0; i < 40; i++) {
      t.advance(5_000);
      if (cat.location !== last) steps++;
      last = cat.location;
      expect(storedLocation(t, "cat")).toBe(cat.location!.id);
    }
    expect(steps).toBeGreaterThan(3);
  });
});

/** A small deterministic generator in [0, 1) (mulberry32), for walks that take varied ways. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}
