/**
 * The Transport a TelnetProtocol presents to the protocol above it. Everything the upper
 * protocol writes is data, so every 0xFF in it is doubled on the way down (RFC 854; hardening
 * T5): a player's text can never turn into a telnet command on another player's connection.
 */
import { TransportWrapper } from "../../src/reactor/transport-wrapper.js";
import { escapeIac } from "./encoder.js";

/** Wraps the connection's real Transport, escaping IAC in data written through it. */
export class EscapingTransport extends TransportWrapper {
  /**
   * Queues data with 0xFF doubled. Strings pass down unchanged: UTF-8 never contains the byte
   * 0xFF, so they need no escaping and the lower transport encodes them as usual.
   */
  override write(data: Uint8Array | string): void {
    this.lower.write(typeof data === "string" ? data : escapeIac(data));
  }
}
