/**
 * Transcripts for src/world/actions/communication.ts: say and its ' and " shorthands, emote
 * and : (with the possessive and comma glue), tell (the two participants and nobody else), and
 * who.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestPlayer, type TestWorld, threePlayers } from "../../support/transcript.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;
let carol: TestPlayer;

beforeEach(async () => {
  ({ tw, alice, bob, carol } = await threePlayers());
});
afterEach(() => tw.close());

describe("say", () => {
  it("the speaker reads You say, the room Alice says", () => {
    expect(tw.run(alice, "say hello there")).toEqual({
      Alice: ['You say, "hello there"'],
      Bob: ['Alice says, "hello there"'],
      Carol: ['Alice says, "hello there"'],
    });
  });

  it("' and \" are say, with or without a space", () => {
    const said = { Alice: ['You say, "hi"'], Bob: ['Alice says, "hi"'], Carol: ['Alice says, "hi"'] };
    expect(tw.run(alice, "'hi")).toEqual(said);
    expect(tw.run(alice, "' hi")).toEqual(said);
    expect(tw.run(alice, '"hi')).toEqual(said);
  });

  it("only the room hears it", () => {
    tw.run(carol, "north");
    expect(tw.run(alice, "say psst").Carol).toEqual([]);
  });

  it("nothing to say: Say what?", () => {
    expect(tw.run(alice, "say")).toEqual({ Alice: ["Say what?"], Bob: [], Carol: [] });
    expect(tw.run(alice, "'   ")).toEqual({ Alice: ["Say what?"], Bob: [], Carol: [] });
  });

  it("text that looks like a slot is read as typed", () => {
    expect(tw.run(alice, "say {target} {actor|give} {things}").Bob).toEqual(['Alice says, "{target} {actor|give} {things}"']);
  });
});

describe("emote", () => {
  it("everyone, the actor included, reads the name and the action", () => {
    expect(tw.run(alice, "emote waves.")).toEqual({ Alice: ["Alice waves."], Bob: ["Alice waves."], Carol: ["Alice waves."] });
  });

  it(": and pose are emote", () => {
    expect(tw.run(alice, ":smiles.").Bob).toEqual(["Alice smiles."]);
    expect(tw.run(alice, "pose bows.").Bob).toEqual(["Alice bows."]);
  });

  it("a possessive is glued to the name: Alice's eyes narrow.", () => {
    expect(tw.run(alice, ":'s eyes narrow.")).toEqual({ Alice: ["Alice's eyes narrow."], Bob: ["Alice's eyes narrow."], Carol: ["Alice's eyes narrow."] });
  });

  it("a comma is glued to the name: Alice, grinning, waves.", () => {
    expect(tw.run(alice, "emote , grinning, waves.").Carol).toEqual(["Alice, grinning, waves."]);
  });

  it("nothing to act: Emote what?", () => {
    expect(tw.run(alice, "emote")).toEqual({ Alice: ["Emote what?"], Bob: [], Carol: [] });
  });
});

describe("tell", () => {
  it("only the teller and the told read it, wherever they are", () => {
    tw.run(bob, "north");
    expect(tw.run(alice, "tell bob meet me at the fountain")).toEqual({
      Alice: ['You tell Bob, "meet me at the fountain"'],
      Bob: ['Alice tells you, "meet me at the fountain"'],
      Carol: [],
    });
  });

  it("page is tell, and the name is found in any case", () => {
    expect(tw.run(alice, "page BOB hi").Bob).toEqual(['Alice tells you, "hi"']);
  });

  it("to someone not online: No one called Dave is online.", () => {
    expect(tw.run(alice, "tell Dave hi")).toEqual({ Alice: ["No one called Dave is online."], Bob: [], Carol: [] });
  });

  it("to someone who has left: No one called bob is online.", () => {
    tw.leave(bob);
    expect(tw.run(alice, "tell bob are you there?")).toEqual({ Alice: ["No one called bob is online."], Carol: [] });
  });

  it("to yourself: You tell yourself", () => {
    expect(tw.run(alice, "tell alice remember the milk")).toEqual({
      Alice: ['You tell yourself, "remember the milk". It is not very surprising.'],
      Bob: [],
      Carol: [],
    });
  });

  it("with no text, or no one: Tell whom what?", () => {
    const refused = { Alice: ["Tell whom what? Type: tell <name> <text>"], Bob: [], Carol: [] };
    expect(tw.run(alice, "tell bob")).toEqual(refused);
    expect(tw.run(alice, "tell")).toEqual(refused);
  });
});

describe("who", () => {
  it("lists everyone online with their door", () => {
    expect(tw.run(alice, "who")).toEqual({
      Alice: ["3 players online:", "  Alice            line", "  Bob              line", "  Carol            line"],
      Bob: [],
      Carol: [],
    });
  });

  it("who <prefix> lists the names beginning with it", () => {
    expect(tw.run(alice, "who ca").Alice).toEqual(['1 of 3 players online match "ca":', "  Carol            line"]);
  });
});
