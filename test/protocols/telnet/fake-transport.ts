/**
 * An in-memory Transport that records what is written, like Twisted's StringTransport. It is a
 * real implementation of the interface (idempotent close, writes dropped once closed), so
 * protocols tested on it meet the same contract they meet on TCP.
 */
import type { DisconnectReason, PeerAddress, Protocol, Transport } from "../../../src/reactor/interfaces.js";

/** Records writes; optionally drives a protocol's `connectionLost` like the reactor would. */
export class FakeTransport implements Transport {
  readonly peer: PeerAddress;
  /** Every accepted write, strings UTF-8 encoded, in order. */
  readonly writes: Uint8Array[] = [];
  /** The first reason given to `loseConnection`, once called. */
  lostReason: DisconnectReason | undefined;
  #protocol: Protocol | undefined;
  #connected = true;
  readonly #encoder = new TextEncoder();

  constructor(peer: PeerAddress = { address: "127.0.0.1", port: 4000 }) {
    this.peer = peer;
  }

  /** Calls `protocol.connectionMade(this)`; `loseConnection` will then call its `connectionLost` once. */
  connect(protocol: Protocol): void {
    this.#protocol = protocol;
    protocol.connectionMade(this);
  }

  write(data: Uint8Array | string): void {
    if (!this.#connected) return;
    // Copy: a real transport owns its queue, so later changes to the caller's buffer must not show.
    this.writes.push(typeof data === "string" ? this.#encoder.encode(data) : data.slice());
  }

  loseConnection(reason: DisconnectReason): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.lostReason = reason;
    this.#protocol?.connectionLost(reason);
  }

  /** Everything is "flushed" at once, so nothing is ever pending. */
  get bufferedBytes(): number {
    return 0;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** True between `pauseProducing` and `resumeProducing`. */
  paused = false;
  /** How many times reading was paused. */
  pauses = 0;

  pauseProducing(): void {
    if (!this.paused) this.pauses += 1;
    this.paused = true;
  }

  resumeProducing(): void {
    this.paused = false;
  }

  /** All writes so far, concatenated. */
  value(): Uint8Array {
    const out = new Uint8Array(this.writes.reduce((sum, chunk) => sum + chunk.length, 0));
    let at = 0;
    for (const chunk of this.writes) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  /** Forgets what was written so far. */
  clear(): void {
    this.writes.length = 0;
  }
}
