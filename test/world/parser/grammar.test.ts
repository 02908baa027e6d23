/**
 * The grammar compiler (src/world/parser/grammar.ts): every construct — slots, literal words
 * and their alternatives, optional parts at the start, in the middle and at the end, nested
 * and alone — and the malformed syntaxes it refuses. Also every built-in action's syntax
 * compiles.
 */
import { describe, expect, it } from "vitest";
import { BUILT_IN_ACTIONS } from "../../../src/world/actions/index.js";
import { compilePattern, matchPattern } from "../../../src/world/parser/grammar.js";

/** The slots `args` fills under `syntax`, or undefined when it does not fit. */
function fit(syntax: string, args: string): Readonly<Partial<Record<string, string>>> | undefined {
  return matchPattern(compilePattern(syntax), args);
}

describe("compilePattern", () => {
  it("keeps the source and lists the slots in order; the first word is the verb and is not matched", () => {
    const pattern = compilePattern("put <things> in <container>");
    expect(pattern.source).toBe("put <things> in <container>");
    expect(pattern.slots).toEqual(["things", "container"]);
    // What follows the verb is matched: the dispatcher found the action by the verb.
    expect(fit("put <things> in <container>", "apple in basket")).toEqual({ things: "apple", container: "basket" });
  });

  it("a verb alone fits only nothing", () => {
    expect(fit("look", "")).toEqual({});
    expect(fit("look", "   ")).toEqual({});
    expect(fit("look", "around")).toBeUndefined();
  });

  it("a slot takes one or more words, trimmed", () => {
    expect(fit("say <text>", "hello")).toEqual({ text: "hello" });
    expect(fit("say <text>", "  hello   there  ")).toEqual({ text: "hello   there" });
    expect(fit("say <text>", "")).toBeUndefined();
  });

  it("a slot keeps line breaks and any characters, braces included", () => {
    expect(fit("say <text>", "a\nb {actor}")).toEqual({ text: "a\nb {actor}" });
  });

  it("two slots in a row: the first takes one word, the second the rest", () => {
    expect(fit("tell <name> <text>", "bob meet me by the fountain")).toEqual({ name: "bob", text: "meet me by the fountain" });
    expect(fit("tell <name> <text>", "bob")).toBeUndefined();
  });

  it("a literal word separates slots, in any case; the first slot stops at its first occurrence", () => {
    expect(fit("give <things> to <person>", "red apple to Bob")).toEqual({ things: "red apple", person: "Bob" });
    expect(fit("give <things> to <person>", "apple TO bob")).toEqual({ things: "apple", person: "bob" });
    expect(fit("give <things> to <person>", "apple to the man to the left")).toEqual({ things: "apple", person: "the man to the left" });
    expect(fit("give <things> to <person>", "apple bob")).toBeUndefined();
  });

  it("a literal word must stand alone: into is not in followed by to", () => {
    expect(fit("put <things> in <container>", "apple into basket")).toBeUndefined();
    expect(fit("give <things> to <person>", "apple tobob")).toBeUndefined();
  });

  it("alternatives: any of the words fits", () => {
    const syntax = "put <things> in|into|inside <container>";
    for (const word of ["in", "into", "inside", "INTO"]) expect(fit(syntax, `apple ${word} basket`), word).toEqual({ things: "apple", container: "basket" });
    expect(fit(syntax, "apple onto basket")).toBeUndefined();
  });

  it("alternatives as a whole argument: look in|inside <container>", () => {
    expect(fit("look in|inside <container>", "inside chest")).toEqual({ container: "chest" });
    expect(fit("look in|inside <container>", "in")).toBeUndefined();
  });

  it("optional at the start: look [at] <thing>", () => {
    expect(fit("look [at] <thing>", "at lamp")).toEqual({ thing: "lamp" });
    expect(fit("look [at] <thing>", "lamp")).toEqual({ thing: "lamp" });
    expect(fit("look [at] <thing>", "atlas")).toEqual({ thing: "atlas" });
    expect(fit("look [at] <thing>", "")).toBeUndefined();
  });

  it("optional in the middle: put <things> [back] in <box>", () => {
    expect(fit("put <things> [back] in <box>", "coin back in chest")).toEqual({ things: "coin", box: "chest" });
    expect(fit("put <things> [back] in <box>", "coin in chest")).toEqual({ things: "coin", box: "chest" });
    expect(fit("put <things> [back] in <box>", "coinback in chest")).toEqual({ things: "coinback", box: "chest" });
  });

  it("optional at the end, with a slot inside: absent when left out", () => {
    expect(fit("lock <thing> [with <key>]", "iron door with brass key")).toEqual({ thing: "iron door", key: "brass key" });
    expect(fit("lock <thing> [with <key>]", "iron door")).toEqual({ thing: "iron door" });
    expect(fit("lock <thing> [with <key>]", "door with")).toEqual({ thing: "door with" });
  });

  it("an optional part that is the whole argument: who [<query>]", () => {
    expect(fit("who [<query>]", "")).toEqual({});
    expect(fit("who [<query>]", "al")).toEqual({ query: "al" });
  });

  it("two optional parts at the start, and one nested in another", () => {
    expect(fit("get [up] [the] <things>", "up the coin")).toEqual({ things: "coin" });
    expect(fit("get [up] [the] <things>", "the coin")).toEqual({ things: "coin" });
    expect(fit("get [up] [the] <things>", "coin")).toEqual({ things: "coin" });
    expect(fit("unlock <thing> [with [the] <key>]", "door with the key")).toEqual({ thing: "door", key: "key" });
    expect(fit("unlock <thing> [with [the] <key>]", "door with key")).toEqual({ thing: "door", key: "key" });
  });

  it("brackets need no spaces around them", () => {
    expect(compilePattern("lock <thing>[with <key>]").slots).toEqual(["thing", "key"]);
    expect(fit("lock <thing>[with <key>]", "door with key")).toEqual({ thing: "door", key: "key" });
  });

  it("a word that means something to a regular expression is only a word", () => {
    expect(fit("give <things> to <person>", "a.b to c")).toEqual({ things: "a.b", person: "c" });
    expect(fit("say <text>", "(.*)")).toEqual({ text: "(.*)" });
  });

  describe("malformed syntax throws", () => {
    it.each([
      ["an unclosed [", "lock <thing> [with <key>", /unclosed \[/],
      ["an unbalanced ]", "lock <thing> with <key>]", /unbalanced \]/],
      ["an empty []", "look [] <thing>", /empty \[\]/],
      ["a slot with capitals", "look <Thing>", /bad token "<Thing>"/],
      ["an empty slot", "look <>", /bad token "<>"/],
      ["an unclosed slot", "look <thing", /bad token "<thing"/],
      ["punctuation in a word", "put <things> in,into <box>", /bad token "in,into"/],
      ["an empty alternative", "put <things> in||into <box>", /bad token/],
      ["a slot named twice", "give <thing> to <thing>", /slot <thing> twice/],
    ])("%s", (_, syntax, message) => {
      expect(() => compilePattern(syntax)).toThrow(message);
    });
  });

  it("every built-in action's syntax compiles", () => {
    for (const action of BUILT_IN_ACTIONS) for (const syntax of action.syntax) expect(() => compilePattern(syntax), syntax).not.toThrow();
  });
});
