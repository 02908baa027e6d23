/**
 * The line layer: the Protocol that turns a byte stream into lines for a session, and a
 * session's rendered output back into bytes. The line door runs it straight on TCP; the telnet
 * door runs it on top of the telnet protocol (which is a Transport to it).
 */
import { InputBudget, InputTurns } from "../../src/reactor/input-budget.js";
import type { DisconnectReason, HalfCloseableProtocol, Transport } from "../../src/reactor/interfaces.js";
import { reason } from "../../src/reactor/interfaces.js";
import type { RenderVariant, SessionEndpoint, SessionHandle, SessionOpener } from "../../src/session/endpoint.js";
import { colourDepth, terminalVariant } from "../../src/session/colour-mode.js";
import { INITIAL_CAPS } from "../../src/session/initial-caps.js";
import { lineTooLongMessage } from "../../src/session/line-too-long.js";
import type { ClientCapabilities, ColourMode, Door } from "../../src/session/messages.js";
import { formatMsspReply, isMsspRequest, type MsspProvider } from "../telnet/mssp.js";
import { LineFramer, looksLikeHttp, type FramerEvent } from "./framer.js";

/** What the layer below can do beyond moving bytes (telnet can; the raw line door cannot). */
export interface LineControls {
  /** Turns the client's local echo on or off (telnet ECHO). */
  setEcho(on: boolean): void;
  /** Marks the end of a prompt, at most once per prompt (telnet EOR or GA). */
  endOfPrompt(): void;
  /** Sends out-of-band data (telnet GMCP); absent: the layer below cannot, and it is dropped. */
  sendOob?(channel: string, data: unknown): void;
  /**
   * Whether the client, while its echo was off, did not echo the line end either, so the
   * cursor still sits after the password prompt when echo comes back: telnet clients. The
   * session then moves it to a fresh line itself (presentation is the door's, not the world's).
   */
  readonly lineEndAfterHiddenInput?: boolean;
}

const CRLF = Buffer.from("\r\n");

/**
 * The operator's input limits, the same on every TCP door (`limits.*`). Required: their
 * defaults are written once, in config/default.yaml (issue 10), and the compiler makes every
 * door pass the configured values.
 */
export interface LineLimits {
  /** Longest line accepted, in bytes (hardening L2; `limits.maxLineBytes`). */
  readonly maxLineBytes: number;
  /** Most bytes held without a line end before the connection is closed (hardening L3; `limits.maxInputBufferBytes`). */
  readonly maxBufferBytes: number;
  /** Lines handled per reactor turn before reading pauses (issue 5 item 3; `limits.inputLinesPerTurn`). */
  readonly inputLinesPerTurn: number;
  /** Bytes framed per reactor turn before reading pauses (issue 5 item 3; `limits.inputBytesPerTurn`). */
  readonly inputBytesPerTurn: number;
}

/** Options of a {@link LineSession}. */
export interface LineSessionOptions extends LineLimits {
  readonly door: Door;
  /** How this connection's output is rendered; with {@link colour}, until the client or the player says otherwise. */
  readonly variant: RenderVariant;
  /**
   * Whether the variant follows colour (issue 8): what the client announces (`caps.colour`,
   * `caps.ansi`) and the player's `color` choice pick plain, ansi, ansi256 or truecolor
   * (src/session/colour-mode.ts). Telnet sets it. Default false: `variant` for the connection's
   * life and the choice ignored, as the line door must never send a control byte (hardening T11).
   */
  readonly colour?: boolean;
  /**
   * What the client is assumed to support before any negotiation. Default: the door's entry
   * in {@link INITIAL_CAPS} (src/session/initial-caps.ts), the one place doors' defaults live.
   */
  readonly caps?: ClientCapabilities;
  /** Told to someone who speaks HTTP to this port (hardening L6); a function, as the HTTP port is known only once bound. */
  readonly httpHint?: () => string;
  /**
   * What a plain-text `MSSP-REQUEST` is answered with (issue 8; protocols/telnet/mssp.ts), asked
   * afresh each time. Without it (the default) the line goes to the world like any other.
   */
  readonly mssp?: MsspProvider;
  /**
   * Applied to every rendered message while the client's capabilities say `utf8: false` (it
   * refused UTF-8; issue 8): telnet passes ASCII transliteration. Per recipient, so the hub's
   * render cache is untouched. Default none: output goes as rendered.
   */
  readonly transliterate?: (payload: Uint8Array) => Uint8Array;
  /** The reactor's turn counter, shared by every connection (issue 5 item 3). Default: one of its own. */
  readonly inputTurns?: InputTurns;
}

/** Columns to wrap at for a terminal `columns` wide: one spare, as terminals without deferred wrap would add a blank line. */
function wrapWidth(columns: number): number {
  return Math.max(1, columns - 1);
}

/**
 * The endpoint a line session hands the hub. `width` and `variant` are plain fields, not
 * getters: the hub reads them for every recipient of every message (a getter showed as 2.4% of
 * CPU under the broadcast bench). A class, not an object literal of closures: the literal (a
 * getter, four arrows and a spread) cost ~1 KiB per connection, most of it a dictionary-mode
 * property store (issue 11 target 3).
 */
