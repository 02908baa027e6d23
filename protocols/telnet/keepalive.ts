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
 * Only silence is probed: every write through the transport {@link KeepAlive.watch} returns
 * counts as output, so a connection that is being talked to is never sent a NOP. One timer per
 * connection at most, on the injected Clock, and none after {@link KeepAlive.stop}.
 */
import type { Clock, DelayedCall } from "../../src/reactor/clock.js";
import type { DisconnectReason, PeerAddress, Transport } from "../../src/reactor/interfaces.js";

/** Sends a probe after `intervalMs` without output, and again after each further `intervalMs`. */
export class KeepAlive {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #probe: () => void;
  #lastOutput: number;
  #timer: DelayedCall | undefined;
  #watched: Transport | undefined;
  #stopped = false;

  /**
   * `probe` writes the probe (IAC NOP) through the watched transport; it runs only while that
   * transport is connected. `intervalMs` must be positive.
   */
  constructor(clock: Clock, intervalMs: number, probe: () => void) {
    if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) {
      throw new RangeError(`KeepAlive: intervalMs must be a positive number, got ${intervalMs}`);
    }
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#probe = probe;
    this.#lastOutput = clock.now();
  }

  /**
   * Wraps `lower` so that every write counts as output, and starts the timer. Reading the clock
   * per write is one `performance.now()`, against the microseconds a socket write costs.
   */
  watch(lower: Transport): Transport {
    this.#watched = lower;
    this.#lastOutput = this.#clock.now();
    this.#schedule(this.#intervalMs);
    return new WatchedTransport(lower, this);
  }

  /** For the transport {@link watch} returns: something was written. */
  outputSent(): void {
    this.#lastOutput = this.#clock.now();
  }

  /** True while a probe is scheduled. */
  get active(): boolean {
    return this.#timer?.active === true;
  }

  /** Cancels the timer for good. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    this.#timer?.cancel();
    if (this.#stopped) return;
    this.#timer = this.#clock.callLater(delayMs, () => this.#tick());
  }

  /** Due: probe if the whole interval was silent, else wait out the rest of it. */
  #tick(): void {
    this.#timer = undefined;
    if (this.#stopped || this.#watched?.connected !== true) return;
    const silentFor = this.#clock.now() - this.#lastOutput;
    if (silentFor >= this.#intervalMs) {
      this.#probe();
      this.#schedule(this.#intervalMs);
    } else {
      this.#schedule(this.#intervalMs - silentFor);
    }
  }
}

/**
 * The transport {@link KeepAlive.watch} returns: `lower`, with every write counted as output.
 * A class, not an object literal of getters and closures, which went to dictionary mode and
 * cost ~1 KiB per telnet connection (issue 11 target 3).
 */
class WatchedTransport implements Transport {
  readonly #lower: Transport;
  readonly #keepAlive: KeepAlive;

  constructor(lower: Transport, keepAlive: KeepAlive) {
    this.#lower = lower;
    this.#keepAlive = keepAlive;
  }

  get peer(): PeerAddress {
    return this.#lower.peer;
  }

  write(data: Uint8Array | string): void {
    this.#keepAlive.outputSent();
    this.#lower.write(data);
  }

  loseConnection(reason: DisconnectReason): void {
    this.#lower.loseConnection(reason);
  }

  get bufferedBytes(): number {
    return this.#lower.bufferedBytes;
  }

  get connected(): boolean {
    return this.#lower.connected;
  }

  pauseProducing(): void {
    this.#lower.pauseProducing();
  }

  resumeProducing(): void {
    this.#lower.resumeProducing();
  }
}
