/**
 * Transcripts for src/world/actions/building-things.ts: make, destroy, describe and rename,
 * for a builder, with each refusal, and each refused to a player with nothing changed.
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

/** The stored record of `id`, if the world's part of the store holds one. */
function stored(id: string) {
  return tw.store.loadWorldThings().find((t) => t.record.id === id)?.record;
}

describe("make", () => {
  it("makes a portable thing in the builder's hands; the room sees it made", () => {
    expect(tw.run(alice, "make a blue vase")).toEqual({
      Alice: ["You make a blue vase (blue-vase)."],
      Bob: ["Alice makes a blue vase."],
      Carol: ["Alice makes a blue vase."],
    });
    expect(tw.run(alice, "inventory").Alice).toEqual(["You are carrying:", "  a blue vase"]);
    expect(tw.run(alice, "l vase").Alice).toEqual(["A blue vase", "You see nothing special about it."]);
    tw.run(alice, "drop vase");
    expect(tw.run(bob, "get blue").Bob).toEqual(["You pick up a blue vase."]);
  });

  it("its keywords are the name's words; the name is kept as written, article included", () => {
    tw.run(alice, "make an Old Oak Staff");
    const staff = tw.world.thing("old-oak-staff");
    expect(staff?.name).toBe("an Old Oak Staff");
    expect(staff?.keywords).toEqual(["old", "oak", "staff"]);
    expect(tw.run(alice, "make Excalibur").Alice).toEqual(["You make Excalibur (excalibur)."]);
    expect(tw.run(alice, "make some rope").Bob).toEqual(["Alice makes some rope."]);
  });

  it("ids stay unique: blue-vase, then blue-vase-2", () => {
    tw.run(alice, "make a blue vase");
    expect(tw.run(alice, "make a blue vase").Alice).toEqual(["You make a blue vase (blue-vase-2)."]);
    // A name with no Latin letters still gets an id.
    expect(tw.run(alice, "make a ☃").Alice).toEqual(["You make a ☃ (thing)."]);
  });

  it("is saved at once, with no seed: the store holds it in the builder's hands", () => {
    tw.run(alice, "make a blue vase");
    const held = tw.store.loadHeld("player:alice").find((t) => t.record.id === "blue-vase");
    expect(held?.record).toMatchObject({ location: "player:alice", name: "a blue vase", facets: { portable: true } });
  });

  it("a name longer than the files allow; one that is not plain text", () => {
    expect(tw.run(alice, `make ${"x".repeat(81)}`)).toEqual(aliceAlone("A name must be at most 80 characters."));
    expect(tw.run(alice, `make ${"x".repeat(80)}`).Alice?.[0]).toBe(`You make a ${"x".repeat(80)} (${"x".repeat(40)}).`);
    expect(tw.run(alice, "make a \u0007bell")).toEqual(aliceAlone("A name must be one line of plain text."));
  });

  it("nothing to make: the usage", () => {
    expect(tw.run(alice, "make")).toEqual(aliceAlone("Usage: make <name>"));
  });

  it("a player is refused, and has nothing", () => {
    expect(tw.run(bob, "make a blue vase")).toEqual({ Alice: [], Bob: ["Only builders may use make."], Carol: [] });
    expect(tw.world.thing("blue-vase")).toBeUndefined();
  });
});

