import { describe, expect, it } from "vitest";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, validatePassword } from "../../src/accounts/password-policy.js";

const LENGTH = "Passwords are 4 to 128 characters long.";
const CONTROL = "Passwords cannot contain control characters.";

describe("validatePassword", () => {
  it("accepts 4 to 128 characters, at each limit", () => {
    expect(PASSWORD_MIN_LENGTH).toBe(4);
    expect(PASSWORD_MAX_LENGTH).toBe(128);
    expect(validatePassword("abcd")).toEqual({ ok: true });
    expect(validatePassword("x".repeat(128))).toEqual({ ok: true });
    expect(validatePassword("correct horse battery staple")).toEqual({ ok: true });
  });

  it("refuses one past each limit", () => {
    expect(validatePassword("abc")).toEqual({ ok: false, error: LENGTH });
    expect(validatePassword("x".repeat(129))).toEqual({ ok: false, error: LENGTH });
    expect(validatePassword("")).toEqual({ ok: false, error: LENGTH });
    expect(validatePassword("x".repeat(100_000))).toEqual({ ok: false, error: LENGTH });
  });

  it("counts characters, not UTF-16 units", () => {
    expect(validatePassword("🔑🔑")).toEqual({ ok: false, error: LENGTH });
    expect(validatePassword("🔑🔑🔑🔑")).toEqual({ ok: true });
    expect(validatePassword("🔑".repeat(128))).toEqual({ ok: true });
    expect(validatePassword("🔑".repeat(129))).toEqual({ ok: false, error: LENGTH });
  });

  it("allows spaces and any printable Unicode", () => {
    expect(validatePassword("pässwörd with spaces")).toEqual({ ok: true });
  });

  it("refuses C0, DEL and C1 controls, and lone surrogates", () => {
    for (const bad of ["pass\x00word", "pass\tword", "pass\rword", "pass\nword", "pass\x1b[2J", "pass\x7fword", "pass\x85word", "pass\x9bword", "pass\ud800word"]) {
      expect(validatePassword(bad)).toEqual({ ok: false, error: CONTROL });
    }
  });
});
