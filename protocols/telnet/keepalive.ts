/**
 * Telnet keep-alive: `IAC NOP` after a stretch of output silence (hardening F9).
 *
 * A MUD client whose machine vanished (a laptop lid shut, a NAT that forgot the mapping) sends
 * no FIN, and a server that has nothing to say never finds out: the socket stays open for good.
 * TCP keepalive catches it eventually, but its probes are the kernel's (two hours by default
 * unless tuned) and some middleboxes drop them. A NOP is a real segment of data: it must be
 * acknowledged, so to a dead peer it is retransmitted until the kernel gives up and the socket
 * errors out, and the reactor reaps it like any other lost connection. Clients ignore NOP
 * (RFC 854: "No operation").
 *
 * Only silence is probed: every write through the transport {@link KeepAlives.watch} returns
 * counts as output, so a connection that is being talked to is never sent a NOP.
 *
 * One timer for the whole door, as the WebSocket door's pings (websocket-door.ts), not one per
 * connection: a Node timer, its Clock wrapper and closure cost ~400 B per idle telnet connection
 * (issue 11 target 3). It ticks {@link SWEEPS_PER_INTERVAL} times per interval and probes every
 * connection silent for a whole interval, so a silent connection is probed after between one
 * and 1¼ intervals of silence, then once per interval. It runs only while connections are watched.
 */
import type { Clock, DelayedCall } from "../../src/reactor/clock.js";
import type { Transport } from "../../src/reactor/interfaces.js";
import { TransportWrapper } from "../../src/reactor/transport-wrapper.js";

/** What a {@link KeepAlive} probes through: an interface its owner implements, not a closure per connection (issue 11 target 3). */
export interface KeepAliveProbe {
  /** Writes the probe (IAC NOP) through the watched transport. */
  keepAliveProbe(): void;
}

/**
 * Sweeps per interval: the lateness of a probe is at most a quarter interval (15 s of the default
 * 60), for a sweep over the door's connections every quarter interval (microseconds each).
 */
export const SWEEPS_PER_INTERVAL = 4;

/** The keep-alive of one door's telnet connections: one timer, probing each connection silent for `intervalMs`. */
export class KeepAlives {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #watched = new Set<KeepAlive>();
  #timer: DelayedCall | undefined;

  /** `intervalMs` must be positive. */
  constructor(clock: Clock, intervalMs: number) {
    if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) {
      throw new RangeError(`KeepAlives: intervalMs must be a positive number, got ${intervalMs}`);
    }
    this.#clock = clock;
    this.#intervalMs = intervalMs;
  }

  /**
   * Wraps `lower` so that every write counts as output, and watches it until
   * {@link KeepAlive.stop} or until it is found disconnected. `probe` writes the probe through
   * the returned transport; it is called only while `lower` is connected. Reading the clock per
   * write is one `performance.now()`, against the microseconds a socket write costs.
   */
  watch(lower: Transport, probe: KeepAliveProbe): KeepAlive {
    const watched = new KeepAlive(lower, probe, this);
    this.#watched.add(watched);
    this.#timer ??= this.#clock.callEvery(this.#intervalMs / SWEEPS_PER_INTERVAL, () => this.#sweep());
    return watched;
  }

  /** True while the timer runs: while some connection is watched. */
  get active(): boolean {
    return this.#timer?.active === true;
  }

  /** How many connections are watched. */
  get size(): number {
    return this.#watched.size;
  }

  /** For {@link KeepAlive}: the time now. */
  now(): number {
    return this.#clock.now();
  }

  /** For {@link KeepAlive.stop}: forgets `watched`; the timer stops with the last one. Idempotent. */
  forget(watched: KeepAlive): void {
    this.#watched.delete(watched);
    if (this.#watched.size === 0) {
      this.#timer?.cancel();
      this.#timer = undefined;
    }
  }

  /** Probes each connection silent for a whole interval; forgets those gone without a stop. */
  #sweep(): void {
    const now = this.#clock.now();
    // Deleting the entry being visited is safe in a Set's iteration; a probe may close its
    // connection (keepAliveProbe contains a failing write), which stops it.
    for (const watched of this.#watched) {
      if (!watched.connected) this.forget(watched);
      else if (now - watched.lastOutput >= this.#intervalMs) watched.probe();
    }
  }
}

/**
 * The transport {@link KeepAlives.watch} returns: `lower`, with every write counted as output.
 * A class, not an object literal of getters and closures, which went to dictionary mode and
 * cost ~1 KiB per telnet connection (issue 11 target 3).
 */
export class KeepAlive extends TransportWrapper {
  readonly #probe: KeepAliveProbe;
  readonly #keepAlives: KeepAlives;
  #lastOutput: number;

  /** Made by {@link KeepAlives.watch}. */
  constructor(lower: Transport, probe: KeepAliveProbe, keepAlives: KeepAlives) {
    super(lower);
    this.#probe = probe;
    this.#keepAlives = keepAlives;
    this.#lastOutput = keepAlives.now();
  }

  /** When output was last written (the Clock's time). */
  get lastOutput(): number {
    return this.#lastOutput;
  }

  /** For {@link KeepAlives}: sends the probe. */
  probe(): void {
    this.#probe.keepAliveProbe();
  }

  /** Stops watching for good. Idempotent. */
  stop(): void {
    this.#keepAlives.forget(this);
  }

  override write(data: Uint8Array | string): void {
    this.#lastOutput = this.#keepAlives.now();
    this.lower.write(data);
  }
}
