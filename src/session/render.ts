/**
 * Renderers for the byte-stream doors: one OutputMessage in, the bytes every recipient of that
 * variant gets. The hub calls each at most once per message per variant, never per recipient.
 */
import type { OutputMessage, Span, Style } from "./messages.js";
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

/** SGR sequences per style. Plain 16-colour codes: every terminal and MUD client has them. */
const ANSI: Record<Style, string> = {
  title: "\x1b[1;36m",
  exit: "\x1b[32m",
  name: "\x1b[1;33m",
  speech: "\x1b[37m",
  thing: "\x1b[35m",
  error: "\x1b[1;31m",
  notice: "\x1b[33m",
  dim: "\x1b[2m",
  bold: "\x1b[1m",
};
const RESET = "\x1b[0m";

/**
 * `ansi`: as plain, with ANSI colour. Every styled span resets after itself, so no colour can
 * run past the end of a message (hardening E6).
 */
export const renderAnsi: Renderer = (message, width) => {
  let out = "";
  for (const span of width === undefined ? message.spans : wrapSpans(message.spans, width)) {
    if (typeof span === "string") out += span;
    else out += ANSI[span.style] + span.text + RESET;
  }
  out = toCrlf(out);
  return Buffer.from(message.kind === "line" ? out + "\r\n" : out, "utf8");
};

function toCrlf(text: string): string {
  return text.includes("\n") ? text.replace(/\n/g, "\r\n") : text;
}
