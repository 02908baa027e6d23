/**
 * Transcripts for `role <name> <player|builder|admin>`: stored, applied live to an online
 * player (who is told, whose commands follow at once, and whose client is sent the new
 * `Char.Status`), stored for an offline one; the last admin cannot be demoted; each refusal.
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

describe("role", () => {
  it("an online player: stored, applied at once, told, and their Char.Status and Loom.Commands sent again", () => {
    const from = tw.gateway.sent.length;
    expect(tw.run(alice, "role bob builder")).toEqual({ Alice: ["Bob is a builder now."], Bob: ["An admin has made you a builder."], Carol: [] });
    expect(tw.store.findPlayer("bob")?.role).toBe("builder");
    expect(tw.world.findOnline("bob")?.role).toBe("builder");
    const oob = tw.gateway.oobFor(bob.session, from);
    expect(oob.map((m) => m.channel)).toEqual(["Char.Status", "Loom.Commands"]);
    expect(oob[0]!.data).toEqual({ name: "Bob", fullname: "Bob", pronouns: "they", role: "builder" });
    // A builder's words now, not an admin's.
    const commands = oob[1]!.data as string[];
    expect(commands).toEqual(expect.arrayContaining(["dig", "make", "teleport", "look", "north", "n"]));
    expect(commands).not.toContain("kick");
    expect(commands).not.toContain("role");
  });

  it("made an admin, they may use the admins' commands at once; made a player again, not", () => {
    expect(tw.run(bob, "announce hello").Bob).toEqual(["Only admins may use announce."]);
    expect(tw.run(alice, "role Bob ADMIN").Bob).toEqual(["An admin has made you an admin."]);
    expect(tw.run(bob, "announce hello").Carol).toEqual(["[Announcement] hello"]);
    expect(tw.run(bob, "help announce").Bob?.[0]).toBe("announce <text>");
    tw.run(alice, "role bob player");
    expect(tw.run(bob, "announce hello").Bob).toEqual(["Only admins may use announce."]);
  });

  it("an offline account: stored, and the role is theirs when they log in", async () => {
    tw.leave(bob);
    expect(tw.run(alice, "role bob admin")).toEqual({ Alice: ["Bob is an admin now."], Carol: [] });
    expect(tw.store.findPlayer("bob")?.role).toBe("admin");
    const again = await tw.join("Bob", "line", "connect");
    expect(tw.run(again, "announce back").Alice).toEqual(["[Announcement] back"]);
  });

  it("an admin may step down while another admin remains", () => {
    tw.run(alice, "role carol admin");
    expect(tw.run(alice, "role alice builder")).toEqual({ Alice: ["You are a builder now."], Bob: [], Carol: [] });
    expect(tw.run(alice, "kick bob").Alice).toEqual(["Only admins may use kick."]);
  });
});

describe("role refusals", () => {
  it("the last admin cannot be made anything else", () => {
    expect(tw.store.countAdmins()).toBe(1);
    expect(tw.run(alice, "role alice player")).toEqual({ Alice: ["You are the last admin. Make someone else an admin first."], Bob: [], Carol: [] });
    expect(tw.store.findPlayer("alice")?.role).toBe("admin");
    expect(tw.world.findOnline("alice")?.role).toBe("admin");
  });

  it("a role that is not one", () => {
    expect(tw.run(alice, "role bob wizard")).toEqual({ Alice: ["A role is player, builder or admin."], Bob: [], Carol: [] });
    expect(tw.run(alice, "role bob").Alice).toEqual(["Usage: role <name> player|builder|admin"]);
  });

  it("an unknown name", () => {
    expect(tw.run(alice, "role zed builder").Alice).toEqual(["There is no character called zed."]);
  });

  it("the role they have already", () => {
    expect(tw.run(alice, "role bob player")).toEqual({ Alice: ["Bob is already a player."], Bob: [], Carol: [] });
    expect(tw.run(alice, "role alice admin").Alice).toEqual(["You are already an admin."]);
  });
});
