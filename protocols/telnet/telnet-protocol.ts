/**
 * The telnet layer: a Protocol to the TCP transport below and a Transport to the protocol above
 * (Twisted's TelnetTransport is the model). It strips telnet commands out of the input, runs
 * option negotiation, and escapes 0xFF in the output.
 *
 * Nothing waits on the peer (hardening T8): the opening offers go out and the upper protocol is
 * started in the same call, so a client that never answers negotiation still gets its prompt at
 * once. Answers that arrive later simply update `width`, `height` and `terminalType`.
 */
import {
  isHalfCloseable,
  reason,
  type DisconnectReason,
  type HalfCloseableProtocol,
  type Protocol,
  type Transport,
} from "../../src/reactor/interfaces.js";
import { TelnetCommand, TelnetOptionCode, optionName } from "./constants.js";
import { EchoOption } from "./echo.js";
import { command, subnegotiation } from "./encoder.js";
import { EscapingTransport } from "./escaping-transport.js";
import { NawsOption } from "./naws.js";
import { OptionNegotiator, type OptionHost } from "./options.js";
import { TelnetParser, type TelnetEvent } from "./parser.js";
import { SgaOption } from "./sga.js";
import { TtypeOption } from "./ttype.js";

/** What negotiation has learnt about the client's terminal. */
export interface TerminalCapabilities {
  /** Columns (NAWS, sanitised; 80 until reported). */
  readonly width: number;
  /** Rows (NAWS, sanitised; 24 until reported). */
  readonly height: number;
  /** The first TTYPE name: the client's name under MTTS, else its terminal type. */
  readonly client?: string;
  /** The MTTS capability bitvector, when the client reported one. */
  readonly mtts?: number;
}

/** Options for a {@link TelnetProtocol}. Every limit has a safe default. */
export interface TelnetProtocolOptions {
  /** Cap on one subnegotiation's payload (hardening T4). Default 8192 (parser.ts). */
  readonly maxSubnegotiationBytes?: number;
  /** Cap on answers to peer-started negotiation, per option (hardening T3). Default 32 (options.ts). */
  readonly maxRepliesPerOption?: number;
  /** Cap on TTYPE SEND requests (hardening T7). Default 4 (ttype.ts). */
  readonly maxTerminalTypeRounds?: number;
  /** Called with the full set each time width, height, client name or MTTS changes. */
  readonly onCapabilities?: (capabilities: TerminalCapabilities) => void;
  /**
   * Called when the peer breaks the telnet protocol (an oversized or malformed subnegotiation,
   * a negotiation flood…). The connection carries on; the owner logs it.
   */
  readonly onProtocolError?: (message: string) => void;
  /** Called once when the connection is gone, after the upper protocol was told (the owner's summary of what it counted). */
  readonly onConnectionLost?: (why: DisconnectReason) => void;
}

/** Wraps an upper Protocol in telnet: negotiation, IAC stripping and IAC escaping. */
export class TelnetProtocol implements HalfCloseableProtocol {
  readonly #upper: Protocol;
  readonly #parser: TelnetParser;
  readonly #negotiator: OptionNegotiator;
  readonly #echo = new EchoOption();
  readonly #sga = new SgaOption();
  readonly #naws: NawsOption;
  readonly #ttype: TtypeOption;
  readonly #onCapabilities: ((capabilities: TerminalCapabilities) => void) | undefined;
  readonly #onProtocolError: ((message: string) => void) | undefined;
  readonly #onConnectionLost: ((why: DisconnectReason) => void) | undefined;
  #lower: Transport | undefined;

