/**
 * The one bounded output queue (issue 8, "the doors share one plumbing"; hardening S1, S2):
 * coalesced to one flush per turn, bounded with what sits below it, at the limit and one past.
 */
import { describe, expect, it } from "vitest";
import { KEPT_ITEMS, OutputQueue } from "../../src/reactor/output-queue.js";
import { FakeClock } from "../../src/reactor/clock.js";
import { NEVER_FLUSHED, TurnQueue } from "../../src/reactor/turn-queue.js";

function setup(maxBytes: number) {
  const turns = new TurnQueue({ pacingMs: 0, clock: new FakeClock() });
  let below = 0;
  let belowReads = 0;
  const flushed: Uint8Array[][] = [];
  const owner = {
    lastFlushAt: NEVER_FLUSHED,
    answerDue: false,
    flush: () => {
      queue.drain((items, count) => flushed.push(items.slice(0, count)));
    },
  };
  const queue = new OutputQueue<Uint8Array>(owner, turns, { maxBytes, sizeOf: (b) => b.length, below: () => (belowReads++, below) });
  return { turns, queue, flushed, setBelow: (n: number) => (below = n), belowReads: () => belowReads };
}

describe("OutputQueue", () => {
  it("coalesces a turn's writes into one flush of the owner, oldest first", () => {
    const { turns, queue, flushed } = setup(100);
    expect(queue.push(Buffer.from("a"))).toBe(true);
    expect(queue.push(Buffer.from("bc"))).toBe(true);
    expect(queue.queuedBytes).toBe(3);
    turns.flushNow();
    expect(flushed.map((items) => Buffer.concat(items).toString())).toEqual(["abc"]);
    expect(queue.queuedBytes).toBe(0);
    expect(queue.drain(() => "called")).toBeUndefined();
    // The next turn's write schedules the owner again.
    queue.push(Buffer.from("d"));
    turns.flushNow();
    expect(flushed).toHaveLength(2);
  });

  it("accepts a backlog of exactly maxBytes, counting what is below, and refuses one byte past", () => {
    const { queue, setBelow } = setup(10);
    setBelow(6);
    expect(queue.push(new Uint8Array(4))).toBe(true);
    expect(queue.backlogBytes).toBe(10);
    expect(queue.push(new Uint8Array(1))).toBe(false);
    expect(queue.backlogBytes).toBe(11);
    queue.clear();
    expect(queue.backlogBytes).toBe(6);
  });

  it("stops asking what is below once it is empty, until the owner writes below again", () => {
    const { queue, setBelow, belowReads } = setup(100);
    setBelow(7);
    expect(queue.backlogBytes).toBe(7);
    expect(queue.backlogBytes).toBe(7);
    expect(belowReads()).toBe(2); // not empty: asked every time, so a draining reader is seen draining
    setBelow(0); // the kernel took it all
    expect(queue.backlogBytes).toBe(0);
    queue.push(Buffer.from("abc"));
    expect(queue.backlogBytes).toBe(3);
    expect(belowReads()).toBe(3); // empty: known without asking
    setBelow(50); // the owner's flush left bytes in the socket, and says so
    queue.wroteBelow();
    expect(belowReads()).toBe(4); // asked at the write, while the socket is warm
    expect(queue.backlogBytes).toBe(53);
    expect(belowReads()).toBe(5); // not empty: asked every time
    setBelow(0);
    queue.wroteBelow(); // a write the kernel took whole
    expect(queue.backlogBytes).toBe(3);
    expect(belowReads()).toBe(6);
  });

  it("counts what the owner wrote below in its cap after an empty reading (S1 is not loosened)", () => {
    const { queue, setBelow } = setup(10);
    expect(queue.backlogBytes).toBe(0);
    setBelow(8);
    queue.wroteBelow();
    expect(queue.push(new Uint8Array(2))).toBe(true);
    expect(queue.push(new Uint8Array(1))).toBe(false);
  });

  describe("one array for the connection's life (issue 11, target 5: what survived each young-generation collection)", () => {
    it("drain hands the same array each time, with only this turn's items before count, and empties it after", () => {
      const { queue } = setup(100);
      const seen: (readonly Uint8Array[])[] = [];
      queue.push(Buffer.from("a"));
      queue.push(Buffer.from("b"));
      expect(queue.drain((items, count, bytes) => (seen.push(items), [count, bytes]))).toEqual([2, 2]);
      queue.push(Buffer.from("c"));
      expect(queue.drain((items, count) => (seen.push(items), Buffer.from(items[0]!).toString() + count))).toBe("c1");
      expect(seen[1]).toBe(seen[0]);
      // Nothing sent stays referenced from the queue.
      expect(seen[0]!.filter((item) => item !== undefined)).toEqual([]);
    });

    it(`after a turn of more than ${KEPT_ITEMS} items the array is let go, and the next turn starts a small one`, () => {
      const { queue } = setup(10_000);
      for (let i = 0; i <= KEPT_ITEMS; i++) queue.push(Buffer.from("x"));
      const big = queue.drain((items) => items);
      queue.push(Buffer.from("y"));
      const next = queue.drain((items) => items);
      expect(next).not.toBe(big);
    });

    it("what is queued while a drain's use runs is kept for the next drain, and the use sees only its own items", () => {
      const { queue } = setup(100);
      queue.push(Buffer.from("first"));
      const inUse = queue.drain((items, count) => {
        queue.push(Buffer.from("during"));
        return items.slice(0, count).map((b) => Buffer.from(b).toString());
      });
      expect(inUse).toEqual(["first"]);
      expect(queue.queuedBytes).toBe(6);
      expect(queue.drain((items, count) => items.slice(0, count).map((b) => Buffer.from(b).toString()))).toEqual(["during"]);
    });

    it("clear drops what is queued and keeps no reference to it", () => {
      const { queue } = setup(100);
      queue.push(Buffer.from("gone"));
      const array = queue.drain((items) => items);
      queue.push(Buffer.from("again"));
      queue.clear();
      expect(queue.queuedBytes).toBe(0);
      expect(queue.drain(() => "called")).toBeUndefined();
      expect(array!.filter((item) => item !== undefined)).toEqual([]);
    });
  });
});
