import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReservedNames, validateName } from "../../src/accounts/names.js";

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
