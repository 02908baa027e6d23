/**
 * Transcripts for `set <thing> <property> <value>` (src/world/actions/building-set.ts,
 * src/world/building/properties.ts): each property the model supports, its effect as players
 * meet it, and each refusal — unknown property, wrong value, wrong kind of thing, a missing
 * lid, door or key, bad behaviour parameters with zod's message.
 */
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { BUILT_IN_BEHAVIOURS } from "../../../src/world/behaviours/index.js";
import { BehaviourRegistry } from "../../../src/world/behaviours/runner.js";
import { defineBehaviour } from "../../../src/world/behaviours/behaviour.js";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";
import { joinAs } from "./builders.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;

afterEach(() => tw.close());

async function setUp(behaviours?: BehaviourRegistry): Promise<void> {
  tw = makeTestWorld(behaviours === undefined ? {} : { deps: { behaviours } });
  alice = await joinAs(tw, "Alice");
  bob = await tw.join("Bob");
}

function aliceAlone(...lines: string[]): Record<string, string[]> {
  return { Alice: lines, Bob: [] };
}

/** The stored record of `id`. */
function stored(id: string) {
  return tw.store.loadWorldThings().find((t) => t.record.id === id)?.record;
}

describe("set, whatever the property", () => {
  it("an unknown property lists the known ones", async () => {
    await setUp();
    expect(tw.run(alice, "set fountain colour blue")).toEqual(aliceAlone('There is no property "colour". Properties: portable, container, locked, key, door, keywords, behaviour.'));
  });

  it("nothing by that name; a player's character; a value left out", async () => {
    await setUp();
    expect(tw.run(alice, "set unicorn portable true")).toEqual(aliceAlone("You see nothing like that here, and no thing has that id."));
    expect(tw.run(alice, "set bob keywords rogue")).toEqual(aliceAlone("A player's character is not built: set changes the world's things."));
    expect(tw.run(alice, "set fountain portable")).toEqual(aliceAlone("Usage: set <thing> <property> <value>"));
  });

  it("a player is refused, and nothing changes", async () => {
    await setUp();
    expect(tw.run(bob, "set fountain portable true")).toEqual({ Alice: [], Bob: ["Only builders may use set."] });
    expect(tw.run(bob, "get fountain").Bob).toEqual(["You can't take the stone fountain."]);
  });
});

describe("set portable", () => {
  it("true: players may pick it up; false: they may not; saved", async () => {
    await setUp();
    expect(tw.run(alice, "set fountain portable true")).toEqual(aliceAlone("The stone fountain (fountain): portable is now true."));
    expect(stored("fountain")?.facets.portable).toBe(true);
    expect(tw.run(bob, "get fountain").Bob).toEqual(["You pick up a stone fountain."]);
    tw.run(bob, "drop fountain");
    expect(tw.run(alice, "set fountain portable FALSE").Alice).toEqual(["The stone fountain (fountain): portable is now false."]);
    expect(tw.run(bob, "get fountain").Bob).toEqual(["You can't take the stone fountain."]);
  });

  it("a wrong value; a room, an exit, a character", async () => {
    await setUp();
    expect(tw.run(alice, "set fountain portable maybe")).toEqual(aliceAlone("portable is true or false."));
    expect(tw.run(alice, "set here portable true")).toEqual(aliceAlone("The Hall (hall) is a room; portable is for things."));
    expect(tw.run(alice, "set north portable true")).toEqual(aliceAlone("The way north (hall/north) is an exit; portable is for things."));
    expect(tw.run(alice, "set marta portable true")).toEqual(aliceAlone("Marta (marta) is a character; portable is for things."));
  });
});