describe("destroy", () => {
  it("a thing lying here: the builder destroys it, the room sees it vanish", () => {
    expect(tw.run(alice, "destroy fountain")).toEqual({
      Alice: ["You destroy the stone fountain."],
      Bob: ["The stone fountain vanishes."],
      Carol: ["The stone fountain vanishes."],
    });
    expect(tw.run(bob, "look fountain").Bob).toEqual(["You see nothing like that here."]);
    expect(tw.world.thing("fountain")).toBeUndefined();
  });

  it("a thing in the builder's hands", () => {
    tw.run(alice, "make a blue vase");
    expect(tw.run(alice, "destroy vase").Bob).toEqual(["The blue vase vanishes."]);
    expect(tw.run(alice, "inventory").Alice).toEqual(["You are carrying nothing."]);
  });

  it("what was inside drops to the room, saved there", () => {
    expect(tw.run(alice, "destroy chest")).toEqual({
      Alice: ["You destroy the oak chest, and two copper coins and a folded letter fall to the ground."],
      Bob: ["The oak chest vanishes, and two copper coins and a folded letter fall to the ground."],
      Carol: ["The oak chest vanishes, and two copper coins and a folded letter fall to the ground."],
    });
    expect(tw.run(bob, "get letter").Bob).toEqual(["You pick up a folded letter."]);
    expect(stored("coin")?.location).toBe("hall");
  });

  it("one thing inside falls", () => {
    tw.run(alice, "get red apple");
    tw.run(alice, "put apple in basket");
    expect(tw.run(alice, "destroy basket").Alice).toEqual(["You destroy the wicker basket, and a red apple falls to the ground."]);
  });

  it("a thing of the world files leaves a tombstone, so the next boot does not bring it back; a made thing leaves nothing", () => {
    tw.run(alice, "destroy fountain");
    expect(stored("fountain")).toMatchObject({ location: null, destroyed: true });
    tw.run(alice, "make a blue vase");
    tw.run(alice, "destroy vase");
    expect(tw.store.loadHeld("blue-vase")).toEqual([]);
  });

  it("the room, an exit, a character, oneself: each refused, saying why", () => {
    expect(tw.run(alice, "destroy here")).toEqual(aliceAlone("You can't destroy a room."));
    expect(tw.run(alice, "destroy north")).toEqual(aliceAlone("The way north (hall/north) is an exit: unlink it instead."));
    expect(tw.run(alice, "destroy bob")).toEqual(aliceAlone("You can't destroy a character."));
    expect(tw.run(alice, "destroy me")).toEqual(aliceAlone("You can't destroy yourself."));
  });

  it("only what is here or in hands, by its words or its id", () => {
    expect(tw.run(alice, "destroy unicorn")).toEqual(aliceAlone("You see nothing like that here, and no thing has that id."));
    // The brass key lies in the yard.
    expect(tw.run(alice, "destroy brass-key")).toEqual(aliceAlone("You see nothing like that here, and no thing has that id."));
    expect(tw.run(alice, "destroy red-apple").Alice).toEqual(["You destroy the red apple."]);
  });

  it("a player is refused, and the thing stays", () => {
    expect(tw.run(bob, "destroy fountain")).toEqual({ Alice: [], Bob: ["Only builders may use destroy."], Carol: [] });
    expect(tw.world.thing("fountain")).toBeDefined();
  });
});

