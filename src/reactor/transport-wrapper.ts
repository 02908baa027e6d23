/**
 * A Transport that stands over another and passes everything down unchanged but what a subclass
 * overrides (usually `write`). The telnet layer stacks two such wrappers over its TCP transport
 * (IAC escaping, hardening T5; the keep-alive's output clock, F9): each says only what it adds.
 */
import type { DisconnectReason, PeerAddress, Transport } from "./interfaces.js";

/** Passes every member of {@link Transport} to `lower`. */
export abstract class TransportWrapper implements Transport {
  protected readonly lower: Transport;

  constructor(lower: Transport) {
    this.lower = lower;
  }

  /** The remote end, as the lower transport knows it. */
  get peer(): PeerAddress {
    return this.lower.peer;
  }

  write(data: Uint8Array | string): void {
    this.lower.write(data);
  }

  /** Closes the underlying connection; idempotent as the lower transport is. */
  loseConnection(reason: DisconnectReason): void {
    this.lower.loseConnection(reason);
  }

  /** Bytes queued below: the slow-reader cap applies to all of it. */
  get bufferedBytes(): number {
    return this.lower.bufferedBytes;
  }

  /** Whether the underlying connection is still up. */
  get connected(): boolean {
    return this.lower.connected;
  }

  /** Stops reading below (issue 5 item 3). */
  pauseProducing(): void {
    this.lower.pauseProducing();
  }

  /** Reads below again. */
  resumeProducing(): void {
    this.lower.resumeProducing();
  }
}
