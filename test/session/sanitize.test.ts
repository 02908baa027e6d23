import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { playerText, sanitizeText } from "../../src/session/sanitize.js";

const ESC = "\x1b";
/** The oracle, written independently of the module: no character of these classes may survive. */
const FORBIDDEN = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|\p{Cs}/u;
/**
 * Issue 5 item 11: the invisibles, each listed on its own so a failure names the code point.
 * The first row is the attacker's list; the second, similar characters added by judgment.
 */
const INVISIBLES = [
  0x200b, 0x200d, 0x2060, 0x00ad, 0x180e, 0xfff9, 0xfffa, 0xfffb, 0x3164, 0x115f, 0x2800, 0xe0000, 0xe0001, 0xe0020, 0xe0041, 0xe007f,
  0x200c, 0x2061, 0x2062, 0x2063, 0x2064, 0x206a, 0x206b, 0x206c, 0x206d, 0x206e, 0x206f, 0x1160, 0xffa0, 0x034f, 0x180b, 0x180c, 0x180d, 0x180f, 0x17b4, 0x17b5, 0x1bca0, 0x1bca3, 0x1d173, 0x1d17a,
];
/** The oracle for invisibles; the zero-width joiner is allowed only inside emoji sequences, tested apart. */
const INVISIBLE = new RegExp(`[${INVISIBLES.filter((cp) => cp !== 0x200d).map((cp) => `\\u{${cp.toString(16)}}`).join("")}]`, "u");
/**
 * Every character that appears after the first position of some canonical decomposition: the
 * only characters that can ever compose with the character before them.
 */
function composingSeconds(): Set<string> {
  const seconds = new Set<string>();
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const nfd = Array.from(String.fromCodePoint(cp).normalize("NFD"));
    for (let i = 1; i < nfd.length; i++) seconds.add(nfd[i]!);
  }
  return seconds;
}
const countMarks = (s: string): number => (s.match(/\p{M}/gu) ?? []).length;

