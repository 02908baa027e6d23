/**
 * What builders may call what they build (src/world/building/naming.ts) and how they write
 * behaviour parameters (src/world/building/behaviour-params.ts), tested alone, limits at the
 * limit and one past.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBehaviourParams } from "../../../src/world/building/behaviour-params.js";
import { checkDescription, checkExitName, checkKeywords, checkName, idBaseOf } from "../../../src/world/building/naming.js";
import { WorldIdPattern } from "../../../src/world/world-vocabulary.js";

describe("idBaseOf", () => {
  it("the name's words in lowercase, joined by -, without a leading article", () => {
    expect(idBaseOf("The Old Mill Race", "room")).toBe("old-mill-race");
    expect(idBaseOf("a blue vase", "thing")).toBe("blue-vase");
    expect(idBaseOf("an Oak Chest", "thing")).toBe("oak-chest");
    expect(idBaseOf("Marta's Kitchen", "room")).toBe("marta-s-kitchen");
    expect(idBaseOf("Café Crème", "room")).toBe("cafe-creme");
    expect(idBaseOf("Theatre", "room")).toBe("theatre");
  });

  it("a name with nothing Latin, or only an article, gives the fallback", () => {
    expect(idBaseOf("☃", "thing")).toBe("thing");
    expect(idBaseOf("The", "room")).toBe("room");
    expect(idBaseOf("a ☃", "thing")).toBe("thing");
  });

  it("at most 40 characters, never ending in -", () => {
    expect(idBaseOf("x".repeat(41), "thing")).toBe("x".repeat(40));
    expect(idBaseOf(`${"x".repeat(39)} y`, "thing")).toBe("x".repeat(39));
  });

  it("always an id the world files accept", () => {
    fc.assert(fc.property(fc.string({ maxLength: 100 }), (name) => WorldIdPattern.test(idBaseOf(name, "thing"))));
  });
});

describe("checkExitName", () => {
  const commands = new Set(["look", "get", "north", "south"]);

  it("a lowercase word, lowercased as typed; compass words are commands but fine as exits", () => {
    expect(checkExitName("Archway", commands)).toEqual({ ok: true, value: "archway" });
    expect(checkExitName("north", commands)).toEqual({ ok: true, value: "north" });
    expect(checkExitName("stair-top", commands)).toEqual({ ok: true, value: "stair-top" });
  });

  it("refuses abbreviations, other shapes, commands, the parser's words, and more than 24 letters", () => {
    expect(checkExitName("ne", commands)).toEqual({ ok: false, reason: '"ne" is an abbreviation; write northeast.' });
    expect(checkExitName("-gate", commands).ok).toBe(false);
    expect(checkExitName("gate2", commands).ok).toBe(false);
    expect(checkExitName("get", commands)).toEqual({ ok: false, reason: '"get" is a word commands already use; call the exit something else.' });
    expect(checkExitName("all", commands).ok).toBe(false);
    expect(checkExitName("a".repeat(24), commands).ok).toBe(true);
    expect(checkExitName("a".repeat(25), commands)).toEqual({ ok: false, reason: "An exit's name is at most 24 letters." });
  });
});

describe("checkName and checkDescription: the world files' limits", () => {
  it("names: one line, 80 characters, trimmed", () => {
    expect(checkName("  a blue vase ")).toEqual({ ok: true, value: "a blue vase" });
    expect(checkName("x".repeat(80)).ok).toBe(true);
    expect(checkName("x".repeat(81))).toEqual({ ok: false, reason: "A name must be at most 80 characters." });
    expect(checkName("a\tvase")).toEqual({ ok: false, reason: "A name must be one line of plain text." });
  });

  it("descriptions: plain text, 4000 characters", () => {
    expect(checkDescription("d".repeat(4000)).ok).toBe(true);
    expect(checkDescription("d".repeat(4001))).toEqual({ ok: false, reason: "A description must be at most 4000 characters." });
    expect(checkDescription("a \u001b[31mred\u001b[0m vase")).toEqual({ ok: false, reason: "A description must be plain text (no control characters)." });
  });
});

describe("checkKeywords", () => {
  it("lowercase single words, spaces or commas between, duplicates dropped", () => {
    expect(checkKeywords("Oak, chest chest  box")).toEqual({ ok: true, value: ["oak", "chest", "box"] });
    expect(checkKeywords("o'neil's half-moon")).toEqual({ ok: true, value: ["o'neil's", "half-moon"] });
  });

  it("16 words of 30 characters at most", () => {
    const words = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
    expect(checkKeywords(words(16)).ok).toBe(true);
    expect(checkKeywords(words(17))).toEqual({ ok: false, reason: "A thing may have at most 16 keywords." });
    expect(checkKeywords("k".repeat(30)).ok).toBe(true);
    expect(checkKeywords("k".repeat(31))).toEqual({ ok: false, reason: "A keyword is at most 30 characters." });
    expect(checkKeywords("a.b").ok).toBe(false);
  });
});

describe("parseBehaviourParams", () => {
  it("numbers and true/false converted; quoted text kept as written", () => {
    expect(parseBehaviourParams('everySeconds=30 leaves="pad off" area=Shuttleford loud=true ratio=-0.5')).toEqual({
      ok: true,
      value: { everySeconds: 30, leaves: "pad off", area: "Shuttleford", loud: true, ratio: -0.5 },
    });
    expect(parseBehaviourParams('say="Welcome, {name}! \\"Hi\\""')).toEqual({ ok: true, value: { say: 'Welcome, {name}! "Hi"' } });
    expect(parseBehaviourParams('n="30"')).toEqual({ ok: true, value: { n: "30" } });
    expect(parseBehaviourParams("")).toEqual({ ok: true, value: {} });
  });

  it("refuses what is not name=value, an unclosed quote, a name twice", () => {
    expect(parseBehaviourParams("everySeconds")).toEqual({ ok: false, reason: 'Parameters are written name=value (a value with spaces in "double quotes"); "everySeconds" is not.' });
    expect(parseBehaviourParams('say="unclosed').ok).toBe(false);
    expect(parseBehaviourParams("a=1 a=2")).toEqual({ ok: false, reason: "The parameter a is given twice." });
  });

  it("a name starts with a letter (so never __proto__); constructor is an own key like any other", () => {
    const parsed = parseBehaviourParams("__proto__=1");
    expect(parsed.ok).toBe(false);
    const own = parseBehaviourParams("constructor=1");
    expect(own).toEqual({ ok: true, value: { constructor: 1 } });
  });
});
