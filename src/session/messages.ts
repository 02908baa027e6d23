/**
 * The Session <-> World boundary, as plain data. Today both sides live in one process; every
 * type here is JSON-serialisable so that connection gateways can later run elsewhere and talk
 * to the world over a message bus, with the fan-out done where the sockets are.
 *
 * Inward (gateway -> world): {@link InboundMessage}. Outward (world -> gateway):
 * {@link OutboundMessage}. The world produces each distinct text of an event once and sends it
 * with its recipients; the gateway renders it once per rendering variant.
 */
import type { DisconnectReason } from "../reactor/interfaces.js";

/** The three doors into the world. */
export const Doors = ["line", "telnet", "websocket"] as const;
export type Door = (typeof Doors)[number];

/** A session's identity on the boundary. Unique for the life of the process. */
export type SessionId = number;

/** What the client can do, as far as the door knows. Doors fill in what they negotiate. */
export interface ClientCapabilities {
  /** The client renders ANSI colour. */
  readonly ansi: boolean;
  /** Columns, from NAWS or the browser; 80 when unknown. */
  readonly width: number;
  /** Rows; 24 when unknown. */
  readonly height: number;
  /** Terminal type (TTYPE) or client name, when known. */
  readonly client?: string;
  /**
   * The most colours the client announced (MTTS bits 8 and 256, issue 8): `"16"`, `"256"` or
   * `"truecolor"`. Absent: 16 when `ansi`, none otherwise.
   */
  readonly colour?: ColourDepth;
  /**
   * Whether the client takes UTF-8: true once CHARSET agreed on it or MTTS set its bit; false
   * when the client refused it and said nothing else (the door then sends ASCII). Absent: UTF-8
   * is assumed, as for any client that negotiates nothing.
   */
  readonly utf8?: boolean;
  /** The client announced a screen reader (MTTS bit 64): fewer decorations help. */
  readonly screenReader?: boolean;
  /** The connection is encrypted (MTTS bit 2048, or the door's own TLS). */
  readonly tls?: boolean;
}

/** Colour depths a client can announce (MTTS). */
export const ColourDepths = ["16", "256", "truecolor"] as const;
export type ColourDepth = (typeof ColourDepths)[number];

/**
 * A player's colour choice (`color`, issue 8), remembered with their character: `on` (the
 * default) is what the client announced, `off` none, a depth that depth whatever was announced.
 * The world only passes it on; each door decides what it means (docs/telnet.md, "Colour").
 */
export const ColourModes = ["on", "off", ...ColourDepths] as const;
export type ColourMode = (typeof ColourModes)[number];

/** The presentation roles the world may mark text with. Renderers map them to colours. */
export const Styles = ["title", "exit", "name", "speech", "thing", "error", "notice", "dim", "bold"] as const;
export type Style = (typeof Styles)[number];

/** A run of text, optionally with a style. Text never contains control characters but `\n`. */
export type Span = string | { readonly text: string; readonly style: Style };

/**
 * How much a message matters to a reader who has fallen behind (issue 5 item 9, hardening S1).
 * - `essential` (the default): answers to the reader's own commands, the server's notices.
 * - `chatter`: what other people say, emote, tell and do. For a reader whose unread output is
 *   past the soft cap the hub drops it, and says how many were dropped once they catch up.
 */
export const Priorities = ["essential", "chatter"] as const;
export type Priority = (typeof Priorities)[number];

/**
 * One message for people to read. `kind: "line"` ends with a newline when rendered;
 * `kind: "prompt"` does not (the client's cursor stays after it). `priority` defaults to
 * `essential`.
 */
export interface OutputMessage {
  readonly kind: "line" | "prompt";
  readonly spans: readonly Span[];
  readonly priority?: Priority;
}

/** Messages from the gateway (the doors) to the world. */
export type InboundMessage =
  | {
      readonly type: "connected";
      readonly session: SessionId;
      readonly door: Door;
      readonly peer: string;
      readonly caps: ClientCapabilities;
    }
  | { readonly type: "line"; readonly session: SessionId; readonly text: string }
  | { readonly type: "oob"; readonly session: SessionId; readonly channel: string; readonly data: unknown }
  | { readonly type: "caps"; readonly session: SessionId; readonly caps: ClientCapabilities }
  /** The client half-closed after its last line (issue 5 item 15): answer what it sent, then close. */
  | { readonly type: "input-ended"; readonly session: SessionId }
  | { readonly type: "disconnected"; readonly session: SessionId; readonly reason: DisconnectReason };

/** Messages from the world to the gateway. */
export type OutboundMessage =
  | { readonly type: "deliver"; readonly message: OutputMessage; readonly to: readonly SessionId[] }
  | { readonly type: "oob"; readonly channel: string; readonly data: unknown; readonly to: readonly SessionId[] }
  | { readonly type: "echo"; readonly session: SessionId; readonly on: boolean }
  /** The player's colour choice, sent at login (before the room is shown) and when they change it. */
  | { readonly type: "colour"; readonly session: SessionId; readonly mode: ColourMode }
  | { readonly type: "close"; readonly session: SessionId; readonly reason: DisconnectReason };

/** The world's side of the boundary: it receives inbound messages. */
export interface WorldPort {
  receive(message: InboundMessage): void;
}

/** The gateway's side of the boundary: it receives outbound messages. */
export interface GatewayPort {
  send(message: OutboundMessage): void;
}

/** Builds a one-line message. */
export function line(...spans: Span[]): OutputMessage {
  return { kind: "line", spans };
}

/** Builds a line of chatter: another player's words or doings, droppable for a lagging reader. */
export function chatter(...spans: Span[]): OutputMessage {
  return { kind: "line", spans, priority: "chatter" };
}

/** Builds a prompt (no trailing newline). */
export function prompt(...spans: Span[]): OutputMessage {
  return { kind: "prompt", spans };
}

/** Marks `text` with a style. */
export function styled(style: Style, text: string): Span {
  return { text, style };
}
