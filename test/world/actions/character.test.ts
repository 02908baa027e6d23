/**
 * Transcripts for src/world/actions/character.ts: `pronouns` shows and chooses the set the
 * world uses for a character, and what others read of them follows it.
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

describe("pronouns", () => {
  it("alone shows the set, they by default, and how to change it", () => {
    expect(tw.run(alice, "pronouns")).toEqual({
      Alice: ["Your pronouns are they/them/their. Type pronouns he, she, they or it to change them."],
      Bob: [],
      Carol: [],
    });
  });

  it("pronouns she chooses she/her/her; only the chooser is told", () => {
    expect(tw.run(alice, "pronouns she")).toEqual({ Alice: ["Your pronouns are now she/her/her."], Bob: [], Carol: [] });
    expect(tw.run(alice, "pronouns").Alice).toEqual(["Your pronouns are she/her/her. Type pronouns he, she, they or it to change them."]);
  });

  it("in any case", () => {
    expect(tw.run(alice, "pronouns HE").Alice).toEqual(["Your pronouns are now he/him/his."]);
  });

  it("a set the world does not know is refused, and the old set kept", () => {
    expect(tw.run(alice, "pronouns xe")).toEqual({ Alice: ["Choose one of: he, she, they, it."], Bob: [], Carol: [] });
    expect(tw.run(alice, "pronouns").Alice?.[0]).toMatch(/^Your pronouns are they\/them\/their\./);
  });

  it("is saved with the character", () => {
    tw.run(alice, "pronouns it");
    const stored = tw.store.loadHeld("player:alice").find((t) => t.record.id === "player:alice");
    expect(stored?.record.facets.character?.pronouns).toBe("it");
  });

  it("sends the new set out of band as Char.Status", () => {
    const from = tw.gateway.sent.length;
    tw.run(alice, "pronouns she");
    expect(tw.gateway.oobFor(alice.session, from)).toEqual([{ channel: "Char.Status", data: expect.objectContaining({ pronouns: "she" }) }]);
  });
});

describe("narration follows the chosen pronouns", () => {
  it("after pronouns she, look reads She is carrying ...", () => {
    tw.run(alice, "get red apple");
    tw.run(alice, "pronouns she");
    expect(tw.run(bob, "look alice").Bob).toEqual(["Alice (she/her)", "She looks like any other traveller.", "She is carrying a red apple."]);
  });

  it("he: He looks ..., He is empty-handed.", () => {
    tw.run(alice, "pronouns he");
    expect(tw.run(carol, "look alice").Carol).toEqual(["Alice (he/him)", "He looks like any other traveller.", "He is empty-handed."]);
  });

  it("they take plural verbs: They look ..., They are ...", () => {
    tw.run(alice, "pronouns she");
    tw.run(alice, "pronouns they");
    expect(tw.run(carol, "look alice").Carol).toEqual(["Alice (they/them)", "They look like any other traveller.", "They are empty-handed."]);
  });

  it("it: It looks ..., It is ...", () => {
    tw.run(alice, "pronouns it");
    expect(tw.run(carol, "look alice").Carol).toEqual(["Alice (it/it)", "It looks like any other traveller.", "It is empty-handed."]);
  });

  it("look me tells the chooser which set they chose", () => {
    tw.run(alice, "pronouns she");
    expect(tw.run(alice, "look me").Alice).toEqual(["Alice (she/her)", "You look like any other traveller.", "You are empty-handed.", "Your pronouns are she; type pronouns to change them."]);
  });
});
