/**
 * Transcripts for `examine` (src/world/actions/building-examine.ts, src/world/building/
 * examine-view.ts): a thing as the store holds it, for builders; players are refused and keep
 * `look`, which `examine` and `x` used to be aliases of.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";
import { joinAs } from "./builders.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;

beforeEach(async () => {
  tw = makeTestWorld();
  alice = await joinAs(tw, "Alice");
  bob = await tw.join("Bob");
});
afterEach(() => tw.close());

describe("examine", () => {
  it("alone: the room, with its id, number, area and its contents' ids; nobody else is told", () => {
    expect(tw.run(alice, "examine")).toEqual({
      Alice: [
        "The Hall (hall) num 1",
        "Kind: room",
        "Name: The Hall",
        "Keywords: hall",
        "Description: A plain hall with doors.",
        "Location: none",
        "Area: Testshire",
        "Template: none",
        "Behaviours: none",
        "Contents: hall/north, hall/east, hall/in, chest, red-apple, green-apple, fountain, basket, player:alice, player:bob",
      ],
      Bob: [],
    });
    expect(tw.run(alice, "examine here").Alice?.[0]).toBe("The Hall (hall) num 1");
  });

  it("a container: its lid, key, portability and contents", () => {
    expect(tw.run(alice, "x chest").Alice).toEqual([
      "The oak chest (chest) num 18",
      "Kind: thing",
      "Name: an oak chest",
      "Keywords: oak, chest",
      "Description: Banded with iron.",
      "Location: hall",
      "Portable: no",
      "Container: yes, a lid closed, no lock",
      "Template: none",
      "Behaviours: none",
      "Contents: coin, coin#2, letter",
    ]);
    tw.run(alice, "set chest key brass-key");
    tw.run(alice, "set chest locked true");
    expect(tw.run(alice, "x chest").Alice).toContain("Container: yes, a lid closed, locked, key brass-key");
    expect(tw.run(alice, "x basket").Alice).toContain("Container: yes, no lid");
  });

  it("an exit: where it leads, its door with its state and key, its twin", () => {
    expect(tw.run(alice, "examine east").Alice).toEqual([
      "The way east (hall/east) num 8",
      "Kind: exit",
      "Name: east",
      "Keywords: east, e, door, iron",
      "Description: (none)",
      "Location: hall",
      "Exit: east to vault",
      "Door: an iron door; closed, locked, key brass-key",
      "Twin: vault/west",
      "Template: none",
      "Behaviours: none",
      "Contents: none",
    ]);
    expect(tw.run(alice, "examine north").Alice).toContain("Door: none");
  });

  it("by id, anywhere: a character's pronouns and behaviours; a respawner's state; a copy's template", () => {
    expect(tw.run(alice, "examine marta").Alice).toEqual([
      "Marta (marta) num 29",
      "Kind: character",
      "Name: Marta",
      "Keywords: marta, landlady",
      "Description: A broad woman with flour on her hands.",
      "Location: yard",
      "Pronouns: she",
      "Player: none (a non-player character)",
      "Template: none",
      'Behaviours: greet {"say":"Welcome to the yard, {name}!","delaySeconds":1}',
      "Contents: none",
    ]);
    const pear = tw.run(alice, "examine pear").Alice;
    expect(pear).toContain('Behaviours: respawn {"afterSeconds":60}');
    expect(pear).toContain('State: respawn {"home":"yard"}');
    expect(tw.run(alice, "examine coin#2").Alice).toEqual(expect.arrayContaining(["The copper coin (coin#2) num 20", "Location: chest", "Template: coin"]));
  });

  it("a player's character: its player and what it carries", () => {
    tw.run(bob, "get red apple");
    expect(tw.run(alice, "examine bob").Alice).toEqual(expect.arrayContaining(["Kind: player's character", "Player: bob", "Pronouns: they", "Contents: red-apple"]));
  });

  it("a made thing: in the builder's hands, portable, described by default", () => {
    tw.run(alice, "make a blue vase");
    expect(tw.run(alice, "examine vase").Alice).toEqual(expect.arrayContaining(["Location: player:alice", "Portable: yes", "Container: no", "Description: You see nothing special about it."]));
  });

  it(`lists at most 50 contents, then how many more`, () => {
    for (let i = 0; i < 51; i++) tw.run(alice, "make a pebble");
    const contents = tw.run(alice, "examine me").Alice?.find((l) => l.startsWith("Contents:"));
    expect(contents).toMatch(/^Contents: pebble, pebble-2, .*, pebble-50 and 1 more$/);
    expect(contents?.split(", ")).toHaveLength(50);
  });

  it("nothing by that name or id", () => {
    expect(tw.run(alice, "examine unicorn")).toEqual({ Alice: ["You see nothing like that here, and no thing has that id."], Bob: [] });
  });

  it("a player is refused examine and x, and keeps look and l", () => {
    expect(tw.run(bob, "examine chest")).toEqual({ Alice: [], Bob: ["Only builders may use examine."] });
    expect(tw.run(bob, "x chest")).toEqual({ Alice: [], Bob: ["Only builders may use examine."] });
    expect(tw.run(bob, "l chest").Bob?.[0]).toBe("An oak chest");
  });
});
