/**
 * From a typed line to an action (src/world/dispatch.ts): the verb in any case, an exit's name
 * as a command, an unknown command, the usage line when the grammar does not fit, the role
 * check against actions registered with a role, and a failing action contained to its player.
 * (The "which one?" question is in resolve.test.ts, with the rest of naming.)
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Action } from "../../src/world/actions/action.js";
import { BUILT_IN_ACTIONS } from "../../src/world/actions/index.js";
import { ActionRegistry } from "../../src/world/actions/registry.js";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../support/transcript.js";

/** An admin-only action for the role check: a shout to the room. */
const shout: Action = {
  names: ["shout"],
  syntax: ["shout <text>"],
  summary: "Shout to the room (admins only).",
  help: "shout <text>",
  role: "admin",
  run(ctx) {
    const place = ctx.actor.location;
    if (place !== null) ctx.world.narrate({ kind: "shout", place, actor: ctx.actor, text: `"${ctx.slots["text"] ?? ""}"`, phrase: { text: "{actor} {actor|shout}, {text}" } });
  },
};

/** A builder action, for the order of roles (not the real dig: that one builds). */
const survey: Action = {
  names: ["survey"],
  syntax: ["survey"],
  summary: "Survey (builders only).",
  help: "survey",
  role: "builder",
  run(ctx) {
    ctx.reply("You survey.");
  },
};

/** An action that fails, for containment. */
const explode: Action = {
  names: ["explode"],
  syntax: ["explode"],
  summary: "Throws.",
  help: "Throws.",
  run() {
    throw new Error("boom");
  },
};

let tw: TestWorld;
afterEach(() => tw.close());

/** A world with the built-in actions and the three above. */
function worldWithTestActions(): TestWorld {
  return makeTestWorld({ deps: { actions: new ActionRegistry().register(...BUILT_IN_ACTIONS, shout, survey, explode) } });
}

/** Logs an existing character in again on a new session (its role is read at login). */
async function reconnect(name: string, session: number): Promise<TestPlayer> {
  const from = tw.gateway.sent.length;
  tw.world.receive({ type: "connected", session, door: "line", peer: "127.0.0.1", caps: { ansi: false, width: 80, height: 24 } });
  tw.world.receive({ type: "line", session, text: `connect ${name} pw-${name}-secret` });
  await expect.poll(() => tw.gateway.linesFor(session, from).some((t) => t.startsWith(`Welcome, ${name}.`))).toBe(true);
  return { name, session };
}

/** What `player` reads after typing `command` (for a player `tw` does not list). */
function linesOf(player: TestPlayer, command: string): string[] {
  const from = tw.gateway.sent.length;
  tw.run(player, command);
  return tw.gateway.linesFor(player.session, from);
}

describe("finding the command", () => {
  it("a blank line does nothing at all", async () => {
    tw = makeTestWorld();
    const alice = await tw.join("Alice");
    const from = tw.gateway.sent.length;
    expect(tw.run(alice, "   ")).toEqual({ Alice: [] });
    expect(tw.gateway.sent.length).toBe(from);
  });

  it("the verb is found in any case, and surrounding space is ignored", async () => {
    tw = makeTestWorld();
    const alice = await tw.join("Alice");
    expect(tw.run(alice, "  LOOK  ").Alice?.[0]).toBe("The Hall");
  });

  it("an unknown command: Unknown command \"dance\". Type help for the list., to the typist alone", async () => {
    tw = makeTestWorld();
    const alice = await tw.join("Alice");
    await tw.join("Bob");
    expect(tw.run(alice, "dance wildly")).toEqual({ Alice: ['Unknown command "dance". Type help for the list.'], Bob: [] });
  });

  it("an unknown command is shown cut to 30 characters and without control characters", async () => {
    tw = makeTestWorld();
    const alice = await tw.join("Alice");
    expect(tw.run(alice, `${"x".repeat(50)} now`).Alice).toEqual([`Unknown command "${"x".repeat(30)}". Type help for the list.`]);
    expect(tw.run(alice, "da\u0007nce").Alice).toEqual(['Unknown command "dance". Type help for the list.']);
  });

  it("an exit's name is a command only where there is such an exit, and only alone", async () => {
    tw = makeTestWorld();
    const alice = await tw.join("Alice");
    tw.run(alice, "open cupboard");
    expect(tw.run(alice, "in quickly").Alice).toEqual(['Unknown command "in". Type help for the list.']);
    expect(tw.run(alice, "in").Alice?.[0]).toBe("A Cupboard");
    expect(tw.run(alice, "in").Alice).toEqual(['Unknown command "in". Type help for the list.']);
  });
});

