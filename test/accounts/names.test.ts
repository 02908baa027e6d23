import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseName, ReservedNames, validateName } from "../../src/accounts/names.js";
import { BUILT_IN_ACTIONS } from "../../src/world/actions/index.js";
import { ExitAbbreviations } from "../../src/world/world-schema.js";

const RULE = "Names are 3 to 16 letters, A to Z.";

describe("validateName", () => {
  it("accepts 3 to 16 letters, capitalising the display name and lowercasing the key", () => {
    expect(validateName("alice")).toEqual({ ok: true, name: "Alice", key: "alice" });
    expect(validateName("BOB")).toEqual({ ok: true, name: "Bob", key: "bob" });
    expect(validateName("mCdUCK")).toEqual({ ok: true, name: "Mcduck", key: "mcduck" });
    expect(validateName("abcdefghijklmnop")).toMatchObject({ ok: true, key: "abcdefghijklmnop" });
  });

  it("ignores surrounding whitespace", () => {
    expect(validateName("  Alice \t")).toEqual({ ok: true, name: "Alice", key: "alice" });
  });

  it("refuses names that are too short or too long, at the limit and one past", () => {
    expect(validateName("ab")).toEqual({ ok: false, error: RULE });
    expect(validateName("abc").ok).toBe(true);
    expect(validateName("a".repeat(16)).ok).toBe(true);
    expect(validateName("a".repeat(17))).toEqual({ ok: false, error: RULE });
    expect(validateName("")).toEqual({ ok: false, error: RULE });
  });

  it("refuses digits, punctuation, spaces and non-ASCII letters", () => {
    for (const bad of ["alice1", "al ice", "al-ice", "o'neil", "Zoë", "Ålice", "José"]) {
      expect(validateName(bad)).toEqual({ ok: false, error: RULE });
    }
  });

  it("E8: refuses zero-width characters and confusables from other scripts", () => {
    for (const bad of ["Al\u200bice", "Al\u200cice", "Al\u200dice", "\u2060Alice", "\ufeffAlice", "\u0410lice" /* Cyrillic А */, "Αlice" /* Greek Alpha */, "Ａlice" /* fullwidth */]) {
      expect(validateName(bad)).toEqual({ ok: false, error: RULE });
    }
  });

  it("E8: one display form per name, so case cannot fake a twin", () => {
    expect(validateName("AIice")).toMatchObject({ ok: true, name: "Aiice" });
  });

  it("E7: refuses bidi overrides and isolates", () => {
    for (const bad of ["\u202eecilA", "Ali\u202dce", "Al\u2066ice\u2069", "Alice\u200f"]) {
      expect(validateName(bad)).toEqual({ ok: false, error: RULE });
    }
  });

  it("refuses reserved words in any case, with a clear message", () => {
    expect(validateName("admin")).toEqual({ ok: false, error: '"Admin" is reserved. Please choose another name.' });
    for (const word of ReservedNames) {
      if (word.length < 3) continue;
      expect(validateName(word.toUpperCase()).ok).toBe(false);
    }
    expect(validateName("you")).toMatchObject({ ok: false });
    expect(validateName("Loom")).toMatchObject({ ok: false });
  });

  it("property: an accepted name is exactly ASCII letters, and the key round-trips", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const r = validateName(s);
        if (!r.ok) return;
        expect(r.key).toMatch(/^[a-z]{3,16}$/);
        expect(r.name.toLowerCase()).toBe(r.key);
        expect(validateName(r.name)).toEqual(r);
      }),
    );
  });
});

describe("issue 5 item 7: names that read as server text are refused", () => {
  const listed = [
    "your", "you", "welcome", "system", "server", "sysadmin", "admin", "wizard", "god", "exits", "exit",
    "announcement", "notice", "info", "warning", "error", "help", "goodbye", "password", "name", "login",
    "logout", "shutdown", "loom", "staff", "moderator", "anyone", "someone", "look", "north", "southwest",
    "down", "out", "say", "emote", "tell", "who", "quit", "she", "him", "they", "them", "everyone",
  ];

  it.each(listed)("refuses %s, in any case", (word) => {
    const display = word.charAt(0).toUpperCase() + word.slice(1);
    for (const typed of [word, word.toUpperCase(), display]) {
      expect(validateName(typed)).toEqual({ ok: false, error: `"${display}" is reserved. Please choose another name.` });
    }
  });

  it("every command name and alias, and every direction, of three letters or more is reserved", () => {
    const words = [
      ...BUILT_IN_ACTIONS.flatMap((c) => c.names),
      ...Object.keys(ExitAbbreviations),
      ...Object.values(ExitAbbreviations),
    ].filter((w) => /^[a-z]{3,}$/.test(w));
    expect(words.length).toBeGreaterThan(20);
    for (const word of words) expect(validateName(word), word).toMatchObject({ ok: false });
  });

  it("words the caller adds (the world's exits) are refused too; parseName ignores reserved words", () => {
    expect(validateName("Bridge", new Set(["bridge"]))).toMatchObject({ ok: false });
    expect(validateName("Bridget", new Set(["bridge"]))).toMatchObject({ ok: true });
    // A character made before a word was reserved can still connect.
    expect(parseName("Wizard")).toEqual({ ok: true, name: "Wizard", key: "wizard" });
    expect(parseName("x")).toMatchObject({ ok: false });
  });

  it("ordinary names are still accepted", () => {
    for (const ok of ["Alice", "Bob", "Yourick", "Welcomer", "Godfrey", "Helper", "Norah", "Sayuri", "Lookwell", "Ann", "Eve"]) {
      expect(validateName(ok), ok).toMatchObject({ ok: true });
    }
  });
});
