/**
 * Transcripts for src/world/actions/building-rooms.ts: dig, link, unlink and teleport, for a
 * builder (and an admin), with each refusal, and each refused to a player with nothing changed.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTestWorld, type TestPlayer, type TestWorld, aliceAlone } from "../../support/transcript.js";
import { joinAs } from "./builders.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;
let carol: TestPlayer;

beforeEach(async () => {
  tw = makeTestWorld();
  alice = await joinAs(tw, "Alice");
  bob = await tw.join("Bob");
  carol = await tw.join("Carol");
});
afterEach(() => tw.close());

/** The exits line of the room `player` is in. */
function exitsLine(player: TestPlayer): string | undefined {
  return tw.run(player, "look")[player.name]?.find((l) => l.startsWith("Exits:"));
}

describe("dig", () => {
  it("makes a room through a new exit, and the way back; the builder stays; nobody else is told", () => {
    expect(tw.run(alice, "dig down The Cellar")).toEqual(aliceAlone("You dig The Cellar (cellar): down leads there, and up leads back."));
    expect(exitsLine(alice)).toBe("Exits: north, east (closed), down, in (closed).");
    expect(tw.run(alice, "down").Alice).toEqual(["The Cellar", "There is nothing remarkable here.", "Exits: up."]);
    expect(tw.run(alice, "up").Alice?.[0]).toBe("The Hall");
    // Players walk through it too.
    expect(tw.run(bob, "d").Bob?.[0]).toBe("The Cellar");
  });

  it("the new room is in the builder's room's area", () => {
    tw.run(alice, "dig up The Loft");
    expect(tw.world.thing("loft")?.room?.area).toBe("Testshire");
    tw.run(alice, "teleport garden");
    tw.run(alice, "dig down The Root Cellar");
    expect(tw.world.thing("root-cellar")?.room?.area).toBe("Elsewhere");
  });

  it("an exit that is not a direction has no way back", () => {
    expect(tw.run(alice, "dig trapdoor The Cellar").Alice).toEqual(["You dig The Cellar (cellar): trapdoor leads there, and there is no way back (link one from there)."]);
    expect(tw.run(alice, "trapdoor").Alice).toEqual(["The Cellar", "There is nothing remarkable here.", "Exits: none."]);
  });

  it("ids are made from the name, without its article, and kept unique with -2", () => {
    expect(tw.run(alice, "dig up The Old Loft").Alice).toEqual(["You dig The Old Loft (old-loft): up leads there, and down leads back."]);
    expect(tw.run(alice, "dig down The Old Loft").Alice).toEqual(["You dig The Old Loft (old-loft-2): down leads there, and up leads back."]);
    // A name that is already a room's id in the files.
    expect(tw.run(alice, "dig southeast Hall").Alice).toEqual(["You dig Hall (hall-2): southeast leads there, and northwest leads back."]);
    expect(tw.world.thing("old-loft-2/up")?.exit?.to).toBe("hall");
  });

  it("saves before it answers: the store holds the room and both exits", () => {
    tw.run(alice, "dig down The Cellar");
    const ids = tw.store.loadWorldThings().map((t) => t.record.id);
    expect(ids).toEqual(expect.arrayContaining(["cellar", "hall/down", "cellar/up"]));
  });

  it("an exit name used here already: There is already an exit north here.", () => {
    expect(tw.run(alice, "dig north The Attic")).toEqual(aliceAlone("There is already an exit north here."));
  });

  it("an abbreviation: write it in full", () => {
    expect(tw.run(alice, "dig n The Attic")).toEqual(aliceAlone('"n" is an abbreviation; write north.'));
    expect(tw.run(alice, "dig sw The Attic")).toEqual(aliceAlone('"sw" is an abbreviation; write southwest.'));
  });

  it("an exit name that is not one word, is a command, or is too long", () => {
    expect(tw.run(alice, "dig n0rth The Attic")).toEqual(aliceAlone("An exit's name is one lowercase word: north, up, in, gate, archway."));
    expect(tw.run(alice, "dig look The Attic")).toEqual(aliceAlone('"look" is a word commands already use; call the exit something else.'));
    expect(tw.run(alice, "dig here The Attic")).toEqual(aliceAlone('"here" is a word commands already use; call the exit something else.'));
    expect(tw.run(alice, `dig ${"a".repeat(25)} The Attic`)).toEqual(aliceAlone("An exit's name is at most 24 letters."));
    expect(tw.run(alice, `dig ${"a".repeat(24)} The Attic`).Alice?.[0]).toMatch(/^You dig The Attic \(attic\)/);
  });

  it("a name longer than the files allow: A name must be at most 80 characters.", () => {
    expect(tw.run(alice, `dig up ${"x".repeat(81)}`)).toEqual(aliceAlone("A name must be at most 80 characters."));
    expect(tw.run(alice, `dig up ${"X".repeat(80)}`).Alice?.[0]).toMatch(/^You dig X{80} \(x{40}\)/);
  });

  it("without a room name: the usage", () => {
    expect(tw.run(alice, "dig up")).toEqual(aliceAlone("Usage: dig <exit> <room name>"));
  });

  it("a player is refused, and nothing is dug", () => {
    expect(tw.run(bob, "dig up The Attic")).toEqual({ Alice: [], Bob: ["Only builders may use dig."], Carol: [] });
    expect(tw.world.thing("attic")).toBeUndefined();
    expect(exitsLine(bob)).toBe("Exits: north, east (closed), in (closed).");
  });

  it("an admin may dig", async () => {
    const dave = await joinAs(tw, "Dave", "admin");
    expect(tw.run(dave, "dig up The Attic").Dave).toEqual(["You dig The Attic (attic): up leads there, and down leads back."]);
  });
});

