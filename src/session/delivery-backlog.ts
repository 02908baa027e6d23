/**
 * Big deliveries, reached a slice at a time (issue 11, target 5).
 *
 * Reaching a recipient costs about 1 µs when ten thousand are connected: each is a cold
 * session, endpoint, transport and queue. A channel line to 8,000 took 8.4 ms (p50; 12 ms at
 * worst) in one go, measured in mixed play, and nothing else ran meanwhile: a command that
 * arrived then waited for the whole audience, four times a second. So the hub reaches the first
 * {@link DELIVERY_SLICE} recipients at once and leaves the rest here, reached a slice per turn
 * of the event loop, after each round of I/O, like the writes that follow (src/reactor/turn-queue.ts).
 *
 * Order is kept per session: before anything more goes to a session that is still waiting here
 * (another message, out-of-band data, echo, a close), it is first given every message it is
 * owed, oldest first ({@link DeliveryBacklog.catchUp}), so nobody reads a later line before an
 * earlier one. Different sessions may get a big message a few milliseconds apart, as their
 * writes already went out in slices.
 *
 * Bounded: past {@link MAX_WAITING} recipients waiting in all, everything waiting is reached at
 * once. Then the loop is busy for as long as it was before this existed, and does not read
 * input meanwhile, so a server that cannot keep up slows its senders down (TCP's own
 * backpressure) instead of queueing without end.
 */
import type { SessionId } from "./messages.js";

/** Recipients reached at once, and per turn after that: about 1 ms of work at 10,000 connected. */
export const DELIVERY_SLICE = 1000;

/** Recipients waiting in all beyond which everything waiting is reached at once. */
export const MAX_WAITING = 50_000;

/** One big message's recipients not yet reached, and how to reach one. */
interface Waiting {
  readonly to: readonly SessionId[];
  /** The next index of {@link to} to look at. */
  next: number;
  /** The recipients at or after {@link next} not yet reached (one taken out by a catch-up is skipped). */
  readonly left: Set<SessionId>;
  readonly reach: (id: SessionId) => void;
}

/** The hub's queue of big deliveries not yet done, oldest first. */
export class DeliveryBacklog {
  readonly #jobs: Waiting[] = [];
  #waiting = 0;
  #slice: NodeJS.Immediate | undefined;
  readonly #report: (err: unknown) => void;
  readonly #runSlice = (): void => {
    this.#slice = undefined;
    this.#reachOldest(DELIVERY_SLICE);
    if (this.#jobs.length > 0) this.#slice = setImmediate(this.#runSlice);
  };

  /** `report` is told of a `reach` that threw (our bug): the rest are still reached. */
  constructor(report: (err: unknown) => void) {
    this.#report = report;
  }

  /** Recipients still waiting, in all. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * Reaches `to` with `reach`: the first {@link DELIVERY_SLICE} now, each after its catch-up, and
   * the rest a slice per turn. `reach` must not throw; if it does, the error is reported.
   */
  deliver(to: readonly SessionId[], reach: (id: SessionId) => void): void {
    const now = Math.min(to.length, DELIVERY_SLICE);
    for (let i = 0; i < now; i++) {
      const id = to[i]!;
      if (this.#jobs.length > 0) this.catchUp(id);
      this.#reach(reach, id);
    }
    if (now === to.length) return;
    const left = new Set<SessionId>();
    for (let i = now; i < to.length; i++) left.add(to[i]!);
    this.#jobs.push({ to, next: now, left, reach });
    this.#waiting += left.size;
    if (this.#waiting > MAX_WAITING) {
      this.drain();
      return;
    }
    this.#slice ??= setImmediate(this.#runSlice);
  }

  /** Gives `id` every message it still waits for, oldest first. Call before anything more goes to it. */
  catchUp(id: SessionId): void {
    for (const job of this.#jobs) {
      if (job.left.delete(id)) {
        this.#waiting--;
        this.#reach(job.reach, id);
      }
    }
  }

  /** Reaches everyone waiting, now (shutdown, or past {@link MAX_WAITING}). */
  drain(): void {
    while (this.#jobs.length > 0) this.#reachOldest(Infinity);
    if (this.#slice !== undefined) clearImmediate(this.#slice);
    this.#slice = undefined;
  }

  /** Up to `limit` recipients of the oldest message; it leaves the queue once all are reached. */
  #reachOldest(limit: number): void {
    const job = this.#jobs[0];
    if (job === undefined) return;
    for (let n = 0; n < limit && job.next < job.to.length; ) {
      const id = job.to[job.next++]!;
      // Already reached by a catch-up, or listed twice.
      if (!job.left.delete(id)) continue;
      this.#waiting--;
      this.#reach(job.reach, id);
      n++;
    }
    // A reach may deliver again (a reader cut off for overflow makes the world tell the room),
    // and that may have drained the queue already.
    if (job.next >= job.to.length && this.#jobs[0] === job) this.#jobs.shift();
  }

  #reach(reach: (id: SessionId) => void, id: SessionId): void {
    try {
      reach(id);
    } catch (err) {
      // Outside the world's call, in a turn of its own, a throw would end the process.
      this.#report(err);
    }
  }
}
