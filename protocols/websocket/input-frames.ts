/**
 * Client frames to input events. Pure: a frame in, events out; no socket, timer or log
 * (style habit 1). The connection acts on the events and does the logging.
 *
 * A command frame (a text frame, or under the mudstandards.org subprotocols a binary frame of
 * UTF-8) is one command, or several separated by line ends. Under `loom.v1.json` a text frame
 * that is a JSON object of one of the {@link ClientJsonFrame} shapes is out-of-band data or a
 * size report instead; anything else, valid JSON or not, is command text. Under
 * `gmcp.mudstandards.org` and `json.mudstandards.org` every text frame is out-of-band
 * ({@link readOobFrame}), never a command.
 */
import { z } from "zod";
import { sanitiseWindowSize } from "../telnet/naws.js";
import { decodeGmcpText } from "../gmcp/gmcp-message.js";
import { parseEnvelope } from "./json-envelope.js";
import type { ClientJsonFrame } from "./wire.js";

/** What one client frame asks for, in order. */
export type InputEvent =
  | { readonly type: "line"; readonly text: string }
  | { readonly type: "line-too-long"; readonly bytes: number }
  | { readonly type: "oob"; readonly channel: string; readonly data: unknown }
  /**
   * The client's view size, sanitised as telnet NAWS is (hardening T6). `width` is undefined when
   * the client reported 0, "unknown" (RFC 1073): it wraps for itself.
   */
  | { readonly type: "caps"; readonly width: number | undefined; readonly height: number }
  /** A GMCP message (`gmcp.` text frame, or a `json.` envelope with `proto: "gmcp"`); `data` undefined when it had none. */
  | { readonly type: "gmcp"; readonly name: string; readonly data: unknown }
  /** An out-of-band frame the door cannot read: dropped, and logged at a bounded rate. */
  | { readonly type: "ignored"; readonly why: string };

/** How to read a frame. */
export interface InputFrameOptions {
  /** True under `loom.v1.json`: try the JSON shapes first. */
  readonly json: boolean;
  /** Longest command accepted, in UTF-8 bytes; longer ones become `line-too-long`. */
  readonly maxLineBytes: number;
}

/** Longest out-of-band channel name accepted. */
export const MAX_OOB_CHANNEL_LENGTH = 64;

const clientJsonFrame = z.discriminatedUnion("t", [
  z.object({ t: z.literal("oob"), channel: z.string().min(1).max(MAX_OOB_CHANNEL_LENGTH), data: z.unknown() }),
  z.object({ t: z.literal("caps"), width: z.int().min(0).max(65535), height: z.int().min(0).max(65535) }),
]);

/**
 * Turns one decoded text frame into input events. Never throws. A run of empty lines within the
 * frame is one empty line (see {@link TextFrameReader}).
 */
export function parseTextFrame(text: string, options: InputFrameOptions): InputEvent[] {
  return new TextFrameReader(options).read(text, 0, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY).events;
}

/**
 * Reads a connection's text frames a budget at a time (issue 5 item 3). A 64 KiB frame of `\n`
 * used to be 65,536 commands, each split out, dispatched and then dropped by the rate limit:
 * three such clients made everyone else's `say` take 8 s. Here a run of empty lines, within a
 * frame or across frames, is one empty line (a single Enter still reaches the session) and costs
 * a scan; and {@link read} stops after a number of events or characters and says where it
 * stopped, so the connection keeps the frame it already holds and reads on at the next turn.
 *
 * Pure state machine, one per connection: reading a frame in any number of steps gives the
 * events of reading it at once.
 */
export class TextFrameReader {
  readonly #options: InputFrameOptions;
  /** The last line read was empty: another empty one right after it is dropped unseen. */
  #afterEmpty = false;

  constructor(options: InputFrameOptions) {
    this.#options = options;
  }

