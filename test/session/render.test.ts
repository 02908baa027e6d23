/**
 * The terminal renderers (issue 8, "Colour"): every style at every depth, the reset after every
 * styled span (hardening E6), lines that stand alone when a styled span crosses a line end, and
 * the wrap (hardening E9) working the same at every depth.
 */
import { describe, expect, it } from "vitest";
import type { OutputMessage, Span, Style } from "../../src/session/messages.js";
import { line, prompt, styled, Styles } from "../../src/session/messages.js";
import type { Renderer } from "../../src/session/render.js";
import { renderAnsi, renderAnsi256, renderPlain, renderTruecolor, terminalRenderers } from "../../src/session/render.js";

const text = (renderer: Renderer, message: OutputMessage, width?: number): string => Buffer.from(renderer(message, width)).toString("utf8");

/** What every style opens with, at each depth: the table docs/telnet.md shows. */
const EXPECTED: Record<"ansi" | "ansi256" | "truecolor", Record<Style, string>> = {
  ansi: {
    title: "1;36",
    exit: "32",
    name: "1;33",
    speech: "37",
    thing: "35",
    error: "1;31",
    notice: "33",
    dim: "2",
    bold: "1",
  },
  ansi256: {
    title: "1;38;5;81",
    exit: "38;5;114",
    name: "1;38;5;221",
    speech: "38;5;230",
    thing: "38;5;176",
    error: "1;38;5;203",
    notice: "38;5;215",
    dim: "38;5;245",
    bold: "1",
  },
  truecolor: {
    title: "1;38;2;102;210;245",
    exit: "38;2;127;214;138",
    name: "1;38;2;242;201;76",
    speech: "38;2;255;245;208",
    thing: "38;2;217;154;230",
    error: "1;38;2;255;107;107",
    notice: "38;2;245;162;93",
    dim: "38;2;138;138;138",
    bold: "1",
  },
};

const DEPTHS = [
  ["ansi", renderAnsi],
  ["ansi256", renderAnsi256],
  ["truecolor", renderTruecolor],
] as const;

describe.each(DEPTHS)("%s", (variant, renderer) => {
  it.each(Styles)("renders %s between its sequence and a reset", (style) => {
    expect(text(renderer, line("a ", styled(style, "word"), " b"))).toBe(`a \x1b[${EXPECTED[variant][style]}mword\x1b[0m b\r\n`);
  });

  it("E6: resets after every styled span, so nothing runs past a message, a prompt included", () => {
    const spans: Span[] = Styles.map((style) => styled(style, style));
    const out = text(renderer, line(...spans));
    expect(out.match(/\x1b\[0m/g)).toHaveLength(Styles.length);
    expect(out.endsWith("\x1b[0m\r\n")).toBe(true);
    const p = text(renderer, prompt(styled("name", "Alice"), "> "));
    expect(p).toBe(`\x1b[${EXPECTED[variant].name}mAlice\x1b[0m> `);
  });

  it("unstyled text carries no escape at all", () => {
    expect(text(renderer, line("You see nothing like that here."))).toBe("You see nothing like that here.\r\n");
  });

  it("an empty styled span costs no sequence", () => {
    expect(text(renderer, line("a", styled("name", ""), "b"))).toBe("ab\r\n");
  });

  it("a styled span over a line end is closed before it and opened again after it: every line stands alone", () => {
    const open = `\x1b[${EXPECTED[variant].dim}m`;
    expect(text(renderer, line("Alice", styled("dim", "\nYour pronouns are she.\nMore.")))).toBe(
      `Alice\r\n${open}Your pronouns are she.\x1b[0m\r\n${open}More.\x1b[0m\r\n`,
    );
    // No line of the output starts inside a colour opened on the line before.
    for (const l of text(renderer, line(styled("title", "one\ntwo\n\nthree"))).split("\r\n")) {
      if (l === "") continue;
      expect(l.startsWith("\x1b[")).toBe(true);
      expect(l.endsWith("\x1b[0m")).toBe(true);
    }
  });

  it("wraps a styled span like plain text, and the wrapped tail is coloured again on its own line", () => {
    const message = line(styled("speech", '"one two three four five six"'), " she says.");
    const wrapped = text(renderer, message, 16);
    const open = `\x1b[${EXPECTED[variant].speech}m`;
    expect(wrapped).toBe(`${open}"one two three\x1b[0m\r\n${open}  four five six"\x1b[0m\r\n  she says.\r\n`);
    // The words and breaks are exactly the plain rendering's.
    expect(wrapped.replace(/\x1b\[[0-9;]*m/g, "")).toBe(text(renderPlain, message, 16));
  });

  it("with no width nothing is wrapped (the browser wraps for itself)", () => {
    const long = "x".repeat(300);
    expect(text(renderer, line(styled("thing", long)))).toBe(`\x1b[${EXPECTED[variant].thing}m${long}\x1b[0m\r\n`);
  });

  it("sends UTF-8 as it is", () => {
    expect(text(renderer, line(styled("name", "Zoë"), " waves ✋"))).toBe(`\x1b[${EXPECTED[variant].name}mZoë\x1b[0m waves ✋\r\n`);
  });
});

describe("plain", () => {
  it("T11: never a control byte but CR and LF, whatever the styles", () => {
    const out = text(renderPlain, line(...Styles.map((style) => styled(style, `${style}\n`))), 20);
    expect(out).not.toMatch(/[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]/);
    expect(out).toContain("title\r\nexit\r\n");
  });
});

describe("terminalRenderers", () => {
  it("maps each terminal variant to its renderer", () => {
    expect(terminalRenderers).toEqual({ plain: renderPlain, ansi: renderAnsi, ansi256: renderAnsi256, truecolor: renderTruecolor });
    expect(Object.isFrozen(terminalRenderers)).toBe(true);
  });

  it("every colour depth renders the same words and line ends as plain", () => {
    const message = line(styled("title", "Town Square"), "\nA wide square. ", styled("exit", "north"), ", ", styled("exit", "south"), ".");
    const plain = text(renderPlain, message, 14);
    for (const [, renderer] of DEPTHS) expect(text(renderer, message, 14).replace(/\x1b\[[0-9;]*m/g, "")).toBe(plain);
  });
});
