import { describe, expect, it } from "vitest";
import { LogLimit } from "../src/log-limit.js";
import { FakeClock } from "../src/reactor/clock.js";

describe("LogLimit (issue 5 item 8: logging never costs more than the input)", () => {
  it("lets the first occurrence through and only counts the rest, by default", () => {
    const limit = new LogLimit(new FakeClock());
    expect(limit.allow()).toBe(true);
    for (let i = 0; i < 10_000; i++) expect(limit.allow()).toBe(false);
    expect(limit.takeSuppressed()).toBe(10_000);
    expect(limit.takeSuppressed()).toBe(0);
    expect(limit.total).toBe(10_001);
  });

  it("allows perWindow lines per window and reports what each window skipped", () => {
    const clock = new FakeClock();
    const limit = new LogLimit(clock, { perWindow: 2, windowMs: 1000 });
    const allowed = (n: number): number => Array.from({ length: n }, () => limit.allow()).filter(Boolean).length;
    expect(allowed(50)).toBe(2);
    clock.advance(999);
    expect(allowed(50)).toBe(0);
    clock.advance(1);
    expect(limit.allow()).toBe(true);
    expect(limit.takeSuppressed()).toBe(98);
  });
});
