/**
 * ASCII for telnet clients that refused UTF-8 (CHARSET REJECTED and no MTTS UTF-8 bit; see
 * charset.ts and mtts.ts). Sending them UTF-8 anyway shows every accented letter as two or three
 * Latin-1 characters of litter, so their output is transliterated: é→e, “”→", —→-, …→...,
 * and anything with no ASCII likeness becomes `?`.
 *
 * It runs per recipient on bytes already rendered (the hub's render cache stays one entry per
 * variant and width): such clients are rare, and the fast path for pure-ASCII output is one scan
 * without a copy. ANSI escape sequences are ASCII and pass through untouched.
 *
 * Width: a replacement is at most as wide as the character it replaces except `…` (three
 * columns for one) and the few multi-letter ones (`ß`→`ss`, `æ`→`ae`, `™`→`TM`), so a wrapped
 * line can exceed its width by those extra columns. For the clients this serves, that is better
 * than `…` read as `.` or a word missing a letter.
 */

/** Replacements for characters that Unicode decomposition does not bring to ASCII. */
const REPLACEMENTS: ReadonlyMap<string, string> = new Map([
  // Quotation marks and primes.
  ["\u2018", "'"], ["\u2019", "'"], ["\u201a", "'"], ["\u201b", "'"], ["\u2032", "'"], ["\u2039", "'"], ["\u203a", "'"],
  ["\u201c", '"'], ["\u201d", '"'], ["\u201e", '"'], ["\u201f", '"'], ["\u2033", '"'], ["\u00ab", '"'], ["\u00bb", '"'],
  // Dashes, hyphens and the minus sign.
  ["\u2010", "-"], ["\u2011", "-"], ["\u2012", "-"], ["\u2013", "-"], ["\u2014", "-"], ["\u2015", "-"], ["\u2212", "-"],
  // Bullets and dots.
  ["\u2022", "*"], ["\u00b7", "."], ["\u2026", "..."],
  // Letters that do not decompose.
  ["\u00df", "ss"], ["\u00e6", "ae"], ["\u00c6", "AE"], ["\u0153", "oe"], ["\u0152", "OE"], ["\u00f8", "o"], ["\u00d8", "O"],
  ["\u0142", "l"], ["\u0141", "L"], ["\u0111", "d"], ["\u0110", "D"], ["\u00f0", "d"], ["\u00d0", "D"], ["\u00fe", "th"],
  ["\u00de", "Th"], ["\u0131", "i"],
  // Signs.
  ["\u00d7", "x"], ["\u00f7", "/"], ["\u00a9", "(c)"], ["\u00ae", "(r)"], ["\u20ac", "EUR"],
]);

/** Code points that vanish: joiners and selectors only shape the character before them. */
function vanishes(code: number): boolean {
  return (
    code === 0x200d || // zero-width joiner
    code === 0xfeff || // byte-order mark
    (code >= 0xfe00 && code <= 0xfe0f) || // variation selectors
    (code >= 0x1f3fb && code <= 0x1f3ff) || // emoji skin-tone modifiers
    (code >= 0x0300 && code <= 0x036f) // combining diacritical marks
  );
}

const COMBINING = /[\u0300-\u036f]/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** One non-ASCII character in ASCII: the table, else its compatibility decomposition, else `?`. */
function replace(char: string): string {
  const fixed = REPLACEMENTS.get(char);
  if (fixed !== undefined) return fixed;
  // NFKD takes é to e + U+0301, ﬁ to fi, a no-break space to a space, ² to 2, ™ to TM.
  const decomposed = char.normalize("NFKD").replace(COMBINING, "");
  return PRINTABLE_ASCII.test(decomposed) ? decomposed : "?";
}

/**
 * `text` in ASCII. ASCII passes through; characters that only modify the one before them
 * (combining marks, variation selectors, skin tones) vanish; a zero-width joiner and the
 * character it joins vanish too, so an emoji sequence such as 👨‍👩‍👧 becomes one `?`.
 */
export function transliterate(text: string): string {
  let out = "";
  let joined = false;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      out += char;
      joined = false;
      continue;
    }
    if (code === 0x200d) {
      joined = true;
      continue;
    }
    if (vanishes(code)) continue;
    if (joined) {
      joined = false;
      continue;
    }
    out += replace(char);
  }
  return out;
}

const DECODER = new TextDecoder();
const ENCODER = new TextEncoder();

/**
 * UTF-8 `bytes` transliterated to ASCII bytes. Returns `bytes` itself, uncopied, when they are
 * ASCII already: nearly all output, found with one scan.
 */
export function transliterateBytes(bytes: Uint8Array): Uint8Array {
  let ascii = true;
  for (const byte of bytes) {
    if (byte >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return bytes;
  return ENCODER.encode(transliterate(DECODER.decode(bytes)));
}
