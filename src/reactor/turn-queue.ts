/**
 * Coalesces output: one flush per connection per reactor turn, and, for a connection that is
 * being written to all the time, one flush per pacing interval (issue 11).
 *
 * Every connection that queues output registers itself here; at the end of the turn (one
 * `setImmediate`, which runs after the poll phase has handed out all the I/O of this turn) each
 * registered connection flushes once. Measured on this kind of machine (brief, "Performance
 * principles"): a write per message costs about 7 µs of kernel time, coalesced about 1 µs per
 * delivery — this is where Twisted's 3× broadcast throughput over a naive Node server came from.
 *
 * Once per turn is not enough under fan-out: a room of 5,000 hearing 100 lines a second gets
 * one line per turn, so every delivery is still a write (≈ 6 µs on loopback, most of it the
 * kernel's TCP work). **Output pacing** is a Nagle at the level of messages, with its known
 * fault removed: a connection flushed less than `pacingMs` ago is not flushed at the end of
 * this turn but at the next pacing tick, so a busy listener gets a few lines per write; a
 * connection that has been quiet is flushed at the end of the turn as before, so an isolated
 * message costs no latency; and output answering the connection's own input (its command's
 * reply, its echo) is never paced, so a player's round trip does not wait for the room's
 * chatter. A paced message waits at most `pacingMs` (plus the tick's own slices, below).
 *
 * All paced connections share one tick, so a tick may hold thousands of writes (≈ 5 µs each),
 * and so may the end of a turn in which a channel line or an announcement reached thousands of
 * quiet readers: past {@link TICK_SLICE} such writes the rest go in slices of that size,
 * yielding to the event loop between slices, so a command that arrives meanwhile is read and
 * answered between two slices rather than after the whole burst. Answers are never sliced.
 */
import type { Clock, DelayedCall } from "./clock.js";

/**
 * Connections flushed per slice of a burst (a tick, or a broadcast to quiet readers) before the
 * loop is let go round once, so a burst of 10,000 readers delays a command by one slice, not by
 * the whole burst. A write of a line or two costs about 6.6 µs on loopback (most of it the
 * kernel's; a profile of mixed play with the profiler off the loop's core), so 250 is about
 * 1.7 ms. At 1,000 a slice (6.6 ms) mixed play at 5,000 players had round trips p95 16.4 ms and
 * p99 23.7 ms; at 250, 4.9 and 11.8 ms (issue 11, target 5; docs/benchmarks.md).
 */
export const TICK_SLICE = 250;

/**
 * The {@link Flushable.lastFlushAt} of a connection never flushed: long enough ago for any
 * pacing. A small integer, as the flush times are whole milliseconds, so V8 keeps the field
 * unboxed (a double would be a 16-byte heap number on every connection; issue 11, target 3).
 */
export const NEVER_FLUSHED = -1_000_000_000;

/** Something that has output queued and wants one chance per turn to hand it to the kernel. */
export interface Flushable {
  flush(): void;
  /**
   * When the turn queue last flushed this, on its pacing clock (ms). Kept by the turn queue, on
   * the connection itself rather than in a Map, since it is read for every message a busy
   * connection receives. Start it at {@link NEVER_FLUSHED}.
   */
  lastFlushAt: number;
  /**
   * True when the peer has sent input since the last flush: what is queued now answers it, and
   * goes out at the end of this turn whatever the pacing. Set by the connection on input,
   * cleared by the turn queue when it flushes.
   */
  answerDue: boolean;
}

/** Options of a {@link TurnQueue}. No defaults here: they come from the config (issue 10). */
export interface TurnQueueOptions {
  /** `limits.outputPacingMs`: the shortest time between two flushes of a busy connection; 0 turns pacing off. */
  readonly pacingMs: number;
  /**
   * The clock of the pacing tick. The reactor passes a real clock even when the world runs on a
   * fake one: pacing is how bytes meet the socket, not game time, and a test that holds the
   * game clock still must not hold the sockets still.
   */
  readonly clock: Clock;
  /** Told of a flush that threw (our bug, not the peer's); the reactor logs it. */
  readonly report?: (err: unknown) => void;
}

