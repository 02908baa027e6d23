/**
 * Transcripts for `kick <name> [reason]` (src/world/actions/admin.ts, src/world/moderation.ts):
 * the player reads why and is disconnected with the reason `kicked`, the room sees them fade
 * away as on any dropped connection, the admin reads a confirmation; and each refusal.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";
import { closeReason, joinAs } from "./admin-world.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;

beforeEach(async () => {
  tw = makeTestWorld();
  alice = await joinAs(tw, "Alice", "admin");
  bob = await tw.join("Bob");
  await tw.join("Carol");
});
afterEach(() => tw.close());

describe("kick", () => {
  it("the player reads why and is disconnected; the room sees them fade away; the admin reads a confirmation", () => {
    expect(tw.run(alice, "kick bob spamming the hall")).toEqual({
      Alice: ["Bob fades away.", "You kick Bob out of the game: spamming the hall."],
      Bob: ["An admin has kicked you out of the game: spamming the hall."],
      Carol: ["Bob fades away."],
    });
    expect(closeReason(tw, bob.session)).toEqual({ code: "kicked", message: "kicked by an admin" });
    expect(tw.world.findOnline("bob")).toBeUndefined();
  });

  it("without a reason, the sentences end at the name", () => {
    expect(tw.run(alice, "kick Bob")).toMatchObject({
      Alice: ["Bob fades away.", "You kick Bob out of the game."],
      Bob: ["An admin has kicked you out of the game."],
    });
  });

  it("a reason that ends a sentence gets no second stop", () => {
    expect(tw.run(alice, "kick bob Enough!").Bob).toEqual(["An admin has kicked you out of the game: Enough!"]);
  });

  it("what the player typed after the kick is not run, and the door's own disconnect changes nothing", () => {
    tw.run(alice, "kick bob");
    expect(tw.run(bob, "say still here?")).toEqual({ Alice: [], Bob: [], Carol: [] });
    expect(tw.leave(bob)).toEqual({ Alice: [], Carol: [] });
  });

  it("a kicked player may log in again", async () => {
    tw.run(alice, "kick bob");
    tw.leave(bob);
    const again = await tw.join("Bob", "line", "connect");
    expect(tw.run(again, "say back").Alice).toEqual(['Bob says, "back"']);
  });

  it("the reason is sanitised: no escape sequences, no runs of spaces", () => {
    expect(tw.run(alice, "kick bob \u001b[2Jflooding   the\u0007 hall").Bob).toEqual(["An admin has kicked you out of the game: flooding the hall."]);
  });

  it("a reason is at most 200 characters: 200 is taken, 201 refused and nothing happens", () => {
    expect(tw.run(alice, `kick bob ${"x".repeat(201)}`)).toEqual({ Alice: ["A reason is at most 200 characters."], Bob: [], Carol: [] });
    expect(tw.world.findOnline("bob")).toBeDefined();
    expect(tw.run(alice, `kick bob ${"x".repeat(200)}`).Bob).toEqual([`An admin has kicked you out of the game: ${"x".repeat(200)}.`]);
  });
});

describe("kick refusals", () => {
  it("someone offline: Bob is not online.", () => {
    tw.leave(bob);
    expect(tw.run(alice, "kick bob")).toEqual({ Alice: ["Bob is not online."], Carol: [] });
  });

  it("twice: the second finds them gone", () => {
    tw.run(alice, "kick bob");
    expect(tw.run(alice, "kick bob").Alice).toEqual(["Bob is not online."]);
  });

  it("an unknown name, or something that is no name at all", () => {
    expect(tw.run(alice, "kick zed")).toEqual({ Alice: ["There is no character called zed."], Bob: [], Carol: [] });
    expect(tw.run(alice, "kick b0b").Alice).toEqual(["There is no character called b0b."]);
    expect(tw.run(alice, `kick ${"q".repeat(40)}`).Alice).toEqual([`There is no character called ${"q".repeat(30)}.`]);
  });

  it("yourself", () => {
    expect(tw.run(alice, "kick alice").Alice).toEqual(["You cannot kick yourself. Type quit to leave."]);
    expect(closeReason(tw, alice.session)).toBeUndefined();
  });

  it("no name: the usage", () => {
    expect(tw.run(alice, "kick").Alice).toEqual(["Usage: kick <name> [reason]"]);
  });
});
