/** Word wrap for terminal doors (hardening E9). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Span } from "../../src/session/messages.js";
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
    expect(lines(wrapped)).toEqual(["Town Square", "the quick brown fox", "jumps over the lazy", "dog"]);
    expect(wrapped[0]).toEqual({ text: "Town Square", style: "title" });
  });

  it("E9: a 5,000-character word never renders wider than the width", () => {
    const wrapped = wrapSpans([`Alice says, "${"x".repeat(5000)}"`], 79);
    for (const line of lines(wrapped)) expect(width(line)).toBeLessThanOrEqual(79);
    expect(lines(wrapped)[0]).toBe("Alice says,");
    expect(spansText(wrapped).split("\n").slice(1).join("")).toBe(`"${"x".repeat(5000)}"`);
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
      }),
      { numRuns: 500 },
    );
  });

  it("the terminal renderers wrap at the width they are given; without one they do not", () => {
    const message = { kind: "line" as const, spans: ["aaaa bbbb cccc"] };
    expect(Buffer.from(renderPlain(message, 9)).toString()).toBe("aaaa bbbb\r\ncccc\r\n");
    expect(Buffer.from(renderAnsi(message, 9)).toString()).toBe("aaaa bbbb\r\ncccc\r\n");
    expect(Buffer.from(renderPlain(message)).toString()).toBe("aaaa bbbb cccc\r\n");
  });
});