describe("sanitizeText", () => {
  it("E1: OSC title, clear-screen and colour sequences are removed whole", () => {
    expect(sanitizeText(`hi ${ESC}]0;pwned\x07${ESC}[2J${ESC}[31mred`)).toBe("hi red");
  });

  it("E1: OSC ended by ST, by an 8-bit ST, or not at all", () => {
    expect(sanitizeText(`a${ESC}]2;title${ESC}\\b`)).toBe("ab");
    expect(sanitizeText("a\x9d2;title\x9cb")).toBe("ab");
    // Unterminated: a terminal would swallow the rest, and so do we.
    expect(sanitizeText(`a${ESC}]0;pwned and more`)).toBe("a");
    // Another ESC aborts the string (as in xterm) and is itself removed as a sequence.
    expect(sanitizeText(`a${ESC}]0;x${ESC}[1mb`)).toBe("ab");
  });

  it("E1: DCS, APC, PM and SOS strings are removed whole", () => {
    for (const intro of ["P", "_", "^", "X"]) {
      expect(sanitizeText(`x${ESC}${intro}payload${ESC}\\y`)).toBe("xy");
    }
  });

  it("E1: CSI with private parameters and intermediates, 7- and 8-bit", () => {
    expect(sanitizeText(`a${ESC}[?1049hb${ESC}[1 qc`)).toBe("abc");
    expect(sanitizeText("a\x9b2Jb")).toBe("ab");
    expect(sanitizeText(`a${ESC}[38;5;196mb${ESC}[0m`)).toBe("ab");
    // An unfinished CSI loses its parameters but not the visible text after it.
    expect(sanitizeText(`a${ESC}[31`)).toBe("a");
    expect(sanitizeText(`a${ESC}[31é`)).toBe("aé");
  });

  it("E1: other escapes (charset, reset, keypad) are removed with their final byte", () => {
    expect(sanitizeText(`a${ESC}(Bb${ESC}cc${ESC}=d`)).toBe("abcd");
    expect(sanitizeText(`lone ${ESC}`)).toBe("lone ");
  });

  it("E2: C1 controls U+0080–U+009F are stripped", () => {
    // The 8-bit sequence introducers take their sequence with them (tested above); every other
    // C1 control goes alone.
    const introducers = [0x90, 0x98, 0x9b, 0x9d, 0x9e, 0x9f];
    for (let c = 0x80; c <= 0x9f; c++) {
      const ch = String.fromCharCode(c);
      if (introducers.includes(c)) expect(sanitizeText(`a${ch}`)).toBe("a");
      else expect(sanitizeText(`a${ch}b`)).toBe("ab");
    }
    expect(sanitizeText("next\x85line")).toBe("nextline");
  });

  it("E3: CR, LF, BS, BEL, FF, VT, NUL and DEL are stripped; TAB becomes a space", () => {
    expect(sanitizeText("Bob\rAlice says")).toBe("BobAlice says");
    expect(sanitizeText("abc\b\b\bxyz")).toBe("abcxyz");
    expect(sanitizeText("a\x07\x0c\x0b\x00\x7fb")).toBe("ab");
    expect(sanitizeText("a\tb")).toBe("a b");
  });

  it("E4: no message can carry a line break of any kind", () => {
    const forged = sanitizeText("hello\r\nAdmin shouts, \"reboot\"\nx\u2028y\u2029z\x85w");
    expect(forged).toBe('helloAdmin shouts, "reboot"xyzw');
    expect(forged).not.toMatch(/[\r\n\u2028\u2029\x85\x0b\x0c]/);
  });

  it("E7: bidi marks, embeddings, overrides and isolates are stripped", () => {
    const bidi = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";
    expect(sanitizeText(`evil${bidi}txt.exe`)).toBe("eviltxt.exe");
    expect(sanitizeText("\u202egnp.exe")).toBe("gnp.exe");
  });

  it("strips the BOM and lone surrogates but keeps astral characters", () => {
    expect(sanitizeText("\ufeffhi")).toBe("hi");
    expect(sanitizeText("a\ud800b\udc00c")).toBe("abc");
    expect(sanitizeText("wave 👋🏽 family 👨‍👩‍👧 flag 🇳🇿")).toBe("wave 👋🏽 family 👨‍👩‍👧 flag 🇳🇿");
  });

  it("E10: 100 combining marks on one letter become at most 3", () => {
    const zalgo = `Z${"\u0301\u0316\u0339\u0362".repeat(25)}ap`;
    const out = sanitizeText(zalgo);
    expect(countMarks(out)).toBe(3);
    // Canonical order puts the below-marks (class 220) first; the first three of those stay.
    expect(out).toBe("Z\u0316\u0339\u0316ap");
  });

  it("E10: the cap applies per base character, counted decomposed, and is configurable", () => {
    const text = `a${"\u0301".repeat(10)}b${"\u0300".repeat(10)}`;
    expect(sanitizeText(text, { maxCombining: 1 })).toBe("\u00e1b\u0300");
    expect(sanitizeText(text, { maxCombining: 0 })).toBe("ab");
    // a + 3 acutes composes to á + 2 acutes; b + 3 graves has no precomposed form.
    expect(sanitizeText(text)).toBe("\u00e1\u0301\u0301b\u0300\u0300\u0300");
    expect(sanitizeText(text, { maxCombining: Infinity })).toBe(text.normalize("NFC"));
  });

  it("E10: a precomposed letter counts its own accent", () => {
    expect(sanitizeText(`\u00e1${"\u0301".repeat(5)}`)).toBe("\u00e1\u0301\u0301");
  });

  it("E10: the cap counts astral marks as one each", () => {
    const astralMark = "\u{1D167}"; // MUSICAL SYMBOL COMBINING TREMOLO-1, outside the BMP
    expect(sanitizeText(`x${astralMark.repeat(5)}`)).toBe(`x${astralMark.repeat(3)}`);
  });

  it("keeps real text in real scripts", () => {
    for (const s of ["Tiếng Việt", "नमस्ते दुनिया", "สวัสดีครับ", "Привет, мир", "こんにちは世界", "مرحبا بالعالم", "한국어"]) {
      expect(sanitizeText(s)).toBe(s.normalize("NFC"));
    }
  });

  it("normalises to NFC", () => {
    expect(sanitizeText("Cafe\u0301")).toBe("Café");
    expect(sanitizeText("\u212b")).toBe("\u00c5"); // ANGSTROM SIGN
  });

  it("returns the very same string when there is nothing to do", () => {
    const plain = `Alice says, "héllo - ça va? ñ ß ø ł ə ʃ ${"x".repeat(100)}"`;
    expect(sanitizeText(plain)).toBe(plain);
    expect(sanitizeText("")).toBe("");
  });

  it("the fast path is sound: U+0020–U+007E and U+00A0–U+02FF are printable, NFC, and never compose backwards", () => {
    const safe: string[] = [];
    for (let c = 0x20; c <= 0x2ff; c++) if ((c <= 0x7e || c >= 0xa0) && c !== 0xad) safe.push(String.fromCharCode(c));
    for (const ch of safe) {
      expect(FORBIDDEN.test(ch)).toBe(false);
      expect(INVISIBLE.test(ch)).toBe(false);
      expect(/\p{M}/u.test(ch)).toBe(false);
      expect(ch.normalize("NFC")).toBe(ch);
    }
    // A character composes with the one before it only if it appears after the first
    // position in some canonical decomposition. None of the fast-path characters does.
    const safeSet = new Set(safe);
    for (const second of composingSeconds()) expect(safeSet.has(second)).toBe(false);
  });

  it("the cap is exact: no combining mark composes with a non-mark after it", () => {
    // Cutting a run of marks puts its last kept mark next to the following character; if the
    // two could compose, the final NFC would change what was kept (and idempotence would fail).
    const nonMarks = [...composingSeconds()].filter((c) => !/\p{M}/u.test(c));
    const composing: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const mark = cp >= 0xd800 && cp <= 0xdfff ? "" : String.fromCodePoint(cp);
      if (!/\p{M}/u.test(mark)) continue;
      for (const next of nonMarks) {
        if ((mark + next).normalize("NFC") !== mark.normalize("NFC") + next) composing.push(`U+${cp.toString(16)} ${next}`);
      }
    }
    expect(composing).toEqual([]);
  });

  // Strings rich in what the sanitiser deals with: escapes, controls, marks, bidi, surrogates.
  const nasty = fc
    .array(
      fc.oneof(
        fc.string({ unit: "binary" }),
        fc.constantFrom(ESC, "[", "]", "\\", "\x07", "\x9b", "\x9c", "\x9d", "\t", "\r\n", "\u202e", "\u2066", "\ufeff", "\ud800", "\udfff"),
        fc.constantFrom("\u0301", "\u0300", "\u0316", "\u0340", "\u0344", "\u0958", "\u1161", "\u11a8", "\u1100", "\u{1D167}", "e", "ก", "\u0e49"),
        fc.constantFrom("\u200d", "\u200b", "\u00ad", "\u1160", "\ufe0f", "\u{1f3fd}", "👨", "👩", "\u{e0041}", "\u00a0", " ", "  ", "\u3000"),
        fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
        fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)) }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(""));

  it("property: the output holds no forbidden character, no ESC, and no stack over the cap", () => {
    fc.assert(
      fc.property(nasty, fc.integer({ min: 0, max: 5 }), (s, max) => {
        const out = sanitizeText(s, { maxCombining: max });
        expect(FORBIDDEN.test(out)).toBe(false);
        expect(INVISIBLE.test(out)).toBe(false);
        for (const run of out.match(/\p{M}+/gu) ?? []) expect(Array.from(run).length).toBeLessThanOrEqual(max);
        expect(out.normalize("NFC")).toBe(out);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: sanitize is idempotent", () => {
    fc.assert(
      fc.property(nasty, fc.integer({ min: 0, max: 5 }), (s, max) => {
        const once = sanitizeText(s, { maxCombining: max });
        expect(sanitizeText(once, { maxCombining: max })).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: fast-path text comes back as it was", () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x2ff }).filter((c) => (c < 0x7f || c >= 0xa0) && c !== 0xad).map((c) => String.fromCharCode(c)) });
    fc.assert(fc.property(printable, (s) => sanitizeText(s) === s));
  });

  describe("issue 5 item 11: invisible characters pass the sanitiser", () => {
    for (const cp of INVISIBLES) {
      const hex = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
      it(`strips ${hex}`, () => {
        const ch = String.fromCodePoint(cp);
        expect(sanitizeText(`B${ch}ob`)).toBe("Bob");
        expect(sanitizeText(`${ch}${ch}`)).toBe("");
        expect(playerText(`hi ${ch} there`)).toBe("hi there");
      });
    }

    it("keeps the zero-width joiner inside emoji sequences only", () => {
      expect(sanitizeText("👨\u200d👩\u200d👧")).toBe("👨\u200d👩\u200d👧");
      expect(sanitizeText("👍🏽\ufe0f\u200d👩")).toBe("👍🏽\ufe0f\u200d👩");
      expect(sanitizeText("a\u200db 👨\u200d \u200d👩 👨\u200d\u200d👩 👨\u200d\u200b👩")).toBe("ab 👨 👩 👨👩 👨👩");
    });

    it("no character decomposes (NFD) into one the sanitiser strips", () => {
      const found: string[] = [];
      for (let cp = 0; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        const ch = String.fromCodePoint(cp);
        const nfd = ch.normalize("NFD");
        if (nfd !== ch && (INVISIBLE.test(nfd) || FORBIDDEN.test(nfd) || nfd.includes("\u200d"))) found.push(cp.toString(16));
      }
      expect(found).toEqual([]);
    });
  });

  describe("issue 5 item 6: playerText collapses whitespace (E4)", () => {
    it("makes every whitespace run one ASCII space and trims", () => {
      expect(playerText(`  waves.${" ".repeat(120)}Bob says, "hi"  `)).toBe('waves. Bob says, "hi"');
      expect(playerText("a\t\tb\u00a0\u00a0c\u3000d\u2003\u2009e\u205f\u202ff")).toBe("a b c d e f");
      expect(playerText("plain chat, one space")).toBe("plain chat, one space");
    });

    it("property: idempotent, with no whitespace but single spaces inside", () => {
      fc.assert(
        fc.property(nasty, (s) => {
          const once = playerText(s);
          expect(playerText(once)).toBe(once);
          expect(sanitizeText(once)).toBe(once);
          expect(once).not.toMatch(/\s{2,}|[^\S ]|^\s|\s$/u);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
