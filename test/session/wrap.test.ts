/** Word wrap for terminal doors (hardening E9). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { styled, type Span } from "../../src/session/messages.js";
import { renderAnsi, renderPlain, spansText } from "../../src/session/render.js";
import { wrapSpans } from "../../src/session/wrap.js";

const lines = (spans: readonly Span[]): string[] => spansText(spans).split("\n");
const width = (line: string): number => [...line].length;

describe("wrapSpans", () => {
  it("leaves a message that fits untouched (the same array)", () => {
    const spans: Span[] = ["You say, ", { text: '"hi"', style: "speech" }];
    expect(wrapSpans(spans, 79)).toBe(spans);
  });

  it("breaks at spaces, keeping styles on their words", () => {
    const spans: Span[] = [{ text: "Town Square", style: "title" }, "\nthe quick brown fox jumps over the lazy dog"];
    const wrapped = wrapSpans(spans, 20);
    expect(lines(wrapped)).toEqual(["Town Square", "the quick brown fox", "  jumps over the", "  lazy dog"]);
    expect(wrapped[0]).toEqual({ text: "Town Square", style: "title" });
  });

  it("E9: a 5,000-character word never renders wider than the width", () => {
    const wrapped = wrapSpans([`Alice says, "${"x".repeat(5000)}"`], 79);
    for (const line of lines(wrapped)) expect(width(line)).toBeLessThanOrEqual(79);
    expect(lines(wrapped)[0]).toBe("Alice says,");
    for (const line of lines(wrapped).slice(1)) expect(line.startsWith("  ")).toBe(true);
    expect(lines(wrapped).slice(1).map((l) => l.slice(2)).join("")).toBe(`"${"x".repeat(5000)}"`);
  });

  it("never splits a 4-byte character", () => {
    const wrapped = wrapSpans(["🌍".repeat(50)], 7);
    expect(spansText(wrapped)).not.toContain("\uFFFD");
    for (const line of lines(wrapped)) expect(width(line)).toBeLessThanOrEqual(7);
  });

  it("property: no line is wider than the width, and only spaces and line breaks change", () => {
    const word = fc.string({ minLength: 1, maxLength: 30 }).map((s) => s.replace(/[\s]/g, "a"));
    const text = fc.array(fc.oneof(word, fc.constantFrom(" ", "  ", "\n")), { maxLength: 60 }).map((parts) => parts.join(""));
    const span = fc.oneof(text, text.map((t) => ({ text: t, style: "speech" as const })));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 5 }), fc.integer({ min: 1, max: 100 }), (spans, w) => {
        const wrapped = wrapSpans(spans, w);
        for (const line of lines(wrapped)) expect(width(line)).toBeLessThanOrEqual(w);
        const squash = (s: string): string => s.replace(/[ \n]+/g, "");
        expect(squash(spansText(wrapped))).toBe(squash(spansText(spans)));
        // Issue 5 item 6: only the lines the message itself starts may be flush-left.
        if (w >= 8) {
          const flushLeft = lines(wrapped).filter((l) => l !== "" && l[0] !== " ").length;
          expect(flushLeft).toBeLessThanOrEqual(spansText(spans).split("\n").length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("the terminal renderers wrap at the width they are given; without one they do not", () => {
    const message = { kind: "line" as const, spans: ["aaaa bbbb cccc"] };
    expect(Buffer.from(renderPlain(message, 9)).toString()).toBe("aaaa bbbb\r\n  cccc\r\n");
    expect(Buffer.from(renderAnsi(message, 9)).toString()).toBe("aaaa bbbb\r\n  cccc\r\n");
    expect(Buffer.from(renderPlain(message)).toString()).toBe("aaaa bbbb cccc\r\n");
  });

  describe("issue 5 item 6: forged server lines through word wrap (E4)", () => {
    it("a run of spaces past the width breaks the line, and the tail is indented", () => {
      const forged = `Mallory waves.${" ".repeat(120)}Bob says, "my password is swordfish"`;
      const out = lines(wrapSpans([forged], 79));
      expect(out[0]).toBe("Mallory waves.");
      expect(out[1]).toBe('  Bob says, "my password is swordfish"');
    });

    it("a word cut at the width continues indented, the indent counted in the width", () => {
      expect(lines(wrapSpans(["ab " + "x".repeat(20)], 10))).toEqual(["ab", "  xxxxxxxx", "  xxxxxxxx", "  xxxx"]);
    });

    it("lines the message starts itself stay flush-left; narrow widths get no indent", () => {
      expect(lines(wrapSpans(["Title\nthe quick brown fox"], 10))).toEqual(["Title", "the quick", "  brown", "  fox"]);
      expect(lines(wrapSpans(["abc defg"], 4))).toEqual(["abc", "defg"]);
    });

    it("the indent sits in the span where the break falls, and styles survive", () => {
      const wrapped = wrapSpans(["Alice says, ", { text: '"one two three"', style: "speech" }], 16);
      expect(wrapped).toEqual(["Alice says, ", { text: '"one\n  two three"', style: "speech" }]);
    });
  });
});

describe("a word split across styled spans", () => {
  it("a styled name and the full stop after it wrap together, never leaving the stop alone", () => {
    const spans: Span[] = ["You pick up ", styled("thing", "a wooden shuttle"), "."];
    // "You pick up a wooden shuttle" is 28 columns; the stop would be the 29th.
    const wrapped = wrapSpans(spans, 28);
    expect(spansText(wrapped)).toBe("You pick up a wooden\n  shuttle.");
    for (const line of spansText(wrapped).split("\n")) expect(line.length).toBeLessThanOrEqual(28);
    expect(wrapped[1]).toEqual(styled("thing", "a wooden\n  shuttle"));
  });

  it("a continuation too long to move is cut as before, and every line still fits", () => {
    const spans: Span[] = [styled("thing", "x".repeat(30)), "yyy"];
    for (const line of spansText(wrapSpans(spans, 20)).split("\n")) expect(line.length).toBeLessThanOrEqual(20);
    expect(spansText(wrapSpans(spans, 20)).replace(/\n */g, "")).toBe("x".repeat(30) + "yyy");
  });
});
