/** Pronoun sets and the second person. */
import { describe, expect, it } from "vitest";
import { PronounSets, type PronounSet } from "../../../src/world/model/thing-record.js";
import { pronounsOf, SECOND_PERSON, type Pronouns } from "../../../src/world/language/pronouns.js";
import { conjugate } from "../../../src/world/language/verbs.js";

describe("pronounsOf", () => {
  it.each<[PronounSet, Pronouns]>([
    ["he", { subject: "he", object: "him", possessive: "his", possessivePronoun: "his", reflexive: "himself", plural: false }],
    ["she", { subject: "she", object: "her", possessive: "her", possessivePronoun: "hers", reflexive: "herself", plural: false }],
    ["they", { subject: "they", object: "them", possessive: "their", possessivePronoun: "theirs", reflexive: "themself", plural: true }],
    ["it", { subject: "it", object: "it", possessive: "its", possessivePronoun: "its", reflexive: "itself", plural: false }],
  ])("%s", (set, pronouns) => {
    expect(pronounsOf(set)).toEqual(pronouns);
  });

  it("covers every set a character may choose", () => {
    for (const set of PronounSets) expect(pronounsOf(set).subject).toBe(set);
  });

  it("returns frozen, shared objects", () => {
    expect(pronounsOf("she")).toBe(pronounsOf("she"));
    expect(Object.isFrozen(pronounsOf("they"))).toBe(true);
    expect(Object.isFrozen(SECOND_PERSON)).toBe(true);
  });

  it("drives verb agreement", () => {
    const sentence = (p: Pronouns): string => `${p.subject} ${conjugate("be", p.plural)} tired`;
    expect(sentence(pronounsOf("he"))).toBe("he is tired");
    expect(sentence(pronounsOf("she"))).toBe("she is tired");
    expect(sentence(pronounsOf("it"))).toBe("it is tired");
    expect(sentence(pronounsOf("they"))).toBe("they are tired");
    expect(sentence(SECOND_PERSON)).toBe("you are tired");
  });
});

describe("SECOND_PERSON", () => {
  it("is you/you/your/yours/yourself with plural verbs", () => {
    expect(SECOND_PERSON).toEqual({
      subject: "you",
      object: "you",
      possessive: "your",
      possessivePronoun: "yours",
      reflexive: "yourself",
      plural: true,
    });
  });
});
