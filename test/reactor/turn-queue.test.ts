/**
 * The turn queue (src/reactor/turn-queue.ts): one flush per connection per turn, and output
 * pacing (issue 11): a connection flushed less than `pacingMs` ago waits for the shared tick,
 * unless it owes its peer an answer; a big tick goes in slices. The pacing clock is a
 * FakeClock here; a turn ends when the test awaits the next `setImmediate`.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import { type Flushable, NEVER_FLUSHED, TICK_SLICE, TurnQueue } from "../../src/reactor/turn-queue.js";

/** A connection that records when it was flushed (on the fake clock). */
class Conn implements Flushable {
  lastFlushAt = NEVER_FLUSHED;
  answerDue = false;
  readonly flushes: number[] = [];
  constructor(readonly clock: FakeClock) {}
  flush(): void {
    this.flushes.push(this.clock.now());
  }
}

function setup(pacingMs: number) {
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const turns = new TurnQueue({ pacingMs, clock, report: (err) => errors.push(err) });
  return { clock, turns, errors, conn: () => new Conn(clock) };
}

describe("TurnQueue", () => {
  it("flushes a connection once at the end of the turn, however often it was scheduled", async () => {
    const { turns, conn } = setup(50);
    const a = conn();
    turns.schedule(a);
    turns.schedule(a);
    expect(a.flushes).toEqual([]);
    await nextTurn();
    expect(a.flushes).toEqual([0]);
  });

  it("counts its flushes, one per connection flushed, for loom_output_flushes_total", async () => {
    const { clock, turns, conn } = setup(50);
    const a = conn();
    const b = conn();
    turns.schedule(a);
    turns.schedule(a);
    turns.schedule(b);
    expect(turns.flushes).toBe(0);
    await nextTurn();
    expect(turns.flushes).toBe(2);
    clock.advance(10);
    turns.schedule(a); // paced: counted when the tick flushes it
    await nextTurn();
    expect(turns.flushes).toBe(2);
    clock.advance(40);
    expect(turns.flushes).toBe(3);
  });

  it("holds a connection flushed less than pacingMs ago until the tick, then flushes it once", async () => {
    const { clock, turns, conn } = setup(50);
    const a = conn();
    turns.schedule(a);
    await nextTurn();
    clock.advance(10);
    turns.schedule(a);
    turns.schedule(a);
    await nextTurn();
    expect(a.flushes).toEqual([0]); // held: flushed 10 ms ago
    clock.advance(39);
    expect(a.flushes).toEqual([0]);
    clock.advance(1);
    expect(a.flushes).toEqual([0, 50]); // pacingMs after the last flush, not after the schedule
  });

  it("does not hold a connection that has been quiet for pacingMs", async () => {
    const { clock, turns, conn } = setup(50);
    const a = conn();
    turns.schedule(a);
    await nextTurn();
    clock.advance(50);
    turns.schedule(a);
    await nextTurn();
    expect(a.flushes).toEqual([0, 50]);
  });

  it("never holds an answer: a connection with input since its last flush goes at the end of the turn", async () => {
    const { clock, turns, conn } = setup(50);
    const a = conn();
    turns.schedule(a);
    await nextTurn();
    clock.advance(5);
    a.answerDue = true;
    turns.schedule(a);
    await nextTurn();
    expect(a.flushes).toEqual([0, 5]);
    expect(a.answerDue).toBe(false); // cleared by the flush
  });

  it("moves a held connection to this turn when an answer becomes due, and the tick skips it", async () => {
    const { clock, turns, conn } = setup(50);
    const a = conn();
    turns.schedule(a);
    await nextTurn();
    clock.advance(10);
    turns.schedule(a); // held for the tick at 50
    a.answerDue = true;
    turns.schedule(a); // the answer: now
    await nextTurn();
    expect(a.flushes).toEqual([0, 10]);
    clock.advance(40);
    expect(a.flushes).toEqual([0, 10]);
  });

  it("flushes every held connection at one tick, at the earliest deadline among them", async () => {
    const { clock, turns, conn } = setup(50);
    const a = conn();
    const b = conn();
    turns.schedule(a);
    await nextTurn();
    clock.advance(20);
    turns.schedule(b);
    await nextTurn();
    clock.advance(10); // a flushed at 0, b at 20; now 30
    turns.schedule(b); // due at 70
    turns.schedule(a); // due at 50: the tick moves earlier
    await nextTurn();
    expect(a.flushes).toEqual([0]);
    clock.advance(20);
    expect(a.flushes).toEqual([0, 50]);
    expect(b.flushes).toEqual([20, 50]); // early, on the shared cadence
    expect(clock.pendingCount).toBe(0); // one timer, gone once it ran
  });

  it("flushes a big tick in slices of TICK_SLICE, letting the loop go round between them", async () => {
    const { clock, turns, conn } = setup(50);
    const many = Array.from({ length: 2 * TICK_SLICE + TICK_SLICE / 2 }, () => conn());
    for (const c of many) turns.schedule(c);
    turns.flushNow(); // everyone flushed once at 0, so the next lines are paced
    clock.advance(10);
    for (const c of many) turns.schedule(c);
    const flushed = (): number => many.filter((c) => c.flushes.length === 2).length;
    clock.advance(40); // the tick
    expect(flushed()).toBe(TICK_SLICE);
    // An answer owed meanwhile waits one slice at most, not the whole tick.
    const talker = conn();
    talker.answerDue = true;
    turns.schedule(talker);
    await nextTurn();
    expect(talker.flushes).toEqual([50]);
    expect(flushed()).toBe(2 * TICK_SLICE);
    await nextTurn();
    expect(flushed()).toBe(many.length);
  });

  it("writes a broadcast to many quiet readers a slice per turn, but every answer at once", async () => {
    const { turns, conn } = setup(50);
    const quiet = Array.from({ length: 2 * TICK_SLICE + TICK_SLICE / 2 }, () => conn());
    const talker = conn();
    for (const c of quiet) turns.schedule(c);
    talker.answerDue = true;
    turns.schedule(talker); // after the first slice's worth, but an answer
    const flushed = (): number => quiet.filter((c) => c.flushes.length === 1).length;
    await nextTurn();
    expect(talker.flushes).toEqual([0]);
    expect(flushed()).toBe(TICK_SLICE);
    await nextTurn();
    expect(flushed()).toBe(2 * TICK_SLICE);
    await nextTurn();
    expect(flushed()).toBe(quiet.length);
  });

  it("bursts from several turns (channel lines to thousands) queue behind each other: each reader flushed once, in order, a slice per turn", async () => {
    const { turns, conn } = setup(50);
    const order: Conn[] = [];
    const bursts = [0, 1, 2].map(() =>
      Array.from({ length: TICK_SLICE + TICK_SLICE / 2 }, () => {
        const c = conn();
        const flush = c.flush.bind(c);
        c.flush = () => {
          order.push(c);
          flush();
        };
        return c;
      }),
    );
    const all = bursts.flat();
    // Each turn's burst arrives while the earlier ones are still being written.
    for (const burst of bursts) {
      for (const c of burst) turns.schedule(c);
      await nextTurn();
    }
    for (let i = 0; i < 20 && order.length < all.length; i++) {
      const before = order.length;
      await nextTurn();
      expect(order.length - before, "one slice a turn").toBeLessThanOrEqual(TICK_SLICE);
    }
    expect(all.every((c) => c.flushes.length === 1)).toBe(true);
    // Each burst is written in the order its readers were scheduled.
    for (const burst of bursts) expect(order.filter((c) => burst.includes(c))).toEqual(burst);
  });

  it("with pacingMs 0 flushes every turn, as before pacing, and arms no timer", async () => {
    const { clock, turns, conn } = setup(0);
    const a = conn();
    for (let i = 0; i < 3; i++) {
      turns.schedule(a);
      await nextTurn();
      clock.advance(1);
    }
    expect(a.flushes).toEqual([0, 1, 2]);
    expect(clock.pendingCount).toBe(0);
  });

  it("flushNow flushes held connections too (shutdown) and cancels the tick", async () => {
    const { clock, turns, conn } = setup(50);
    const a = conn();
    turns.schedule(a);
    await nextTurn();
    clock.advance(1);
    turns.schedule(a);
    turns.flushNow();
    expect(a.flushes).toEqual([0, 1]);
    expect(clock.pendingCount).toBe(0);
  });

  it("flushNow finishes a tick that is being sliced, at once", async () => {
    const { clock, turns, conn } = setup(50);
    const many = Array.from({ length: TICK_SLICE + 10 }, () => conn());
    for (const c of many) turns.schedule(c);
    turns.flushNow();
    clock.advance(10);
    for (const c of many) turns.schedule(c);
    clock.advance(40);
    turns.flushNow();
    expect(many.every((c) => c.flushes.length === 2)).toBe(true);
    await nextTurn(); // the slice scheduled before finds nothing left
    expect(many.every((c) => c.flushes.length === 2)).toBe(true);
  });

  it("a flush that throws is reported and costs no one else their output", async () => {
    const { turns, errors, conn } = setup(50);
    const bad: Flushable = {
      lastFlushAt: NEVER_FLUSHED,
      answerDue: false,
      flush: () => {
        throw new Error("boom");
      },
    };
    const a = conn();
    turns.schedule(bad);
    turns.schedule(a);
    await nextTurn();
    expect(a.flushes).toEqual([0]);
    expect(errors).toHaveLength(1);
  });

  it("refuses a negative or non-finite pacing interval", () => {
    const clock = new FakeClock();
    expect(() => new TurnQueue({ pacingMs: -1, clock })).toThrow(RangeError);
    expect(() => new TurnQueue({ pacingMs: Number.NaN, clock })).toThrow(RangeError);
  });
});
