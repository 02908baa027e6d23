/**
 * The palette's promises (src/session/palette.ts, docs/telnet.md "Colour"), measured: contrast
 * on dark backgrounds by the WCAG 2 formula, each 256-colour index the xterm colour nearest its
 * truecolour, and the 16-colour codes Loom always sent left as they were.
 */
import { describe, expect, it } from "vitest";
import { Styles } from "../../src/session/messages.js";
import { PALETTE, rgbOf, sgr, styleSequences } from "../../src/session/palette.js";

type Rgb = readonly [number, number, number];

/** WCAG 2 relative luminance. */
function luminance([r, g, b]: Rgb): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2 contrast ratio, 1 to 21. */
function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The RGB of an xterm 256-colour index from 16 up (the 6x6x6 cube, then the grey ramp). */
function xtermRgb(index: number): Rgb {
  if (index >= 232) {
    const v = 8 + 10 * (index - 232);
    return [v, v, v];
  }
  const levels = [0, 95, 135, 175, 215, 255] as const;
  const i = index - 16;
  return [levels[Math.floor(i / 36)]!, levels[Math.floor(i / 6) % 6]!, levels[i % 6]!];
}

function distance(a: Rgb, b: Rgb): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;
}

const BLACK: Rgb = [0, 0, 0];
/** A typical dark theme's background (VS Code's, many terminals'). */
const DARK_THEME: Rgb = [0x1e, 0x1e, 0x1e];
const coloured = Styles.filter((style) => PALETTE[style].rgb !== undefined);

describe("the 256-colour and truecolour palettes", () => {
  it("colour every style but bold, which is only bold", () => {
    expect(coloured).toEqual(Styles.filter((s) => s !== "bold"));
    expect(PALETTE.bold).toEqual({ bold: true });
  });

  it.each(coloured)("%s: at least 7:1 against black and 4.5:1 against a dark theme (dim: 4.5:1 against black)", (style) => {
    const paint = PALETTE[style];
    for (const rgb of [rgbOf(paint.rgb!), xtermRgb(paint.xterm!)]) {
      if (style === "dim") {
        expect(contrast(rgb, BLACK)).toBeGreaterThanOrEqual(4.5);
      } else {
        expect(contrast(rgb, BLACK)).toBeGreaterThanOrEqual(7);
        expect(contrast(rgb, DARK_THEME)).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it("dim reads dimmer than every other colour", () => {
    const dim = luminance(rgbOf(PALETTE.dim.rgb!));
    for (const style of coloured) if (style !== "dim") expect(luminance(rgbOf(PALETTE[style].rgb!))).toBeGreaterThan(dim);
  });

  it.each(coloured)("%s: the 256-colour index is the xterm colour nearest the truecolour", (style) => {
    const want = rgbOf(PALETTE[style].rgb!);
    let nearest = 16;
    for (let i = 17; i < 256; i++) if (distance(xtermRgb(i), want) < distance(xtermRgb(nearest), want)) nearest = i;
    expect(PALETTE[style].xterm).toBe(nearest);
  });

  it("colours are #rrggbb", () => {
    for (const style of coloured) expect(PALETTE[style].rgb).toMatch(/^#[0-9a-f]{6}$/);
    expect(rgbOf("#66d2f5")).toEqual([0x66, 0xd2, 0xf5]);
  });
});

describe("the 16-colour codes", () => {
  it("are the ones Loom has always sent", () => {
    expect(styleSequences("16")).toEqual({
      title: "\x1b[1;36m",
      exit: "\x1b[32m",
      name: "\x1b[1;33m",
      speech: "\x1b[37m",
      thing: "\x1b[35m",
      error: "\x1b[1;31m",
      notice: "\x1b[33m",
      dim: "\x1b[2m",
      bold: "\x1b[1m",
    });
  });
});

describe("sgr", () => {
  it("puts bold first and leaves out what a depth has no colour for", () => {
    expect(sgr({ bold: true, ansi: 31, xterm: 203, rgb: "#ff6b6b" }, "truecolor")).toBe("\x1b[1;38;2;255;107;107m");
    // Nothing to set is no sequence: ESC [ m would be a reset.
    expect(sgr({ bold: false, rgb: "#010203" }, "256")).toBe("");
    expect(sgr({ bold: true }, "16")).toBe("\x1b[1m");
  });

  it("each depth's sequences are frozen", () => {
    for (const depth of ["16", "256", "truecolor"] as const) expect(Object.isFrozen(styleSequences(depth))).toBe(true);
  });
});
