/** Sentence capitals and number words. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capitalise, numberWord } from "../../../src/world/language/sentence.js";

describe("capitalise", () => {
  it.each([
    ["you say", "You say"],
    ["the brass lantern glows.", "The brass lantern glows."],
    ["Marta waves.", "Marta waves."],
    ['"hi," says bob', '"Hi," says bob'],
    ["'hi,' says bob", "'Hi,' says bob"],
    ["“hi,” says bob", "“Hi,” says bob"],
    ["«salut»", "«Salut»"],
    ["(quietly) you hum", "(Quietly) you hum"],
    ["[ooc] brb", "[Ooc] brb"],
    ["...and then", "...And then"],
    ["  leading spaces", "  Leading spaces"],
    ["élodie arrives", "Élodie arrives"],
    ["e\u0301lodie", "E\u0301lodie"],
    ["ωμέγα", "Ωμέγα"],
    ["ïsolde", "Ïsolde"],
    ["émile", "Émile"],
    ["3 coins fall", "3 coins fall"],
    ["!!!", "!!!"],
    ["", ""],
    ["a", "A"],
    ["𝒶 script letter", "𝒶 script letter"],
    ["🙂 hello", "🙂 Hello"],
  ])("%j -> %j", (text, capitalised) => {
    expect(capitalise(text)).toBe(capitalised);
  });

  it("changes only the first letter", () => {
    expect(capitalise("you give bob a lantern")).toBe("You give bob a lantern");
  });

  it("property: idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 20 }), (text) => {
        expect(capitalise(capitalise(text))).toBe(capitalise(text));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 20 }), (text) => {
        expect(capitalise(capitalise(text))).toBe(capitalise(text));
      }),
    );
  });

  it("property: plain ASCII text differs from its capitalised form in at most the first letter", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const out = capitalise(text);
        expect(out.toLowerCase()).toBe(text.toLowerCase());
        expect(out.length).toBe(text.length);
        const changed = [...text].filter((c, i) => c !== out[i]).length;
        expect(changed).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("numberWord", () => {
  it.each([
    [1, "one"],
    [2, "two"],
    [3, "three"],
    [4, "four"],
    [5, "five"],
    [6, "six"],
    [7, "seven"],
    [8, "eight"],
    [9, "nine"],
    [10, "ten"],
    [11, "eleven"],
    [12, "twelve"],
    [13, "13"],
    [100, "100"],
    [0, "0"],
    [-1, "-1"],
    [2.5, "2.5"],
  ])("%s -> %s", (n, word) => {
    expect(numberWord(n)).toBe(word);
  });
});