  /** `upper` is the protocol that sees the data (usually the line protocol). */
  constructor(upper: Protocol, options: TelnetProtocolOptions = {}) {
    this.#upper = upper;
    this.#onCapabilities = options.onCapabilities;
    this.#onProtocolError = options.onProtocolError;
    this.#onConnectionLost = options.onConnectionLost;
    this.#parser = new TelnetParser(
      options.maxSubnegotiationBytes === undefined ? {} : { maxSubnegotiationBytes: options.maxSubnegotiationBytes },
    );
    const host: OptionHost = {
      sendSubnegotiation: (option, payload) => this.#send(subnegotiation(option, payload)),
      protocolError: (message) => this.#protocolError(message),
      capabilitiesChanged: () => this.#onCapabilities?.(this.capabilities),
    };
    this.#naws = new NawsOption(host);
    this.#ttype = new TtypeOption(
      host,
      options.maxTerminalTypeRounds === undefined ? {} : { maxRounds: options.maxTerminalTypeRounds },
    );
    this.#negotiator = new OptionNegotiator(
      [this.#echo, this.#sga, this.#naws, this.#ttype],
      { send: (bytes) => this.#send(bytes), protocolError: host.protocolError },
      options.maxRepliesPerOption === undefined ? {} : { maxRepliesPerOption: options.maxRepliesPerOption },
    );
  }

  /** The client's width in columns (80 until NAWS reports). */
  get width(): number {
    return this.#naws.width;
  }

  /** The client's height in rows (24 until NAWS reports). */
  get height(): number {
    return this.#naws.height;
  }

  /** The first TTYPE name, once reported. */
  get terminalType(): string | undefined {
    return this.#ttype.client;
  }

  /** Every distinct TTYPE name, in the order the client gave them. */
  get terminalTypes(): readonly string[] {
    return this.#ttype.names;
  }

  /** True while our WILL ECHO is in effect, so the client is not echoing the player's typing. */
  get inputHidden(): boolean {
    return this.#echo.inputHidden;
  }

  /** Everything negotiation has learnt so far. */
  get capabilities(): TerminalCapabilities {
    const client = this.#ttype.client;
    const mtts = this.#ttype.mtts;
    return {
      width: this.#naws.width,
      height: this.#naws.height,
      ...(client === undefined ? {} : { client }),
      ...(mtts === undefined ? {} : { mtts }),
    };
  }

  /**
   * Sends the opening offers, then starts the upper protocol without waiting for answers (T8).
   *
   * SGA is accepted when a client asks for it but never offered: BSD-derived telnets (Debian's
   * inetutils and netkit) answer an unsolicited WILL SGA by switching to character-at-a-time
   * mode, after which Backspace arrives as a raw DEL and replies land on the command's line.
   * Seen with Debian's telnet in tmux (test/clients/telnet-client.test.ts).
   */
  connectionMade(transport: Transport): void {
    this.#lower = transport;
    this.#negotiator.request("remote", TelnetOptionCode.NAWS, true);
    this.#negotiator.request("remote", TelnetOptionCode.TTYPE, true);
    this.#upper.connectionMade(new EscapingTransport(transport));
  }

  /**
   * Parses input: data goes to the upper protocol, everything else is handled here. Never throws;
   * if handling fails anyway (a bug), the error is reported and the connection closed.
   */
  dataReceived(data: Uint8Array): void {
    try {
      for (const event of this.#parser.feed(data)) {
        // Once someone closed the connection, later input would only race the close.
        if (this.#lower?.connected !== true) return;
        this.#handle(event);
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /**
   * The peer half-closed (issue 5 item 15). A telnet sequence cut off by the FIN carries nothing
   * to finish; the upper protocol finishes its lines, or, if it cannot, the connection closes.
   */
  readConnectionLost(): void {
    if (isHalfCloseable(this.#upper)) this.#upper.readConnectionLost();
    else this.#lower?.loseConnection(reason("peer-closed", "the client closed the connection"));
  }

  /** Passes the end of the connection to the upper protocol. */
  connectionLost(why: DisconnectReason): void {
    try {
      this.#upper.connectionLost(why);
    } finally {
      this.#onConnectionLost?.(why);
    }
  }

  /**
   * Turns the client's local echo on or off (RFC 857; hardening T9). `setEcho(false)` before a
   * password prompt sends WILL ECHO: we claim to echo and then do not, so the password is not
   * shown. `setEcho(true)` afterwards sends WONT ECHO. Idempotent; if the client has not yet
   * answered, the change is queued (RFC 1143) rather than sent twice.
   */
  setEcho(on: boolean): void {
    this.#negotiator.request("local", TelnetOptionCode.ECHO, !on);
  }

  /** Marks the end of a prompt with IAC GA, unless the client agreed to suppress go-ahead (RFC 858). */
  sendGoAhead(): void {
    if (!this.#sga.goAheadSuppressed) this.#send(command(TelnetCommand.GA));
  }

  #handle(event: TelnetEvent): void {
    switch (event.type) {
      case "data":
        this.#upper.dataReceived(event.bytes);
        return;
      case "command":
        // NOP, GA, AYT, IP and the rest carry nothing we act on yet; dead-peer probing (F9) only
        // needs the TCP acknowledgement of our own NOPs.
        return;
      case "negotiate":
        this.#negotiator.receive(event.verb, event.option);
        return;
      case "subnegotiation":
        this.#negotiator.subnegotiation(event.option, event.data);
        return;
      case "subnegotiation-overflow":
        this.#protocolError(`${optionName(event.option)}: subnegotiation over the size limit; discarded`);
        return;
      case "subnegotiation-aborted":
        this.#protocolError(`${optionName(event.option)}: subnegotiation not ended by IAC SE; discarded`);
        return;
      default:
        unreachable(event);
    }
  }

  /** Contains a failure to this connection: report it, close, and let nothing escape. */
  #fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    // Each step on its own: a failing callback must not stop the close, and nothing may escape.
    try {
      this.#protocolError(`internal error while handling telnet input: ${message}`);
    } catch {
      // The owner's reporter failed too; closing the connection still contains the damage.
    }
    try {
      this.#lower?.loseConnection(reason("internal-error", "internal error in the telnet layer"));
    } catch {
      // Nothing more can be done for this connection.
    }
  }

  #send(bytes: Uint8Array): void {
    this.#lower?.write(bytes);
  }

  #protocolError(message: string): void {
    this.#onProtocolError?.(message);
  }
}

function unreachable(event: never): never {
  throw new Error(`TelnetProtocol: unknown event ${JSON.stringify(event)}`);
}
