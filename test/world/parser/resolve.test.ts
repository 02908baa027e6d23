/**
 * Naming things (src/world/parser/resolve.ts, and the "which one?" question in dispatch.ts):
 * first the resolver alone on hand-made things, then transcripts of players naming things the
 * way MUD players expect.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Thing } from "../../../src/world/model/thing.js";
import { referenceWords, resolve } from "../../../src/world/parser/resolve.js";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";

/** A portable thing with these words. */
function thing(id: string, name: string, keywords: readonly string[]): Thing {
  return Thing.fromRecord({ id, location: null, name, keywords, description: "", facets: { portable: true } });
}

describe("resolve, alone", () => {
  const cat = thing("cat", "a grey cat", ["cat", "grey"]);
  const catapult = thing("catapult", "a catapult", ["catapult"]);
  const coin1 = thing("coin", "a copper coin", ["copper", "coin"]);
  const coin2 = thing("coin#2", "a copper coin", ["copper", "coin"]);
  const lantern = thing("lantern", "a brass lantern", ["brass", "lantern"]);
  const things = [cat, catapult, coin1, coin2, lantern];
  const one = { things, many: false };
  const many = { things, many: true };

  it("referenceWords lowercases, splits on any space and drops articles", () => {
    expect(referenceWords("the Brass  lantern")).toEqual(["brass", "lantern"]);
    expect(referenceWords("a")).toEqual([]);
  });

  it("a keyword, or the start of one; every word must name the thing", () => {
    expect(resolve("lantern", one)).toEqual({ kind: "found", things: [lantern] });
    expect(resolve("lan", one)).toEqual({ kind: "found", things: [lantern] });
    expect(resolve("br lan", one)).toEqual({ kind: "found", things: [lantern] });
    expect(resolve("copper lantern", one)).toEqual({ kind: "none" });
  });

  it("an exact keyword beats a prefix: cat is the cat, not the catapult", () => {
    expect(resolve("cat", one)).toEqual({ kind: "found", things: [cat] });
    expect(resolve("cata", one)).toEqual({ kind: "found", things: [catapult] });
    expect(resolve("ca", one)).toEqual({ kind: "ambiguous", candidates: [cat, catapult] });
  });

  it("things that read the same are not worth a question: the first is taken", () => {
    expect(resolve("coin", one)).toEqual({ kind: "found", things: [coin1] });
  });

  it("2.coin is the second match; 3.coin of two is too few; 0.coin is too few", () => {
    expect(resolve("2.coin", one)).toEqual({ kind: "found", things: [coin2] });
    expect(resolve("3.coin", one)).toEqual({ kind: "too-few", count: 2 });
    expect(resolve("0.coin", one)).toEqual({ kind: "too-few", count: 2 });
  });

  it("all.coin names every coin where several may be named, and is refused where one must be", () => {
    expect(resolve("all.coin", many)).toEqual({ kind: "found", things: [coin1, coin2] });
    expect(resolve("all.coin", one)).toEqual({ kind: "not-many" });
  });

  it("all and everything name everything in scope where several may be named", () => {
    expect(resolve("all", many)).toEqual({ kind: "found", things });
    expect(resolve("everything", many)).toEqual({ kind: "found", things });
    expect(resolve("all", one)).toEqual({ kind: "not-many" });
  });

  it("me, self, myself and here name what the scope allows, and nothing otherwise", () => {
    const room = Thing.fromRecord({ id: "room", location: null, name: "The Room", keywords: ["room"], description: "", facets: { room: { area: "a" } } });
    expect(resolve("me", { ...one, me: cat })).toEqual({ kind: "found", things: [cat] });
    expect(resolve("SELF", { ...one, me: cat })).toEqual({ kind: "found", things: [cat] });
    expect(resolve("myself", { ...one, me: cat })).toEqual({ kind: "found", things: [cat] });
    expect(resolve("here", { ...one, here: room })).toEqual({ kind: "found", things: [room] });
    expect(resolve("me", one)).toEqual({ kind: "none" });
    expect(resolve("here", one)).toEqual({ kind: "none" });
  });

  it("nothing but articles names nothing", () => {
    expect(resolve("the", one)).toEqual({ kind: "none" });
    expect(resolve("2.the", one)).toEqual({ kind: "none" });
  });
});