describe("link", () => {
  it("makes an exit to a room that exists, with no way back", () => {
    expect(tw.run(alice, "link gate garden")).toEqual(aliceAlone("Gate now leads to The Garden (garden)."));
    expect(exitsLine(alice)).toBe("Exits: north, east (closed), in (closed), gate.");
    expect(tw.run(alice, "gate")).toEqual({ Alice: ["The Garden", "A garden outside the town's area.", "Exits: east, shed.", "You see a clay pot and a potato here."], Bob: ["Alice leaves for the gate."], Carol: ["Alice leaves for the gate."] });
  });

  it("a room id in any case; the exit's id is <room>/<exit>", () => {
    tw.run(alice, "link west GARDEN");
    expect(tw.world.thing("hall/west")?.exit).toEqual({ direction: "west", to: "garden" });
  });

  it("no room with that id: There is no room with the id ...", () => {
    expect(tw.run(alice, "link gate atlantis")).toEqual(aliceAlone('There is no room with the id "atlantis".'));
  });

  it("a thing's id is not a room", () => {
    expect(tw.run(alice, "link gate chest")).toEqual(aliceAlone("The oak chest (chest) is a thing, not a room."));
    expect(tw.run(alice, "link gate yard/south")).toEqual(aliceAlone("The way south (yard/south) is an exit, not a room."));
  });

  it("an exit name used here, an abbreviation, a bad name", () => {
    expect(tw.run(alice, "link north garden")).toEqual(aliceAlone("There is already an exit north here."));
    expect(tw.run(alice, "link w garden")).toEqual(aliceAlone('"w" is an abbreviation; write west.'));
    expect(tw.run(alice, "link Gate! garden")).toEqual(aliceAlone("An exit's name is one lowercase word: north, up, in, gate, archway."));
  });

  it("a player is refused, and nothing is linked", () => {
    expect(tw.run(bob, "link gate garden")).toEqual({ Alice: [], Bob: ["Only builders may use link."], Carol: [] });
    expect(tw.world.thing("hall/gate")).toBeUndefined();
  });
});

