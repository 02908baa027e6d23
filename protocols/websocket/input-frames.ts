/**
 * Client text frames to input events. Pure: a frame in, events out; no socket, timer or log
 * (style habit 1). The connection acts on the events and does the logging.
 *
 * A text frame is one command, or several separated by line ends. Under `loom.v1.json` a frame
 * that is a JSON object of one of the {@link ClientJsonFrame} shapes is out-of-band data or a
 * size report instead; anything else, valid JSON or not, is command text.
 */
import { z } from "zod";
import type { ClientJsonFrame } from "./wire.js";

/** What one client text frame asks for, in order. */
export type InputEvent =
  | { readonly type: "line"; readonly text: string }
  | { readonly type: "line-too-long"; readonly bytes: number }
  | { readonly type: "oob"; readonly channel: string; readonly data: unknown }
  | { readonly type: "caps"; readonly width: number; readonly height: number };

/** How to read a frame. */
export interface InputFrameOptions {
  /** True under `loom.v1.json`: try the JSON shapes first. */
  readonly json: boolean;
  /** Longest command accepted, in UTF-8 bytes; longer ones become `line-too-long`. */
  readonly maxLineBytes: number;
}

/** Longest out-of-band channel name accepted. */
export const MAX_OOB_CHANNEL_LENGTH = 64;

/** Largest view size a client may report; bigger values are clamped (like telnet NAWS, T6). */
export const MAX_VIEW_SIZE = 1000;

const clientJsonFrame = z.discriminatedUnion("t", [
  z.object({ t: z.literal("oob"), channel: z.string().min(1).max(MAX_OOB_CHANNEL_LENGTH), data: z.unknown() }),
  z.object({ t: z.literal("caps"), width: z.int().min(0).max(65535), height: z.int().min(0).max(65535) }),
]);

/** One line end of any kind: CR LF, LF or a bare CR each end exactly one line (hardening L5). */
const LINE_END = /\r\n|\n|\r/;
const TRAILING_LINE_END = /(?:\r\n|\n|\r)$/;

/** Turns one decoded text frame into input events. Never throws. */
export function parseTextFrame(text: string, options: InputFrameOptions): InputEvent[] {
  if (options.json) {
    const frame = parseJsonFrame(text);
    if (frame !== undefined) return [jsonEvent(frame)];
  }
  const body = text.replace(TRAILING_LINE_END, "");
  const events: InputEvent[] = [];
  for (const line of body.split(LINE_END)) {
    // A UTF-16 unit is at most 3 UTF-8 bytes, so short lines skip the byte count.
    const bytes = line.length * 3 > options.maxLineBytes ? Buffer.byteLength(line, "utf8") : 0;
    events.push(bytes > options.maxLineBytes ? { type: "line-too-long", bytes } : { type: "line", text: line });
  }
  return events;
}

function parseJsonFrame(text: string): ClientJsonFrame | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // zod 4 requires the `data` key to be present (its value may be null).
  const parsed = clientJsonFrame.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function jsonEvent(frame: ClientJsonFrame): InputEvent {
  switch (frame.t) {
    case "oob":
      return { type: "oob", channel: frame.channel, data: frame.data };
    case "caps":
      // 0 means "unknown" (as in NAWS): keep the defaults.
      return {
        type: "caps",
        width: frame.width === 0 ? 80 : Math.min(frame.width, MAX_VIEW_SIZE),
        height: frame.height === 0 ? 24 : Math.min(frame.height, MAX_VIEW_SIZE),
      };
    default: {
      const unreachable: never = frame;
      return unreachable;
    }
  }
}
