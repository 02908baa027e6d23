/**
 * What each door assumes a client can do before it has negotiated anything (issue 8, "the
 * doors share one plumbing"): written once here, read by every door, so no door keeps its own
 * copy of "80 by 24" that could drift from the others.
 */
import type { ClientCapabilities } from "./messages.js";

/** The terminal size assumed until NAWS, a caps frame or the browser says otherwise. */
const UNKNOWN_SIZE = { width: 80, height: 24 } as const;

/**
 * The starting capabilities, per way in:
 * - `line`: a raw line client (netcat) is sent no control byte at all (hardening T11).
 * - `telnet`: telnet clients are terminals; 16-colour ANSI is the safe start (TinTin++, Mudlet
 *   and every terminal telnet render it), refined by MTTS and CHARSET.
 * - `websocket`: the JSON and plain-text subprotocols carry no ANSI until a `caps` frame; a caps
 *   frame reporting width 0 (unknown) falls back to this width, though nothing is wrapped then.
 * - `terminalStream`: mudstandards.org `terminal.`, `gmcp.` and `json.` subprotocols are an ANSI
 *   stream by definition, so 16 colours until the player chooses more.
 */
export const INITIAL_CAPS = Object.freeze({
  line: Object.freeze({ ansi: false, ...UNKNOWN_SIZE }),
  telnet: Object.freeze({ ansi: true, ...UNKNOWN_SIZE }),
  websocket: Object.freeze({ ansi: false, ...UNKNOWN_SIZE }),
  terminalStream: Object.freeze({ ansi: true, ...UNKNOWN_SIZE }),
} satisfies Record<string, ClientCapabilities>);
