/**
 * forEachInSlices (src/reactor/slices.ts): the first slice at once, each next one after a turn
 * of the loop, every item once, in order.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { forEachInSlices } from "../../src/reactor/slices.js";

describe("forEachInSlices", () => {
  it("does the first slice at once and one more slice per turn of the loop, in order", async () => {
    const seen: number[] = [];
    forEachInSlices([1, 2, 3, 4, 5, 6, 7], 3, (n) => seen.push(n));
    expect(seen).toEqual([1, 2, 3]);
    await nextTurn();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    await nextTurn();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await nextTurn();
    expect(seen).toHaveLength(7);
  });

  it("does everything at once when it fits in one slice, and nothing for no items", () => {
    const seen: string[] = [];
    forEachInSlices(["a", "b"], 500, (s) => seen.push(s));
    forEachInSlices([], 500, (s: string) => seen.push(s));
    expect(seen).toEqual(["a", "b"]);
  });

  it("refuses a slice size that is not a positive integer", () => {
    expect(() => forEachInSlices([1], 0, () => {})).toThrow(RangeError);
    expect(() => forEachInSlices([1], 1.5, () => {})).toThrow(RangeError);
  });
});
