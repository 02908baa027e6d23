/**
 * Checks what the server sends before the page acts on it. The server is trusted to speak
 * `loom.v1.json`, but a frame of the wrong shape must be ignored, never crash the page.
 */
import { Styles, type Span, type Style } from "../src/session/messages.js";
import type { ServerFrame } from "../protocols/websocket/wire.js";

const STYLES: ReadonlySet<string> = new Set(Styles);

/** Whether `name` is a style the page has a class for (`.s-<style>`). */
export function isStyle(name: unknown): name is Style {
  return typeof name === "string" && STYLES.has(name);
}

function isSpan(value: unknown): value is Span {
  if (typeof value === "string") return true;
  if (typeof value !== "object" || value === null) return false;
  const span = value as { text?: unknown };
  // An unknown style is tolerated (the text shows unstyled); a missing text is not.
  return typeof span.text === "string";
}

/** Parses one text frame; `undefined` for anything that is not a well-formed server frame. */
export function parseServerFrame(raw: string): ServerFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const frame = value as Record<string, unknown>;
  switch (frame["t"]) {
    case "text": {
      const kind = frame["kind"];
      const spans = frame["spans"];
      if ((kind !== "line" && kind !== "prompt") || !Array.isArray(spans) || !spans.every(isSpan)) return undefined;
      return { t: "text", kind, spans };
    }
    case "echo":
      return typeof frame["on"] === "boolean" ? { t: "echo", on: frame["on"] } : undefined;
    case "oob":
      return typeof frame["channel"] === "string" ? { t: "oob", channel: frame["channel"], data: frame["data"] } : undefined;
    default:
      return undefined;
  }
}