describe("set container", () => {
  it("true: always open, things go in", async () => {
    await setUp();
    expect(tw.run(alice, "set fountain container true").Alice).toEqual(["The stone fountain (fountain): container is now true."]);
    tw.run(bob, "get red apple");
    expect(tw.run(bob, "put apple in fountain").Bob).toEqual(["You put a red apple in the stone fountain."]);
    expect(tw.run(bob, "close fountain").Bob).toEqual(["You can't close the stone fountain."]);
  });

  it("closable gives a lid, open; closed shuts it; open opens (and unlocks) it", async () => {
    await setUp();
    tw.run(alice, "set basket container closable");
    expect(tw.run(bob, "close basket").Bob).toEqual(["You close the wicker basket."]);
    tw.run(bob, "open basket");
    expect(tw.run(alice, "set basket container closed").Alice).toEqual(["The wicker basket (basket): container is now closed."]);
    expect(tw.run(bob, "look in basket").Bob).toEqual(["The wicker basket is closed."]);
    tw.run(alice, "set basket key brass-key");
    tw.run(alice, "set basket locked true");
    tw.run(alice, "set basket container open");
    expect(tw.run(bob, "look in basket").Bob).toEqual(["The wicker basket is empty."]);
    expect(stored("basket")?.facets.container).toEqual({ closure: { open: true, locked: false, key: "brass-key" } });
  });

  it("false: not a container any more, but only when empty", async () => {
    await setUp();
    expect(tw.run(alice, "set chest container false")).toEqual(aliceAlone("The oak chest (chest) is not empty; empty it first."));
    expect(tw.run(alice, "set basket container false").Alice).toEqual(["The wicker basket (basket): container is now false."]);
    tw.run(bob, "get red apple");
    expect(tw.run(bob, "put apple in basket").Bob).toEqual(["The wicker basket cannot hold anything."]);
  });

  it("a wrong value; not a thing", async () => {
    await setUp();
    expect(tw.run(alice, "set basket container yes")).toEqual(aliceAlone("container is true, false, closable, closed or open."));
    expect(tw.run(alice, "set north container true")).toEqual(aliceAlone("The way north (hall/north) is an exit; container is for things."));
  });
});

describe("set key and locked", () => {
  it("a lid: key, then locked: players need that key", async () => {
    await setUp();
    expect(tw.run(alice, "set chest key brass-key").Alice).toEqual(["The oak chest (chest): key is now brass-key."]);
    expect(tw.run(alice, "set chest locked true").Alice).toEqual(["The oak chest (chest): locked is now true."]);
    expect(tw.run(bob, "open chest").Bob).toEqual(["The oak chest is locked."]);
    tw.run(bob, "north");
    tw.run(bob, "get key");
    tw.run(bob, "south");
    expect(tw.run(bob, "unlock chest").Bob).toEqual(["You unlock the oak chest with a brass key."]);
  });

  it("locking an open lid shuts it", async () => {
    await setUp();
    tw.run(bob, "open chest");
    tw.run(alice, "set chest key brass-key");
    tw.run(alice, "set chest locked true");
    expect(tw.world.thing("chest")?.container?.closure).toEqual({ open: false, locked: true, key: "brass-key" });
  });

  it("a door: key none takes the lock away (and unlocks it), on both sides", async () => {
    await setUp();
    expect(tw.run(alice, "set east key none").Alice).toEqual(["The way east (hall/east): key is now none."]);
    expect(tw.run(bob, "open iron door").Bob).toEqual(["You open the iron door."]);
    expect(stored("vault/west")?.facets.exit?.door).toEqual({ name: "an iron door", keywords: ["door", "iron"], open: true, locked: false });
    expect(tw.run(alice, "set east locked true")).toEqual(aliceAlone("The way east (hall/east) has no lock; set its key first."));
  });

  it("locked false unlocks a door from both sides", async () => {
    await setUp();
    tw.run(alice, "set east locked false");
    tw.run(alice, "teleport vault");
    expect(tw.run(alice, "open door").Alice).toEqual(["You open the iron door."]);
  });

  it("no lid, no door, no lock: each says what is missing", async () => {
    await setUp();
    expect(tw.run(alice, "set basket locked true")).toEqual(aliceAlone("The wicker basket (basket) has no lid; set its container to closable first."));
    expect(tw.run(alice, "set basket key brass-key")).toEqual(aliceAlone("The wicker basket (basket) has no lid; set its container to closable first."));
    expect(tw.run(alice, "set north locked true")).toEqual(aliceAlone("The way north (hall/north) has no door; set its door first."));
    expect(tw.run(alice, "set fountain key brass-key")).toEqual(aliceAlone("The stone fountain (fountain) is a thing; key is for doors and lidded containers."));
    expect(tw.run(alice, "set chest locked true")).toEqual(aliceAlone("The oak chest (chest) has no lock; set its key first."));
  });

  it("wrong values: locked is true or false; a key is a thing that exists", async () => {
    await setUp();
    expect(tw.run(alice, "set east locked shut")).toEqual(aliceAlone("locked is true or false."));
    expect(tw.run(alice, "set chest key skeleton-key")).toEqual(aliceAlone('key is the id of the thing that opens it, or none; no thing has the id "skeleton-key".'));
    expect(tw.run(alice, "set chest key hall")).toEqual(aliceAlone("The Hall (hall) is a room; a key is a thing."));
    expect(tw.run(alice, "set chest key marta")).toEqual(aliceAlone("Marta (marta) is a character; a key is a thing."));
  });

  it("a key an offline player carries is a thing that exists", async () => {
    await setUp();
    tw.run(bob, "north");
    tw.run(bob, "get key");
    tw.leave(bob, "quit");
    expect(tw.world.thing("brass-key")).toBeUndefined();
    expect(tw.run(alice, "set chest key brass-key").Alice).toEqual(["The oak chest (chest): key is now brass-key."]);
  });
});

