/**
 * How late the event loop runs, for /metrics. Everything in Loom happens on one thread, so
 * the loop's delay is the delay every player feels: it is the first figure to look at when a
 * flood or a slow command is suspected (issue 5's attack soak reads it).
 *
 * Node's own histogram (`perf_hooks.monitorEventLoopDelay`) samples the loop from libuv at a
 * fixed resolution at almost no cost. Its figures are kept per window: each `windowMs` the
 * window's quantiles are kept and the histogram starts afresh, so /metrics shows the recent
 * past, not an average since boot that a bad minute could never move.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from "node:perf_hooks";
import type { Clock, DelayedCall } from "./reactor/clock.js";

/** The loop's delay over one window, in seconds. */
export interface LoopDelay {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Sampling resolution in ms: the smallest delay the histogram tells apart. */
const RESOLUTION_MS = 10;
/** Default window length in ms. */
const DEFAULT_WINDOW_MS = 10_000;
const NS_PER_S = 1e9;

/** Watches the event loop's delay in windows on the injected Clock. */
export class EventLoopDelayMonitor {
  readonly #histogram: IntervalHistogram;
  readonly #timer: DelayedCall;
  #last: LoopDelay = { p50: 0, p99: 0, max: 0 };

  constructor(clock: Clock, windowMs = DEFAULT_WINDOW_MS) {
    this.#histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    this.#histogram.enable();
    this.#timer = clock.callEvery(windowMs, () => {
      this.#last = this.#read();
      this.#histogram.reset();
    });
  }

  /**
   * The worse of the last complete window and the one in progress, so a stall shows at once
   * and stays visible for a whole window after it.
   */
  get delay(): LoopDelay {
    const now = this.#read();
    const last = this.#last;
    return { p50: Math.max(now.p50, last.p50), p99: Math.max(now.p99, last.p99), max: Math.max(now.max, last.max) };
  }

  /**
   * Seconds the loop has spent busy (running callbacks, not waiting in epoll) since the process
   * started: `performance.eventLoopUtilization().active`. A counter, so a reader takes two
   * readings and divides by the wall time between them for the utilisation over any window
   * (issue 11, target 5: the mixed-play bench reports it); libuv keeps it at no cost.
   */
  get busySeconds(): number {
    return performance.eventLoopUtilization().active / 1000;
  }

  /** Stops sampling. Idempotent. */
  stop(): void {
    this.#timer.cancel();
    this.#histogram.disable();
  }

  #read(): LoopDelay {
    const h = this.#histogram;
    // An empty histogram reports its minimum as a huge number and NaN means; report 0 instead.
    if (h.count === 0) return { p50: 0, p99: 0, max: 0 };
    // The histogram measures the whole sampling interval; the delay is what exceeds it.
    const late = (ns: number): number => Math.max(0, ns / NS_PER_S - RESOLUTION_MS / 1000);
    return { p50: late(h.percentile(50)), p99: late(h.percentile(99)), max: late(h.max) };
  }
}
