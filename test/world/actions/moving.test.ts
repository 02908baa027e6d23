/**
 * Transcripts for src/world/actions/moving.ts: walking through exits by `go`, by the compass
 * words and their abbreviations, and by an exit's own name typed alone. The walker reads the
 * new room; the room left and the room reached each read one line, worded for the way taken.
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

const YARD = ["The Yard", "A cobbled yard under an open sky.", "Exits: south, west.", "You see a brass key and a yellow pear here.", "Marta is here."];

describe("walking", () => {
  it("north: the walker sees the yard, the hall reads Bob leaves north., the yard reads Bob arrives from the south.", () => {
    tw.run(carol, "north");
    expect(tw.run(bob, "north")).toEqual({
      Alice: ["Bob leaves north."],
      Bob: ["The Yard", "A cobbled yard under an open sky.", "Exits: south, west.", "You see a brass key and a yellow pear here.", "Marta and Carol are here."],
      Carol: ["Bob arrives from the south."],
    });
    expect(tw.world.thing("player:bob")?.location?.id).toBe("yard");
  });

  it("go north, walk north, move north and n are the same walk", () => {
    for (const command of ["go north", "walk north", "move north", "n", "go n"]) {
      const lines = tw.run(alice, command);
      expect(lines.Alice, command).toEqual(YARD);
      expect(lines.Bob, command).toEqual(["Alice leaves north."]);
      tw.run(alice, "s");
    }
  });

  it("back south: the yard reads Alice leaves south., the hall Alice arrives from the north.", () => {
    tw.run(alice, "north");
    expect(tw.run(alice, "south")).toEqual({
      Alice: ["The Hall", "A plain hall with doors.", "Exits: north, east (closed), in (closed).", "You see an oak chest, a red apple, a green apple, a stone fountain and a wicker basket here.", "Bob and Carol are here."],
      Bob: ["Alice arrives from the north."],
      Carol: ["Alice arrives from the north."],
    });
  });

  it("a closed door stops the walk: The iron door is closed., and nobody else reads anything", () => {
    expect(tw.run(alice, "east")).toEqual({ Alice: ["The iron door is closed."], Bob: [], Carol: [] });
    expect(tw.run(alice, "go east")).toEqual({ Alice: ["The iron door is closed."], Bob: [], Carol: [] });
    expect(tw.world.thing("player:alice")?.location?.id).toBe("hall");
  });

  it("a direction with no exit: You can't go that way.", () => {
    expect(tw.run(alice, "west")).toEqual({ Alice: ["You can't go that way."], Bob: [], Carol: [] });
    expect(tw.run(alice, "go sideways")).toEqual({ Alice: ["You can't go that way."], Bob: [], Carol: [] });
  });

  it("a word that is neither a command nor an exit here is an unknown command", () => {
    expect(tw.run(alice, "sideways").Alice).toEqual(['Unknown command "sideways". Type help for the list.']);
  });
});

describe("ways that are not compass points", () => {
  it("typing the exit's name alone walks it: through a door, in", () => {
    tw.run(alice, "open cupboard");
    tw.run(bob, "in");
    expect(tw.run(alice, "in")).toEqual({
      Alice: ["A Cupboard", "Dark, and smelling of brooms.", "Exits: out.", "Bob is here."],
      Bob: ["Alice arrives from outside."],
      Carol: ["Alice leaves through the cupboard door."],
    });
  });

  it("out through the door: the hall reads Alice arrives from inside.", () => {
    tw.run(alice, "open cupboard");
    tw.run(alice, "in");
    expect(tw.run(alice, "out")).toEqual({
      Alice: ["The Hall", "A plain hall with doors.", "Exits: north, east (closed), in.", "You see an oak chest, a red apple, a green apple, a stone fountain and a wicker basket here.", "Bob and Carol are here."],
      Bob: ["Alice arrives from inside."],
      Carol: ["Alice arrives from inside."],
    });
  });

  it("an exit with a name of its own: Alice leaves for the shed., and Alice arrives. on the other side", () => {
    for (const p of [alice, bob, carol]) for (const command of ["north", "west"]) tw.run(p, command);
    tw.run(carol, "shed");
    expect(tw.run(alice, "shed")).toEqual({
      Alice: ["The Shed", "Spades and sacks.", "Exits: out.", "Carol is here."],
      Bob: ["Alice leaves for the shed."],
      Carol: ["Alice arrives."],
    });
  });

  it("out without a door: the shed reads Alice leaves, heading out., the garden Alice arrives from inside.", () => {
    for (const p of [alice, bob, carol]) for (const command of ["north", "west"]) tw.run(p, command);
    tw.run(alice, "shed");
    tw.run(carol, "shed");
    expect(tw.run(alice, "out")).toEqual({
      Alice: ["The Garden", "A garden outside the town's area.", "Exits: east, shed.", "You see a clay pot and a potato here.", "Bob is here."],
      Bob: ["Alice arrives from inside."],
      Carol: ["Alice leaves, heading out."],
    });
  });
});
