/**
 * The telnet door (default port 4000): telnet, TinTin++, Mudlet, MUSHclient. Each connection is
 * a TelnetProtocol (negotiation, IAC handling) wrapping a LineSession (framing, the session):
 * telnet is a Protocol to TCP and a Transport to the line layer.
 */
import type { Logger } from "pino";
import { LogLimit } from "../../src/log-limit.js";
import { RealClock, type Clock } from "../../src/reactor/clock.js";
import type { InputTurns } from "../../src/reactor/input-budget.js";
import type { DisconnectReason, PeerAddress, Protocol, ProtocolFactory } from "../../src/reactor/interfaces.js";
import type { SessionOpener } from "../../src/session/endpoint.js";
import { LineSession, type LineLimits, type LineSessionOptions } from "../line/line-session.js";
import { KeepAlives } from "./keepalive.js";
import type { Mccp2Streams } from "./mccp2-stream.js";
import type { MsspProvider } from "./mssp.js";
import { clientCapabilities } from "./mtts.js";
import { TelnetProtocol, type NegotiationSummary, type TelnetProtocolOptions, type TerminalCapabilities } from "./telnet-protocol.js";
import { transliterateBytes } from "./transliterate.js";

/** Longest client name ("Mudlet 4.17.2", from Core.Hello or TTYPE) put in a log line. */
const MAX_LOGGED_CLIENT_NAME = 64;

/**
 * Limits of the telnet door: the operator's {@link LineLimits} and telnet limits (required;
 * their defaults are written once, in config/default.yaml), and what the server adds.
 */
export interface TelnetDoorOptions extends LineLimits {
  /** Cap on one subnegotiation (hardening T4; `limits.maxSubnegotiationBytes`). */
  readonly maxSubnegotiationBytes: number;
  /** Told to a browser that wanders onto this port. */
  readonly httpHint?: () => string;
  /** Seconds of output silence before an IAC NOP probes the client (hardening F9; `limits.telnetKeepaliveSeconds`); 0 is off. */
  readonly keepaliveSeconds: number;
  /**
   * What MSSP reports, asked afresh for each report: offered as telnet option 70 and given to a
   * plain-text `MSSP-REQUEST` line before login (mssp.ts). Default none: MSSP is refused.
   */
  readonly mssp?: MsspProvider;
  /**
   * MCCP2 compression (mccp2-stream.ts, `Mccp2Compression.create`): offered as telnet option 86,
   * and every byte after the start marker is compressed. Default none: MCCP2 is refused.
   */
  readonly mccp2?: Mccp2Streams;
  /** The reactor's turn counter for input budgets (issue 5 item 3). Default: one per connection. */
  readonly inputTurns?: InputTurns;
}

/** What the telnet door logs with. */
export interface TelnetDoorDeps {
  /** Where protocol errors and each connection's negotiation summary go. Required: an error nobody hears of cannot be fixed. */
  readonly logger: Logger;
  /** Time for the per-connection log limit. Default the real clock. */
  readonly clock?: Clock;
}

/** Builds a TelnetProtocol over a LineSession per connection. */
export class TelnetDoorFactory implements ProtocolFactory {
  readonly #opener: SessionOpener;
  readonly #options: TelnetDoorOptions;
  readonly #logger: Logger;
  readonly #clock: Clock;
  /**
   * Every line session's options, built once: spread per connection, the copy took ~400 B each
   * (an object with a hidden class of its own; issue 11 target 3).
   */
  readonly #sessionOptions: LineSessionOptions;
  /** The keep-alive of all this door's connections: one timer, not one each (F9; issue 11 target 3). Undefined when off. */
  readonly #keepAlives: KeepAlives | undefined;