class LineEndpoint implements SessionEndpoint {
  variant: RenderVariant;
  width: number;
  protected readonly session: LineSession;
  readonly #transport: Transport;

  constructor(session: LineSession, transport: Transport, variant: RenderVariant, width: number) {
    this.session = session;
    this.#transport = transport;
    this.variant = variant;
    this.width = width;
  }

  get backlogBytes(): number {
    return this.#transport.bufferedBytes;
  }

  sendRendered(payload: Uint8Array, kind: "line" | "prompt"): void {
    this.session.sendRendered(payload, kind);
  }

  // The raw line door has no channel for out-of-band data and drops it; telnet has GMCP.
  sendOob(channel: string, data: unknown): void {
    this.session.sendOob(channel, data);
  }

  setEcho(on: boolean): void {
    this.session.setEcho(on);
  }

  close(why: DisconnectReason): void {
    this.#transport.loseConnection(why);
  }
}

/** The endpoint of a session whose variant follows colour (telnet): it takes the player's choice. */
class ColourLineEndpoint extends LineEndpoint {
  setColour(mode: ColourMode): void {
    this.session.setColour(mode);
  }
}

/**
 * One connection's line layer, bound to one session.
 *
 * Input is framed within a budget of lines and bytes per reactor turn (issue 5 item 3): once it
 * is spent, reading pauses, the unread rest of the chunk in hand waits (a view, not a copy), and
 * framing carries on at the next turn. Nothing is queued beyond the chunk already read: the
 * telnet layer below may hand over the rest of its chunk after the pause, and that is all.
 *
 * A half-close (issue 5 item 15) finishes the input: the lines already received, then a last
 * line without a line end, then the session is told that input ended and closes once its
 * answers are out.
 */
export class LineSession implements HalfCloseableProtocol {
  readonly #opener: SessionOpener;
  readonly #options: LineSessionOptions;
  readonly #framer: LineFramer;
  readonly #budget: InputBudget;
  /** Input received and not yet framed, oldest first: views into chunks already read. */
  #backlog: Uint8Array[] = [];
  /** Reading is paused until the next turn. */
  #paused = false;
  /** The peer half-closed; #finishInput runs once the backlog is framed. */
  #inputEnded = false;
  #inputFinished = false;
  #transport: Transport | undefined;
  #handle: SessionHandle | undefined;
  #controls: LineControls | undefined;
  #sawFirstLine = false;
  /** The session has been given a line with something in it: the login dialog has begun. */
  #sawText = false;
  /** Columns to wrap at until the endpoint exists (NAWS may arrive first). */
  #width: number;
  /** What the client announced last (with `colour`, it picks the variant). */
  #caps: ClientCapabilities;
  /** The player's colour choice; `on` (follow the client) until the world says otherwise. */
  #colourMode: ColourMode = "on";
  /** The variant until the endpoint exists. */
  #variant: RenderVariant;
  #endpointObject: LineEndpoint | undefined;
  /** {@link LineSessionOptions.transliterate} while the client refuses UTF-8, else undefined. */
  #transliterate: ((payload: Uint8Array) => Uint8Array) | undefined;

