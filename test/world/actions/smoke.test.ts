import { afterEach, describe, expect, it } from "vitest";
import { makeTestWorld, type TestWorld } from "../../support/transcript.js";

let tw: TestWorld | undefined;
afterEach(() => tw?.close());

describe("smoke", () => {
  it("runs", async () => {
    tw = makeTestWorld();
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    console.log(tw.run(alice, "look"));
    console.log(tw.run(alice, "give red apple to bob"));
    console.log(tw.run(alice, "get apple"));
    console.log(tw.run(alice, "2"));
    console.log(tw.run(alice, "give apple to bob"));
    console.log(tw.run(alice, "open door"));
    console.log(tw.run(alice, "1"));
    console.log(tw.run(alice, "open chest"));
    console.log(tw.run(alice, "look in chest"));
    console.log(tw.run(alice, "get all from chest"));
    console.log(tw.run(alice, "i"));
    console.log(tw.run(alice, "east"));
    console.log(tw.run(bob, "n"));
    console.log(tw.advance(2000));
    console.log(tw.run(bob, "get pear"));
    console.log(tw.run(bob, "get key"));
    console.log(tw.run(bob, "s"));
    console.log(tw.run(bob, "unlock door"));
    console.log(tw.run(bob, "unlock iron"));
    console.log(tw.run(bob, "open iron door"));
    console.log(tw.run(bob, "e"));
    console.log(tw.advance(70000));
    console.log(tw.run(alice, "pronouns she"));
    console.log(tw.run(bob, "look alice"));
    console.log(tw.run(alice, "say hi"));
    console.log(tw.run(alice, ":waves"));
    console.log(tw.run(alice, "tell bob psst"));
    console.log(tw.run(alice, "help"));
    expect(1).toBe(1);
  });
});
