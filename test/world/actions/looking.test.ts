/**
 * Transcripts for src/world/actions/looking.ts: `look` at the room, a thing, a person, an
 * exit, into a container, at yourself and here; and `inventory`. Looking tells nobody else
 * anything, so every bystander's list is empty.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestPlayer, type TestWorld, threePlayers } from "../../support/transcript.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;
let carol: TestPlayer;

beforeEach(async () => {
  ({ tw, alice, bob, carol } = await threePlayers());
});
afterEach(() => tw.close());

describe("look at the room", () => {
  it("names the room, its exits (closed doors marked), what lies here counted, and who is here; nobody else reads anything", () => {
    tw.run(alice, "open chest");
    tw.run(alice, "get all from chest");
    tw.run(alice, "drop all");
    expect(tw.run(bob, "look")).toEqual({
      Alice: [],
      Bob: [
        "The Hall",
        "A plain hall with doors.",
        "Exits: north, east (closed), in (closed).",
        "You see an oak chest, a red apple, a green apple, a stone fountain, a wicker basket, two copper coins and a folded letter here.",
        "Alice and Carol are here.",
      ],
      Carol: [],
    });
  });

  it("l is look, and look here describes the room", () => {
    const room = tw.run(alice, "look").Alice ?? [];
    expect(tw.run(alice, "l").Alice).toEqual(room);
    expect(tw.run(alice, "look here").Alice).toEqual(room);
    expect(room[0]).toBe("The Hall");
  });

  it("an open door is listed without (closed)", () => {
    tw.run(alice, "open cupboard");
    expect(tw.run(alice, "look").Alice?.[2]).toBe("Exits: north, east (closed), in.");
  });
});

describe("look at a thing", () => {
  it("shows its name, capitalised, and its description", () => {
    expect(tw.run(alice, "look red apple")).toEqual({ Alice: ["A red apple", "Crisp."], Bob: [], Carol: [] });
  });

  it("finds what the looker carries as well as what lies here", () => {
    tw.run(alice, "get green apple");
    expect(tw.run(alice, "l green").Alice).toEqual(["A green apple", "Sour."]);
  });

  it("a closed container says so and hides what it holds", () => {
    expect(tw.run(alice, "look chest").Alice).toEqual(["An oak chest", "Banded with iron.", "It is closed."]);
  });

  it("an open container lists what it holds, counted", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "look chest").Alice).toEqual(["An oak chest", "Banded with iron.", "It is open.", "In it you see two copper coins and a folded letter."]);
  });

  it("an empty lidless container says it is empty", () => {
    expect(tw.run(alice, "look basket").Alice).toEqual(["A wicker basket", "Light and sturdy.", "It is empty."]);
  });

  it("nothing by that name: You see nothing like that here.", () => {
    expect(tw.run(alice, "look unicorn")).toEqual({ Alice: ["You see nothing like that here."], Bob: [], Carol: [] });
  });
});

describe("look at a person", () => {
  it("shows their name, their pronouns, and that they carry nothing", () => {
    expect(tw.run(alice, "look bob")).toEqual({
      Alice: ["Bob (they/them)", "They look like any other traveller.", "They are empty-handed."],
      Bob: [],
      Carol: [],
    });
  });

  it("lists what they carry, counted", () => {
    tw.run(bob, "open chest");
    tw.run(bob, "get all from chest");
    expect(tw.run(alice, "look bob").Alice).toEqual([
      "Bob (they/them)",
      "They look like any other traveller.",
      "They are carrying two copper coins and a folded letter.",
    ]);
  });

  it("a character of the world shows its description and its own pronouns", () => {
    tw.run(alice, "north");
    expect(tw.run(alice, "look landlady").Alice).toEqual(["Marta (she/her)", "A broad woman with flour on her hands.", "She is empty-handed."]);
  });

  it("a creature named with an article is capitalised at the head of the line, and it is it", () => {
    for (const command of ["north", "get key", "south", "unlock iron door", "open iron door", "east"]) tw.run(alice, command);
    expect(tw.run(alice, "look cat").Alice).toEqual(["A grey cat (it/it)", "It ignores you.", "It is empty-handed."]);
  });
});

describe("look at yourself", () => {
  it("look me reads in the second person and says how to change pronouns", () => {
    expect(tw.run(alice, "look me")).toEqual({
      Alice: ["Alice (they/them)", "You look like any other traveller.", "You are empty-handed.", "Your pronouns are they; type pronouns to change them."],
      Bob: [],
      Carol: [],
    });
  });

  it("look self and look myself are look me", () => {
    const me = tw.run(alice, "look me").Alice;
    expect(tw.run(alice, "look self").Alice).toEqual(me);
    expect(tw.run(alice, "look myself").Alice).toEqual(me);
  });

  it("what you carry reads You are carrying", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "look me").Alice?.[2]).toBe("You are carrying a red apple.");
  });
});

describe("look at an exit", () => {
  it("an exit without a door says where it leads", () => {
    expect(tw.run(alice, "look north")).toEqual({ Alice: ["The way north leads to The Yard."], Bob: [], Carol: [] });
  });

  it("an abbreviation names the exit", () => {
    expect(tw.run(alice, "look n").Alice).toEqual(["The way north leads to The Yard."]);
  });

  it("a locked door says it is closed and locked, and hides where it leads", () => {
    expect(tw.run(alice, "look east").Alice).toEqual(["The iron door is closed and locked."]);
  });

  it("a door's own words name the exit", () => {
    expect(tw.run(alice, "look iron door").Alice).toEqual(["The iron door is closed and locked."]);
  });

  it("a closed door says it is closed; opened, it says where it leads", () => {
    expect(tw.run(alice, "look in").Alice).toEqual(["The cupboard door is closed."]);
    tw.run(alice, "open cupboard");
    expect(tw.run(alice, "look in").Alice).toEqual(["The cupboard door is open. The way in leads to A Cupboard."]);
  });
});

describe("look in a container", () => {
  it("closed: The oak chest is closed.", () => {
    expect(tw.run(alice, "look in chest")).toEqual({ Alice: ["The oak chest is closed."], Bob: [], Carol: [] });
  });

  it("open: what it holds, counted, in one sentence", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "look in chest")).toEqual({ Alice: ["In the oak chest you see two copper coins and a folded letter."], Bob: [], Carol: [] });
  });

  it("look inside is look in", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "look inside chest").Alice).toEqual(["In the oak chest you see two copper coins and a folded letter."]);
  });

  it("empty: The wicker basket is empty.", () => {
    expect(tw.run(alice, "look in basket").Alice).toEqual(["The wicker basket is empty."]);
  });

  it("not a container: You can't look inside the stone fountain.", () => {
    expect(tw.run(alice, "look in fountain").Alice).toEqual(["You can't look inside the stone fountain."]);
  });

  it("nothing by that name: You see nothing like that here.", () => {
    expect(tw.run(alice, "look in wardrobe").Alice).toEqual(["You see nothing like that here."]);
  });
});

describe("inventory", () => {
  it("empty hands: You are carrying nothing.", () => {
    expect(tw.run(alice, "inventory")).toEqual({ Alice: ["You are carrying nothing."], Bob: [], Carol: [] });
  });

  it("lists what you carry one per line, counted, and i is inventory", () => {
    tw.run(alice, "open chest");
    tw.run(alice, "get all from chest");
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "i")).toEqual({ Alice: ["You are carrying:", "  two copper coins", "  a folded letter", "  a red apple"], Bob: [], Carol: [] });
  });
});