  constructor(opener: SessionOpener, options: LineSessionOptions) {
    this.#opener = opener;
    this.#options = options;
    this.#caps = options.caps ?? INITIAL_CAPS[options.door];
    this.#width = wrapWidth(this.#caps.width);
    this.#variant = options.variant;
    this.#framer = new LineFramer({ maxLineBytes: options.maxLineBytes, maxBufferBytes: options.maxBufferBytes });
    this.#budget = new InputBudget(options.inputTurns ?? new InputTurns(), {
      linesPerTurn: options.inputLinesPerTurn,
      bytesPerTurn: options.inputBytesPerTurn,
    });
  }

  /** Gives the layer access to the protocol below's controls. Call before `connectionMade`. */
  bindControls(controls: LineControls): void {
    this.#controls = controls;
  }

  /** The layer below learned something about the client (NAWS, TTYPE). */
  capabilities(caps: ClientCapabilities): void {
    this.#width = wrapWidth(caps.width);
    this.#caps = caps;
    this.#transliterate = caps.utf8 === false ? this.#options.transliterate : undefined;
    if (this.#endpointObject !== undefined) this.#endpointObject.width = this.#width;
    this.#followColour();
    this.#handle?.capabilities(caps);
  }

  /** With `colour`: renders at the depth the player's choice gives what the client announced. */
  #followColour(): void {
    if (this.#options.colour !== true) return;
    this.#variant = terminalVariant(colourDepth(this.#colourMode, this.#caps));
    if (this.#endpointObject !== undefined) this.#endpointObject.variant = this.#variant;
  }

  /** The layer below received out-of-band data from the client (telnet GMCP). */
  oob(channel: string, data: unknown): void {
    this.#handle?.oob(channel, data);
  }

  connectionMade(transport: Transport): void {
    this.#transport = transport;
    this.#endpointObject = this.#endpoint(transport);
    this.#handle = this.#opener.open(this.#options.door, transport.peer, this.#caps, this.#endpointObject);
  }

  dataReceived(data: Uint8Array): void {
    if (this.#transport === undefined || this.#handle === undefined || this.#inputEnded) return;
    this.#backlog.push(data);
    if (!this.#paused) this.#drain();
  }

  /** The peer half-closed: finish what it sent, then tell the session (issue 5 item 15). */
  readConnectionLost(): void {
    if (this.#transport === undefined || this.#handle === undefined || this.#inputEnded) return;
    this.#inputEnded = true;
    if (!this.#paused) this.#drain();
  }

  /** Frames the backlog within this turn's budget; pauses reading when the budget runs out. */
  #drain(): void {
    const transport = this.#transport!;
    const budget = this.#budget;
    const backlog = this.#backlog;
    while (backlog.length > 0) {
      if (!transport.connected) {
        backlog.length = 0;
        return;
      }
      if (!budget.available) {
        this.#pause();
        return;
      }
      const chunk = backlog[0]!;
      const { events, consumed } = this.#framer.feedUpTo(chunk.subarray(0, budget.bytesLeft), budget.linesLeft);
      budget.spend(events.length, consumed);
      if (consumed >= chunk.length) backlog.shift();
      else backlog[0] = chunk.subarray(consumed);
      this.#dispatch(events);
    }
    // A fresh array once emptied: the old one keeps the backing store its pushes grew, ~150 B on
    // every idle connection (issue 11 target 3).
    if (backlog.length === 0 && backlog === this.#backlog) this.#backlog = [];
    if (this.#inputEnded) this.#finishInput();
  }

  #pause(): void {
    this.#paused = true;
    this.#transport?.pauseProducing();
    this.#budget.callNextTurn(() => this.#resume());
  }

  #resume(): void {
    this.#paused = false;
    this.#drain();
    if (!this.#paused) this.#transport?.resumeProducing();
  }

  #finishInput(): void {
    if (this.#inputFinished) return;
    this.#inputFinished = true;
    this.#dispatch(this.#framer.end());
    if (this.#transport?.connected === true) this.#handle?.inputEnded();
  }

  #dispatch(events: readonly FramerEvent[]): void {
    const transport = this.#transport;
    const handle = this.#handle;
    if (transport === undefined || handle === undefined) return;
    for (const event of events) {
      if (!transport.connected) return;
      switch (event.type) {
        case "line":
          if (!this.#sawFirstLine) {
            this.#sawFirstLine = true;
            if (looksLikeHttp(event.text)) {
              // The greeting and its prompt went out on connect: start the hint on a line of its own.
              transport.write(`\r\n${this.#options.httpHint?.() ?? "This port speaks lines of text, not HTTP."}\r\n`);
              transport.loseConnection(reason("wrong-protocol", `an HTTP request on the ${this.#options.door} port`));
              return;
            }
          }
          if (!this.#sawText) {
            // A crawler's plain-text MSSP request, before login: the door answers, not the world,
            // and the connection has served its purpose. One reply per connection, so the
            // existing connection caps and rate limits bound the work.
            if (this.#options.mssp !== undefined && isMsspRequest(event.text)) {
              transport.write(formatMsspReply(this.#options.mssp()));
              transport.loseConnection(reason("status-answered", `MSSP-REQUEST on the ${this.#options.door} port`));
              return;
            }
            this.#sawText = event.text.trim() !== "";
          }
          handle.line(event.text);
          break;
        case "line-too-long":
          transport.write(`${lineTooLongMessage(event.bytes, this.#options.maxLineBytes)}\r\n`);
          break;
        case "overflow":
          transport.write("Too much input without a line end; closing the connection.\r\n");
          transport.loseConnection(reason("input-overflow", `${event.bytes} bytes without a line end`));
          return;
        default: {
          const unreachable: never = event;
          throw new Error(`unknown framer event ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }

  connectionLost(why: DisconnectReason): void {
    this.#backlog = [];
    this.#handle?.closed(why);
  }

  #endpoint(transport: Transport): LineEndpoint {
    return this.#options.colour === true
      ? new ColourLineEndpoint(this, transport, this.#variant, this.#width)
      : new LineEndpoint(this, transport, this.#variant, this.#width);
  }

  /** For the endpoint: queues one rendered message. */
  sendRendered(payload: Uint8Array, kind: "line" | "prompt"): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    transport.write(this.#transliterate === undefined ? payload : this.#transliterate(payload));
    if (kind === "prompt") this.#controls?.endOfPrompt();
  }

  /** For the endpoint: out-of-band data, if the layer below has a channel for it. */
  sendOob(channel: string, data: unknown): void {
    this.#controls?.sendOob?.(channel, data);
  }

  /** For the endpoint: the client's local echo. */
  setEcho(on: boolean): void {
    this.#controls?.setEcho(on);
    if (on && this.#controls?.lineEndAfterHiddenInput === true) this.#transport?.write(CRLF);
  }

  /** For the endpoint, with `colour`: the player's colour choice. */
  setColour(mode: ColourMode): void {
    this.#colourMode = mode;
    this.#followColour();
  }
}
