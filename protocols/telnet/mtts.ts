/**
 * MTTS, the Mud Terminal Type Standard (tintin.mudhalla.net/protocols/mtts, mudstandards.org):
 * the third TTYPE name a MUD client sends, `MTTS <n>`, is a bitvector of what it can do.
 * ttype.ts reads the number; this module says what the bits mean for a session, and folds them
 * with what CHARSET (charset.ts) learnt into the {@link ClientCapabilities} the door reports.
 *
 * Only bits Loom acts on are mapped: ANSI, UTF-8, 256 colours, truecolour, screen reader and
 * TLS. The rest (VT100, mouse tracking, OSC palette, proxy, MNES, MSLP) are named for reference.
 */
import type { ClientCapabilities, ColourDepth } from "../../src/session/messages.js";
import type { TerminalCapabilities } from "./telnet-protocol.js";

/** MTTS bit values, as the standard numbers them. */
export const MttsBit = {
  /** Supports the ANSI colour codes. */
  ANSI: 1,
  /** Supports most VT100 codes. */
  VT100: 2,
  /** Is using UTF-8. */
  UTF8: 4,
  /** Supports the xterm 256-colour codes. */
  COLOURS_256: 8,
  /** Supports xterm mouse tracking. */
  MOUSE_TRACKING: 16,
  /** Supports the OSC colour palette. */
  OSC_COLOUR_PALETTE: 32,
  /** Is using a screen reader. */
  SCREEN_READER: 64,
  /** Is a proxy between the server and a client. */
  PROXY: 128,
  /** Supports 24-bit (truecolour) codes. */
  TRUECOLOUR: 256,
  /** Supports the MUD New-Environ Standard. */
  MNES: 512,
  /** Supports the MUD Server Link Protocol. */
  MSLP: 1024,
  /** The client's connection is encrypted (the standard calls it SSL). */
  TLS: 2048,
} as const;

/** What an MTTS bitvector says about the capabilities Loom acts on. */
export interface MttsCapabilities {
  readonly ansi: boolean;
  readonly utf8: boolean;
  /** The deepest colour announced; absent when not even ANSI was. */
  readonly colour?: ColourDepth;
  readonly screenReader: boolean;
  readonly tls: boolean;
}

/** Reads an MTTS bitvector. Unknown bits are ignored, as the standard asks. */
export function readMtts(bits: number): MttsCapabilities {
  const has = (bit: number): boolean => (bits & bit) !== 0;
  const colour: ColourDepth | undefined = has(MttsBit.TRUECOLOUR)
    ? "truecolor"
    : has(MttsBit.COLOURS_256)
      ? "256"
      : has(MttsBit.ANSI)
        ? "16"
        : undefined;
  return {
    ansi: has(MttsBit.ANSI),
    utf8: has(MttsBit.UTF8),
    ...(colour === undefined ? {} : { colour }),
    screenReader: has(MttsBit.SCREEN_READER),
    tls: has(MttsBit.TLS),
  };
}

/**
 * Whether to send UTF-8, from CHARSET's answer (`charset`, see CharsetOption.utf8) and the MTTS
 * bitvector (issue 8): an agreed CHARSET is UTF-8; a refused one falls back to the MTTS UTF-8
 * bit, and without it to false (ASCII); with no CHARSET answer, the MTTS bit alone can say yes
 * and nothing says no (undefined: UTF-8 is assumed, as for any client that negotiates nothing).
 *
 * MTTS without the bit is not a no by itself: a client that sends MTTS but never answers
 * CHARSET is usually a terminal in whatever encoding its user chose, and Loom's text is UTF-8.
 */
export function utf8From(charset: boolean | undefined, mtts: number | undefined): boolean | undefined {
  if (charset === true) return true;
  const mttsUtf8 = mtts !== undefined && (mtts & MttsBit.UTF8) !== 0;
  if (mttsUtf8) return true;
  return charset === false ? false : undefined;
}

/**
 * The session's capabilities from what telnet negotiation learnt. Without MTTS a telnet client
 * is assumed to render ANSI (every terminal telnet and MUD client does) and nothing more is
 * claimed; with MTTS its bits say ANSI, colour depth, screen reader and TLS. `utf8` is the fold
 * {@link utf8From} made in `terminal`.
 */
export function clientCapabilities(terminal: TerminalCapabilities): ClientCapabilities {
  const mtts = terminal.mtts === undefined ? undefined : readMtts(terminal.mtts);
  return {
    ansi: mtts?.ansi ?? true,
    width: terminal.width,
    height: terminal.height,
    ...(terminal.client === undefined ? {} : { client: terminal.client }),
    ...(mtts?.colour === undefined ? {} : { colour: mtts.colour }),
    ...(terminal.utf8 === undefined ? {} : { utf8: terminal.utf8 }),
    ...(mtts === undefined ? {} : { screenReader: mtts.screenReader, tls: mtts.tls }),
  };
}
