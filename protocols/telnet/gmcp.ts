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
import { GmcpCore, type GmcpLimits, type GmcpPeer } from "../gmcp/gmcp-core.js";
import { decodeGmcp, encodeGmcp, type GmcpMessage } from "../gmcp/gmcp-message.js";
import type { Clock } from "../../src/reactor/clock.js";
import { GMCP_STATE_REQUEST, type CoreHello } from "../../src/session/gmcp-packages.js";
import { TelnetOptionCode } from "./constants.js";
import type { OptionHost, OptionModule, Side } from "./options.js";

/** What the GMCP option may do to its connection: an {@link OptionHost} that also takes messages for the session. */
export interface GmcpHost extends OptionHost {
  /**
   * A valid inbound message that is not `Core.*` business, for the session; also
   * `GMCP_STATE_REQUEST` on the client's behalf when it agrees to GMCP after refusing it.
   */
  gmcpReceived(name: string, data: unknown): void;
}

/** Options of a {@link GmcpOption}. */
export interface GmcpOptionOptions {
  /** Times the rate limits. */
  readonly clock: Clock;
  /** Rate and size limits; defaults in `DEFAULT_GMCP_LIMITS` (gmcp-core.ts). */
  readonly limits?: GmcpLimits;
}

/**
 * The GMCP option's policy, and the connection's GMCP state. It is its core's peer itself: an
 * object and closure per connection for that cost ~150 B (issue 11 target 3).
 */
export class GmcpOption implements OptionModule, GmcpPeer {
  /** {@link TelnetOptionCode.GMCP}. */
  readonly option = TelnetOptionCode.GMCP;
  /** We perform GMCP for any client that asks. */
  readonly acceptLocal = true;
  /** GMCP is the server's to perform: a client's WILL is refused. */
  readonly acceptRemote = false;
  readonly #host: GmcpHost;
  readonly #options: GmcpOptionOptions;
  /**
   * The GMCP state, kept while our offer is pending (what the session sends meanwhile is replayed
   * on agreement) and made afresh if the client agrees after refusing: a refusing client, most
   * telnet clients, keeps none of it (issue 11 target 3).
   */
  #core: GmcpCore | undefined;
  #rejected = 0;

  /** `host` sends our subnegotiations and receives protocol errors, capability changes and messages. */
  constructor(host: GmcpHost, options: GmcpOptionOptions) {
    this.#host = host;
    this.#options = options;
    this.#core = this.#newCore();
  }

  #newCore(): GmcpCore {
    return new GmcpCore(this, this.#options.clock, this.#options.limits);
  }

  /** For the core ({@link GmcpPeer}): encodes one message as `IAC SB GMCP … IAC SE`. */
  send(message: GmcpMessage): void {
    let payload: Uint8Array;
    try {
      payload = encodeGmcp(message.name, message.data);
    } catch (error) {
      // A cycle or a BigInt in data the server made: a bug here, not the peer's; drop it.
      this.#host.protocolError(`GMCP: could not encode ${message.name} (server bug): ${String(error)}`);
      return;
    }
    this.#host.sendSubnegotiation(this.option, payload);
  }

  /** True while the client has agreed to GMCP (our side of option 201 is on). */
  get enabled(): boolean {
    return this.#core?.enabled === true;
  }

  /** The client's `Core.Hello`, once it sent a valid one. */
  get hello(): CoreHello | undefined {
    return this.#core?.hello;
  }

  /** The modules the client listed in `Core.Supports`: `["Char 1", "Room 1"]`. */
  get supports(): string[] {
    return this.#core?.supports ?? [];
  }

  /** Inbound GMCP messages not acted on: malformed, invalid or over a rate limit. */
  get rejected(): number {
    return this.#rejected;
  }

  /**
   * Sends `name` with `data` (undefined: no body) if the client agreed to GMCP and listed the
   * module where that is required. Returns whether it went.
   */
  sendMessage(name: string, data: unknown): boolean {
    return this.#core?.send(name, data) ?? false;
  }

  /**
   * Our side turning on or off is the client agreeing to GMCP or leaving it. A client that
   * agrees after refusing has no state kept for it: the session is asked for it afresh.
   */
  onChange(side: Side, enabled: boolean): void {
    if (side !== "local") return;
    if (!enabled) {
      this.#core?.setEnabled(false);
      return;
    }
    let askSession: boolean;
    if (this.#core === undefined) {
      this.#core = this.#newCore();
      this.#core.setEnabled(true);
      askSession = true;
    } else {
      askSession = this.#core.setEnabled(true);
    }
    if (askSession) this.#host.gmcpReceived(GMCP_STATE_REQUEST, undefined);
  }

  /** The client refused our WILL GMCP: its state goes, and nothing is kept for it from now on. */
  onRefused(side: Side): void {
    if (side === "local" && this.#core?.enabled === false) this.#core = undefined;
  }

  /** One message from the client. Bad ones are counted and reported, never thrown. */
  onSubnegotiation(data: Uint8Array): void {
    const decoded = decodeGmcp(data);
    if (!decoded.ok) {
      this.#reject(decoded.detail);
      return;
    }
    // Only ever called while GMCP is on (RFC 855; options.ts), so there is a core.
    const result = this.#core?.receive(decoded.message);
    if (result === undefined) return;
    switch (result.type) {
      case "handled":
        return;
      case "hello":
        this.#host.capabilitiesChanged();
        return;
      case "pass":
        this.#host.gmcpReceived(result.message.name, result.message.data);
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