describe("the usage line", () => {
  it("when the grammar does not fit, the action's usage is shown", async () => {
    tw = makeTestWorld();
    const alice = await tw.join("Alice");
    await tw.join("Bob");
    expect(tw.run(alice, "put")).toEqual({ Alice: ["Usage: put <thing> in <box>"], Bob: [] });
    expect(tw.run(alice, "give apple").Alice).toEqual(["Usage: give <thing> to <person>"]);
    expect(tw.run(alice, "get").Alice).toEqual(["Usage: get <thing> [from <box>]"]);
  });

  it("an action with no usage of its own shows its grammar", async () => {
    tw = makeTestWorld();
    const alice = await tw.join("Alice");
    expect(tw.run(alice, "drop").Alice).toEqual(["Usage: drop <things>"]);
    expect(tw.run(alice, "inventory please").Alice).toEqual(["Usage: inventory"]);
  });
});

describe("roles", () => {
  it("a player is refused an admin's command, and nobody else hears of it", async () => {
    tw = worldWithTestActions();
    const alice = await tw.join("Alice");
    await tw.join("Bob");
    expect(tw.run(alice, "shout hello")).toEqual({ Alice: ["Only admins may use shout."], Bob: [] });
  });

  it("an admin (store.setRole, then logging in) may use it", async () => {
    tw = worldWithTestActions();
    const alice = await tw.join("Alice");
    await tw.join("Bob");
    tw.leave(alice);
    tw.store.setRole("alice", "admin");
    const admin = await reconnect("Alice", 100);
    const from = tw.gateway.sent.length;
    expect(tw.run(admin, "shout hello")).toEqual({ Bob: ['Alice shouts, "hello"'] });
    expect(tw.gateway.linesFor(admin.session, from)).toEqual(['You shout, "hello"']);
  });

  it("an admin may use a builder's command; a builder may not use an admin's", async () => {
    tw = worldWithTestActions();
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    expect(tw.run(alice, "survey").Alice).toEqual(["Only builders may use survey."]);
    tw.leave(alice);
    tw.leave(bob);
    tw.store.setRole("alice", "admin");
    tw.store.setRole("bob", "builder");
    const admin = await reconnect("Alice", 100);
    const builder = await reconnect("Bob", 101);
    expect(linesOf(admin, "survey")).toEqual(["You survey."]);
    expect(linesOf(builder, "survey")).toEqual(["You survey."]);
    expect(linesOf(builder, "shout hi")).toEqual(["Only admins may use shout."]);
  });

  it("help lists only the commands the reader may use", async () => {
    tw = worldWithTestActions();
    const alice = await tw.join("Alice");
    expect(tw.run(alice, "help").Alice?.some((l) => l.includes("shout"))).toBe(false);
    expect(tw.run(alice, "help shout").Alice).toEqual(['There is no help on "shout". Type help for the list of commands.']);
    tw.leave(alice);
    tw.store.setRole("alice", "admin");
    const admin = await reconnect("Alice", 100);
    expect(linesOf(admin, "help").some((l) => l.startsWith("  shout <text>"))).toBe(true);
  });
});

describe("a failing action", () => {
  it("costs only its player a polite apology, and the next command runs", async () => {
    tw = worldWithTestActions();
    const alice = await tw.join("Alice");
    await tw.join("Bob");
    expect(tw.run(alice, "explode")).toEqual({ Alice: ["Something went wrong running that command. It has been logged."], Bob: [] });
    expect(tw.run(alice, "say still here").Bob).toEqual(['Alice says, "still here"']);
  });
});
