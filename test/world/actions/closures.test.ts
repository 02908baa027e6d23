/**
 * Transcripts for src/world/actions/closures.ts: open, close, lock and unlock, on doors and
 * lids, with each refusal. A door is one thing shared by the exits on its two sides: opened
 * from one room, it is open from the other, and can be walked through from both.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestPlayer, type TestWorld, threePlayers, aliceAlone } from "../../support/transcript.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;
let carol: TestPlayer;

beforeEach(async () => {
  ({ tw, alice, bob, carol } = await threePlayers());
});
afterEach(() => tw.close());

/** Alice fetches the brass key from the yard and comes back to the hall. */
function fetchKey(): void {
  for (const command of ["north", "get key", "south"]) tw.run(alice, command);
}

describe("open and close a container", () => {
  it("open: the actor opens it, the room sees it", () => {
    expect(tw.run(alice, "open chest")).toEqual({
      Alice: ["You open the oak chest."],
      Bob: ["Alice opens the oak chest."],
      Carol: ["Alice opens the oak chest."],
    });
  });

  it("close (and shut): the actor closes it, the room sees it", () => {
    tw.run(alice, "open chest");
    expect(tw.run(bob, "shut chest")).toEqual({
      Alice: ["Bob closes the oak chest."],
      Bob: ["You close the oak chest."],
      Carol: ["Bob closes the oak chest."],
    });
  });

  it("already open: The oak chest is already open.", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "open chest")).toEqual(aliceAlone("The oak chest is already open."));
  });

  it("already closed: The oak chest is already closed.", () => {
    expect(tw.run(alice, "close chest")).toEqual(aliceAlone("The oak chest is already closed."));
  });

  it("a thing with no lid: You can't open the stone fountain.", () => {
    expect(tw.run(alice, "open fountain")).toEqual(aliceAlone("You can't open the stone fountain."));
    expect(tw.run(alice, "close basket")).toEqual(aliceAlone("You can't close the wicker basket."));
  });

  it("nothing by that name: You see nothing like that here.", () => {
    expect(tw.run(alice, "open wardrobe")).toEqual(aliceAlone("You see nothing like that here."));
  });

  it("an exit with no door is not something to open", () => {
    expect(tw.run(alice, "open north")).toEqual(aliceAlone("You see nothing like that here."));
  });
});

describe("open and close a door", () => {
  it("open: named by its own words", () => {
    expect(tw.run(alice, "open cupboard")).toEqual({
      Alice: ["You open the cupboard door."],
      Bob: ["Alice opens the cupboard door."],
      Carol: ["Alice opens the cupboard door."],
    });
  });

  it("open and close named by the exit's direction", () => {
    expect(tw.run(alice, "open in").Bob).toEqual(["Alice opens the cupboard door."]);
    expect(tw.run(alice, "close in").Bob).toEqual(["Alice closes the cupboard door."]);
  });

  it("a locked door does not open: The iron door is locked.", () => {
    expect(tw.run(alice, "open iron door")).toEqual(aliceAlone("The iron door is locked."));
  });

  it("already open, already closed", () => {
    expect(tw.run(alice, "close cupboard")).toEqual(aliceAlone("The cupboard door is already closed."));
    tw.run(alice, "open cupboard");
    expect(tw.run(alice, "open cupboard")).toEqual(aliceAlone("The cupboard door is already open."));
  });

  it("opened from one side it is open from the other: walk in, close it from inside, and out is shut", () => {
    tw.run(alice, "open cupboard");
    expect(tw.run(alice, "in").Alice?.[0]).toBe("A Cupboard");
    expect(tw.run(alice, "look out").Alice).toEqual(["The cupboard door is open. The way out leads to The Hall."]);
    // The hall does not see who closed it, but hears the door.
    expect(tw.run(alice, "close door")).toEqual({
      Alice: ["You close the cupboard door."],
      Bob: ["The cupboard door swings shut."],
      Carol: ["The cupboard door swings shut."],
    });
    // From the hall, the same door is shut.
    expect(tw.run(bob, "look in").Bob).toEqual(["The cupboard door is closed."]);
    expect(tw.run(bob, "in").Bob).toEqual(["The cupboard door is closed."]);
    expect(tw.run(alice, "out").Alice).toEqual(["The cupboard door is closed."]);
    // Opened from inside, Bob walks in from the hall.
    tw.run(alice, "open door");
    expect(tw.run(bob, "in").Bob?.[0]).toBe("A Cupboard");
  });

  it("the door's state is saved on both sides", () => {
    tw.run(alice, "open cupboard");
    const sides = tw.store.loadWorldThings().filter((t) => t.record.facets.exit?.door?.name === "a cupboard door");
    expect(sides.map((t) => t.record.facets.exit?.door?.open)).toEqual([true, true]);
  });
});

