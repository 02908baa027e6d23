/** Noun phrases: parsing authored names, articles by sound, definite/indefinite and counts. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  articleFor,
  counted,
  definite,
  indefinite,
  parseNounPhrase,
  properNoun,
  type NounPhrase,
} from "../../../src/world/language/noun-phrase.js";

describe("articleFor", () => {
  it.each([
    // plain consonants and vowels
    ["lantern", "a"],
    ["apple", "an"],
    ["egg", "an"],
    ["iron key", "an"],
    ["oak chest", "an"],
    ["umbrella", "an"],
    ["yellow scarf", "a"],
    // silent h
    ["hour", "an"],
    ["hourglass", "an"],
    ["heir", "an"],
    ["heirloom", "an"],
    ["honest man", "an"],
    ["honourable knight", "an"],
    ["honorary title", "an"],
    ["horse", "a"],
    ["herald", "a"],
    ["honey cake", "a"],
    // u sounding as "you"
    ["unicorn", "a"],
    ["uniform", "a"],
    ["unique ring", "a"],
    ["unit", "a"],
    ["unanimous vote", "a"],
    ["user", "a"],
    ["usual spot", "a"],
    ["utensil", "a"],
    ["urinal", "a"],
    ["ukulele", "a"],
    ["ubiquitous weed", "a"],
    // u sounding as "uh"
    ["usher", "an"],
    ["urn", "an"],
    ["ugly troll", "an"],
    ["utter fool", "an"],
    ["unusual coin", "an"],
    ["uninvited guest", "an"],
    ["unimportant note", "an"],
    ["unidentified corpse", "an"],
    ["undead knight", "an"],
    // other vowels sounding as consonants
    ["European map", "a"],
    ["eulogy", "a"],
    ["ewe", "a"],
    ["one-eyed cat", "a"],
    ["one", "a"],
    ["once-proud city", "a"],
    ["onerous task", "an"],
    ["onion", "an"],
    // letters said by name
    ["X-ray", "an"],
    ["x-ray", "an"],
    ["U-turn", "a"],
    ["T-shirt", "a"],
    ["H-bomb", "an"],
    ["A-frame", "an"],
    ["S-bend", "an"],
    ["NPC", "an"],
    ["FBI agent", "an"],
    ["UFO", "a"],
    ["BBC reporter", "a"],
    // numbers
    ["8-sided die", "an"],
    ["1-pound coin", "a"],
    ["11-year-old", "an"],
    ["18th-century clock", "an"],
    ["80-foot mast", "an"],
    ["800-page book", "an"],
    ["8,000-year-old relic", "an"],
    ["11,000-strong army", "an"],
    ["110-year-old oak", "a"],
    ["1800-page tome", "a"],
    ["2-handed sword", "a"],
    ["100-year storm", "a"],
    // accents, quotes, brackets, empties
    ["élan", "an"],
    ["Éowyn", "an"],
    ['"old" map', "an"],
    ["(unlit) torch", "an"],
    ["", "a"],
    ["   ", "a"],
  ] as const)("%s -> %s", (word, article) => {
    expect(articleFor(word)).toBe(article);
  });
});

describe("parseNounPhrase", () => {
  it.each<[string, NounPhrase]>([
    ["a brass lantern", { article: "a", singular: "brass lantern", plural: "brass lanterns" }],
    ["an oak chest", { article: "an", singular: "oak chest", plural: "oak chests" }],
    ["the great waterwheel", { article: "the", singular: "great waterwheel", plural: "great waterwheels" }],
    ["some rope", { article: "some", singular: "rope", plural: "rope" }],
    ["Marta", { article: "proper", singular: "Marta", plural: "Marta" }],
    ["Old Tom", { article: "proper", singular: "Old Tom", plural: "Old Tom" }],
    ["Élodie", { article: "proper", singular: "Élodie", plural: "Élodie" }],
    ["water", { article: "a", singular: "water", plural: "waters" }],
    ["apple", { article: "an", singular: "apple", plural: "apples" }],
    ["pair of boots", { article: "a", singular: "pair of boots", plural: "pairs of boots" }],
    ["a book of river songs", { article: "a", singular: "book of river songs", plural: "books of river songs" }],
  ])("%s", (name, phrase) => {
    expect(parseNounPhrase(name)).toEqual(phrase);
  });

  it.each([
    ["a oak chest", "an", "oak chest"],
    ["an brass lantern", "a", "brass lantern"],
    ["an unicorn", "a", "unicorn"],
    ["a hour", "an", "hour"],
  ] as const)("corrects a wrong authored article: %s", (name, article, singular) => {
    expect(parseNounPhrase(name)).toMatchObject({ article, singular });
  });

  it("reads an authored article whatever its case", () => {
    expect(parseNounPhrase("The Rusty Anchor")).toEqual({ article: "the", singular: "Rusty Anchor", plural: "Rusty Anchors" });
    expect(parseNounPhrase("A brass lantern")).toMatchObject({ article: "a", singular: "brass lantern" });
    expect(parseNounPhrase("Some rope")).toMatchObject({ article: "some", singular: "rope" });
  });

  it("an explicit plural overrides the rule", () => {
    expect(parseNounPhrase("a cactus", "cacti")).toEqual({ article: "a", singular: "cactus", plural: "cacti" });
    expect(parseNounPhrase("a dwarf", "dwarfs").plural).toBe("dwarfs");
    expect(parseNounPhrase("some coins", "heaps of coins").plural).toBe("heaps of coins");
  });

  it("tidies spaces", () => {
    expect(parseNounPhrase("  a   brass \t lantern ")).toEqual({
      article: "a",
      singular: "brass lantern",
      plural: "brass lanterns",
    });
    expect(parseNounPhrase("a cactus", "  cacti ").plural).toBe("cacti");
  });

  it("a bare article is a word, not an article", () => {
    expect(parseNounPhrase("the")).toMatchObject({ singular: "the" });
    expect(parseNounPhrase("")).toEqual({ article: "proper", singular: "", plural: "" });
  });
});

describe("properNoun", () => {
  it("is proper whatever the case", () => {
    expect(properNoun("xena")).toEqual({ article: "proper", singular: "xena", plural: "xena" });
    expect(indefinite(properNoun(" Marta "))).toBe("Marta");
  });
});

describe("indefinite and definite", () => {
  it.each([
    ["a brass lantern", "a brass lantern", "the brass lantern"],
    ["an oak chest", "an oak chest", "the oak chest"],
    ["a oak chest", "an oak chest", "the oak chest"],
    ["the great waterwheel", "the great waterwheel", "the great waterwheel"],
    ["some rope", "some rope", "the rope"],
    ["Marta", "Marta", "Marta"],
    ["Old Tom", "Old Tom", "Old Tom"],
    ["water", "a water", "the water"],
    ["hourglass", "an hourglass", "the hourglass"],
    ["8-sided die", "an 8-sided die", "the 8-sided die"],
  ])("%s -> %s / %s", (name, a, the) => {
    const np = parseNounPhrase(name);
    expect(indefinite(np)).toBe(a);
    expect(definite(np)).toBe(the);
  });
});

describe("counted", () => {
  const lantern = parseNounPhrase("a brass lantern");
  const coin = parseNounPhrase("a copper coin");

  it.each([
    [1, "a brass lantern"],
    [2, "two brass lanterns"],
    [3, "three brass lanterns"],
    [7, "seven brass lanterns"],
    [11, "eleven brass lanterns"],
    [12, "twelve brass lanterns"],
    [13, "13 brass lanterns"],
    [1000, "1000 brass lanterns"],
  ])("%i -> %s", (n, text) => {
    expect(counted(lantern, n)).toBe(text);
  });

  it.each([
    ["a copper coin", 13, "13 copper coins"],
    ["an oak chest", 2, "two oak chests"],
    ["the great waterwheel", 2, "two great waterwheels"],
    ["some rope", 1, "some rope"],
    ["some rope", 2, "some rope"],
    ["Marta", 1, "Marta"],
    ["Marta", 3, "Marta"],
    ["a knife", 4, "four knives"],
    ["a pair of boots", 2, "two pairs of boots"],
    ["a sheep", 5, "five sheep"],
  ] as const)("%s x%i -> %s", (name, n, text) => {
    expect(counted(parseNounPhrase(name), n)).toBe(text);
  });

  it("uses an explicit plural", () => {
    expect(counted(parseNounPhrase("a cactus", "cacti"), 2)).toBe("two cacti");
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses a count of %s", (n) => {
    expect(() => counted(coin, n)).toThrow(RangeError);
  });

  it("property: counted(np, 1) is indefinite(np)", () => {
    const name = fc.oneof(
      fc.constantFrom("a brass lantern", "an oak chest", "the great waterwheel", "some rope", "Marta", "water", "8-sided die"),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(name, fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), (text, plural) => {
        const np = parseNounPhrase(text, plural);
        expect(counted(np, 1)).toBe(indefinite(np));
      }),
    );
  });

  it("property: a count above one starts with its number and ends with the plural", () => {
    const np = parseNounPhrase("a copper coin");
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1_000_000 }), (n) => {
        const text = counted(np, n);
        expect(text.endsWith(" copper coins")).toBe(true);
        expect(text.startsWith(n > 12 ? String(n) : "")).toBe(true);
      }),
    );
  });
});
