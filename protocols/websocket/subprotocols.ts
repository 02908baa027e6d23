/**
 * The WebSocket subprotocols the door speaks, which one it picks from a client's offer, and what
 * each one puts in text and binary frames (issue 8). The mudstandards.org forms follow
 * https://mudstandards.org/websocket/ (a proposal, read at its 2026-02-07 revision): their game
 * text is a UTF-8 ANSI stream in BINARY frames; `gmcp.` carries GMCP messages in TEXT frames and
 * `json.` carries `{"proto","id","data"}` envelopes in TEXT frames. docs/websocket.md is the prose.
 */
import { LOOM_JSON_SUBPROTOCOL } from "./wire.js";

/** `terminal.mudstandards.org`: game text, input and ANSI codes as UTF-8 in binary frames. No out-of-band data. */
export const TERMINAL_SUBPROTOCOL = "terminal.mudstandards.org";
/** `gmcp.mudstandards.org`: game text as in `terminal.`; GMCP messages (`Package.Name <json>`) in text frames. */
export const GMCP_SUBPROTOCOL = "gmcp.mudstandards.org";
/** `json.mudstandards.org`: game text as in `terminal.`; `{"proto","id","data"}` envelopes in text frames. */
export const JSON_SUBPROTOCOL = "json.mudstandards.org";

/**
 * The order the door prefers when a client offers several: the first of these the client offered
 * is selected, whatever order the client listed them in. Richest first:
 * - `loom.v1.json`: written for Loom (the browser client). Styles travel as structure, not ANSI,
 *   and it alone can mask a password (`echo`) and report the view size (`caps`).
 * - `gmcp.mudstandards.org`: the same game text as the other two mudstandards forms, plus every
 *   out-of-band package, framed exactly as telnet GMCP frames it, so a GMCP client's existing
 *   handlers take it as is.
 * - `json.mudstandards.org`: the same GMCP, but wrapped in an envelope whose `data` is JSON text
 *   inside JSON; picked over `terminal.` for the out-of-band data (and its NAWS envelope).
 * - `terminal.mudstandards.org`: the text alone.
 *
 * A client offering none of these gets no subprotocol: plain text frames (`websocat`). RFC 6455
 * §4.1 lets the server choose among the offers; a fixed order makes the choice predictable and
 * lets a client that can speak several list them in any order.
 */
export const SUBPROTOCOL_PRECEDENCE = [LOOM_JSON_SUBPROTOCOL, GMCP_SUBPROTOCOL, JSON_SUBPROTOCOL, TERMINAL_SUBPROTOCOL] as const;

/** A subprotocol the door can select. */
export type Subprotocol = (typeof SUBPROTOCOL_PRECEDENCE)[number];

/**
 * How a connection uses its frames, fixed at the handshake:
 * - `text`: no subprotocol. Plain text frames both ways; binary frames are refused.
 * - `loom-json`: `loom.v1.json` (README.md). JSON text frames; binary frames are refused.
 * - `terminal`, `gmcp`, `json`: the mudstandards.org forms above.
 */
export type WireMode = "text" | "loom-json" | "terminal" | "gmcp" | "json";

/**
 * The subprotocol to select from a client's offer (`ws` passes the offered names as a Set, in
 * the client's order), or false for none. See {@link SUBPROTOCOL_PRECEDENCE}.
 */
export function selectSubprotocol(offered: ReadonlySet<string>): Subprotocol | false {
  for (const name of SUBPROTOCOL_PRECEDENCE) if (offered.has(name)) return name;
  return false;
}

/** The wire mode for the subprotocol the handshake selected (`ws.protocol`, "" for none). */
export function wireModeOf(selected: string): WireMode {
  switch (selected) {
    case LOOM_JSON_SUBPROTOCOL:
      return "loom-json";
    case GMCP_SUBPROTOCOL:
      return "gmcp";
    case JSON_SUBPROTOCOL:
      return "json";
    case TERMINAL_SUBPROTOCOL:
      return "terminal";
    default:
      return "text";
  }
}

/**
 * The wire modes whose game text is a terminal stream: a UTF-8 ANSI stream in binary frames,
 * lines ending in CR LF, rendered by the terminal variants telnet uses (`ansi` by default), and
 * whose commands come as lines in binary (or text) frames.
 */
export type TerminalStreamMode = Extract<WireMode, "terminal" | "gmcp" | "json">;

/** Whether game text and commands travel as a terminal stream in binary frames (the mudstandards.org forms). */
export function isTerminalStream(mode: WireMode): mode is TerminalStreamMode {
  return mode === "terminal" || mode === "gmcp" || mode === "json";
}
