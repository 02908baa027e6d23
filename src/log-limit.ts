/**
 * A budget for log lines that a peer can cause (issue 5 item 8). A log line costs a write
 * and a hundred-odd bytes of disk; a five-byte malformed telnet subnegotiation used to cost
 * one each, so 1 MB of garbage became 41 MB of log and slowed everyone. Logging must never
 * cost more than the input that caused it: whatever a stranger can repeat is logged through a
 * LogLimit — the first few occurrences in full, the rest only counted, and the count reported
 * on the next line allowed (or in a summary when the connection closes).
 *
 * Fixed windows on the injected Clock: at most `perWindow` lines every `windowMs`.
 */
import type { Clock } from "./reactor/clock.js";

/** How many lines a {@link LogLimit} lets through, and how often. */
export interface LogLimitOptions {
  /** Lines allowed per window. Default 1. */
  readonly perWindow?: number;
  /**
   * Window length in ms. Default `Infinity`: `perWindow` lines in all, then only counting —
   * the policy for one connection ("log the first, count the rest, summarise at close").
   */
  readonly windowMs?: number;
}

/** Decides which occurrences of one repeatable event are logged, and counts the rest. */
export class LogLimit {
  readonly #clock: Clock;
  readonly #perWindow: number;
  readonly #windowMs: number;
  #windowStart: number;
  #inWindow = 0;
  #suppressed = 0;
  #total = 0;

  constructor(clock: Clock, options: LogLimitOptions = {}) {
    this.#clock = clock;
    this.#perWindow = Math.max(0, options.perWindow ?? 1);
    this.#windowMs = options.windowMs ?? Number.POSITIVE_INFINITY;
    this.#windowStart = clock.now();
  }

  /**
   * One occurrence. True when it may be logged; the caller should then include
   * {@link takeSuppressed} in the line, so the count of what was skipped is never lost.
   */
  allow(): boolean {
    this.#total++;
    const now = this.#clock.now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#inWindow = 0;
    }
    if (this.#inWindow < this.#perWindow) {
      this.#inWindow++;
      return true;
    }
    this.#suppressed++;
    return false;
  }

  /** Occurrences not logged since the last call; resets the count. */
  takeSuppressed(): number {
    const n = this.#suppressed;
    this.#suppressed = 0;
    return n;
  }

  /** Every occurrence seen, logged or not. */
  get total(): number {
    return this.#total;
  }
}
