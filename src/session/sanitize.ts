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
 * Anything outside printable ASCII and U+00A0–U+02FF (Latin-1, Latin Extended-A/B, IPA).
 * A string made only of those needs no work: none is a control or a combining mark, each is
 * NFC on its own, and none composes with a character before it (the test suite checks all
 * three against the platform's Unicode data). So plain chat — most of it — returns at once.
 */
const NEEDS_WORK = /[^\x20-\x7e\xa0-\u02ff]/;

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
 */
const FORBIDDEN = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\p{Cs}]/gu;

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
