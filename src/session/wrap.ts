/**
 * Word wrap for terminal doors (hardening E9): no line wider than the client's width (from
 * NAWS, or 80), breaking at spaces, and cutting a word only when it alone is wider than a line
 * — so a 5,000-character word cannot scroll anyone's screen sideways. Works on spans, so styles
 * survive the wrap. Widths are counted in code points; wide (CJK) glyphs count as one, a known
 * approximation.
 */
import type { Span } from "./messages.js";

function spanText(span: Span): string {
  return typeof span === "string" ? span : span.text;
}

/** True when no line of the message is wider than `width`: the common case, returned as is. */
function fits(spans: readonly Span[], width: number): boolean {
  // Most messages are shorter than a line in all: then no line can be wider, and the scan below
  // (a character at a time, 2.3% of the core under mixed play) is not needed.
  let length = 0;
  for (const span of spans) length += spanText(span).length;
  if (length <= width) return true;
  let col = 0;
  for (const span of spans) {
    const text = spanText(span);
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) col = 0;
      else if (++col > width) return false;
    }
  }
  return true;
}

/**
 * Columns a wrapped continuation line is indented by. A tail pushed onto a line of its own is
 * never flush-left, so no wrap can make player text start a line the way the server's own lines
 * start — "Bob says, ..." (issue 5 item 6, hardening E4). Lines the message itself begins with
 * `\n` are not wrapped tails and stay flush-left.
 */
export const CONTINUATION_INDENT = 2;

/** Widths below this get no indent: there would be too little room left for the text. */
const MIN_WIDTH_FOR_INDENT = 8;

/**
 * Wraps `spans` so that no line exceeds `width` columns, the indent included. Breaks at spaces,
 * cuts only a word wider than a line, and starts every line it makes with
 * {@link CONTINUATION_INDENT} spaces.
 */
export function wrapSpans(spans: readonly Span[], width: number): readonly Span[] {
  if (width < 1 || fits(spans, width)) return spans;
  const indent = width >= MIN_WIDTH_FOR_INDENT ? CONTINUATION_INDENT : 0;
  const breakLine = "\n" + " ".repeat(indent);
  const out: Span[] = [];
  // Column of the cursor, and where text on the current line starts (0, or the indent).
  let col = 0;
  let lineStart = 0;
  // Columns of the word the cursor is in, which may have begun in an earlier span: a styled
  // name and the full stop after it ("a wooden shuttle" + ".") are one word to the reader.
  let partial = 0;
  for (const span of spans) {
    let result = "";
    for (const token of spanText(span).split(/(\n| +)/)) {
      if (token === "") continue;
      if (token === "\n") {
        result += "\n";
        col = lineStart = partial = 0;
        continue;
      }
      if (token[0] === " ") {
        partial = 0;
        // Spaces that would run past the edge become the line break.
        if (col + token.length > width) {
          result += breakLine;
          col = lineStart = indent;
        } else {
          result += token;
          col += token.length;
        }
        continue;
      }
      let word = [...token];
      if (col > lineStart && col + word.length > width) {
        if (partial > 0 && result === "" && col - partial > lineStart && indent + partial + word.length <= width) {
          // The word began in the spans before: break before its start, not inside it.
          moveTailToNewLine(out, partial, breakLine);
          col = lineStart = indent;
          col += partial;
        } else {
          result = result.replace(/ +$/, "") + breakLine;
          col = lineStart = indent;
          partial = 0;
        }
      }
      while (col + word.length > width) {
        const room = width - col;
        result += word.slice(0, room).join("") + breakLine;
        word = word.slice(room);
        col = lineStart = indent;
        partial = 0;
      }
      result += word.join("");
      col += word.length;
      partial += word.length;
    }
    out.push(typeof span === "string" ? result : { text: result, style: span.style });
  }
  return out;
}

/**
 * Moves the last `columns` code points of the spans already wrapped onto a new line: the start
 * of a word that continues in the next span. Spaces before it are dropped, as at any break.
 */
function moveTailToNewLine(out: Span[], columns: number, breakLine: string): void {
  let remaining = columns;
  for (let i = out.length - 1; i >= 0; i--) {
    const span = out[i]!;
    const chars = [...spanText(span)];
    if (chars.length < remaining) {
      remaining -= chars.length;
      continue;
    }
    const cut = chars.length - remaining;
    const text = chars.slice(0, cut).join("").replace(/ +$/, "") + breakLine + chars.slice(cut).join("");
    out[i] = typeof span === "string" ? text : { text, style: span.style };
    return;
  }
}