describe("set door", () => {
  it("puts a door on an exit, shared with the way back: shut, and it opens from both sides", async () => {
    await setUp();
    expect(tw.run(alice, "set north door a wooden gate")).toEqual(aliceAlone("The way north (hall/north): door is now a wooden gate."));
    expect(tw.run(bob, "look").Bob?.[2]).toBe("Exits: north (closed), east (closed), in (closed).");
    expect(tw.run(bob, "north").Bob).toEqual(["The wooden gate is closed."]);
    expect(tw.world.thing("yard/south")?.exit?.door).toBe(tw.world.thing("hall/north")?.exit?.door);
    expect(tw.world.thing("hall/north")?.keywords).toEqual(["north", "n", "wooden", "gate", "door"]);
    tw.run(alice, "teleport yard");
    expect(tw.run(bob, "open gate")).toEqual({ Alice: ["The wooden gate swings open."], Bob: ["You open the wooden gate."] });
    expect(stored("yard/south")?.facets.exit).toMatchObject({ door: { name: "a wooden gate", open: true }, twin: "hall/north" });
  });

  it("on an exit with a door: renames it, on both sides, and keeps its state", async () => {
    await setUp();
    expect(tw.run(alice, "set east door a black door").Alice).toEqual(["The way east (hall/east): door is now a black door."]);
    expect(tw.run(bob, "open black door").Bob).toEqual(["The black door is locked."]);
    expect(tw.world.thing("vault/west")?.exit?.door).toMatchObject({ name: "a black door", locked: true, key: "brass-key" });
    expect(tw.world.thing("vault/west")?.keywords).toEqual(["west", "w", "black", "door"]);
  });

  it("none: the door goes from both sides", async () => {
    await setUp();
    expect(tw.run(alice, "set in door none").Alice).toEqual(["The way in (hall/in): door is now none."]);
    expect(tw.run(bob, "in").Bob?.[0]).toBe("A Cupboard");
    expect(tw.world.thing("cupboard/out")?.exit).toEqual({ direction: "out", to: "hall" });
    expect(tw.run(alice, "set north door none")).toEqual(aliceAlone("The way north (hall/north) has no door."));
  });

  it("a way back with a door of its own: refused", async () => {
    await setUp();
    tw.run(alice, "link gate vault");
    expect(tw.run(alice, "set gate door a grille")).toEqual(aliceAlone("The way back (vault/west) has a door of its own; set its door to none first."));
  });

  it("a one-way exit gets a door of its own", async () => {
    await setUp();
    tw.run(alice, "dig trapdoor The Cellar");
    expect(tw.run(alice, "set trapdoor door a trapdoor").Alice).toEqual(["The way trapdoor (hall/trapdoor): door is now a trapdoor."]);
    expect(tw.world.thing("hall/trapdoor")?.exit?.twin).toBeUndefined();
  });

  it("not an exit; a name too long", async () => {
    await setUp();
    expect(tw.run(alice, "set chest door a lid")).toEqual(aliceAlone("The oak chest (chest) is a thing; door is for exits."));
    expect(tw.run(alice, `set north door ${"d".repeat(81)}`)).toEqual(aliceAlone("A name must be at most 80 characters."));
  });
});

