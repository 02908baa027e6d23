/**
 * Transcripts for `ban <name> [reason]` and `unban <name>`: the ban is stored with the admin's
 * name and the wall clock; a banned player who is online is put out of the game; a banned
 * character is turned away at the real login dialog, told why, only once its password is
 * proved (so a ban tells a stranger nothing about which names exist: hardening A2); offline
 * accounts can be banned and unbanned; and each refusal.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";
import { closeReason, connectAt, joinAs, turnedAway } from "./admin-world.js";

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

describe("ban", () => {
  it("an online player: stored with who and when, put out of the game and told why; the room sees them go", () => {
    tw.clock.advance(5000);
    expect(tw.run(alice, "ban bob cheating at dice")).toEqual({
      Alice: ["Bob fades away.", "You ban Bob: cheating at dice. Bob was playing and has been put out of the game."],
      Bob: ["An admin has banned you: cheating at dice."],
      Carol: ["Bob fades away."],
    });
    expect(tw.store.findPlayer("bob")?.ban).toEqual({ reason: "cheating at dice", by: "Alice", at: 5000 });
    expect(closeReason(tw, bob.session)).toEqual({ code: "kicked", message: "banned by an admin" });
    expect(tw.world.findOnline("bob")).toBeUndefined();
  });

  it("an offline account, with no reason: stored with an empty reason", () => {
    tw.leave(bob);
    expect(tw.run(alice, "ban Bob")).toEqual({ Alice: ["You ban Bob."], Carol: [] });
    expect(tw.store.findPlayer("bob")?.ban).toMatchObject({ reason: "", by: "Alice" });
  });

  it("the reason is sanitised and bounded before it is stored", () => {
    expect(tw.run(alice, `ban bob ${"y".repeat(201)}`).Alice).toEqual(["A reason is at most 200 characters."]);
    expect(tw.store.findPlayer("bob")?.ban).toBeNull();
    tw.run(alice, "ban bob \u001b]0;pwned\u0007spam\u202e bot");
    expect(tw.store.findPlayer("bob")?.ban?.reason).toBe("spam bot");
  });
});

describe("a banned character at the login", () => {
  beforeEach(() => {
    tw.run(alice, "ban bob cheating");
    tw.leave(bob);
  });

  it("connect with the right password: told why, and the connection closes", async () => {
    const { read, reason } = await turnedAway(tw, 100, ["connect Bob pw-Bob-secret"]);
    expect(read).toEqual(["This character is banned: cheating."]);
    expect(reason.code).toBe("refused");
    expect(tw.world.findOnline("bob")).toBeUndefined();
  });

  it("with the wrong password, the same answer as for an unknown name: the ban is not told", async () => {
    connectAt(tw, 100);
    const from = tw.gateway.sent.length;
    tw.world.receive({ type: "line", session: 100, text: "connect Bob not-the-password" });
    await expect.poll(() => tw.gateway.linesFor(100, from).length).toBeGreaterThan(0);
    expect(tw.gateway.linesFor(100, from)).toEqual(["That name and password do not match.", "Your name: "]);
    tw.world.receive({ type: "line", session: 100, text: "connect Nobody whatever" });
    await expect.poll(() => tw.gateway.linesFor(100, from).length).toBeGreaterThan(2);
    expect(tw.gateway.linesFor(100, from).slice(2)).toEqual(["That name and password do not match.", "Your name: "]);
    expect(closeReason(tw, 100)).toBeUndefined();
  });

  it("step by step (name, then password) too; what was typed meanwhile is not run", async () => {
    const { read } = await turnedAway(tw, 100, ["Bob", "pw-Bob-secret", "say I am back"]);
    expect(read).toEqual(["Password: ", "This character is banned: cheating."]);
    expect(tw.run(alice, "look").Alice?.join("\n")).not.toContain("I am back");
  });

  it("a ban given while the password is being typed holds (the record is read again)", async () => {
    tw.run(alice, "unban bob");
    connectAt(tw, 100);
    tw.world.receive({ type: "line", session: 100, text: "Bob" });
    tw.run(alice, "ban bob second thoughts.");
    tw.world.receive({ type: "line", session: 100, text: "pw-Bob-secret" });
    await expect.poll(() => closeReason(tw, 100)).toBeDefined();
    expect(tw.gateway.linesFor(100).at(-1)).toBe("This character is banned: second thoughts.");
  });

  it("a ban with no reason reads: This character is banned.", async () => {
    tw.run(alice, "unban bob");
    tw.run(alice, "ban bob");
    expect((await turnedAway(tw, 100, ["connect bob pw-Bob-secret"])).read).toEqual(["This character is banned."]);
  });

  it("after unban, the character logs in again", async () => {
    expect(tw.run(alice, "unban bob")).toEqual({ Alice: ["You lift Bob's ban."], Carol: [] });
    expect(tw.store.findPlayer("bob")?.ban).toBeNull();
    const again = await tw.join("Bob", "line", "connect");
    expect(tw.run(again, "say free").Carol).toEqual(['Bob says, "free"']);
  });
});

describe("ban and unban refusals", () => {
  it("an unknown name", () => {
    expect(tw.run(alice, "ban zed").Alice).toEqual(["There is no character called zed."]);
    expect(tw.run(alice, "unban zed").Alice).toEqual(["There is no character called zed."]);
  });

  it("yourself", () => {
    expect(tw.run(alice, "ban alice").Alice).toEqual(["You cannot ban yourself."]);
    expect(tw.store.findPlayer("alice")?.ban).toBeNull();
  });

  it("another admin, until made a player", () => {
    tw.store.setRole("carol", "admin");
    expect(tw.run(alice, "ban carol").Alice).toEqual(["Carol is an admin. Make them a player first (role Carol player) if you mean to ban them."]);
    expect(tw.store.findPlayer("carol")?.ban).toBeNull();
    tw.run(alice, "role carol player");
    expect(tw.run(alice, "ban carol").Alice?.at(-1)).toBe("You ban Carol. Carol was playing and has been put out of the game.");
  });

  it("already banned, or not banned: the first ban's reason and author stand", () => {
    tw.leave(bob);
    tw.run(alice, "ban bob first");
    expect(tw.run(alice, "ban bob second").Alice).toEqual(["Bob is already banned."]);
    expect(tw.store.findPlayer("bob")?.ban?.reason).toBe("first");
    tw.run(alice, "unban bob");
    expect(tw.run(alice, "unban bob").Alice).toEqual(["Bob is not banned."]);
  });

  it("no name: the usage", () => {
    expect(tw.run(alice, "ban").Alice).toEqual(["Usage: ban <name> [reason]"]);
    expect(tw.run(alice, "unban").Alice).toEqual(["Usage: unban <name>"]);
  });
});
