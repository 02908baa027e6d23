/**
 * `respawn` (src/world/behaviours/respawn.ts) on the fake clock: the yellow pear in the
 * Testshire yard grows back 60 s after it is taken. The one taken becomes an ordinary pear;
 * the copy that appears is a new thing (a new id, the same template) and is the one watched
 * from then on. A copy of a key still fits the lock its template fits.
 */
import { afterEach, describe, expect, it } from "vitest";
import { fits } from "../../../src/world/actions/closures.js";
import type { Thing } from "../../../src/world/model/thing.js";
import type { ThingRecord } from "../../../src/world/model/thing-record.js";
import type { WorldDefinition } from "../../../src/world/world-schema.js";
import { definitionOf, makeTestWorld, TESTSHIRE, type TestWorld } from "../../support/transcript.js";

let tw: TestWorld | undefined;

afterEach(() => {
  tw?.close();
  tw = undefined;
});

/** Every thing made from `template` (itself included) and where each is. */
function copiesOf(t: TestWorld, template: string): Thing[] {
  const yard = t.world.thing("yard")!;
  const hall = t.world.thing("hall")!;
  const seen = new Set<Thing>();
  const visit = (thing: Thing): void => {
    if ((thing.id === template || thing.template === template) && !seen.has(thing)) seen.add(thing);
    for (const inner of thing.contents) visit(inner);
  };
  visit(yard);
  visit(hall);
  return [...seen];
}

/** The things lying in the yard that are pears. */
function pearsInYard(t: TestWorld): Thing[] {
  return [...t.world.thing("yard")!.contents].filter((th) => th.id === "pear" || th.template === "pear");
}

describe("respawn", () => {
  it("grows a new pear in the yard once afterSeconds have passed since the taking, and not before", async () => {
    tw = makeTestWorld();
    const t = tw;
    const alice = await t.join("Alice");
    t.run(alice, "north");
    expect(t.run(alice, "get pear").Alice).toEqual(["You pick up a yellow pear."]);
    expect(pearsInYard(t)).toEqual([]);
    t.advance(59_999);
    expect(pearsInYard(t)).toEqual([]);
    t.advance(1);
    const [copy] = pearsInYard(t);
    expect(copy).toBeDefined();
    expect(copy!.id).not.toBe("pear");
    expect(copy!.template).toBe("pear");
    expect(copy!.name).toBe("a yellow pear");
    expect(t.run(alice, "look").Alice).toContain("You see a brass key and a yellow pear here.");
    // Exactly one, however long we wait.
    t.advance(10 * 60_000);
    expect(pearsInYard(t)).toHaveLength(1);
  });

  it("a pear taken and put back at once does not multiply: the copy waits until the yard has no pear", async () => {
    tw = makeTestWorld();
    const t = tw;
    const alice = await t.join("Alice");
    t.run(alice, "north");
    t.run(alice, "get pear");
    t.run(alice, "drop pear");
    // Due, but a pear lies there already: no second one, round after round.
    t.advance(60_000);
    expect(pearsInYard(t)).toHaveLength(1);
    t.advance(5 * 60_000);
    expect(pearsInYard(t)).toHaveLength(1);
    // Once the yard is bare, the waiting copy grows back within a round.
    t.run(alice, "get pear");
    expect(pearsInYard(t)).toEqual([]);
    t.advance(60_000);
    expect(pearsInYard(t)).toHaveLength(1);
    expect(pearsInYard(t)[0]!.id).not.toBe("pear");
  });

  it("the pear taken no longer respawns; the new one starts another cycle, with a new id", async () => {
    tw = makeTestWorld();
    const t = tw;
    const alice = await t.join("Alice");
    t.run(alice, "north");
    t.run(alice, "get pear");
    const first = t.world.thing("pear")!;
    expect(first.behaviours).toEqual([]);
    t.advance(60_000);
    const [second] = pearsInYard(t);
    // The first pear, put down and picked up again in the yard and out of it, makes no more copies.
    t.run(alice, "south");
    t.run(alice, "drop pear");
    t.run(alice, "get pear");
    t.run(alice, "north");
    t.run(alice, "drop pear");
    expect(pearsInYard(t)).toEqual([second, first]);
    t.run(alice, "get 2.pear");
    expect(pearsInYard(t)).toEqual([second]);
    t.advance(10 * 60_000);
    expect(copiesOf(t, "pear")).toHaveLength(2);
    // Taking the copy starts the next cycle.
    expect(t.run(alice, "get pear").Alice).toEqual(["You pick up a yellow pear."]);
    t.advance(59_999);
    expect(pearsInYard(t)).toEqual([]);
    t.advance(1);
    const [third] = pearsInYard(t);
    expect(third).toBeDefined();
    expect(new Set([first.id, second!.id, third!.id]).size).toBe(3);
    expect(third!.template).toBe("pear");
    t.advance(10 * 60_000);
    expect(copiesOf(t, "pear")).toHaveLength(3);
  });

  it("a copy of a key still fits the lock its template fits", async () => {
    tw = makeTestWorld({ definition: withRespawningKey(definitionOf(TESTSHIRE)) });
    const t = tw;
    const alice = await t.join("Alice");
    const bob = await t.join("Bob");
    t.run(alice, "north");
    t.run(alice, "get key");
    t.advance(60_000);
    const copy = [...t.world.thing("yard")!.contents].find((th) => th.template === "brass-key");
    expect(copy).toBeDefined();
    expect(copy!.id).not.toBe("brass-key");
    const door = t.world.thing("hall/east")!.exit!.door!;
    expect(fits(copy!, door)).toBe(true);
    t.run(bob, "north");
    expect(t.run(bob, "get key").Bob).toEqual(["You pick up a brass key."]);
    t.run(bob, "south");
    expect(t.run(bob, "unlock iron door").Bob).toEqual(["You unlock the iron door with a brass key."]);
    expect(t.run(bob, "open iron door").Bob).toEqual(["You open the iron door."]);
  });
});

/** Testshire with the brass key growing back in the yard a minute after it is taken. */
function withRespawningKey(definition: WorldDefinition): WorldDefinition {
  const records = definition.records.map((r): ThingRecord =>
    r.id === "brass-key" ? { ...r, facets: { ...r.facets, behaviours: [{ name: "respawn", params: { afterSeconds: 60 } }] } } : r,
  );
  return { ...definition, records };
}