  /**
   * Reads `text` from offset `from` (0 for a new frame): at most `maxEvents` events (at least 1),
   * and no new line once `maxUnits` UTF-16 units have been passed. `next` is where to go on from;
   * `text.length` once the frame is done.
   */
  read(text: string, from: number, maxEvents: number, maxUnits: number): { events: InputEvent[]; next: number } {
    const events: InputEvent[] = [];
    if (from === 0 && this.#options.json) {
      const frame = parseJsonFrame(text);
      if (frame !== undefined) {
        this.#afterEmpty = false;
        events.push(jsonEvent(frame));
        return { events, next: text.length };
      }
    }
    // One trailing line end is the frame's own and ends no extra line.
    const end = text.length - trailingLineEnd(text);
    const limit = Math.max(1, maxEvents);
    let pos = from;
    let lf = -2;
    let cr = -2;
    while (events.length < limit && pos - from < maxUnits) {
      if (lf !== -1 && lf < pos) lf = text.indexOf("\n", pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf("\r", pos);
      let stop = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (stop === -1 || stop > end) stop = end;
      if (stop === pos) {
        if (!this.#afterEmpty) events.push({ type: "line", text: "" });
        this.#afterEmpty = true;
      } else {
        this.#afterEmpty = false;
        events.push(this.#lineEvent(text.slice(pos, stop)));
      }
      if (stop >= end) return { events, next: text.length };
      pos = stop + (text.charCodeAt(stop) === CR && text.charCodeAt(stop + 1) === LF ? 2 : 1);
      if (this.#afterEmpty) pos = skipLineEnds(text, pos, end);
    }
    return { events, next: pos };
  }

  #lineEvent(line: string): InputEvent {
    const max = this.#options.maxLineBytes;
    // A UTF-16 unit is at most 3 UTF-8 bytes, so short lines skip the byte count.
    const bytes = line.length * 3 > max ? Buffer.byteLength(line, "utf8") : 0;
    return bytes > max ? { type: "line-too-long", bytes } : { type: "line", text: line };
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** Length of the one line end (CR LF, LF or CR) ending `text`, or 0. */
function trailingLineEnd(text: string): number {
  const last = text.charCodeAt(text.length - 1);
  if (last === LF) return text.charCodeAt(text.length - 2) === CR ? 2 : 1;
  return last === CR ? 1 : 0;
}

/**
 * After an empty line, every further line end up to `end` is another empty line, dropped: skip
 * the run in one tight loop. Stops at `end` at most, where the last (empty) line of the run is.
 */
function skipLineEnds(text: string, from: number, end: number): number {
  let pos = from;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === LF) pos += 1;
    else if (c === CR) pos += pos + 1 < end && text.charCodeAt(pos + 1) === LF ? 2 : 1;
    else break;
  }
  return pos;
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

/**
 * Reads one text frame under `gmcp.mudstandards.org` (a GMCP message, `Package.Name <json>`) or
 * `json.mudstandards.org` (an envelope: GMCP, or a NAWS size report). Never throws.
 */
export function readOobFrame(mode: "gmcp" | "json", text: string): InputEvent {
  if (mode === "gmcp") {
    const decoded = decodeGmcpText(text);
    return decoded.ok ? { type: "gmcp", name: decoded.message.name, data: decoded.message.data } : { type: "ignored", why: decoded.detail };
  }
  const read = parseEnvelope(text);
  switch (read.type) {
    case "gmcp":
      return { type: "gmcp", name: read.message.name, data: read.message.data };
    case "naws":
      return capsEvent(read.width, read.height);
    case "ignored":
      return read;
    default: {
      const unreachable: never = read;
      return unreachable;
    }
  }
}

/**
 * A caps frame (or a `json.` NAWS envelope) is the client's NAWS, so it goes through NAWS's own
 * clamp (hardening T6): a browser cannot make the server wrap at 3 columns or 65,535 either.
 */
function capsEvent(width: number, height: number): InputEvent {
  const size = sanitiseWindowSize(width, height);
  return { type: "caps", width: width === 0 ? undefined : size.width, height: size.height };
}

function jsonEvent(frame: ClientJsonFrame): InputEvent {
  switch (frame.t) {
    case "oob":
      return { type: "oob", channel: frame.channel, data: frame.data };
    case "caps":
      return capsEvent(frame.width, frame.height);
    default: {
      const unreachable: never = frame;
      return unreachable;
    }
  }
}
