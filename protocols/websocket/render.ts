/**
 * Renderers for the two WebSocket variants. Pure functions: the session hub calls each once per
 * message per variant and queues the same bytes for every recipient (brief, "Render a message
 * once per rendering variant, never once per recipient").
 */
import type { OutputMessage } from "../../src/session/messages.js";
import type { EchoFrame, OobFrame, TextFrame } from "./wire.js";

/**
 * The `ws-json` rendering: `{"t":"text","kind":…,"spans":[…]}`, the message as is. Spans stay
 * strings or `{text, style}` objects; the browser maps styles to CSS classes.
 */
export function renderWsJson(message: OutputMessage): string {
  const frame: TextFrame = { t: "text", kind: message.kind, spans: message.spans };
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