describe("naming, in play", () => {
  let tw: TestWorld;
  let alice: TestPlayer;
  let bob: TestPlayer;

  beforeEach(async () => {
    tw = makeTestWorld();
    alice = await tw.join("Alice");
    bob = await tw.join("Bob");
  });
  afterEach(() => tw.close());

  it("the start of a keyword names the thing: get gre", () => {
    expect(tw.run(alice, "get gre")).toEqual({ Alice: ["You pick up a green apple."], Bob: ["Alice picks up a green apple."] });
  });

  it("several words, each the start of a keyword, and articles ignored: get the r app", () => {
    expect(tw.run(alice, "get the r app").Alice).toEqual(["You pick up a red apple."]);
  });

  it("an exact keyword beats a prefix: pot is the clay pot, pota the potato", () => {
    tw.run(alice, "north");
    tw.run(alice, "west");
    expect(tw.run(alice, "get pot").Alice).toEqual(["You pick up a clay pot."]);
    expect(tw.run(alice, "get pota").Alice).toEqual(["You pick up a potato."]);
  });

  it("2.coin takes the second coin; things that read the same take the first", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "get 2.coin from chest")).toEqual({
      Alice: ["You take a copper coin from the oak chest."],
      Bob: ["Alice takes a copper coin from the oak chest."],
    });
    expect(tw.world.thing("coin#2")?.location?.id).toBe("player:alice");
    tw.run(alice, "get coin from chest");
    expect(tw.world.thing("coin")?.location?.id).toBe("player:alice");
  });

  it("all.coin takes every coin, counted", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "get all.coin from chest").Bob).toEqual(["Alice takes two copper coins from the oak chest."]);
  });

  it("3.coin when there are 2: You see only two of those.", () => {
    tw.run(alice, "open chest");
    expect(tw.run(alice, "get 3.coin from chest")).toEqual({ Alice: ["You see only two of those."], Bob: [] });
  });

  it("2.apple counts the looker's hands first, then the room", () => {
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "look 2.apple").Alice).toEqual(["A green apple", "Sour."]);
  });

  it("all where one thing must be named: You can do that to only one thing at a time.", () => {
    expect(tw.run(alice, "look all")).toEqual({ Alice: ["You can do that to only one thing at a time."], Bob: [] });
    expect(tw.run(alice, "open all.door").Alice).toEqual(["You can do that to only one thing at a time."]);
  });

  it("me, self and here", () => {
    expect(tw.run(alice, "look me").Alice?.[0]).toBe("Alice (they/them)");
    expect(tw.run(alice, "look self").Alice?.[0]).toBe("Alice (they/them)");
    expect(tw.run(alice, "look here").Alice?.[0]).toBe("The Hall");
    tw.run(alice, "get red apple");
    expect(tw.run(alice, "give apple to self").Alice).toEqual(["You already have it."]);
  });

  describe("which one?", () => {
    it("names that read differently: the candidates numbered, to the asker alone", () => {
      expect(tw.run(alice, "get apple")).toEqual({
        Alice: ['Which "apple" do you mean?', "  1. a red apple", "  2. a green apple", "Type the number."],
        Bob: [],
      });
    });

    it("typing the number alone runs the command with that choice", () => {
      tw.run(alice, "get apple");
      expect(tw.run(alice, "2")).toEqual({ Alice: ["You pick up a green apple."], Bob: ["Alice picks up a green apple."] });
      expect(tw.world.thing("green-apple")?.location?.id).toBe("player:alice");
    });

    it("doors are asked about by their own names", () => {
      expect(tw.run(alice, "open door").Alice).toEqual(['Which "door" do you mean?', "  1. an iron door", "  2. a cupboard door", "Type the number."]);
      expect(tw.run(alice, "2").Bob).toEqual(["Alice opens the cupboard door."]);
    });

    it("a prefix that matches different things asks too: po, the clay pot or the potato", () => {
      tw.run(alice, "north");
      tw.run(alice, "west");
      expect(tw.run(alice, "look po").Alice).toEqual(['Which "po" do you mean?', "  1. a clay pot", "  2. a potato", "Type the number."]);
      expect(tw.run(alice, "1").Alice).toEqual(["A clay pot", "Empty and dry."]);
    });

    it("a number out of range says which numbers, and the question stands", () => {
      tw.run(alice, "get apple");
      expect(tw.run(alice, "3")).toEqual({ Alice: ["Type a number from 1 to 2, or another command."], Bob: [] });
      expect(tw.run(alice, "0").Alice).toEqual(["Type a number from 1 to 2, or another command."]);
      expect(tw.run(alice, "1").Alice).toEqual(["You pick up a red apple."]);
    });

    it("the question is answered once: the same number again is not a command", () => {
      tw.run(alice, "get apple");
      tw.run(alice, "1");
      expect(tw.run(alice, "1").Alice).toEqual(['Unknown command "1". Type help for the list.']);
    });

    it("a new command clears the question", () => {
      tw.run(alice, "get apple");
      expect(tw.run(alice, "say hmm").Alice).toEqual(['You say, "hmm"']);
      expect(tw.run(alice, "1").Alice).toEqual(['Unknown command "1". Type help for the list.']);
      expect(tw.world.thing("red-apple")?.location?.id).toBe("hall");
    });

    it("a choice that has gone meanwhile is not swapped for another thing", () => {
      tw.run(alice, "get apple");
      tw.run(bob, "get green apple");
      expect(tw.run(alice, "2")).toEqual({ Alice: ["You see nothing like that here."], Bob: [] });
      expect(tw.world.thing("red-apple")?.location?.id).toBe("hall");
    });
  });
});
