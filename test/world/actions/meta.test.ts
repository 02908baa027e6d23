/**
 * Transcripts for src/world/actions/meta.ts: help (the list, one command, an unknown topic)
 * and quit. Neither tells anyone but the player who typed it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BUILT_IN_ACTIONS } from "../../../src/world/actions/index.js";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;

beforeEach(async () => {
  tw = makeTestWorld();
  alice = await tw.join("Alice");
  bob = await tw.join("Bob");
});
afterEach(() => tw.close());

describe("help", () => {
  it("alone lists every command with its usage and summary, in registration order", () => {
    const { Alice: lines = [], Bob: others } = tw.run(alice, "help");
    expect(others).toEqual([]);
    expect(lines[0]).toBe("Commands (type help <command> for more):");
    expect(lines[1]).toBe("  look                       Look around, at something or someone, or into a container.");
    expect(lines).toContain("  get <thing> [from <box>]   Pick something up, or take it out of a container.");
    expect(lines).toContain("  give <thing> to <person>   Give something you carry to someone here.");
    expect(lines.at(-1)).toBe("New here? Type look to see where you are, then try walking: north, south, east, west.");
    // A player's list leaves out the builders' and admins' commands.
    expect(lines).toHaveLength(BUILT_IN_ACTIONS.filter((a) => (a.role ?? "player") === "player").length + 2);
  });

  it("? and commands are help", () => {
    const list = tw.run(alice, "help").Alice;
    expect(tw.run(alice, "?").Alice).toEqual(list);
    expect(tw.run(alice, "commands").Alice).toEqual(list);
  });

  it("help <command> explains it, with its forms and aliases; an alias finds it too", () => {
    const get = [
      "get <thing> [from <box>]",
      "get lantern picks up a lantern lying here; get all picks up everything that can be carried; get coin from chest takes a coin out of an open chest. Name things by any of their words or the start of one: 2.coin is the second coin, all.coin every coin. Some things, like a fountain, stay where they are.",
      "Forms: get [up] <things> from|out <container>, get [up] <things>",
      "Also: take, pick",
    ];
    expect(tw.run(alice, "help get")).toEqual({ Alice: get, Bob: [] });
    expect(tw.run(alice, "help TAKE").Alice).toEqual(get);
  });

  it("a command with one form and no alias shows neither line", () => {
    expect(tw.run(alice, "help drop").Alice).toEqual(["drop <things>", "Leaves a thing you carry lying in the room, where anyone can pick it up. drop all empties your hands."]);
  });

  it("an unknown topic: There is no help on ...", () => {
    expect(tw.run(alice, "help flurb")).toEqual({ Alice: ['There is no help on "flurb". Type help for the list of commands.'], Bob: [] });
  });
});

describe("quit", () => {
  it("says goodbye to the player alone and closes their session with the reason quit", () => {
    const from = tw.gateway.sent.length;
    expect(tw.run(alice, "quit")).toEqual({ Alice: ["Goodbye, Alice. Your place and your things are saved."], Bob: [] });
    expect(tw.gateway.sent.slice(from).filter((m) => m.type === "close")).toEqual([
      { type: "close", session: alice.session, reason: { code: "quit", message: "the player quit" } },
    ]);
  });

  it("when the session then ends, the room reads Alice has left the world.", () => {
    tw.run(alice, "quit");
    expect(tw.leave(alice, "quit")).toEqual({ Bob: ["Alice has left the world."] });
  });

  it("logout is quit", () => {
    expect(tw.run(alice, "logout").Alice).toEqual(["Goodbye, Alice. Your place and your things are saved."]);
  });
});
