/**
 * What a door hands the session layer for each connection: a place to put rendered output.
 * The session hub renders each message once per {@link RenderVariant} and queues the same
 * bytes on every endpoint that shares the variant.
 */
import type { DisconnectReason, PeerAddress } from "../reactor/interfaces.js";
import type { ClientCapabilities, ColourMode, Door, SessionId } from "./messages.js";

/**
 * How an endpoint wants text rendered.
 * - `plain`: UTF-8 text, lines end in CR LF, no escape sequences (the line door; telnet
 *   without colour).
 * - `ansi`: as `plain`, with the 16 ANSI SGR colours (telnet's default).
 * - `ansi256`: as `ansi`, with the xterm 256-colour palette (telnet, when the client announces
 *   it or the player chooses it; docs/telnet.md, "Colour").
 * - `truecolor`: as `ansi`, with 24-bit colour (likewise).
 *   These four are terminal streams, not telnet: the WebSocket door's mudstandards.org
 *   subprotocols (`terminal.`, `gmcp.`, `json.`) send the same bytes in binary frames, `ansi`
 *   until the player chooses (protocols/websocket/README.md).
 * - `ws-text`: one WebSocket text frame per message, plain text, no trailing newline (any
 *   WebSocket tool can read it).
 * - `ws-json`: one text frame per message holding a JSON object (the browser client, which
 *   asks for it with the `loom.v1.json` subprotocol).
 */
export const RenderVariants = ["plain", "ansi", "ansi256", "truecolor", "ws-text", "ws-json"] as const;
export type RenderVariant = (typeof RenderVariants)[number];

/** One connection, as the session layer drives it. Implemented by each door. */
export interface SessionEndpoint {
  /**
   * Read for every message, so a door may change it between messages: telnet follows the
   * client's announced colour and the player's choice ({@link setColour}).
   */
  readonly variant: RenderVariant;
  /**
   * Columns to wrap text at (terminal doors: NAWS, else 80), or undefined when the client
   * wraps for itself (the browser). Part of the render cache key with the variant.
   */
  readonly width?: number | undefined;
  /**
   * Bytes written to this endpoint that the client has not taken yet: queued here plus the
   * socket's own buffer (TCP `writableLength`, WebSocket `bufferedAmount`). The hub reads it to
   * drop chatter for a reader who has fallen behind (issue 5 item 9) before the door's hard
   * cap cuts them off. Cheap to read: it is read per recipient of chatter.
   */
  readonly backlogBytes: number;
  /**
   * Queues one rendered message. `kind` lets a door finish a prompt its own way (telnet may
   * add GA). Must not throw; a write to a closed endpoint is dropped.
   */
  sendRendered(payload: Uint8Array, kind: "line" | "prompt"): void;
  /** Sends out-of-band data (GMCP on telnet, a JSON frame on WebSocket); doors that cannot, drop it. */
  sendOob(channel: string, data: unknown): void;
  /** Turns the client's local echo off (`false`, for passwords) or back on. */
  setEcho(on: boolean): void;
  /**
   * The player's colour choice (`color`, issue 8), at login and when they change it. The door
   * decides what it means: telnet renders at the depth it gives (src/session/colour-mode.ts);
   * doors without terminal colour leave this out (the line door stays plain, hardening T11; the
   * browser styles with CSS classes). Must not throw.
   */
  setColour?(mode: ColourMode): void;
  /** Flushes and closes the connection. Idempotent. */
  close(reason: DisconnectReason): void;
}

/** The door's handle on its session: how input reaches the world. */
export interface SessionHandle {
  readonly id: SessionId;
  /** One line of input, already framed and decoded (no CR/LF). */
  line(text: string): void;
  /** Out-of-band data from the client (GMCP, a JSON frame). */
  oob(channel: string, data: unknown): void;
  /** The door learned something new about the client (NAWS, TTYPE). */
  capabilities(caps: ClientCapabilities): void;
  /**
   * The peer half-closed: every line it sent has been given to {@link line}, and no more will
   * come (issue 5 item 15). The session closes the connection with `peer-closed` once what it
   * is still doing for those lines (a password check) is done and the answers are queued.
   */
  inputEnded(): void;
  /** The connection is gone. Idempotent; the first reason counts. */
  closed(reason: DisconnectReason): void;
}

/** The session hub as a door sees it: where new connections become sessions. */
export interface SessionOpener {
  open(door: Door, peer: PeerAddress, caps: ClientCapabilities, endpoint: SessionEndpoint): SessionHandle;
}
