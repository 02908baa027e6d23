/**
 * Time, injected. Every timer in Loom goes through a Clock so tests can drive time with a
 * FakeClock instead of sleeping (Twisted's `task.Clock` is the model).
 */

/** A pending call made by {@link Clock.callLater} or {@link Clock.callEvery}. */
export interface DelayedCall {
  /** Stops the call from running. Idempotent: cancelling twice, or after it ran, is a no-op. */
  cancel(): void;
  /** True until the call has run (one-shot) or been cancelled. */
  readonly active: boolean;
}

/** A source of time and timers. */
export interface Clock {
  /** Milliseconds since an arbitrary epoch; monotonic. */
  now(): number;
  /** Runs `fn` once after `delayMs`. Calls due at the same time run in scheduling order. */
  callLater(delayMs: number, fn: () => void): DelayedCall;
  /** Runs `fn` every `intervalMs` until cancelled. */
  callEvery(intervalMs: number, fn: () => void): DelayedCall;
}

/** The real clock: `performance.now()` and unref'd Node timers (a timer never keeps the process alive). */
export class RealClock implements Clock {
  now(): number {
    return performance.now();
  }

  callLater(delayMs: number, fn: () => void): DelayedCall {
    return new RealDelayedCall(delayMs, fn);
  }

  callEvery(intervalMs: number, fn: () => void): DelayedCall {
    let active = true;
    const handle = setInterval(fn, intervalMs);
    handle.unref();
    return {
      cancel: () => {
        active = false;
        clearInterval(handle);
      },
      get active() {
        return active;
      },
    };
  }
}

/**
 * A one-shot timer of the real clock. A class, not an object literal with a getter and two
 * closures: that literal went to dictionary mode and cost ~500 B, and every idle connection
 * holds one or two of these (keep-alive, idle timeout; issue 11 target 3).
 */
class RealDelayedCall implements DelayedCall {
  #active = true;
  readonly #fn: () => void;
  readonly #handle: NodeJS.Timeout;

  constructor(delayMs: number, fn: () => void) {
    this.#fn = fn;
    this.#handle = setTimeout(RealDelayedCall.#fire, delayMs, this);
    this.#handle.unref();
  }

  get active(): boolean {
    return this.#active;
  }

  cancel(): void {
    this.#active = false;
    clearTimeout(this.#handle);
  }

  /** Shared by every timer: the call itself comes as the timer's argument, so no closure is made per timer. */
  static #fire(call: RealDelayedCall): void {
    call.#active = false;
    call.#fn();
  }
}

interface Scheduled {
  due: number;
  seq: number;
  interval: number | undefined;
  fn: () => void;
  active: boolean;
}

/** A clock that only moves when told to. For tests: `clock.advance(60_000)` instead of sleeping. */
export class FakeClock implements Clock {
  #now = 0;
  #seq = 0;
  #pending: Scheduled[] = [];

  now(): number {
    return this.#now;
  }

  callLater(delayMs: number, fn: () => void): DelayedCall {
    return this.#schedule(delayMs, undefined, fn);
  }

  callEvery(intervalMs: number, fn: () => void): DelayedCall {
    return this.#schedule(intervalMs, Math.max(1, intervalMs), fn);
  }

  /** Number of calls still pending; lets a test assert that nothing leaked. */
  get pendingCount(): number {
    return this.#pending.filter((s) => s.active).length;
  }

  /** Moves time forward by `ms`, running every call that falls due, in order of due time. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      this.#pending = this.#pending.filter((s) => s.active);
      let next: Scheduled | undefined;
      for (const s of this.#pending) {
        if (s.due <= target && (next === undefined || s.due < next.due || (s.due === next.due && s.seq < next.seq))) {
          next = s;
        }
      }
      if (next === undefined) break;
      this.#now = next.due;
      if (next.interval === undefined) {
        next.active = false;
      } else {
        next.due += next.interval;
        next.seq = this.#seq++;
      }
      next.fn();
    }
    this.#now = target;
  }

  #schedule(delayMs: number, interval: number | undefined, fn: () => void): DelayedCall {
    const entry: Scheduled = { due: this.#now + Math.max(0, delayMs), seq: this.#seq++, interval, fn, active: true };
    this.#pending.push(entry);
    return {
      cancel: () => {
        entry.active = false;
      },
      get active() {
        return entry.active;
      },
    };
  }
}
