/**
 * Renderers for the two WebSocket variants of their own. Pure functions: the session hub calls
 * each once per message per variant and queues the same bytes for every recipient (brief, "Render
 * a message once per rendering variant, never once per recipient").
 *
 * The mudstandards.org subprotocols have no variant here: their game text is a terminal stream,
 * byte for byte what the terminal variants (`ansi`, `ansi256`, `truecolor`, `plain`) render for
 * telnet, so they share those renderings (README.md, "Render variants").
 */
import type { RenderVariant } from "../../src/session/endpoint.js";
import type { OutputMessage } from "../../src/session/messages.js";
import type { Renderer } from "../../src/session/render.js";
import { wrapSpans } from "../../src/session/wrap.js";
import type { EchoFrame, OobFrame, TextFrame } from "./wire.js";

/**
 * The `ws-json` rendering: `{"t":"text","kind":…,"spans":[…]}`, the message as is. Spans stay
 * strings or `{text, style}` objects; the browser maps styles to CSS classes. With a `width`
 * (the view width the browser reported in its caps frame) the spans are wrapped to it first
 * (hardening E9), as the terminal doors wrap to NAWS; the breaks are `\n` inside span text,
 * which the page shows as they are (`white-space: pre-wrap`).
 */
export function renderWsJson(message: OutputMessage, width?: number): string {
  const spans = width === undefined ? message.spans : wrapSpans(message.spans, width);
  const frame: TextFrame = { t: "text", kind: message.kind, spans };
  return JSON.stringify(frame);
}

/**
 * The `ws-text` rendering: the spans' text joined, styles dropped, no trailing newline (one
 * frame is one message, so the frame boundary is the line end).
 */
export function renderWsText(message: OutputMessage): string {
  let text = "";
  for (const span of message.spans) text += typeof span === "string" ? span : span.text;
  return text;
}

/** The `ws-json` echo frame: `{"t":"echo","on":bool}`. */
export function renderWsEcho(on: boolean): string {
  const frame: EchoFrame = { t: "echo", on };
  return JSON.stringify(frame);
}

/**
 * The `ws-json` out-of-band frame: `{"t":"oob","channel":…,"data":…}`. Returns `undefined`
 * when `data` cannot be serialised (a cycle, a BigInt), so a bad payload is dropped, not thrown.
 */
export function renderWsOob(channel: string, data: unknown): string | undefined {
  const frame: OobFrame = { t: "oob", channel, data };
  try {
    return JSON.stringify(frame);
  } catch {
    return undefined;
  }
}

/**
 * The session hub's renderers for the two WebSocket variants, as bytes: each message is rendered
 * once per variant and width and encoded once, here. `ws-text` takes no width: only `loom.v1.json`
 * clients can report one, so a `ws-text` endpoint never has one.
 */
export const webSocketRenderers: Readonly<Record<Extract<RenderVariant, "ws-text" | "ws-json">, Renderer>> = Object.freeze({
  "ws-text": (message) => Buffer.from(renderWsText(message), "utf8"),
  "ws-json": (message, width) => Buffer.from(renderWsJson(message, width), "utf8"),
});