describe("set keywords", () => {
  it("replaces the words a thing answers to", async () => {
    await setUp();
    expect(tw.run(alice, "set fountain keywords Heron water")).toEqual(aliceAlone("The stone fountain (fountain): keywords are now heron, water."));
    expect(tw.run(bob, "l heron").Bob?.[0]).toBe("A stone fountain");
    expect(tw.run(bob, "l stone").Bob).toEqual(["You see nothing like that here."]);
    expect(tw.run(alice, "set marta keywords marta cook").Alice).toEqual(["Marta (marta): keywords are now marta, cook."]);
  });

  it("at the limits and one past: 16 words of 30 characters", async () => {
    await setUp();
    const words = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
    expect(tw.run(alice, `set fountain keywords ${words(16)}`).Alice?.[0]).toMatch(/^The stone fountain \(fountain\): keywords are now w0, /);
    expect(tw.run(alice, `set fountain keywords ${words(17)}`)).toEqual(aliceAlone("A thing may have at most 16 keywords."));
    expect(tw.run(alice, `set fountain keywords ${"k".repeat(30)}`).Alice?.[0]).toMatch(/keywords are now k{30}\.$/);
    expect(tw.run(alice, `set fountain keywords ${"k".repeat(31)}`)).toEqual(aliceAlone("A keyword is at most 30 characters."));
  });

  it("not single words; a room; an exit", async () => {
    await setUp();
    expect(tw.run(alice, "set fountain keywords a.b")).toEqual(aliceAlone("Keywords are single words of letters, digits, - and '."));
    expect(tw.run(alice, "set here keywords hall")).toEqual(aliceAlone("The Hall (hall) is a room; keywords is for things and characters (a room is named here)."));
    expect(tw.run(alice, "set north keywords arch")).toEqual(aliceAlone("The way north (hall/north) is an exit; it answers to its direction and its door's words."));
  });
});