describe("describe", () => {
  it("here: the room reads the new description; nobody else is told", () => {
    expect(tw.run(alice, "describe here A plain hall, swept clean.")).toEqual(aliceAlone("You describe The Hall (hall)."));
    expect(tw.run(bob, "look").Bob?.[1]).toBe("A plain hall, swept clean.");
    expect(stored("hall")?.description).toBe("A plain hall, swept clean.");
  });

  it("a thing named by a word, which one?, an exit, an id far away, oneself", () => {
    expect(tw.run(alice, "describe fountain Water falls from a stone fish.").Alice).toEqual(["You describe the stone fountain (fountain)."]);
    expect(tw.run(bob, "l fountain").Bob).toEqual(["A stone fountain", "Water falls from a stone fish."]);
    expect(tw.run(alice, "describe apple Shiny.").Alice).toEqual(['Which "apple" do you mean?', "  1. a red apple", "  2. a green apple", "Type the number."]);
    expect(tw.run(alice, "2").Alice).toEqual(["You describe the green apple (green-apple)."]);
    expect(tw.run(alice, "describe north A cobbled arch.").Alice).toEqual(["You describe the way north (hall/north)."]);
    expect(tw.run(bob, "look north").Bob).toEqual(["A cobbled arch. The way north leads to The Yard."]);
    expect(tw.run(alice, "describe brass-key Tiny and bright.").Alice).toEqual(["You describe the brass key (brass-key)."]);
    expect(tw.run(alice, "describe me A builder, dusty.").Alice).toEqual(["You describe Alice (player:alice)."]);
  });

  it("another player's character: refused", () => {
    expect(tw.run(alice, "describe bob A rogue.")).toEqual(aliceAlone("You can't describe another player's character."));
  });

  it("at the files' limit and one past: 4000 characters", () => {
    expect(tw.run(alice, `describe fountain ${"w".repeat(4000)}`).Alice).toEqual(["You describe the stone fountain (fountain)."]);
    expect(tw.run(alice, `describe fountain ${"w".repeat(4001)}`)).toEqual(aliceAlone("A description must be at most 4000 characters."));
  });

  it("nothing by that name: refused; no text: the usage", () => {
    expect(tw.run(alice, "describe unicorn White.")).toEqual(aliceAlone("You see nothing like that here, and no thing has that id."));
    expect(tw.run(alice, "describe fountain")).toEqual(aliceAlone("Usage: describe here|<thing> <text>"));
  });

  it("a player is refused, and the room reads as before", () => {
    expect(tw.run(bob, "describe here Bob was here.")).toEqual({ Alice: [], Bob: ["Only builders may use describe."], Carol: [] });
    expect(tw.run(bob, "look").Bob?.[1]).toBe("A plain hall with doors.");
  });
});

describe("rename", () => {
  it("here: the room's name", () => {
    expect(tw.run(alice, "rename here The Great Hall")).toEqual(aliceAlone("You rename The Hall (hall) to The Great Hall."));
    expect(tw.run(bob, "look").Bob?.[0]).toBe("The Great Hall");
  });

  it("a thing: its name with its article, and the keywords follow", () => {
    expect(tw.run(alice, "rename fountain a marble fountain").Alice).toEqual(["You rename the stone fountain (fountain) to a marble fountain; it answers to marble, fountain."]);
    expect(tw.run(bob, "l marble").Bob?.[0]).toBe("A marble fountain");
    expect(tw.run(bob, "l stone").Bob).toEqual(["You see nothing like that here."]);
    expect(stored("fountain")).toMatchObject({ name: "a marble fountain", keywords: ["marble", "fountain"] });
  });

  it("keywords set explicitly stay", () => {
    // The files give the red apple [apple, red], not its name's words.
    expect(tw.run(alice, "rename red a crisp apple").Alice).toEqual(["You rename the red apple (red-apple) to a crisp apple; it still answers to apple, red."]);
    tw.run(alice, "set fountain keywords heron");
    expect(tw.run(alice, "rename fountain a dry fountain").Alice).toEqual(["You rename the stone fountain (fountain) to a dry fountain; it still answers to heron."]);
  });

  it("a character of the world, by its id", () => {
    expect(tw.run(alice, "rename marta Martha").Alice).toEqual(["You rename Marta (marta) to Martha; it still answers to marta, landlady."]);
  });

  it("an exit, a player's character, a name too long: refused", () => {
    expect(tw.run(alice, "rename north archway")).toEqual(aliceAlone("The way north (hall/north) is an exit, named by its direction: unlink it and link it again."));
    expect(tw.run(alice, "rename bob Robert")).toEqual(aliceAlone("A player's character is called by its player's name."));
    expect(tw.run(alice, "rename me Alicia")).toEqual(aliceAlone("A player's character is called by its player's name."));
    expect(tw.run(alice, `rename fountain ${"f".repeat(81)}`)).toEqual(aliceAlone("A name must be at most 80 characters."));
  });

  it("a player is refused, and the name stays", () => {
    expect(tw.run(bob, "rename here Bob's Place")).toEqual({ Alice: [], Bob: ["Only builders may use rename."], Carol: [] });
    expect(tw.world.thing("hall")?.name).toBe("The Hall");
  });
});
