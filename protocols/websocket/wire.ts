/**
 * The `loom.v1.json` wire format: the frames the browser client and the server exchange when the
 * client offers that subprotocol. Types only (plus the subprotocol name), so the browser client
 * can import them without pulling in zod or Node. README.md in this folder and docs/websocket.md
 * are the prose version.
 */
import type { OutputMessage } from "../../src/session/messages.js";

/** The subprotocol a client offers to get JSON frames (the `ws-json` render variant). */
export const LOOM_JSON_SUBPROTOCOL = "loom.v1.json";

/** A message for people to read: the session's {@link OutputMessage}, as is, tagged `t: "text"`. */
export interface TextFrame extends OutputMessage {
  readonly t: "text";
}

/** Echo off (`on: false`, the client masks its input: a password) or back on. */
export interface EchoFrame {
  readonly t: "echo";
  readonly on: boolean;
}

/** Out-of-band data (the WebSocket counterpart of GMCP), either direction. */
export interface OobFrame {
  readonly t: "oob";
  readonly channel: string;
  readonly data: unknown;
}

/**
 * The client's view size, in characters. Client to server only; the server wraps the client's
 * text to `width` from then on (0: unknown, unwrapped).
 */
export interface CapsFrame {
  readonly t: "caps";
  readonly width: number;
  readonly height: number;
}

/** Every JSON frame the server sends under `loom.v1.json`. */
export type ServerFrame = TextFrame | EchoFrame | OobFrame;

/**
 * Every JSON frame a client may send under `loom.v1.json`. Any other text frame (including JSON
 * of another shape) is one or more command lines.
 */
export type ClientJsonFrame = OobFrame | CapsFrame;
