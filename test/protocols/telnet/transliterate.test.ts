import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { transliterate, transliterateBytes } from "../../../protocols/telnet/transliterate.js";
import { FC_SEED, bytes } from "../line/chunks.js";

describe("transliterate: ASCII for a client that refused UTF-8", () => {
  it.each([
    ["café au lait, señor, naïve Ångström", "cafe au lait, senor, naive Angstrom"],
    ["“Hello,” she said — ‘quietly’…", '"Hello," she said - \'quietly\'...'],
    ["en – dash, minus −1, «guillemets»", 'en - dash, minus -1, "guillemets"'],
    ["Straße, Æsir, œuvre, Øresund, Łódź", "Strasse, AEsir, oeuvre, Oresund, Lodz"],
    ["ﬁne ½ x² ™ no\u00a0break", "fine ? x2 TM no break"],
    ["snow ☃ and 日本", "snow ? and ??"],
    ["family 👨‍👩‍👧 thumbs 👍🏽 heart ❤️", "family ? thumbs ? heart ?"],
    ["e\u0301 combining", "e combining"],
    ["• item · dot © ® × ÷ €5", "* item . dot (c) (r) x / EUR5"],
  ])("%s", (input, expected) => {
    expect(transliterate(input)).toBe(expected);
  });

  it("leaves ASCII, ANSI escapes and line ends alone", () => {
    const text = "\x1b[1;36mTown Square\x1b[0m\r\n> ";
    expect(transliterate(text)).toBe(text);
  });

  it("property: the output is ASCII, and ASCII input comes back unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (text) => {
        const out = transliterate(text);
        expect(out).toMatch(/^[\x00-\x7f]*$/);
        if (/^[\x00-\x7f]*$/.test(text)) expect(out).toBe(text);
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});

describe("transliterateBytes", () => {
  it("returns ASCII bytes as they are, uncopied", () => {
    const ascii = bytes("look\r\n");
    expect(transliterateBytes(ascii)).toBe(ascii);
  });

  it("transliterates UTF-8 bytes to ASCII bytes", () => {
    expect(Array.from(transliterateBytes(bytes("Zoë says, “hi…”\r\n")))).toEqual(Array.from(bytes('Zoe says, "hi..."\r\n')));
  });

  it("turns bytes that are not UTF-8 into ? rather than passing them on", () => {
    expect(Array.from(transliterateBytes(Uint8Array.of(0x61, 0xc3, 0x62)))).toEqual(Array.from(bytes("a?b")));
  });
});
