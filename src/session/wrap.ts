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

/** Wraps `spans` so that no line exceeds `width` columns. */
export function wrapSpans(spans: readonly Span[], width: number): readonly Span[] {
  if (width < 1 || fits(spans, width)) return spans;
  const out: Span[] = [];
  let col = 0;
  for (const span of spans) {
    let result = "";
    for (const token of spanText(span).split(/(\n| +)/)) {
      if (token === "") continue;
      if (token === "\n") {
        result += "\n";
        col = 0;
        continue;
      }
      if (token[0] === " ") {
        // Spaces that would run past the edge become the line break.
        if (col + token.length > width) {
          result += "\n";
          col = 0;
        } else {
          result += token;
          col += token.length;
        }
        continue;
      }
      let word = [...token];
      if (col > 0 && col + word.length > width) {
        result = result.replace(/ +$/, "") + "\n";
        col = 0;
      }
      while (word.length > width) {
        result += word.slice(0, width).join("") + "\n";
        word = word.slice(width);
      }
      result += word.join("");
      col += word.length;
    }
    out.push(typeof span === "string" ? result : { text: result, style: span.style });
  }
  return out;
}
