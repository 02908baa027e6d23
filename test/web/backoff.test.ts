/** web/backoff.ts: reconnect waits, 1 s doubling to 30 s with jitter. */
import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../web/backoff.js";

describe("backoffDelay", () => {
  it("doubles from 1 s and stops at 30 s (no jitter at random = 1)", () => {
    const one = (): number => 1;
    expect([0, 1, 2, 3, 4, 5, 6, 50, 5000].map((n) => backoffDelay(n, one))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it("jitter keeps each wait between half the step and the step", () => {
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(5, () => 0)).toBe(15000);
    for (let i = 0; i < 100; i++) {
      const wait = backoffDelay(3, Math.random);
      expect(wait).toBeGreaterThanOrEqual(4000);
      expect(wait).toBeLessThanOrEqual(8000);
    }
  });

  it("survives odd inputs: a negative attempt, a random out of range", () => {
    expect(backoffDelay(-3, () => 1)).toBe(1000);
    expect(backoffDelay(0, () => 7)).toBe(1000);
    expect(backoffDelay(0, () => Number.NaN)).toBeGreaterThanOrEqual(500);
  });

  it("takes other bounds", () => {
    expect(backoffDelay(10, () => 1, { initialMs: 100, maxMs: 500 })).toBe(500);
  });
});
