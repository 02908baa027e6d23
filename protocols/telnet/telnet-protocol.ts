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
import { RealClock, type Clock } from "../../src/reactor/clock.js";
import type { GmcpLimits } from "../gmcp/gmcp-core.js";
import { CharsetOption } from "./charset.js";
import { TelnetCommand, TelnetOptionCode, optionName } from "./constants.js";
import { ECHO_OPTION } from "./echo.js";
import { EOR_OPTION, promptEndMark } from "./eor.js";
import { command, subnegotiation } from "./encoder.js";
import { EscapingTransport } from "./escaping-transport.js";
import { GmcpOption, type GmcpHost } from "./gmcp.js";
import { Mccp2Option, type Mccp2Host, type Mccp2Status } from "./mccp2.js";
import type { Mccp2Streams } from "./mccp2-stream.js";
import { KeepAlives, type KeepAlive, type KeepAliveProbe } from "./keepalive.js";
import { MsspOption, type MsspProvider } from "./mssp.js";
import { utf8From } from "./mtts.js";
import { NawsOption } from "./naws.js";
import { OptionNegotiator, type NegotiationSink, type OptionHost } from "./options.js";
import type { LineControls } from "../line/line-session.js";
import { TelnetParser, type TelnetEvent } from "./parser.js";
import { SGA_OPTION } from "./sga.js";
import { TtypeOption } from "./ttype.js";

/** What negotiation has learnt about the client's terminal. */
export interface TerminalCapabilities {
  /** Columns (NAWS, sanitised; 80 until reported). */
  readonly width: number;
  /** Rows (NAWS, sanitised; 24 until reported). */
  readonly height: number;
  /**
   * The client's name: from GMCP `Core.Hello` ("Mudlet 4.17.2") once it sent one, else the first
   * TTYPE name (the client's name under MTTS, else its terminal type).
   */
  readonly client?: string;
  /** The MTTS capability bitvector, when the client reported one. */
  readonly mtts?: number;
  /**
   * Whether to send UTF-8: CHARSET's answer folded with the MTTS UTF-8 bit (mtts.ts `utf8From`).
   * Absent until either says something; false means send ASCII.
   */
  readonly utf8?: boolean;
}

/** What settled negotiation: TTYPE cycling ended, the first line of input came, or the connection closed first. */
export type NegotiationSettledBy = "ttype" | "input" | "close";

/**
 * What was agreed with the client, reported once per connection when negotiation has settled
 * (issue 8, "the server's session state shows what was negotiated"). Every field is bounded: the
 * TTYPE names are at most `maxTerminalTypeRounds` of at most 64 characters (ttype.ts), and no
 * player text is in it.
 */
export interface NegotiationSummary {
  readonly settledBy: NegotiationSettledBy;
  /** The client said DO EOR: prompts end with IAC EOR. */
  readonly eor: boolean;
  /** The client's answer to our CHARSET REQUEST for UTF-8 (or its own), "none" if it gave none. */
  readonly charset: "accepted" | "rejected" | "none";
  /** The client said DO GMCP. */
  readonly gmcp: boolean;
  /** How many modules its `Core.Supports` listed. */
  readonly gmcpModules: number;
  /** The client said DO MCCP2: output is compressed. */
  readonly mccp2: boolean;
  /** The window size the client reported (NAWS), absent if it reported none. */
  readonly naws?: { readonly width: number; readonly height: number };
  /** The client said DO MSSP and was sent the report. */
  readonly mssp: boolean;
  /** Every distinct TTYPE name, in order. */
  readonly ttype: readonly string[];
}

/**
 * Options for a {@link TelnetProtocol}. The operator's limits are required (their defaults are
 * written once, in config/default.yaml); Loom's own caps have safe defaults in their modules.
 * The protocol keeps the object and calls the `on…` callbacks as its methods, so an owner may
 * pass one object per connection whose class holds them, rather than closures (issue 11 target 3).
 */
