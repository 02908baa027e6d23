/** The shared "-s" spelling rule and case matching. */
import { describe, expect, it } from "vitest";
import { addS, matchCase } from "../../../src/world/language/spelling.js";

describe("addS", () => {
  it.each([
    ["lamp", "lamps"],
    ["kiss", "kisses"],
    ["box", "boxes"],
    ["buzz", "buzzes"],
    ["quiz", "quizzes"],
    ["whiz", "whizzes"],
    ["match", "matches"],
    ["wish", "wishes"],
    ["city", "cities"],
    ["carry", "carries"],
    ["soliloquy", "soliloquies"],
    ["day", "days"],
    ["say", "says"],
    ["y", "ys"],
  ])("%s -> %s", (word, inflected) => {
    expect(addS(word)).toBe(inflected);
  });
});

describe("matchCase", () => {
  it.each([
    ["man", "men", "men"],
    ["Man", "men", "Men"],
    ["MAN", "men", "MEN"],
    ["McGuffin", "mcguffins", "McGuffins"],
    ["Be", "is", "Is"],
    ["be", "is", "is"],
    ["X", "xes", "Xes"],
    ["Élan", "élans", "Élans"],
  ])("%s + %s -> %s", (original, inflected, text) => {
    expect(matchCase(original, inflected)).toBe(text);
  });
});
