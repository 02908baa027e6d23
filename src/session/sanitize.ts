/**
 * Text one player sends to others, made safe to print on anyone's terminal (hardening E1–E4,
 * E7, E10). After {@link sanitizeText} a string holds no character that can move a cursor,
 * start an escape sequence, end a line, or reorder the text around it: nobody can retitle
 * another player's terminal, clear their screen, overwrite "Alice says", or forge a server line.
 */

/** Options for {@link sanitizeText}. */
export interface SanitizeOptions {
  /**
   * Most combining marks kept after one base character, counted in decomposed form (NFD),
   * hardening E10: "Zalgo" stacks that spill over the lines above and below. Default 3, enough
   * for real scripts (Vietnamese stacks two). 0 removes every combining mark.
   */
  readonly maxCombining?: number;
}

const DEFAULT_MAX_COMBINING = 3;

/**
 * Anything outside printable ASCII and U+00A0–U+02FF (Latin-1, Latin Extended-A/B, IPA) but the
 * soft hyphen U+00AD (invisible: issue 5 item 11). A string made only of those needs no work:
 * none is a control, an invisible or a combining mark, each is NFC on its own, and none composes
 * with a character before it (the test suite checks all four against the platform's Unicode
 * data). So plain chat — most of it — returns at once.
 */
const NEEDS_WORK = /[^\x20-\x7e\xa0-\xac\xae-\u02ff]/;

/**
 * Escape sequences, removed whole so that no parameter garbage ("2J", "0;pwned") is left:
 * - string sequences — OSC (`ESC ]`), DCS (`ESC P`), SOS (`ESC X`), PM (`ESC ^`), APC (`ESC _`)
 *   and their 8-bit forms — up to BEL, ST (`ESC \` or U+009C), the next ESC (which, as in
 *   xterm, aborts the string), or the end of the text;
 * - CSI (`ESC [` or U+009B): parameter bytes 0x30–0x3F, intermediates 0x20–0x2F, final 0x40–0x7E
 *   (ECMA-48 §5.4);
 * - any other `ESC`, with its intermediates and final byte (`ESC ( B`, `ESC c`...).
 */
const ESCAPE_SEQUENCE =
  /(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?|\x1b[\x20-\x2f]*[\x30-\x7e]?/g;

/**
 * Characters that are never printed: C0 controls (CR, LF, BS, BEL, FF, VT, NUL...), DEL, C1
 * controls (NEL and the 8-bit CSI among them), the line and paragraph separators U+2028/9
 * (some clients break lines on them: E4), bidi marks, embeddings, overrides and isolates
 * (U+061C, U+200E/F, U+202A–E, U+2066–9: E7), the BOM U+FEFF, and lone surrogates (not text).
 * TAB is among them; it becomes a space rather than vanishing.
 *
 * Also the invisibles (issue 5 item 11, E8): characters that take no room or print as blank
 * yet are not whitespace, so they make "Bob" and "B\u200Bob" differ, hide text from readers and
 * give blank-looking words: zero-width space and non-joiner U+200B/C, word joiner and the
 * invisible operators U+2060–4, the deprecated format controls U+206A–F, soft hyphen U+00AD,
 * combining grapheme joiner U+034F, Mongolian variation selectors and vowel separator
 * U+180B–F, Khmer inherent vowels U+17B4/5, the Hangul fillers U+115F, U+1160, U+3164, U+FFA0,
 * the Braille blank U+2800, interlinear annotation U+FFF9–B, shorthand format controls
 * U+1BCA0–3, musical formatting U+1D173–A, and the tag characters U+E0000–U+E007F.
 * The zero-width joiner U+200D is handled by {@link STRAY_JOINER}.
 */
const FORBIDDEN =
  /[\x00-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200c\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufeff\uffa0\ufff9-\ufffb\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e007f}\p{Cs}]/gu;

/**
 * A zero-width joiner anywhere but inside an emoji ZWJ sequence (a pictograph, optionally its
 * skin-tone modifier and VS16, then ZWJ, then a pictograph: "👨‍👩‍👧"). There it shows as one
 * glyph or as the pictographs side by side, so it hides nothing; anywhere else it is invisible
 * (issue 5 item 11). Decided on the text as received, so a joiner whose neighbours are removed
 * goes too, and a second pass finds nothing to change.
 */
const STRAY_JOINER =
  /(?<!\p{Extended_Pictographic}[\u{1f3fb}-\u{1f3ff}]?\ufe0f?)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;

const COMBINING_RUN = /\p{M}+/gu;

/**
 * Returns `input` made safe to show to other players: escape sequences and forbidden
 * characters removed (TAB becomes a space), runs of combining marks cut to `maxCombining`
 * (default 3) per base character, and the result NFC-normalised. Pure and idempotent:
 * `sanitizeText(sanitizeText(x)) === sanitizeText(x)`. Text made only of printable ASCII and
 * Latin letters is returned as is after one regex test. Does not trim; visible text is
 * otherwise kept intact.
 */
export function sanitizeText(input: string, options: SanitizeOptions = {}): string {
  if (!NEEDS_WORK.test(input)) return input;
  const requested = options.maxCombining ?? DEFAULT_MAX_COMBINING;
  const maxCombining = Number.isNaN(requested) ? DEFAULT_MAX_COMBINING : Math.max(0, Math.floor(requested));
  // Order matters. Sequences go before single characters, or their parameters would survive
  // as visible garbage. Marks are counted in NFD, where each accent is its own mark (so "á"
  // plus two acutes is three marks, as it looks), and removal comes first because it can join
  // a base to marks that were apart. NFD is canonically ordered and a capped run is a prefix of
  // an ordered run, and no mark composes with a following non-mark (both checked in the test
  // suite), so the final NFC is exact and a second pass changes nothing.
  const text = input
    .replace(ESCAPE_SEQUENCE, "")
    .replace(STRAY_JOINER, "")
    .replace(FORBIDDEN, (c) => (c === "\t" ? " " : ""))
    .normalize("NFD");
  return text.replace(COMBINING_RUN, (run) => capRun(run, maxCombining)).normalize("NFC");
}

function capRun(run: string, max: number): string {
  // Length in UTF-16 units bounds the count of code points from above: the common case is cheap.
  if (run.length <= max) return run;
  const marks = Array.from(run);
  return marks.length <= max ? run : marks.slice(0, max).join("");
}

/**
 * Whitespace that is not one lone ASCII space: a run of two or more, or any other space
 * character (NBSP, the U+2000 spaces, U+3000...).
 */
const LOOSE_SPACE = /\s{2,}|[^\S ]/u;
const SPACE_RUN = /\s+/gu;

/**
 * Text a player writes for others to read (say, emote, tell): {@link sanitizeText}, then every
 * run of whitespace made one ASCII space, then trimmed. A run of spaces was the lever of
 * issue 5 item 6: 120 spaces push the rest of a message past the wrap width onto a line of its
 * own, where `Bob says, "..."` looked like the server's. Pure and idempotent, like
 * {@link sanitizeText}; chat with single spaces costs one more regex test.
 */
export function playerText(input: string, options: SanitizeOptions = {}): string {
  const clean = sanitizeText(input, options);
  return (LOOSE_SPACE.test(clean) ? clean.replace(SPACE_RUN, " ") : clean).trim();
}