export interface TelnetProtocolOptions {
  /** Cap on one subnegotiation's payload (hardening T4; `limits.maxSubnegotiationBytes`). */
  readonly maxSubnegotiationBytes: number;
  /** Cap on answers to peer-started negotiation, per option (hardening T3). Default 32 (options.ts). */
  readonly maxRepliesPerOption?: number;
  /** Cap on TTYPE SEND requests (hardening T7). Default 4 (ttype.ts). */
  readonly maxTerminalTypeRounds?: number;
  /**
   * What MSSP reports (mssp.ts), asked afresh for each report. With it, WILL MSSP is offered and
   * a DO MSSP gets the report; without it (the default) MSSP is refused like any unknown option.
   */
  readonly mssp?: MsspProvider;
  /**
   * The door's MCCP2 compression (mccp2-stream.ts). With it, WILL MCCP2 is offered and a DO
   * compresses everything after the start marker (mccp2.ts); without it (the default) MCCP2 is
   * refused like any unknown option. Also not offered over a transport that cannot encode output.
   */
  readonly mccp2?: Mccp2Streams;
  /** GMCP rate and size limits (gmcp-core.ts). Default `DEFAULT_GMCP_LIMITS`. */
  readonly gmcp?: GmcpLimits;
  /** Times the GMCP rate limits. Default the real clock. */
  readonly clock?: Clock;
  /**
   * Seconds of output silence before an IAC NOP probes the peer (hardening F9; keepalive.ts),
   * timed on `clock`; 0 is off. The door passes `limits.telnetKeepaliveSeconds`.
   */
  readonly keepaliveSeconds: number;
  /**
   * The door's keep-alive, shared by its connections (one timer for all; keepalive.ts). Without
   * it, a connection with `keepaliveSeconds` above 0 makes its own.
   */
  readonly keepAlives?: KeepAlives;
  /** Receives inbound GMCP messages that are not `Core.*` business, for the session. */
  readonly onOob?: (channel: string, data: unknown) => void;
  /** Called with the full set each time width, height, client name, MTTS or UTF-8 changes. */
  readonly onCapabilities?: (capabilities: TerminalCapabilities) => void;
  /**
   * Called when the peer breaks the telnet protocol (an oversized or malformed subnegotiation,
   * a negotiation flood…). The connection carries on; the owner logs it.
   */
  readonly onProtocolError?: (message: string) => void;
  /**
   * Called exactly once per connection with what was agreed, when negotiation has settled: when
   * TTYPE cycling ends (the last answer a MUD client gives, three or four round trips in), or at
   * the first line of input, or at close, whichever comes first.
   */
  readonly onNegotiated?: (summary: NegotiationSummary) => void;
  /** Called once when the connection is gone, after the upper protocol was told (the owner's summary of what it counted). */
  readonly onConnectionLost?: (why: DisconnectReason) => void;
}

