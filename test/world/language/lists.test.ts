/** Lists in sentences: joining with "and", and grouping equal things with counts. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countedItems, listing } from "../../../src/world/language/lists.js";
import { parseNounPhrase, properNoun } from "../../../src/world/language/noun-phrase.js";

describe("listing", () => {
  it.each<[string[], string]>([
    [[], ""],
    [["a lamp"], "a lamp"],
    [["a lamp", "an oak chest"], "a lamp and an oak chest"],
    [["a lamp", "an oak chest", "Marta"], "a lamp, an oak chest and Marta"],
    [["one", "two", "three", "four", "five"], "one, two, three, four and five"],
  ])("%j -> %s", (items, text) => {
    expect(listing(items)).toBe(text);
  });

  it("property: n items are joined by n-2 commas and one 'and'", () => {
    const item = fc.stringMatching(/^[a-z]{1,10}( [a-z]{1,10})?$/u).filter((s) => !s.split(" ").includes("and"));
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), (items) => {
        const text = listing(items);
        const commas = text.split(", ").length - 1;
        const ands = text.split(" and ").length - 1;
        expect(commas).toBe(Math.max(items.length - 2, 0));
        expect(ands).toBe(items.length >= 2 ? 1 : 0);
        expect(commas + ands).toBe(Math.max(items.length - 1, 0));
      }),
    );
  });
});

describe("countedItems", () => {
  const coin = parseNounPhrase("a copper coin");
  const lantern = parseNounPhrase("a brass lantern");
  const chest = parseNounPhrase("an oak chest");
  const rope = parseNounPhrase("some rope");
  const marta = parseNounPhrase("Marta");

  it("groups equal phrases in first-seen order and counts them", () => {
    const items = countedItems([coin, lantern, coin, chest]);
    expect(items).toEqual(["two copper coins", "a brass lantern", "an oak chest"]);
    expect(listing(items)).toBe("two copper coins, a brass lantern and an oak chest");
  });

  it.each<[string, string[], string[]]>([
    ["nothing", [], []],
    ["one thing", ["a brass lantern"], ["a brass lantern"]],
    ["two different things", ["a brass lantern", "an oak chest"], ["a brass lantern", "an oak chest"]],
    ["two equal things", ["a copper coin", "a copper coin"], ["two copper coins"]],
    [
      "five things, three kinds",
      ["a knife", "an apple", "a knife", "a knife", "an apple"],
      ["three knives", "two apples"],
    ],
    ["thirteen coins", Array.from({ length: 13 }, () => "a copper coin"), ["13 copper coins"]],
    ["mass nouns group without a count", ["some rope", "a lamp", "some rope"], ["some rope", "a lamp"]],
    ["unique things are counted if repeated", ["the great waterwheel", "the great waterwheel"], ["two great waterwheels"]],
    ["a corrected article groups with the right one", ["a oak chest", "an oak chest"], ["two oak chests"]],
  ])("%s", (_, names, items) => {
    expect(countedItems(names.map((name) => parseNounPhrase(name)))).toEqual(items);
  });

  it("never groups proper names", () => {
    expect(countedItems([marta, coin, marta, coin])).toEqual(["Marta", "two copper coins", "Marta"]);
    expect(countedItems([properNoun("xena"), properNoun("xena")])).toEqual(["xena", "xena"]);
  });

  it("keeps apart phrases that differ in article or plural", () => {
    const uniqueWheel = parseNounPhrase("the waterwheel");
    const aWheel = parseNounPhrase("a waterwheel");
    const cacti = parseNounPhrase("a cactus", "cacti");
    const cactuses = parseNounPhrase("a cactus");
    expect(countedItems([uniqueWheel, aWheel, cacti, cactuses, cacti])).toEqual([
      "the waterwheel",
      "a waterwheel",
      "two cacti",
      "a cactus",
    ]);
  });

  it("keeps apart names whose parts would run together", () => {
    const left = { article: "a", singular: 'x","y', plural: "z" } as const;
    const right = { article: "a", singular: "x", plural: 'y","z' } as const;
    expect(countedItems([left, right])).toHaveLength(2);
  });

  it("mass nouns and rope together", () => {
    expect(listing(countedItems([rope, coin, rope, coin, coin]))).toBe("some rope and three copper coins");
  });

  it("property: the counts add up to the number of phrases", () => {
    const names = ["a copper coin", "a brass lantern", "an oak chest", "a knife", "the great waterwheel"];
    const words: Readonly<Record<string, number>> = { a: 1, an: 1, the: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...names), { maxLength: 40 }), (picked) => {
        const items = countedItems(picked.map((name) => parseNounPhrase(name)));
        const total = items.reduce((sum, item) => {
          const first = item.split(" ")[0] ?? "";
          return sum + (words[first] ?? Number(first));
        }, 0);
        expect(total).toBe(picked.length);
        expect(items.length).toBe(new Set(picked).size);
      }),
    );
  });
});
