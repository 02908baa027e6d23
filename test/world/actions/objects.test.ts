/**
 * Transcripts for src/world/actions/objects.ts: get (from the room and out of a container),
 * drop, put and give, each with its refusals. A refusal is read by the actor alone.
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

describe("get", () => {
  it("one thing: the actor picks it up, everyone else sees it", () => {
    expect(tw.run(alice, "get red apple")).toEqual({
      Alice: ["You pick up a red apple."],
      Bob: ["Alice picks up a red apple."],
      Carol: ["Alice picks up a red apple."],
    });
    expect(tw.world.thing("red-apple")?.location?.id).toBe("player:alice");
  });

  it("take and pick up are get", () => {
    expect(tw.run(alice, "take red apple").Alice).toEqual(["You pick up a red apple."]);
    expect(tw.run(alice, "pick up green apple").Alice).toEqual(["You pick up a green apple."]);
  });

  it("all: everything portable in one sentence, leaving the fixtures", () => {
    expect(tw.run(alice, "get all")).toEqual({
      Alice: ["You pick up a red apple, a green apple and a wicker basket."],
      Bob: ["Alice picks up a red apple, a green apple and a wicker basket."],
      Carol: ["Alice picks up a red apple, a green apple and a wicker basket."],
    });
    expect(tw.world.thing("chest")?.location?.id).toBe("hall");
  });

  it("all.apple: every apple", () => {
    expect(tw.run(alice, "get all.apple").Carol).toEqual(["Alice picks up a red apple and a green apple."]);
  });

  it("2.apple: the second apple, in the order a look lists them", () => {
    expect(tw.run(alice, "get 2.apple")).toEqual({
      Alice: ["You pick up a green apple."],
      Bob: ["Alice picks up a green apple."],
      Carol: ["Alice picks up a green apple."],
    });
  });

  it("from a container: You take ... from the oak chest.", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "get letter from chest")).toEqual({
      Alice: ["You take a folded letter from the oak chest."],
      Bob: ["Alice takes a folded letter from the oak chest."],
      Carol: ["Alice takes a folded letter from the oak chest."],
    });
  });

  it("all from a container: everything in it, counted", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "get all out chest").Bob).toEqual(["Alice takes two copper coins and a folded letter from the oak chest."]);
  });

  it("from a closed container is refused: The oak chest is closed.", () => {
    expect(tw.run(alice, "get coin from chest")).toEqual(aliceAlone("The oak chest is closed."));
  });

  it("from an empty container: There is nothing in the wicker basket.", () => {
    expect(tw.run(alice, "get all from basket")).toEqual(aliceAlone("There is nothing in the wicker basket."));
  });

  it("from a container that does not hold it: There is nothing like that in it.", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "get apple from chest")).toEqual(aliceAlone("There is nothing like that in it."));
  });

  it("from something that is no container: The stone fountain cannot hold anything.", () => {
    expect(tw.run(alice, "get coin from fountain")).toEqual(aliceAlone("The stone fountain cannot hold anything."));
  });

  it("from a person is refused without saying they hold nothing: Bob is not a container.", () => {
    tw.run(bob, "get red apple");
    expect(tw.run(alice, "get apple from bob")).toEqual(aliceAlone("Bob is not a container."));
  });

  it("a fixture is refused: You can't take the stone fountain.", () => {
    expect(tw.run(alice, "get fountain")).toEqual(aliceAlone("You can't take the stone fountain."));
  });

  it("all where nothing can be taken: There is nothing here you can take.", () => {
    tw.run(alice, "get all");
    expect(tw.run(bob, "get all")).toEqual({ Alice: [], Bob: ["There is nothing here you can take."], Carol: [] });
  });

  it("nothing by that name: You see nothing like that here.", () => {
    expect(tw.run(alice, "get unicorn")).toEqual(aliceAlone("You see nothing like that here."));
  });

  it("what the actor already carries: You already have that.", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "get red apple")).toEqual(aliceAlone("You already have that."));
  });

  it("a thing in a container is not lying here", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "get letter")).toEqual(aliceAlone("You see nothing like that here."));
  });
});

describe("drop", () => {
  it("one thing: it lies in the room", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "drop apple")).toEqual({
      Alice: ["You drop a red apple."],
      Bob: ["Alice drops a red apple."],
      Carol: ["Alice drops a red apple."],
    });
    expect(tw.world.thing("red-apple")?.location?.id).toBe("hall");
  });

  it("all: everything carried, in one sentence", () => {
    tw.run(alice, "open chest");
    tw.run(alice, "get all from chest");
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "drop all")).toEqual({
      Alice: ["You drop two copper coins, a folded letter and a red apple."],
      Bob: ["Alice drops two copper coins, a folded letter and a red apple."],
      Carol: ["Alice drops two copper coins, a folded letter and a red apple."],
    });
  });

  it("with empty hands: You are carrying nothing.", () => {
    expect(tw.run(alice, "drop all")).toEqual(aliceAlone("You are carrying nothing."));
  });

  it("what is not carried: You are not carrying that.", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "drop fountain")).toEqual(aliceAlone("You are not carrying that."));
  });
});

describe("put", () => {
  it("into an open container, lying here", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "put apple in basket")).toEqual({
      Alice: ["You put a red apple in the wicker basket."],
      Bob: ["Alice puts a red apple in the wicker basket."],
      Carol: ["Alice puts a red apple in the wicker basket."],
    });
    expect(tw.world.thing("red-apple")?.location?.id).toBe("basket");
  });

  it("into a container carried, with into and all: it is her basket, and his and theirs by pronouns", () => {
    tw.run(alice, "pronouns she");
    tw.run(alice, "get all");
    expect(tw.run(alice, "put all into basket")).toEqual({
      Alice: ["You put a red apple and a green apple in your wicker basket."],
      Bob: ["Alice puts a red apple and a green apple in her wicker basket."],
      Carol: ["Alice puts a red apple and a green apple in her wicker basket."],
    });
    expect(tw.world.thing("basket")?.location?.id).toBe("player:alice");
    expect(tw.run(alice, "get green apple from basket").Bob).toEqual(["Alice takes a green apple from her wicker basket."]);
    tw.run(alice, "pronouns they");
    expect(tw.run(alice, "get red apple from basket").Bob).toEqual(["Alice takes a red apple from their wicker basket."]);
  });

  it("into a closed container is refused: The oak chest is closed.", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "put apple in chest")).toEqual(aliceAlone("The oak chest is closed."));
  });

  it("a container into itself is refused", () => {
    tw.run(alice, "get basket");
    expect(tw.run(alice, "put basket in basket")).toEqual(aliceAlone("You can't put the wicker basket inside itself."));
  });

  it("into something that is no container: The stone fountain cannot hold anything.", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "put apple in fountain")).toEqual(aliceAlone("The stone fountain cannot hold anything."));
  });

  it("all with empty hands: You are carrying nothing.", () => {
    expect(tw.run(alice, "put all in basket")).toEqual(aliceAlone("You are carrying nothing."));
  });

  it("what is not carried: You are not carrying that.", () => {
    expect(tw.run(alice, "put red apple in basket")).toEqual(aliceAlone("You are not carrying that."));
  });

  it("into nothing by that name: You see nothing like that here.", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "put apple in wardrobe")).toEqual(aliceAlone("You see nothing like that here."));
  });
});

describe("give", () => {
  it("to a person here: the actor, the target and a bystander each read their own sentence", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "give apple to bob")).toEqual({
      Alice: ["You give a red apple to Bob."],
      Bob: ["Alice gives you a red apple."],
      Carol: ["Alice gives Bob a red apple."],
    });
    expect(tw.world.thing("red-apple")?.location?.id).toBe("player:bob");
  });

  it("all: everything carried, counted", () => {
    tw.run(alice, "open chest");
    tw.run(alice, "get all from chest");
    expect(tw.run(alice, "give all to carol")).toEqual({
      Alice: ["You give two copper coins and a folded letter to Carol."],
      Bob: ["Alice gives Carol two copper coins and a folded letter."],
      Carol: ["Alice gives you two copper coins and a folded letter."],
    });
  });

  it("to someone online elsewhere: Bob is not here.", () => {
    tw.run(alice, "get red apple");
    tw.run(bob, "north");
    expect(tw.run(alice, "give apple to bob")).toEqual(aliceAlone("Bob is not here."));
    expect(tw.world.thing("red-apple")?.location?.id).toBe("player:alice");
  });

  it("what the actor does not carry: You are not carrying that.", () => {
    expect(tw.run(alice, "give red apple to bob")).toEqual(aliceAlone("You are not carrying that."));
  });

  it("all with empty hands: You are carrying nothing.", () => {
    expect(tw.run(alice, "give all to bob")).toEqual(aliceAlone("You are carrying nothing."));
  });

  it("to nobody by that name: There is nobody like that here.", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "give apple to nobody")).toEqual(aliceAlone("There is nobody like that here."));
  });

  it("to a thing, not a person: There is nobody like that here.", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "give apple to fountain")).toEqual(aliceAlone("There is nobody like that here."));
  });

  it("to yourself: You already have it.", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "give apple to me")).toEqual(aliceAlone("You already have it."));
  });

  it("to a character of the world, who is told nothing as a session but keeps it", () => {
    tw.run(alice, "get red apple");
    tw.run(alice, "north");
    expect(tw.run(alice, "give apple to marta")).toEqual({ Alice: ["You give a red apple to Marta."], Bob: [], Carol: [] });
    expect(tw.world.thing("red-apple")?.location?.id).toBe("marta");
  });
});
