/**
 * GMCP, the Generic MUD Communication Protocol, on telnet option 201 (mudstandards.org; the IRE
 * documentation at nexus.ironrealms.com/GMCP is the reference clients follow).
 *
 * We offer `IAC WILL GMCP` at connect; a client that wants it answers `IAC DO GMCP`, and from
 * then both ends exchange `IAC SB GMCP Package.Message <json> IAC SE` (RFC 855 framing, 0xFF in
 * the payload doubled; the parser and encoder do both). The payload's text form and the `Core`
 * package live in `protocols/gmcp/`, shared with the WebSocket door; this module is the telnet
 * glue: negotiation policy, bytes in and out, and reporting what the peer got wrong.
 *
 * Policy: we perform GMCP (`acceptLocal`), also for a client that asks first; a client's own
 * WILL GMCP is refused, as GMCP is the server's option to perform (clients only answer DO).
 * The subnegotiation cap of the parser (8 KiB by default, hardening T4) bounds one message.
 */
import { GmcpCore, type GmcpLimits } from "../gmcp/gmcp-core.js";
import { decodeGmcp, encodeGmcp } from "../gmcp/gmcp-message.js";
import type { Clock } from "../../src/reactor/clock.js";
import type { CoreHello } from "../../src/session/gmcp-packages.js";
import { TelnetOptionCode } from "./constants.js";
import type { OptionHost, OptionModule, Side } from "./options.js";

/** Options of a {@link GmcpOption}. */
export interface GmcpOptionOptions {
  /** Times the rate limits. */
  readonly clock: Clock;
  /** Rate and size limits; defaults in `DEFAULT_GMCP_LIMITS` (gmcp-core.ts). */
  readonly limits?: GmcpLimits;
  /** Receives every valid inbound message that is not `Core.*` business (for the session). */
  readonly onMessage?: (name: string, data: unknown) => void;
}

/** The GMCP option's policy, and the connection's GMCP state. */
export class GmcpOption implements OptionModule {
  /** {@link TelnetOptionCode.GMCP}. */
  readonly option = TelnetOptionCode.GMCP;
  /** We perform GMCP for any client that asks. */
  readonly acceptLocal = true;
  /** GMCP is the server's to perform: a client's WILL is refused. */
  readonly acceptRemote = false;
  readonly #host: OptionHost;
  readonly #core: GmcpCore;
  readonly #onMessage: ((name: string, data: unknown) => void) | undefined;
  #rejected = 0;

  /** `host` sends our subnegotiations and receives protocol errors and capability changes. */
  constructor(host: OptionHost, options: GmcpOptionOptions) {
    this.#host = host;
    this.#onMessage = options.onMessage;
    this.#core = new GmcpCore(
      {
        send: (message) => {
          let payload: Uint8Array;
          try {
            payload = encodeGmcp(message.name, message.data);
          } catch (error) {
            // A cycle or a BigInt in data the server made: a bug here, not the peer's; drop it.
            this.#host.protocolError(`GMCP: could not encode ${message.name} (server bug): ${String(error)}`);
            return;
          }
          this.#host.sendSubnegotiation(this.option, payload);
        },
      },
      options.clock,
      options.limits,
    );
  }

  /** True while the client has agreed to GMCP (our side of option 201 is on). */
  get enabled(): boolean {
    return this.#core.enabled;
  }

  /** The client's `Core.Hello`, once it sent a valid one. */
  get hello(): CoreHello | undefined {
    return this.#core.hello;
  }

  /** The modules the client listed in `Core.Supports`: `["Char 1", "Room 1"]`. */
  get supports(): string[] {
    return this.#core.supports;
  }

  /** Inbound GMCP messages not acted on: malformed, invalid or over a rate limit. */
  get rejected(): number {
    return this.#rejected;
  }

  /**
   * Sends `name` with `data` (undefined: no body) if the client agreed to GMCP and listed the
   * module where that is required. Returns whether it went.
   */
  send(name: string, data: unknown): boolean {
    return this.#core.send(name, data);
  }

  /** Our side turning on or off is the client agreeing to GMCP or leaving it. */
  onChange(side: Side, enabled: boolean): void {
    if (side === "local") this.#core.setEnabled(enabled);
  }

  /** One message from the client. Bad ones are counted and reported, never thrown. */
  onSubnegotiation(data: Uint8Array): void {
    const decoded = decodeGmcp(data);
    if (!decoded.ok) {
      this.#reject(decoded.detail);
      return;
    }
    const result = this.#core.receive(decoded.message);
    switch (result.type) {
      case "handled":
        return;
      case "hello":
        this.#host.capabilitiesChanged();
        return;
      case "pass":
        this.#onMessage?.(result.message.name, result.message.data);
        return;
      case "rejected":
        this.#reject(result.detail);
        return;
      default:
        unreachable(result);
    }
  }

  #reject(detail: string): void {
    this.#rejected += 1;
    this.#host.protocolError(`GMCP: ${detail}`);
  }
}

function unreachable(value: never): never {
  throw new Error(`GmcpOption: unknown inbound result ${JSON.stringify(value)}`);
}
