/** The FakeClock every timer test relies on. */
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";

describe("FakeClock", () => {
  it("runs calls in due order, only when time is advanced past them", () => {
    const clock = new FakeClock();
    const ran: string[] = [];
    clock.callLater(30, () => ran.push("c"));
    clock.callLater(10, () => ran.push("a"));
    clock.callLater(10, () => ran.push("b"));
    clock.advance(9);
    expect(ran).toEqual([]);
    clock.advance(21);
    expect(ran).toEqual(["a", "b", "c"]);
    expect(clock.now()).toBe(30);
  });

  it("repeats callEvery until cancelled; cancel is idempotent", () => {
    const clock = new FakeClock();
    let n = 0;
    const call = clock.callEvery(100, () => n++);
    clock.advance(350);
    expect(n).toBe(3);
    call.cancel();
    call.cancel();
    clock.advance(1000);
    expect(n).toBe(3);
    expect(call.active).toBe(false);
    expect(clock.pendingCount).toBe(0);
  });

  it("a call scheduled by a call runs in the same advance when due", () => {
    const clock = new FakeClock();
    const ran: number[] = [];
    clock.callLater(5, () => clock.callLater(5, () => ran.push(clock.now())));
    clock.advance(10);
    expect(ran).toEqual([10]);
  });
});
