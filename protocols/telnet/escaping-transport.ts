/**
 * The Transport a TelnetProtocol presents to the protocol above it. Everything the upper
 * protocol writes is data, so every 0xFF in it is doubled on the way down (RFC 854; hardening
 * T5): a player's text can never turn into a telnet command on another player's connection.
 */
import type { DisconnectReason, PeerAddress, Transport } from "../../src/reactor/interfaces.js";
import { escapeIac } from "./encoder.js";

/** Wraps the connection's real Transport, escaping IAC in data written through it. */
export class EscapingTransport implements Transport {
  readonly #lower: Transport;

  /** `lower` is the TCP transport under the telnet layer. */
  constructor(lower: Transport) {
    this.#lower = lower;
  }

  /** The remote end, as the lower transport knows it. */
  get peer(): PeerAddress {
    return this.#lower.peer;
  }

  /**
   * Queues data with 0xFF doubled. Strings pass down unchanged: UTF-8 never contains the byte
   * 0xFF, so they need no escaping and the lower transport encodes them as usual.
   */
  write(data: Uint8Array | string): void {
    this.#lower.write(typeof data === "string" ? data : escapeIac(data));
  }

  /** Closes the underlying connection; idempotent as the lower transport is. */
  loseConnection(reason: DisconnectReason): void {
    this.#lower.loseConnection(reason);
  }

  /** Bytes queued below, negotiation included: the slow-reader cap applies to all of it. */
  get bufferedBytes(): number {
    return this.#lower.bufferedBytes;
  }

  /** Whether the underlying connection is still up. */
  get connected(): boolean {
    return this.#lower.connected;
  }

  /** Stops reading below: negotiation waits with the data, in order (issue 5 item 3). */
  pauseProducing(): void {
    this.#lower.pauseProducing();
  }

  /** Reads below again. */
  resumeProducing(): void {
    this.#lower.resumeProducing();
  }
}
