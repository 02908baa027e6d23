/**
 * Transcripts for `mute <name>` and `unmute <name>`: stored on the account and set live on an
 * online Player (the talking commands read `Player.muted`); the player is told, nobody else
 * is; offline accounts too; and each refusal.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";
import { joinAs } from "./admin-world.js";

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

describe("mute and unmute", () => {
  it("an online player: stored, set live, and told; nobody else hears of it", () => {
    expect(tw.run(alice, "mute bob")).toEqual({ Alice: ["You mute Bob."], Bob: ["An admin has muted you."], Carol: [] });
    expect(tw.world.findOnline("bob")?.muted).toBe(true);
    expect(tw.store.findPlayer("bob")?.muted).toBe(true);
    expect(tw.run(alice, "unmute Bob")).toEqual({ Alice: ["You unmute Bob."], Bob: ["You may speak again."], Carol: [] });
    expect(tw.world.findOnline("bob")?.muted).toBe(false);
    expect(tw.store.findPlayer("bob")?.muted).toBe(false);
  });

  it("an offline account: stored, and the player is muted when they log in", async () => {
    tw.leave(bob);
    expect(tw.run(alice, "mute bob")).toEqual({ Alice: ["You mute Bob."], Carol: [] });
    await tw.join("Bob", "line", "connect");
    expect(tw.world.findOnline("bob")?.muted).toBe(true);
  });

  it("an offline account can be unmuted, and logs in free to talk", async () => {
    tw.run(alice, "mute bob");
    tw.leave(bob);
    expect(tw.run(alice, "unmute bob").Alice).toEqual(["You unmute Bob."]);
    await tw.join("Bob", "line", "connect");
    expect(tw.world.findOnline("bob")?.muted).toBe(false);
  });

  it("a mute outlives logging out and in again", async () => {
    tw.run(alice, "mute bob");
    tw.leave(bob);
    await tw.join("Bob", "line", "connect");
    expect(tw.world.findOnline("bob")?.muted).toBe(true);
  });
});

describe("mute refusals", () => {
  it("an unknown name", () => {
    expect(tw.run(alice, "mute zed")).toEqual({ Alice: ["There is no character called zed."], Bob: [], Carol: [] });
    expect(tw.run(alice, "unmute zed").Alice).toEqual(["There is no character called zed."]);
  });

  it("yourself", () => {
    expect(tw.run(alice, "mute alice").Alice).toEqual(["You cannot mute yourself."]);
    expect(tw.store.findPlayer("alice")?.muted).toBe(false);
  });

  it("already muted; not muted", () => {
    tw.run(alice, "mute bob");
    expect(tw.run(alice, "mute bob")).toEqual({ Alice: ["Bob is already muted."], Bob: [], Carol: [] });
    tw.run(alice, "unmute bob");
    expect(tw.run(alice, "unmute bob")).toEqual({ Alice: ["Bob is not muted."], Bob: [], Carol: [] });
  });

  it("a name and more: mute takes a name alone", () => {
    expect(tw.run(alice, "mute bob for spam").Alice).toEqual(["There is no character called bob for spam."]);
    expect(tw.run(alice, "mute").Alice).toEqual(["Usage: mute <name>"]);
  });
});
