/**
 * Renderers for the byte-stream doors: one OutputMessage in, the bytes every recipient of that
 * variant gets. The hub calls each at most once per message per variant and width, never per
 * recipient.
 */
import type { OutputMessage, Span, Style } from "./messages.js";
import { SGR_RESET, styleSequences } from "./palette.js";
import type { TerminalVariant } from "./colour-mode.js";
import { wrapSpans } from "./wrap.js";

/**
 * Turns a message into the bytes for one rendering variant, wrapped at `width` columns when a
 * width is given (terminal doors); without one the client wraps (the browser).
 */
export type Renderer = (message: OutputMessage, width?: number) => Uint8Array;

/** The plain text of a message's spans, without styles or a line end. */
export function spansText(spans: readonly Span[]): string {
  let out = "";
  for (const span of spans) out += typeof span === "string" ? span : span.text;
  return out;
}

/** `plain`: UTF-8, CR LF line ends, no escape sequences (the line door, and telnet without colour). */
export const renderPlain: Renderer = (message, width) => {
  const text = toCrlf(spansText(width === undefined ? message.spans : wrapSpans(message.spans, width)));
  return Buffer.from(message.kind === "line" ? text + "\r\n" : text, "utf8");
};

/**
 * A colour renderer: as plain, with each styled span between its style's sequence and a reset.
 *
 * Every styled span resets after itself, so no colour can run past the end of a message
 * (hardening E6). A styled span that runs over a line end — its own `\n`, or a break the wrap
 * made inside it — is closed before the line end and opened again after it, so every line
 * stands alone: a client that resets at each line, a trigger, a log line never starts in the
 * middle of a colour. An empty span (or an empty line inside one) costs no sequence.
 */
export function colourRenderer(sequences: Readonly<Record<Style, string>>): Renderer {
  return (message, width) => {
    let out = "";
    for (const span of width === undefined ? message.spans : wrapSpans(message.spans, width)) {
      if (typeof span === "string") {
        out += toCrlf(span);
        continue;
      }
      const open = sequences[span.style];
      const text = span.text;
      if (!text.includes("\n")) {
        if (text !== "") out += open + text + SGR_RESET;
        continue;
      }
      const lines = text.split("\n");
      for (let i = 0; i < lines.length; i++) {
        if (i > 0) out += "\r\n";
        const piece = lines[i]!;
        if (piece !== "") out += open + piece + SGR_RESET;
      }
    }
    return Buffer.from(message.kind === "line" ? out + "\r\n" : out, "utf8");
  };
}

/** `ansi`: the 16 colours of the terminal's own palette (telnet's default: every client has them). */
export const renderAnsi: Renderer = colourRenderer(styleSequences("16"));

/** `ansi256`: the xterm 256-colour palette (`38;5;n`), for clients that announce it (MTTS 8). */
export const renderAnsi256: Renderer = colourRenderer(styleSequences("256"));

/** `truecolor`: 24-bit colour (`38;2;r;g;b`), for clients that announce it (MTTS 256). */
export const renderTruecolor: Renderer = colourRenderer(styleSequences("truecolor"));

/** Every terminal variant's renderer, for the session hub (the WebSocket door adds its own). */
export const terminalRenderers: Readonly<Record<TerminalVariant, Renderer>> = Object.freeze({
  plain: renderPlain,
  ansi: renderAnsi,
  ansi256: renderAnsi256,
  truecolor: renderTruecolor,
});

function toCrlf(text: string): string {
  return text.includes("\n") ? text.replace(/\n/g, "\r\n") : text;
}
