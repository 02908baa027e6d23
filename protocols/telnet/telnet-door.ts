/**
 * The telnet door (default port 4000): telnet, TinTin++, Mudlet, MUSHclient. Each connection is
 * a TelnetProtocol (negotiation, IAC handling) wrapping a LineSession (framing, the session):
 * telnet is a Protocol to TCP and a Transport to the line layer.
 */
import type { Logger } from "pino";
import { LogLimit } from "../../src/log-limit.js";
import { RealClock, type Clock } from "../../src/reactor/clock.js";
import type { InputTurns } from "../../src/reactor/input-budget.js";
import type { PeerAddress, Protocol, ProtocolFactory } from "../../src/reactor/interfaces.js";
import type { SessionOpener } from "../../src/session/endpoint.js";
import { LineSession } from "../line/line-session.js";
import { TelnetProtocol } from "./telnet-protocol.js";

/** Limits of the telnet door. */
export interface TelnetDoorOptions {
  /** Longest line accepted, in bytes. Default 2048. */
  readonly maxLineBytes?: number;
  /** Most bytes held without a line end. Default 16384. */
  readonly maxBufferBytes?: number;
  /** Cap on one subnegotiation (hardening T4). Default 8192. */
  readonly maxSubnegotiationBytes?: number;
  /** Told to a browser that wanders onto this port. */
  readonly httpHint?: () => string;
  /** The reactor's turn counter for input budgets (issue 5 item 3). Default: one per connection. */
  readonly inputTurns?: InputTurns;
  /** Lines handled per connection per reactor turn before reading pauses. Default 32. */
  readonly inputLinesPerTurn?: number;
  /** Bytes framed per connection per reactor turn before reading pauses. Default 65536. */
  readonly inputBytesPerTurn?: number;
}

/** What the telnet door logs with. */
export interface TelnetDoorDeps {
  /** Where protocol errors go; without one they are not logged. */
  readonly logger?: Logger;
  /** Time for the per-connection log limit. Default the real clock. */
  readonly clock?: Clock;
}

/** Builds a TelnetProtocol over a LineSession per connection. */
export class TelnetDoorFactory implements ProtocolFactory {
  readonly #opener: SessionOpener;
  readonly #options: TelnetDoorOptions;
  readonly #logger: Logger | undefined;
  readonly #clock: Clock;

  constructor(opener: SessionOpener, options: TelnetDoorOptions = {}, deps: TelnetDoorDeps = {}) {
    this.#opener = opener;
    this.#options = options;
    this.#logger = deps.logger;
    this.#clock = deps.clock ?? new RealClock();
  }

  buildProtocol(peer: PeerAddress): Protocol {
    const { maxSubnegotiationBytes, ...lineOptions } = this.#options;
    // Telnet clients are terminals: ANSI colour is the safe default (TinTin++, Mudlet and every
    // terminal telnet render it); a per-player colour toggle can come later.
    const session = new LineSession(this.#opener, {
      ...lineOptions,
      door: "telnet",
      variant: "ansi",
      caps: { ansi: true, width: 80, height: 24 },
    });
    const errors = new LogLimit(this.#clock);
    const telnet = new TelnetProtocol(session, {
      ...(maxSubnegotiationBytes !== undefined ? { maxSubnegotiationBytes } : {}),
      onCapabilities: (caps) =>
        session.capabilities({ ansi: true, width: caps.width, height: caps.height, ...(caps.client ? { client: caps.client } : {}) }),
      // A five-byte malformed subnegotiation used to cost a log line each: 1 MB in, 41 MB of log
      // out (issue 5 item 8). The first is logged, the rest counted, the count logged at close.
      onProtocolError: (message) => {
        if (errors.allow()) this.#logger?.warn({ peer: peer.address, message }, "telnet protocol error");
      },
      onConnectionLost: (why) => {
        const notLogged = errors.takeSuppressed();
        if (notLogged > 0) {
          this.#logger?.warn({ peer: peer.address, errors: errors.total, notLogged, reason: why.code }, "telnet protocol errors on this connection");
        }
      },
    });
    session.bindControls({ setEcho: (on) => telnet.setEcho(on), endOfPrompt: () => telnet.sendGoAhead(), lineEndAfterHiddenInput: true });
    return telnet;
  }
}