describe("unlink", () => {
  it("removes an exit from here; the way back stays", () => {
    expect(tw.run(alice, "unlink north")).toEqual(aliceAlone("You unlink the way north (hall/north), which led to The Yard (yard)."));
    expect(exitsLine(alice)).toBe("Exits: east (closed), in (closed).");
    expect(tw.run(bob, "north").Bob).toEqual(["You can't go that way."]);
    expect(tw.world.thing("yard/south")?.exit?.to).toBe("hall");
  });

  it("names the exit by its short form or its door", () => {
    expect(tw.run(alice, "unlink n").Alice?.[0]).toMatch(/^You unlink the way north/);
    expect(tw.run(alice, "unlink cupboard").Alice?.[0]).toMatch(/^You unlink the way in \(hall\/in\)/);
  });

  it("an exit with a door shared with its twin: the way back loses the door", () => {
    expect(tw.run(alice, "unlink east")).toEqual(aliceAlone("You unlink the way east (hall/east), which led to The Vault (vault). The way back (vault/west) has no door now."));
    expect(tw.world.thing("vault/west")?.exit).toEqual({ direction: "west", to: "hall" });
    expect(tw.world.thing("vault/west")?.keywords).toEqual(["west", "w"]);
    tw.run(alice, "teleport vault");
    expect(exitsLine(alice)).toBe("Exits: west.");
    const stored = tw.store.loadWorldThings().find((t) => t.record.id === "vault/west");
    expect(stored?.record.facets.exit).toEqual({ direction: "west", to: "hall" });
  });

  it("no exit by that name: There is no exit like that here.", () => {
    expect(tw.run(alice, "unlink up")).toEqual(aliceAlone("There is no exit like that here."));
    expect(tw.run(alice, "unlink chest")).toEqual(aliceAlone("There is no exit like that here."));
  });

  it("a player is refused, and the exit stays", () => {
    expect(tw.run(bob, "unlink north")).toEqual({ Alice: [], Bob: ["Only builders may use unlink."], Carol: [] });
    expect(tw.world.thing("hall/north")).toBeDefined();
  });
});

describe("teleport", () => {
  it("to a room by its id: the room left sees the builder vanish, the room reached sees them appear", () => {
    tw.run(carol, "north");
    tw.run(carol, "west");
    expect(tw.run(alice, "teleport garden")).toEqual({
      Alice: ["The Garden", "A garden outside the town's area.", "Exits: east, shed.", "You see a clay pot and a potato here.", "Carol is here."],
      Bob: ["Alice vanishes."],
      Carol: ["Alice appears."],
    });
    expect(tw.world.thing("player:alice")?.location?.id).toBe("garden");
  });

  it("to a person online, by name in any case", () => {
    tw.run(carol, "north");
    expect(tw.run(alice, "teleport carol").Alice?.[0]).toBe("The Yard");
    expect(tw.run(bob, "look").Bob).not.toContain("Alice is here.");
  });

  it("to a character of the world, by its id", () => {
    tw.run(alice, "teleport marta");
    expect(tw.world.thing("player:alice")?.location?.id).toBe("yard");
  });

  it("where the builder is already: You are already there.", () => {
    expect(tw.run(alice, "teleport hall")).toEqual(aliceAlone("You are already there."));
    expect(tw.run(alice, "teleport bob")).toEqual(aliceAlone("You are already there."));
  });

  it("no such room or person, or a thing's id", () => {
    expect(tw.run(alice, "teleport atlantis")).toEqual(aliceAlone('There is no room with the id "atlantis", and nobody by that name is online.'));
    expect(tw.run(alice, "teleport chest")).toEqual(aliceAlone('There is no room with the id "chest", and nobody by that name is online.'));
  });

  it("a player is refused, and stays", () => {
    expect(tw.run(bob, "teleport garden")).toEqual({ Alice: [], Bob: ["Only builders may use teleport."], Carol: [] });
    expect(tw.world.thing("player:bob")?.location?.id).toBe("hall");
  });
});

describe("help", () => {
  it("a builder's list has the building commands; a player's does not", () => {
    const listed = (player: TestPlayer): string[] => (tw.run(player, "help")[player.name] ?? []).map((l) => l.trim().split(/\s+/)[0] ?? "");
    expect(listed(alice)).toEqual(expect.arrayContaining(["dig", "link", "unlink", "make", "destroy", "describe", "rename", "set", "examine", "teleport"]));
    expect(listed(bob)).not.toEqual(expect.arrayContaining(["dig"]));
    expect(tw.run(alice, "help dig").Alice?.[0]).toBe("dig <exit> <room name>");
  });
});
