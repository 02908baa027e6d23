/**
 * What a player's colour choice means for a client (issue 8, "Colour"): the depth a terminal
 * door renders at, from the choice (`color <on|off|16|256|truecolor>`) and what the client
 * announced. Pure, so the telnet door switching its variant and the world answering `color`
 * agree by construction.
 */
import type { RenderVariant } from "./endpoint.js";
import type { ClientCapabilities, ColourDepth, ColourMode } from "./messages.js";

/** The render variants of a terminal door, from no colour to the most. */
export type TerminalVariant = Extract<RenderVariant, "plain" | "ansi" | "ansi256" | "truecolor">;

/**
 * What the client announced: its MTTS depth (`caps.colour`); else 16 colours when it renders
 * ANSI at all (a telnet client is a terminal until it says otherwise); else none.
 */
export function announcedDepth(caps: ClientCapabilities): ColourDepth | undefined {
  return caps.colour ?? (caps.ansi ? "16" : undefined);
}

/**
 * The depth `mode` gives a client with `caps`, or undefined for plain text: `on` is what the
 * client announced, `off` none, a depth that depth whatever the client said (the player knows
 * their screen better than the announcement: a client announces what it parses, not what the
 * terminal it runs in can show, and many announce nothing).
 */
export function colourDepth(mode: ColourMode, caps: ClientCapabilities): ColourDepth | undefined {
  switch (mode) {
    case "on":
      return announcedDepth(caps);
    case "off":
      return undefined;
    case "16":
    case "256":
    case "truecolor":
      return mode;
    default: {
      const unreachable: never = mode;
      throw new Error(`unknown colour mode ${String(unreachable)}`);
    }
  }
}

/** The terminal variant that renders at `depth` (undefined: plain). */
export function terminalVariant(depth: ColourDepth | undefined): TerminalVariant {
  switch (depth) {
    case undefined:
      return "plain";
    case "16":
      return "ansi";
    case "256":
      return "ansi256";
    case "truecolor":
      return "truecolor";
    default: {
      const unreachable: never = depth;
      throw new Error(`unknown colour depth ${String(unreachable)}`);
    }
  }
}
