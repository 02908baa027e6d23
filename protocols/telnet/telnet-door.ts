/**
 * The telnet door (default port 4000): telnet, TinTin++, Mudlet, MUSHclient. Each connection is
 * a TelnetProtocol (negotiation, IAC handling) wrapping a LineSession (framing, the session):
 * telnet is a Protocol to TCP and a Transport to the line layer.
 */
import type { Logger } from "pino";
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
}

/** Builds a TelnetProtocol over a LineSession per connection. */
export class TelnetDoorFactory implements ProtocolFactory {
  readonly #opener: SessionOpener;
  readonly #options: TelnetDoorOptions;
  readonly #logger: Logger | undefined;

  constructor(opener: SessionOpener, options: TelnetDoorOptions = {}, logger?: Logger) {
    this.#opener = opener;
    this.#options = options;
    this.#logger = logger;
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
    const telnet = new TelnetProtocol(session, {
      ...(maxSubnegotiationBytes !== undefined ? { maxSubnegotiationBytes } : {}),
      onCapabilities: (caps) =>
        session.capabilities({ ansi: true, width: caps.width, height: caps.height, ...(caps.client ? { client: caps.client } : {}) }),
      onProtocolError: (message) => this.#logger?.warn({ peer: peer.address, message }, "telnet protocol error"),
    });
    session.bindControls({ setEcho: (on) => telnet.setEcho(on), endOfPrompt: () => telnet.sendGoAhead() });
    return telnet;
  }
}