describe("set behaviour", () => {
  it("attaches a behaviour with parameters (numbers and words converted), started at once, and saved", async () => {
    await setUp();
    expect(tw.run(alice, 'set marta behaviour wander everySeconds=30 leaves="stroll off" arrives="stroll in"').Alice).toEqual([
      'Marta (marta): behaviour wander is now {"everySeconds":30,"leaves":"stroll off","arrives":"stroll in"}.',
    ]);
    expect(stored("marta")?.facets.behaviours?.map((b) => b.name)).toEqual(["greet", "wander"]);
    // random() = 0: the first step comes after half of everySeconds, through the first open way (south).
    expect(tw.advance(15_000).Bob).toEqual(["Marta strolls in from the north."]);
  });

  it("set again: the parameters are replaced", async () => {
    await setUp();
    tw.run(alice, "set marta behaviour wander everySeconds=30");
    tw.run(alice, "set marta behaviour wander everySeconds=600");
    expect(tw.world.thing("marta")?.behaviours.find((b) => b.name === "wander")?.params).toEqual({ everySeconds: 600, leaves: "leave", arrives: "arrive" });
    expect(tw.advance(15_000).Bob).toEqual([]);
  });

  it("none: stopped and removed, its state with it", async () => {
    await setUp();
    tw.run(alice, "set marta behaviour wander everySeconds=30");
    expect(tw.run(alice, "set marta behaviour wander none")).toEqual(aliceAlone("Marta (marta): behaviour wander is removed."));
    expect(tw.advance(60_000).Bob).toEqual([]);
    expect(tw.run(alice, "set pear behaviour respawn none").Alice).toEqual(["The yellow pear (pear): behaviour respawn is removed."]);
    expect(stored("pear")?.behaviourState).toBeUndefined();
    expect(tw.run(alice, "set marta behaviour wander none")).toEqual(aliceAlone('Marta (marta) has no behaviour called "wander".'));
  });

  it("respawn on a thing: taken, it grows back", async () => {
    await setUp();
    tw.run(alice, "set fountain portable true");
    tw.run(alice, "set fountain behaviour respawn afterSeconds=60");
    tw.run(bob, "get fountain");
    tw.advance(60_000);
    expect(tw.run(alice, "look").Alice).toContain("You see an oak chest, a red apple, a green apple, a wicker basket and a stone fountain here.");
  });

  it("an unknown behaviour lists the known ones", async () => {
    await setUp();
    expect(tw.run(alice, "set marta behaviour dance")).toEqual(aliceAlone('There is no behaviour called "dance". Behaviours: greet, respawn, wander.'));
  });

  it("bad parameters: zod's message", async () => {
    await setUp();
    expect(tw.run(alice, "set marta behaviour wander everySeconds=1")).toEqual(aliceAlone("Those are not wander's parameters: everySeconds: Too small: expected number to be >=5."));
    expect(tw.run(alice, "set marta behaviour wander")).toEqual(aliceAlone("Those are not wander's parameters: everySeconds: is required."));
    expect(tw.run(alice, "set marta behaviour wander everySeconds=30 speed=3")).toEqual(aliceAlone("Those are not wander's parameters: speed: unknown key."));
    expect(tw.run(alice, "set marta behaviour wander everySeconds=thirty")).toEqual(aliceAlone("Those are not wander's parameters: everySeconds: Invalid input: expected number, received string."));
  });

  it("parameters not written name=value", async () => {
    await setUp();
    expect(tw.run(alice, "set marta behaviour wander everySeconds")).toEqual(aliceAlone('Parameters are written name=value (a value with spaces in "double quotes"); "everySeconds" is not.'));
    expect(tw.run(alice, "set marta behaviour wander everySeconds=5 everySeconds=6")).toEqual(aliceAlone("The parameter everySeconds is given twice."));
    expect(tw.run(alice, "set marta behaviour")).toEqual(aliceAlone("Usage: set <thing> <property> <value>"));
    expect(tw.run(alice, "set marta behaviour !x")).toEqual(aliceAlone("behaviour is a behaviour's name, then its parameters as name=value, or then none."));
  });

  it("a room, an exit: refused", async () => {
    await setUp();
    expect(tw.run(alice, "set here behaviour respawn afterSeconds=5")).toEqual(aliceAlone("The Hall (hall) is a room; behaviour is for things and the world's own characters."));
    expect(tw.run(alice, "set north behaviour respawn afterSeconds=5")).toEqual(aliceAlone("The way north (hall/north) is an exit; behaviour is for things and the world's own characters."));
  });

  it("at the limit and one past: eight behaviours on one thing", async () => {
    const quiet = Array.from({ length: 9 }, (_, i) => defineBehaviour({ name: `quiet${i}`, params: z.strictObject({}), start: () => ({ stop() {} }) }));
    await setUp(new BehaviourRegistry().register(...BUILT_IN_BEHAVIOURS, ...quiet));
    for (let i = 0; i < 8; i++) expect(tw.run(alice, `set fountain behaviour quiet${i}`).Alice).toEqual([`The stone fountain (fountain): behaviour quiet${i} is now {}.`]);
    expect(tw.run(alice, "set fountain behaviour quiet8")).toEqual(aliceAlone("The stone fountain (fountain) has 8 behaviours already, the most a thing may carry."));
    // Setting one it has already is not one more.
    expect(tw.run(alice, "set fountain behaviour quiet3").Alice).toEqual(["The stone fountain (fountain): behaviour quiet3 is now {}."]);
  });
});
