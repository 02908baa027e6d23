/**
 * What each world style looks like at each colour depth (issue 8, "Colour"): the SGR sequences
 * the terminal renderers put before a styled span. docs/telnet.md ("Colour") shows the table.
 *
 * The 16-colour codes are the terminal's own palette, so they follow the player's theme (light or
 * dark) and every client has them. The 256-colour and truecolour palettes are fixed colours, made
 * for a dark background, as every MUD client (Mudlet, MUSHclient, TinTin++ in a terminal) starts
 * with: every colour but `dim` has a contrast ratio of at least 7:1 (WCAG AAA) against black and
 * 4.5:1 (AA) against #1e1e1e, a typical dark theme; `dim` is meant to recede and keeps 4.5:1
 * against black (test/session/render-palette.test.ts measures them). The 256-colour index of a
 * style is the xterm colour nearest its truecolour, so the two depths read alike. Hues follow the
 * 16-colour roles (a cyan title, green exits, gold names, a red error), and the styles that are
 * bold at 16 colours stay bold, so someone who cannot tell red from green still sees an error.
 */
import type { ColourDepth, Style } from "./messages.js";

/** One style's look. Absent colours leave the terminal's own foreground. */
export interface StylePaint {
  /** Bold (SGR 1), at every depth. */
  readonly bold: boolean;
  /** The 16-colour SGR parameter: a foreground 30-37, or 2 (faint) for `dim`. */
  readonly ansi?: number;
  /** The xterm 256-colour index (`38;5;n`): the entry nearest {@link rgb}. */
  readonly xterm?: number;
  /** The 24-bit colour (`38;2;r;g;b`), `#rrggbb`. */
  readonly rgb?: string;
}

/**
 * The palette. At 256 colours and truecolour `dim` is a grey rather than SGR 2: faint is not
 * drawn everywhere (Mudlet ignored it until late 2023, Mudlet/Mudlet#3693 and #7010; mosh
 * still drops it, mobile-shell/mosh#1404), a grey is.
 */
export const PALETTE: Readonly<Record<Style, StylePaint>> = Object.freeze({
  title: { bold: true, ansi: 36, xterm: 81, rgb: "#66d2f5" },
  exit: { bold: false, ansi: 32, xterm: 114, rgb: "#7fd68a" },
  name: { bold: true, ansi: 33, xterm: 221, rgb: "#f2c94c" },
  speech: { bold: false, ansi: 37, xterm: 230, rgb: "#fff5d0" },
  thing: { bold: false, ansi: 35, xterm: 176, rgb: "#d99ae6" },
  error: { bold: true, ansi: 31, xterm: 203, rgb: "#ff6b6b" },
  notice: { bold: false, ansi: 33, xterm: 215, rgb: "#f5a25d" },
  dim: { bold: false, ansi: 2, xterm: 245, rgb: "#8a8a8a" },
  bold: { bold: true },
});

/** The SGR sequence that ends every styled span (hardening E6). */
export const SGR_RESET = "\x1b[0m";

/** The SGR sequence that starts a span of `paint` at `depth`; empty when it sets nothing there. */
export function sgr(paint: StylePaint, depth: ColourDepth): string {
  const params: string[] = paint.bold ? ["1"] : [];
  switch (depth) {
    case "16":
      if (paint.ansi !== undefined) params.push(String(paint.ansi));
      break;
    case "256":
      if (paint.xterm !== undefined) params.push(`38;5;${paint.xterm}`);
      break;
    case "truecolor":
      if (paint.rgb !== undefined) params.push(`38;2;${rgbOf(paint.rgb).join(";")}`);
      break;
    default: {
      const unreachable: never = depth;
      throw new Error(`unknown colour depth ${String(unreachable)}`);
    }
  }
  // Nothing to set is no sequence at all: `ESC [ m` would be a reset.
  return params.length === 0 ? "" : `\x1b[${params.join(";")}m`;
}

/** The opening sequence of every style at one depth, ready for a renderer. */
export function styleSequences(depth: ColourDepth, palette: Readonly<Record<Style, StylePaint>> = PALETTE): Readonly<Record<Style, string>> {
  const out = {} as Record<Style, string>;
  for (const style of Object.keys(palette) as Style[]) out[style] = sgr(palette[style], depth);
  return Object.freeze(out);
}

/** `#rrggbb` as three numbers. */
export function rgbOf(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}
