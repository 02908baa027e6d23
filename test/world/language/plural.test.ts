/** Plurals of noun phrases: regular spelling, irregulars, -f/-fe, -o, "X of Y", and case. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pluralize } from "../../../src/world/language/plural.js";

describe("pluralize", () => {
  it.each([
    // regular
    ["lantern", "lanterns"],
    ["brass lantern", "brass lanterns"],
    ["day", "days"],
    ["key", "keys"],
    ["toy", "toys"],
    ["guy", "guys"],
    ["rope", "ropes"],
    // -s -x -z -ch -sh
    ["glass", "glasses"],
    ["bus", "buses"],
    ["box", "boxes"],
    ["fox", "foxes"],
    ["waltz", "waltzes"],
    ["buzz", "buzzes"],
    ["quiz", "quizzes"],
    ["fez", "fezzes"],
    ["torch", "torches"],
    ["bench", "benches"],
    ["brush", "brushes"],
    ["dish", "dishes"],
    ["stomach", "stomachs"],
    ["monarch", "monarchs"],
    // consonant + y
    ["city", "cities"],
    ["berry", "berries"],
    ["fly", "flies"],
    ["soliloquy", "soliloquies"],
  ])("regular: %s -> %s", (singular, plural) => {
    expect(pluralize(singular)).toBe(plural);
  });

  it.each([
    ["knife", "knives"],
    ["penknife", "penknives"],
    ["wife", "wives"],
    ["midwife", "midwives"],
    ["life", "lives"],
    ["leaf", "leaves"],
    ["loaf", "loaves"],
    ["shelf", "shelves"],
    ["bookshelf", "bookshelves"],
    ["half", "halves"],
    ["wolf", "wolves"],
    ["werewolf", "werewolves"],
    ["calf", "calves"],
    ["elf", "elves"],
    ["thief", "thieves"],
    ["scarf", "scarves"],
    ["hoof", "hooves"],
    ["dwarf", "dwarves"],
    ["roof", "roofs"],
    ["chief", "chiefs"],
    ["belief", "beliefs"],
    ["cliff", "cliffs"],
    ["staff", "staffs"],
    ["safe", "safes"],
  ])("-f/-fe: %s -> %s", (singular, plural) => {
    expect(pluralize(singular)).toBe(plural);
  });

  it.each([
    ["potato", "potatoes"],
    ["sweet potato", "sweet potatoes"],
    ["tomato", "tomatoes"],
    ["hero", "heroes"],
    ["superhero", "superheroes"],
    ["echo", "echoes"],
    ["torpedo", "torpedoes"],
    ["piano", "pianos"],
    ["radio", "radios"],
    ["photo", "photos"],
    ["zero", "zeros"],
    ["kangaroo", "kangaroos"],
  ])("-o: %s -> %s", (singular, plural) => {
    expect(pluralize(singular)).toBe(plural);
  });

  it.each([
    ["man", "men"],
    ["old man", "old men"],
    ["woman", "women"],
    ["fisherman", "fishermen"],
    ["child", "children"],
    ["grandchild", "grandchildren"],
    ["mouse", "mice"],
    ["dormouse", "dormice"],
    ["foot", "feet"],
    ["tooth", "teeth"],
    ["goose", "geese"],
    ["person", "people"],
    ["salesperson", "salespeople"],
    ["ox", "oxen"],
    ["die", "dice"],
    ["louse", "lice"],
    // look-alikes that are regular
    ["human", "humans"],
    ["shaman", "shamans"],
    ["talisman", "talismans"],
    ["box", "boxes"],
    ["mongoose", "mongooses"],
    ["bigfoot", "bigfoots"],
  ])("irregular: %s -> %s", (singular, plural) => {
    expect(pluralize(singular)).toBe(plural);
  });

  it.each([
    ["sheep", "sheep"],
    ["black sheep", "black sheep"],
    ["deer", "deer"],
    ["reindeer", "reindeer"],
    ["fish", "fish"],
    ["goldfish", "goldfish"],
    ["moose", "moose"],
    ["series", "series"],
    ["species", "species"],
  ])("unchanged: %s -> %s", (singular, plural) => {
    expect(pluralize(singular)).toBe(plural);
  });

  it.each([
    ["pair of boots", "pairs of boots"],
    ["book of river songs", "books of river songs"],
    ["cup of tea", "cups of tea"],
    ["loaf of bread", "loaves of bread"],
    ["man of war", "men of war"],
    ["bottle of oil of roses", "bottles of oil of roses"],
    ["leather bag of coins", "leather bags of coins"],
    ["Book Of Hours", "Books Of Hours"],
    ["mother-in-law", "mothers-in-law"],
    ["man-at-arms", "men-at-arms"],
    ["jack-of-all-trades", "jacks-of-all-trades"],
    ["will-o'-the-wisp", "will-o'-the-wisps"],
    ["coffee", "coffees"],
    ["offering", "offerings"],
  ])("head noun: %s -> %s", (singular, plural) => {
    expect(pluralize(singular)).toBe(plural);
  });

  it.each([
    ["Lantern", "Lanterns"],
    ["LANTERN", "LANTERNS"],
    ["Brass Lantern", "Brass Lanterns"],
    ["Man", "Men"],
    ["Old Man", "Old Men"],
    ["WOMAN", "WOMEN"],
    ["Knife", "Knives"],
    ["KNIFE", "KNIVES"],
    ["Child", "Children"],
    ["Mouse", "Mice"],
    ["Person", "People"],
    ["McGuffin", "McGuffins"],
    ["City", "Cities"],
    ["BOX", "BOXES"],
  ])("keeps case: %s -> %s", (singular, plural) => {
    expect(pluralize(singular)).toBe(plural);
  });

  it("does not mistake Object.prototype's names for irregulars", () => {
    expect(pluralize("constructor")).toBe("constructors");
    expect(pluralize("__proto__")).toBe("__proto__s");
    expect(pluralize("toString")).toBe("toStrings");
  });

  it("trims and leaves empty input empty", () => {
    expect(pluralize("  brass lantern ")).toBe("brass lanterns");
    expect(pluralize("")).toBe("");
    expect(pluralize("   ")).toBe("");
  });

  it("property: only the head noun changes", () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/u);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.constantFrom("lantern", "knife", "box", "man"), (adjectives, noun) => {
        const phrase = [...adjectives.filter((w) => w !== "of"), noun].join(" ");
        const plural = pluralize(phrase);
        const prefix = phrase.slice(0, phrase.lastIndexOf(" ") + 1);
        expect(plural.startsWith(prefix)).toBe(true);
        expect(plural.slice(prefix.length)).toBe(pluralize(noun));
      }),
    );
  });
});