/** Wraps an upper Protocol in telnet: negotiation, IAC stripping and IAC escaping. */
export class TelnetProtocol
  implements HalfCloseableProtocol, OptionHost, GmcpHost, Mccp2Host, KeepAliveProbe, NegotiationSink, LineControls
{
  readonly #upper: Protocol;
  readonly #parser: TelnetParser;
  readonly #negotiator: OptionNegotiator;
  readonly #naws: NawsOption;
  readonly #ttype: TtypeOption;
  readonly #charset: CharsetOption;
  /** Set at connect when the keep-alive is on: the transport below, watched. */
  #keepAlive: KeepAlive | undefined;
  readonly #gmcp: GmcpOption;
  readonly #mssp: MsspOption | undefined;
  readonly #mccp2: Mccp2Option | undefined;
  /** Where the `on…` callbacks are, called as its methods. */
  readonly #options: TelnetProtocolOptions;
  #settled = false;
  #lower: Transport | undefined;

  /** `upper` is the protocol that sees the data (usually the line protocol). */
  constructor(upper: Protocol, options: TelnetProtocolOptions) {
    this.#upper = upper;
    this.#options = options;
    this.#parser = new TelnetParser({ maxSubnegotiationBytes: options.maxSubnegotiationBytes });
    // The protocol itself is its option modules' host, its negotiator's sink and its keep-alive's
    // probe: an object of closures for each cost ~300 B per connection (issue 11 target 3).
    const host: OptionHost = this;
    this.#naws = new NawsOption(host);
    this.#ttype = new TtypeOption(
      host,
      options.maxTerminalTypeRounds === undefined ? {} : { maxRounds: options.maxTerminalTypeRounds },
    );
    // Our REQUESTs and answers share the negotiator's per-option cap: no CHARSET loop (T3).
    this.#charset = new CharsetOption(
      host,
      options.maxRepliesPerOption === undefined ? {} : { maxMessages: options.maxRepliesPerOption },
    );
    this.#mssp = options.mssp === undefined ? undefined : new MsspOption(host, options.mssp);
    this.#mccp2 =
      options.mccp2 === undefined
        ? undefined
        : new Mccp2Option(options.mccp2, this);
    this.#gmcp = new GmcpOption(this, {
      clock: options.clock ?? new RealClock(),
      ...(options.gmcp === undefined ? {} : { limits: options.gmcp }),
    });
    this.#negotiator = new OptionNegotiator(
      // ECHO, SGA and EOR are shared policies; their state is the negotiator's.
      [ECHO_OPTION, SGA_OPTION, this.#naws, this.#ttype, EOR_OPTION, this.#charset, this.#gmcp, ...(this.#mssp !== undefined ? [this.#mssp] : []), ...(this.#mccp2 !== undefined ? [this.#mccp2] : [])],
      this,
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
    return this.#negotiator.isEnabled("local", TelnetOptionCode.ECHO);
  }

  /** The GMCP state: whether the client agreed, its `Core.Hello` and `Core.Supports` list. */
  get gmcp(): Pick<GmcpOption, "enabled" | "hello" | "supports" | "rejected"> {
    return this.#gmcp;
  }

  /** MCCP2's state (compressing now? bytes in and out), or undefined when it is not offered. */
  get mccp2(): Mccp2Status | undefined {
    return this.#mccp2?.status;
  }

  /** Everything negotiation has learnt so far. */
  get capabilities(): TerminalCapabilities {
    const hello = this.#gmcp.hello;
    const client = hello === undefined ? this.#ttype.client : `${hello.client} ${hello.version}`.trim();
    const mtts = this.#ttype.mtts;
    return {
      width: this.#naws.width,
      height: this.#naws.height,
      ...(client === undefined ? {} : { client }),
      ...(mtts === undefined ? {} : { mtts }),
      ...withUtf8(utf8From(this.#charset.utf8, mtts)),
    };
  }

  /** What has been agreed so far (the summary {@link TelnetProtocolOptions.onNegotiated} reports). */
  #summary(settledBy: NegotiationSettledBy): NegotiationSummary {
    const charset = this.#charset.utf8;
    return {
      settledBy,
      eor: this.#negotiator.isEnabled("local", TelnetOptionCode.EOR),
      charset: charset === undefined ? "none" : charset ? "accepted" : "rejected",
      gmcp: this.#gmcp.enabled,
      gmcpModules: this.#gmcp.supports.length,
      mccp2: this.#negotiator.isEnabled("local", TelnetOptionCode.MCCP2),
      ...(this.#naws.reported ? { naws: { width: this.#naws.width, height: this.#naws.height } } : {}),
      mssp: this.#negotiator.isEnabled("local", TelnetOptionCode.MSSP),
      ttype: [...this.#ttype.names],
    };
  }

  /** Reports the summary the first time negotiation settles, and never again. */
  #settle(settledBy: NegotiationSettledBy): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#options.onNegotiated?.(this.#summary(settledBy));
  }

  /**
   * Sends the opening offers, then starts the upper protocol without waiting for answers (T8).
   *
   * SGA is accepted when a client asks for it but never offered: BSD-derived telnets (Debian's
   * inetutils and netkit) answer an unsolicited WILL SGA by switching to character-at-a-time
   * mode, after which Backspace arrives as a raw DEL and replies land on the command's line.
   * Seen with Debian's telnet in tmux (test/clients/telnet-client.test.ts). EOR and CHARSET are
   * offered: those telnets answer DONT and carry on, and MUD clients want both.
   */
  connectionMade(transport: Transport): void {
    // Every write from here on, negotiation and data alike, is output to the keep-alive (F9).
    const options = this.#options;
    const keepAlives =
      options.keepAlives ??
      (options.keepaliveSeconds > 0 ? new KeepAlives(options.clock ?? new RealClock(), options.keepaliveSeconds * 1000) : undefined);
    this.#keepAlive = keepAlives?.watch(transport, this);
    const lower = this.#keepAlive ?? transport;
    this.#lower = lower;
    this.#negotiator.request("remote", TelnetOptionCode.NAWS, true);
    this.#negotiator.request("remote", TelnetOptionCode.TTYPE, true);
    this.#negotiator.request("local", TelnetOptionCode.EOR, true);
    this.#negotiator.request("local", TelnetOptionCode.CHARSET, true);
    this.#negotiator.request("local", TelnetOptionCode.GMCP, true);
    if (this.#mssp !== undefined) this.#negotiator.request("local", TelnetOptionCode.MSSP, true);
    // MCCP2 drives the TCP transport's output codec directly, beneath any wrapper.
    if (this.#mccp2?.attach(transport) === true) this.#negotiator.request("local", TelnetOptionCode.MCCP2, true);
    this.#upper.connectionMade(new EscapingTransport(lower));
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
    this.#keepAlive?.stop();
    this.#mccp2?.dispose();
    try {
      this.#settle("close");
      this.#upper.connectionLost(why);
    } finally {
      this.#options.onConnectionLost?.(why);
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

  /**
   * Sends out-of-band data as GMCP `channel <json>` if the client agreed to GMCP and, for
   * packages other than `Core.*` and `Comm.Channel.*`, listed the module in `Core.Supports`.
   * Returns whether it went; state packages held back are sent once allowed (gmcp-core.ts).
   */
  sendGmcp(channel: string, data: unknown): boolean {
    return this.#gmcp.sendMessage(channel, data);
  }

  /**
   * Marks the end of a prompt, once: IAC EOR when the client agreed to EOR (RFC 885), else IAC GA
   * unless it agreed to suppress go-ahead (RFC 858), else nothing (eor.ts).
   */
  endPrompt(): void {
    const negotiator = this.#negotiator;
    const mark = promptEndMark(negotiator.isEnabled("local", TelnetOptionCode.EOR), negotiator.isEnabled("local", TelnetOptionCode.SGA));
    if (mark !== undefined) this.#send(mark);
  }

  /** The line layer's end of prompt ({@link LineControls}): {@link endPrompt}. */
  endOfPrompt(): void {
    this.endPrompt();
  }

  /** The line layer's out-of-band data ({@link LineControls}): GMCP, as {@link sendGmcp}. */
  sendOob(channel: string, data: unknown): void {
    this.#gmcp.sendMessage(channel, data);
  }

  /** Telnet clients do not echo the line end of hidden input either ({@link LineControls}). */
  get lineEndAfterHiddenInput(): boolean {
    return true;
  }

  /** For the option modules ({@link OptionHost}): sends `IAC SB <option> payload IAC SE`. */
  sendSubnegotiation(option: number, payload: Uint8Array): void {
    this.#send(subnegotiation(option, payload));
  }

  /** For the option modules and the negotiator: the peer broke the protocol; the owner logs it. */
  protocolError(message: string): void {
    this.#protocolError(message);
  }

  /** For the option modules ({@link OptionHost}): the client's capabilities changed. */
  capabilitiesChanged(): void {
    this.#options.onCapabilities?.(this.capabilities);
  }

  /** For the negotiator ({@link NegotiationSink}): telnet commands, sent as they are. */
  send(bytes: Uint8Array): void {
    this.#send(bytes);
  }

  /** For the GMCP option ({@link GmcpHost}): a message for the session. */
  gmcpReceived(name: string, data: unknown): void {
    this.#options.onOob?.(name, data);
  }

  /** For MCCP2 ({@link Mccp2Host}): compression could not start; turn our side off (WONT). */
  refuseMccp2(): void {
    this.#negotiator.request("local", TelnetOptionCode.MCCP2, false);
  }

  /** For MCCP2 ({@link Mccp2Host}): a compressor failed; the owner logs it. */
  compressionError(message: string): void {
    this.#protocolError(message);
  }

  /** For the keep-alive ({@link KeepAliveProbe}, F9): IAC NOP, contained like input handling should it ever fail. */
  keepAliveProbe(): void {
    try {
      this.#send(command(TelnetCommand.NOP));
    } catch (error) {
      this.#fail(error);
    }
  }

  #handle(event: TelnetEvent): void {
    switch (event.type) {
      case "data":
        // The first line end: the player is past negotiation, whatever is still to come.
        if (!this.#settled && (event.bytes.includes(0x0a) || event.bytes.includes(0x0d))) this.#settle("input");
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
        if (event.option === TelnetOptionCode.TTYPE && this.#ttype.finished) this.#settle("ttype");
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
    this.#options.onProtocolError?.(message);
  }
}

function unreachable(event: never): never {
  throw new Error(`TelnetProtocol: unknown event ${JSON.stringify(event)}`);
}

/** `{ utf8 }`, or nothing while it is unknown (exactOptionalPropertyTypes). */
function withUtf8(utf8: boolean | undefined): { utf8?: boolean } {
  return utf8 === undefined ? {} : { utf8 };
}
