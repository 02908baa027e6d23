/**
 * Big deliveries reached a slice at a time (issue 11, target 5): what is reached at once, what
 * waits for the next turns, and that no session ever reads a later message before an earlier
 * one, whether it is reached by a slice or caught up first.
 */
import { describe, expect, it } from "vitest";
import { DELIVERY_SLICE, DeliveryBacklog, MAX_WAITING } from "../../src/session/delivery-backlog.js";

/** Lets the backlog's next slice run: it was queued with setImmediate before this one. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function ids(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

/** A backlog and the log of who was reached with what, in order. */
function makeBacklog() {
  const reached: [message: string, id: number][] = [];
  const errors: unknown[] = [];
  const backlog = new DeliveryBacklog((err) => errors.push(err));
  const reach = (message: string) => (id: number) => {
    reached.push([message, id]);
  };
  /** What `id` read, in order. */
  const readBy = (id: number) => reached.filter(([, who]) => who === id).map(([m]) => m);
  return { backlog, reached, errors, reach, readBy };
}

describe("DeliveryBacklog", () => {
  it(`an audience of ${DELIVERY_SLICE} is reached at once, in order, and nothing waits`, () => {
    const { backlog, reached, reach } = makeBacklog();
    backlog.deliver(ids(1, DELIVERY_SLICE), reach("hello"));
    expect(reached.map(([, id]) => id)).toEqual(ids(1, DELIVERY_SLICE));
    expect(backlog.waiting).toBe(0);
  });

  it(`one more than ${DELIVERY_SLICE} leaves one waiting, reached at the next turn`, async () => {
    const { backlog, reached, reach } = makeBacklog();
    backlog.deliver(ids(1, DELIVERY_SLICE + 1), reach("hello"));
    expect(reached).toHaveLength(DELIVERY_SLICE);
    expect(backlog.waiting).toBe(1);
    await nextTurn();
    expect(reached.at(-1)).toEqual(["hello", DELIVERY_SLICE + 1]);
    expect(backlog.waiting).toBe(0);
  });

  it("2,500 recipients: 1,000 now, 1,000 at each of the next two turns, each once, in the audience's order", async () => {
    const { backlog, reached, reach } = makeBacklog();
    const to = ids(1, 2500);
    backlog.deliver(to, reach("news"));
    expect(reached).toHaveLength(1000);
    await nextTurn();
    expect(reached).toHaveLength(2000);
    await nextTurn();
    expect(reached.map(([, id]) => id)).toEqual(to);
    expect(backlog.waiting).toBe(0);
  });

  it("a session still waiting is caught up before anything more goes to it, and is not reached twice", async () => {
    const { backlog, reached, reach, readBy } = makeBacklog();
    backlog.deliver(ids(1, 2500), reach("news"));
    // The door (or the hub) is about to send 2400 something else: first it gets what it is owed.
    backlog.catchUp(2400);
    expect(readBy(2400)).toEqual(["news"]);
    expect(backlog.waiting).toBe(1499);
    backlog.catchUp(2400);
    backlog.catchUp(5); // reached already: nothing owed
    await nextTurn();
    await nextTurn();
    expect(readBy(2400)).toEqual(["news"]);
    expect(readBy(5)).toEqual(["news"]);
    expect(reached).toHaveLength(2500);
  });

  it("two big messages: everyone reads them in the order they were sent, by slice or by catch-up", async () => {
    const { backlog, reached, reach, readBy } = makeBacklog();
    backlog.deliver(ids(1, 3000), reach("first"));
    // The second audience starts where the first's waiting part is: its first slice catches them up.
    backlog.deliver([...ids(2001, 1000), ...ids(1, 1500)], reach("second"));
    expect(readBy(2001)).toEqual(["first", "second"]);
    expect(readBy(3000)).toEqual(["first", "second"]);
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(backlog.waiting).toBe(0);
    for (const id of [1, 1000, 1001, 1500, 2001, 3000]) expect(readBy(id), `session ${id}`).toEqual(["first", "second"]);
    for (const id of [1501, 2000]) expect(readBy(id), `session ${id}`).toEqual(["first"]);
    expect(reached).toHaveLength(3000 + 2500);
  });

  it("drain reaches everyone waiting now, and no slice runs after it", async () => {
    const { backlog, reached, reach } = makeBacklog();
    backlog.deliver(ids(1, 2500), reach("a"));
    backlog.deliver(ids(1, 1500), reach("b"));
    backlog.drain();
    expect(reached).toHaveLength(4000);
    expect(backlog.waiting).toBe(0);
    await nextTurn();
    await nextTurn();
    expect(reached).toHaveLength(4000);
  });

  it(`past ${MAX_WAITING} recipients waiting in all, everything waiting is reached at once (the loop's own backpressure)`, () => {
    const { backlog, reached, reach } = makeBacklog();
    const audience = ids(1, 10_001);
    const waitingEach = audience.length - DELIVERY_SLICE;
    const fits = Math.floor(MAX_WAITING / waitingEach);
    for (let i = 0; i < fits; i++) backlog.deliver(audience, reach(`line ${i}`));
    expect(backlog.waiting).toBe(fits * waitingEach);
    backlog.deliver(audience, reach("one too many"));
    expect(backlog.waiting).toBe(0);
    expect(reached).toHaveLength((fits + 1) * audience.length);
  });

  it("a reach that throws is reported, and everyone else is still reached", async () => {
    const { backlog, reached, errors } = makeBacklog();
    backlog.deliver(ids(1, 1500), (id) => {
      if (id === 7 || id === 1200) throw new Error(`bad ${id}`);
      reached.push(["x", id]);
    });
    await nextTurn();
    expect(reached).toHaveLength(1498);
    expect(errors.map((e) => (e as Error).message)).toEqual(["bad 7", "bad 1200"]);
  });

  it("a session listed twice in the waiting part is reached once", async () => {
    const { backlog, reach, readBy } = makeBacklog();
    backlog.deliver([...ids(1, 1000), 1500, 1500], reach("news"));
    await nextTurn();
    expect(readBy(1500)).toEqual(["news"]);
  });

  it("a reach that delivers again and drains (a reader cut off, the room told) loses nobody and reaches nobody twice", async () => {
    const { backlog, reached, reach, readBy } = makeBacklog();
    let fired = false;
    backlog.deliver(ids(1, 2500), (id) => {
      reached.push(["news", id]);
      if (id === 1100 && !fired) {
        fired = true;
        backlog.deliver(ids(1, 1200), reach("gone"));
        backlog.drain();
      }
    });
    await nextTurn();
    await nextTurn();
    await nextTurn();
    expect(backlog.waiting).toBe(0);
    for (const id of [1, 1100, 1101, 1200]) expect(readBy(id), `session ${id}`).toEqual(["news", "gone"]);
    expect(readBy(2500)).toEqual(["news"]);
    expect(reached).toHaveLength(2500 + 1200);
  });
});
