/** Verb agreement with the subject. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { conjugate } from "../../../src/world/language/verbs.js";

describe("conjugate", () => {
  it.each([
    ["give", "gives"],
    ["take", "takes"],
    ["look", "looks"],
    ["be", "is"],
    ["have", "has"],
    ["do", "does"],
    ["undo", "undoes"],
    ["go", "goes"],
    ["echo", "echoes"],
    ["veto", "vetoes"],
    ["boo", "boos"],
    ["tattoo", "tattoos"],
    ["push", "pushes"],
    ["wish", "wishes"],
    ["catch", "catches"],
    ["reach", "reaches"],
    ["kiss", "kisses"],
    ["pass", "passes"],
    ["fix", "fixes"],
    ["relax", "relaxes"],
    ["buzz", "buzzes"],
    ["quiz", "quizzes"],
    ["carry", "carries"],
    ["try", "tries"],
    ["fly", "flies"],
    ["say", "says"],
    ["play", "plays"],
    ["obey", "obeys"],
    ["enjoy", "enjoys"],
    ["buy", "buys"],
    ["pick up", "picks up"],
    ["put down", "puts down"],
    ["carry on", "carries on"],
    ["go through", "goes through"],
    ["be about to", "is about to"],
  ])("singular: %s -> %s", (verb, singular) => {
    expect(conjugate(verb, false)).toBe(singular);
  });

  it.each([
    ["give", "give"],
    ["be", "are"],
    ["have", "have"],
    ["do", "do"],
    ["go", "go"],
    ["push", "push"],
    ["carry", "carry"],
    ["say", "say"],
    ["pick up", "pick up"],
    ["be about to", "are about to"],
  ])("plural or second person: %s -> %s", (verb, plural) => {
    expect(conjugate(verb, true)).toBe(plural);
  });

  it.each([
    ["Give", false, "Gives"],
    ["Be", false, "Is"],
    ["Be", true, "Are"],
    ["CARRY", false, "CARRIES"],
    ["Pick up", false, "Picks up"],
  ] as const)("keeps case: %s (plural %s) -> %s", (verb, plural, text) => {
    expect(conjugate(verb, plural)).toBe(text);
  });

  it("leaves empty and blank verbs alone", () => {
    expect(conjugate("", false)).toBe("");
    expect(conjugate("  ", false)).toBe("  ");
  });

  it("property: a plural subject leaves every verb but 'be' untouched", () => {
    const verb = fc.stringMatching(/^[a-z]{1,10}( [a-z]{1,6})?$/u).filter((v) => !/^be(?: |$)/u.test(v));
    fc.assert(
      fc.property(verb, (v) => {
        expect(conjugate(v, true)).toBe(v);
      }),
    );
  });

  it("property: the singular keeps the words after the first", () => {
    const verb = fc.tuple(fc.stringMatching(/^[a-z]{1,10}$/u), fc.stringMatching(/^( [a-z]{1,6}){0,2}$/u));
    fc.assert(
      fc.property(verb, ([head, rest]) => {
        const text = conjugate(head + rest, false);
        expect(text.endsWith(rest)).toBe(true);
        expect(text.startsWith(head === "be" ? "is" : head === "have" ? "ha" : head.slice(0, -1))).toBe(true);
      }),
    );
  });
});