describe("unlock", () => {
  it("with a named key: the actor and the room read it, key included", () => {
    fetchKey();
    expect(tw.run(alice, "unlock iron door with brass key")).toEqual({
      Alice: ["You unlock the iron door with a brass key."],
      Bob: ["Alice unlocks the iron door with a brass key."],
      Carol: ["Alice unlocks the iron door with a brass key."],
    });
    expect(tw.run(alice, "look east").Alice).toEqual(["The iron door is closed."]);
  });

  it("with no key named: the key that fits is found among what the actor carries", () => {
    fetchKey();
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "unlock east").Carol).toEqual(["Alice unlocks the iron door with a brass key."]);
  });

  it("with the wrong key: The red apple does not fit the iron door.", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "unlock iron door with apple")).toEqual(aliceAlone("The red apple does not fit the iron door."));
  });

  it("with no key that fits: You have no key that fits the iron door.", () => {
    expect(tw.run(alice, "unlock iron door")).toEqual(aliceAlone("You have no key that fits the iron door."));
  });

  it("with a key named but not carried: You are not carrying that.", () => {
    expect(tw.run(alice, "unlock iron door with brass key")).toEqual(aliceAlone("You are not carrying that."));
  });

  it("what is not locked: The iron door is not locked.", () => {
    fetchKey();
    tw.run(alice, "unlock iron door");
    expect(tw.run(alice, "unlock iron door")).toEqual(aliceAlone("The iron door is not locked."));
  });

  it("what has no lock: The cupboard door has no lock.", () => {
    expect(tw.run(alice, "unlock cupboard")).toEqual(aliceAlone("The cupboard door has no lock."));
  });
});

describe("lock", () => {
  it("with a named key, after closing", () => {
    fetchKey();
    tw.run(alice, "unlock iron door");
    expect(tw.run(alice, "lock iron door with key")).toEqual({
      Alice: ["You lock the iron door with a brass key."],
      Bob: ["Alice locks the iron door with a brass key."],
      Carol: ["Alice locks the iron door with a brass key."],
    });
    expect(tw.run(alice, "open iron door").Alice).toEqual(["The iron door is locked."]);
  });

  it("with the key found in hands", () => {
    fetchKey();
    tw.run(alice, "unlock iron door");
    expect(tw.run(alice, "lock iron door").Alice).toEqual(["You lock the iron door with a brass key."]);
  });

  it("an open door must be closed first", () => {
    fetchKey();
    tw.run(alice, "unlock iron door");
    tw.run(alice, "open iron door");
    expect(tw.run(alice, "lock iron door")).toEqual(aliceAlone("You must close the iron door first."));
  });

  it("already locked: The iron door is already locked.", () => {
    fetchKey();
    expect(tw.run(alice, "lock iron door")).toEqual(aliceAlone("The iron door is already locked."));
  });

  it("with no key: You have no key that fits the iron door.", () => {
    fetchKey();
    tw.run(alice, "unlock iron door");
    tw.run(alice, "drop key");
    expect(tw.run(alice, "lock iron door")).toEqual(aliceAlone("You have no key that fits the iron door."));
  });

  it("with the wrong key: The red apple does not fit the iron door.", () => {
    fetchKey();
    tw.run(alice, "unlock iron door");
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "lock iron door with red apple")).toEqual(aliceAlone("The red apple does not fit the iron door."));
  });

  it("what has no lock: The oak chest has no lock.", () => {
    expect(tw.run(alice, "lock chest")).toEqual(aliceAlone("The oak chest has no lock."));
  });

  it("what cannot be shut at all: You can't lock the stone fountain.", () => {
    expect(tw.run(alice, "lock fountain")).toEqual(aliceAlone("You can't lock the stone fountain."));
  });
});

describe("through the iron door", () => {
  it("unlocked and opened from the hall, it is open from the vault: walk east, look back, close and lock it from there", () => {
    fetchKey();
    tw.run(alice, "unlock iron door");
    tw.run(alice, "open iron door");
    expect(tw.run(alice, "east").Alice?.[0]).toBe("The Vault");
    expect(tw.run(alice, "look west").Alice).toEqual(["The iron door is open. The way west leads to The Hall."]);
    expect(tw.run(alice, "close door").Alice).toEqual(["You close the iron door."]);
    expect(tw.run(alice, "lock door").Alice).toEqual(["You lock the iron door with a brass key."]);
    expect(tw.run(bob, "look east").Bob).toEqual(["The iron door is closed and locked."]);
  });

  it("the far side hears the door: it swings open and shut, and someone locks and unlocks it", () => {
    fetchKey();
    tw.run(alice, "unlock iron door");
    tw.run(alice, "open iron door");
    tw.run(carol, "east");
    expect(tw.run(alice, "close iron door")).toEqual({
      Alice: ["You close the iron door."],
      Bob: ["Alice closes the iron door."],
      Carol: ["The iron door swings shut."],
    });
    expect(tw.run(alice, "lock iron door")).toEqual({
      Alice: ["You lock the iron door with a brass key."],
      Bob: ["Alice locks the iron door with a brass key."],
      Carol: ["Someone locks the iron door from the other side."],
    });
    expect(tw.run(alice, "unlock iron door").Carol).toEqual(["Someone unlocks the iron door from the other side."]);
    expect(tw.run(alice, "open iron door").Carol).toEqual(["The iron door swings open."]);
  });
});