  constructor(opener: SessionOpener, options: TelnetDoorOptions, deps: TelnetDoorDeps) {
    this.#opener = opener;
    this.#options = options;
    this.#logger = deps.logger;
    this.#clock = deps.clock ?? new RealClock();
    this.#keepAlives = options.keepaliveSeconds > 0 ? new KeepAlives(this.#clock, options.keepaliveSeconds * 1000) : undefined;
    const { maxSubnegotiationBytes: _sub, keepaliveSeconds: _keepalive, mccp2: _mccp2, ...lineOptions } = options;
    // Telnet clients are terminals: 16-colour ANSI is the safe start (TinTin++, Mudlet and every
    // terminal telnet render it). From there the variant follows what the client announces (MTTS)
    // and the player's `color` choice (docs/telnet.md, "Colour").
    this.#sessionOptions = Object.freeze({
      ...lineOptions,
      door: "telnet",
      variant: "ansi",
      colour: true,
      // A client that refused UTF-8 (CHARSET, MTTS) reads ASCII, transliterated per recipient.
      transliterate: transliterateBytes,
    });
  }

  buildProtocol(peer: PeerAddress): Protocol {
    const session = new LineSession(this.#opener, this.#sessionOptions);
    const hooks = new TelnetConnectionHooks(this.#options, session, peer.address, this.#logger, this.#clock, this.#keepAlives);
    const telnet = new TelnetProtocol(session, hooks);
    hooks.telnet = telnet;
    // Telnet gives the line layer echo, prompt marks and GMCP (no closures: issue 11 target 3).
    session.bindControls(telnet);
    return telnet;
  }
}

/**
 * One telnet connection's options and callbacks for its {@link TelnetProtocol}, which calls them
 * as methods: one small object per connection instead of five closures and their context
 * (~300 B; issue 11 target 3).
 */
class TelnetConnectionHooks implements TelnetProtocolOptions {
  readonly maxSubnegotiationBytes: number;
  readonly keepaliveSeconds: number;
  readonly clock: Clock;
  readonly mssp?: MsspProvider;
  readonly mccp2?: Mccp2Streams;
  readonly keepAlives?: KeepAlives;
  /** The protocol these are for, set once it is made. */
  telnet: TelnetProtocol | undefined;
  readonly #session: LineSession;
  readonly #peer: string;
  readonly #logger: Logger;
  /** Made at the first protocol error: most connections never have one. */
  #errors: LogLimit | undefined;

  constructor(options: TelnetDoorOptions, session: LineSession, peer: string, logger: Logger, clock: Clock, keepAlives: KeepAlives | undefined) {
    this.maxSubnegotiationBytes = options.maxSubnegotiationBytes;
    this.keepaliveSeconds = options.keepaliveSeconds;
    this.clock = clock;
    if (options.mssp !== undefined) this.mssp = options.mssp;
    if (options.mccp2 !== undefined) this.mccp2 = options.mccp2;
    if (keepAlives !== undefined) this.keepAlives = keepAlives;
    this.#session = session;
    this.#peer = peer;
    this.#logger = logger;
  }

  onOob(channel: string, data: unknown): void {
    this.#session.oob(channel, data);
  }

  /** MTTS bits and the CHARSET answer become the session's capabilities (mtts.ts). */
  onCapabilities(caps: TerminalCapabilities): void {
    this.#session.capabilities(clientCapabilities(caps));
  }

  /**
   * A five-byte malformed subnegotiation used to cost a log line each: 1 MB in, 41 MB of log out
   * (issue 5 item 8). The first is logged, the rest counted, the count logged at close.
   */
  onProtocolError(message: string): void {
    this.#errors ??= new LogLimit(this.clock);
    if (this.#errors.allow()) this.#logger.warn({ peer: this.#peer, message }, "telnet protocol error");
  }

  /**
   * One line per connection with what was agreed (issue 8), when negotiation settled
   * (telnet-protocol.ts); the caps are what the session was given (mtts.ts).
   */
  onNegotiated(summary: NegotiationSummary): void {
    const telnet = this.telnet;
    if (telnet === undefined) return;
    const { client, ...caps } = clientCapabilities(telnet.capabilities);
    this.#logger.info(
      { peer: this.#peer, ...summary, ...(client === undefined ? {} : { client: client.slice(0, MAX_LOGGED_CLIENT_NAME) }), mtts: telnet.capabilities.mtts, caps },
      "telnet negotiated",
    );
  }

  onConnectionLost(why: DisconnectReason): void {
    const compressed = this.telnet?.mccp2;
    if (compressed !== undefined && compressed.bytesIn > 0) {
      this.#logger.debug({ peer: this.#peer, mccp2: { bytesIn: compressed.bytesIn, bytesOut: compressed.bytesOut } }, "MCCP2 totals");
    }
    const errors = this.#errors;
    const notLogged = errors?.takeSuppressed() ?? 0;
    if (errors !== undefined && notLogged > 0) {
      this.#logger.warn({ peer: this.#peer, errors: errors.total, notLogged, reason: why.code }, "telnet protocol errors on this connection");
    }
  }
}