/** The per-reactor set of connections waiting for the end of the turn, or for the pacing tick. */
export class TurnQueue {
  #dirty = new Set<Flushable>();
  #scheduled = false;
  /** Connections flushed recently that wait for the pacing tick. */
  #paced = new Set<Flushable>();
  #tick: DelayedCall | undefined;
  /** When the armed tick falls due (the earliest paced connection's deadline). */
  #tickDue = Infinity;
  /**
   * The rest of the bursts being flushed slice by slice, oldest first, and the next slice if one
   * is scheduled. A queue, not one iterator chaining the previous one to the next burst: bursts
   * that arrive while earlier ones are still being written (several channel lines to thousands
   * within one tick) would nest a generator each, and cost every connection of the last burst a
   * step per burst before it.
   */
  #tickRest: Iterator<Flushable>[] = [];
  #nextSlice: NodeJS.Immediate | undefined;
  readonly #runFlush = (): void => this.#flushTurn();
  readonly #runTick = (): void => this.#startTick();
  readonly #runSlice = (): void => {
    this.#nextSlice = undefined;
    this.#flushSlice();
  };
  readonly #pacingMs: number;
  readonly #clock: Clock;
  readonly #report: ((err: unknown) => void) | undefined;
  #flushes = 0;

  constructor(options: TurnQueueOptions) {
    if (!Number.isFinite(options.pacingMs) || options.pacingMs < 0) {
      throw new RangeError(`TurnQueue: pacingMs must be a non-negative number, got ${options.pacingMs}`);
    }
    this.#pacingMs = options.pacingMs;
    this.#clock = options.clock;
    this.#report = options.report;
  }

  /**
   * Asks for one `flush()`: at the end of this turn, or, for a connection flushed less than the
   * pacing interval ago that owes no answer, at the pacing tick. Idempotent until it runs.
   */
  schedule(target: Flushable): void {
    if (this.#pacingMs > 0 && !target.answerDue && !this.#dirty.has(target)) {
      const due = target.lastFlushAt + this.#pacingMs;
      if (due > this.#clock.now()) {
        this.#paced.add(target);
        if (due < this.#tickDue) this.#armTick(due);
        return;
      }
    }
    // An answer owed by a connection already waiting for the tick goes now; the tick skips it.
    this.#dirty.add(target);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#runFlush);
    }
  }

  /**
   * Connections flushed since the queue was made: each flush is one socket write, or a few
   * after an MCCP2 switch (`loom_output_flushes_total`). Against the messages queued it says how
   * much pacing is batching, and writes are most of the loop's time under load (issue 11).
   */
  get flushes(): number {
    return this.#flushes;
  }

  /** Flushes everything queued now, paced or not, at once (used at shutdown). A throwing flush does not stop the others. */
  flushNow(): void {
    this.#flushTurn();
    this.#startTick();
    this.#flushSlice(Infinity);
  }

  /**
   * The end of the turn: answers are written at once, whatever their number; the others (the
   * first lines to quiet readers: a channel line or an announcement reaching thousands) at most
   * a slice now and the rest in slices after it, like a tick, so a broadcast to 10,000 does not
   * hold a command that arrives meanwhile for 50 ms.
   */
  #flushTurn(): void {
    this.#scheduled = false;
    const dirty = this.#dirty;
    this.#dirty = new Set();
    const now = this.#flushTime();
    let written = 0;
    let rest: Flushable[] | undefined;
    for (const target of dirty) {
      this.#paced.delete(target);
      if (target.answerDue || written < TICK_SLICE) {
        this.#flushOne(target, now);
        written++;
      } else {
        (rest ??= []).push(target);
      }
    }
    if (rest !== undefined) this.#queueSlices(rest.values());
  }

  /** Adds `targets` to the sliced queue, after anything already in it, and makes sure a slice is coming. */
  #queueSlices(targets: Iterator<Flushable>): void {
    this.#tickRest.push(targets);
    this.#nextSlice ??= setImmediate(this.#runSlice);
  }

  /** The tick: everyone paced so far is flushed, in slices; who is paced from now on waits for the next tick. */
  #startTick(): void {
    this.#tick?.cancel();
    this.#tick = undefined;
    this.#tickDue = Infinity;
    const paced = this.#paced;
    if (paced.size === 0) return;
    this.#paced = new Set();
    // A tick that starts while earlier slices are still being written (they took longer than
    // pacingMs) queues behind them: nobody is flushed twice in a row, nobody skipped.
    if (this.#tickRest.length === 0) {
      this.#tickRest.push(paced.values());
      this.#flushSlice();
    } else {
      this.#queueSlices(paced.values());
    }
  }

  /** Flushes the next `limit` of the tick; if any remain, the next slice runs after the loop's next round of I/O. */
  #flushSlice(limit: number = TICK_SLICE): void {
    const rest = this.#tickRest;
    if (rest.length === 0) return;
    const now = this.#flushTime();
    for (let n = 0; n < limit; ) {
      const burst = rest[0];
      if (burst === undefined) {
        // Written out early (flushNow): the slice that was coming has nothing left to do.
        if (this.#nextSlice !== undefined) clearImmediate(this.#nextSlice);
        this.#nextSlice = undefined;
        return;
      }
      const next = burst.next();
      if (next.done === true) {
        rest.shift();
        continue;
      }
      this.#flushOne(next.value, now);
      n++;
    }
    this.#nextSlice ??= setImmediate(this.#runSlice);
  }

  /** The time a flush records: whole milliseconds (see NEVER_FLUSHED); without pacing nobody reads it, so the clock is not asked. */
  #flushTime(): number {
    return this.#pacingMs > 0 ? Math.floor(this.#clock.now()) : 0;
  }

  #flushOne(target: Flushable, now: number): void {
    this.#flushes++;
    target.lastFlushAt = now;
    target.answerDue = false;
    try {
      target.flush();
    } catch (err) {
      // A flush that throws is the connection's own failure; it must not cost the others
      // their output. It is still our bug, so it is reported (issue 10: no silent catch).
      this.#report?.(err);
    }
  }

  /**
   * One tick for every paced connection, at the earliest deadline among them: everyone waiting
   * is flushed together then (a little early for some), which keeps busy connections on one
   * shared cadence and one timer.
   */
  #armTick(due: number): void {
    this.#tick?.cancel();
    this.#tickDue = due;
    this.#tick = this.#clock.callLater(Math.max(0, due - this.#clock.now()), this.#runTick);
  }
}
