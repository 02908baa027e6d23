/**
 * The line layer: the Protocol that turns a byte stream into lines for a session, and a
 * session's rendered output back into bytes. The line door runs it straight on TCP; the telnet
 * door runs it on top of the telnet protocol (which is a Transport to it).
 */
import type { DisconnectReason, Protocol, Transport } from "../../src/reactor/interfaces.js";
import { reason } from "../../src/reactor/interfaces.js";
import type { RenderVariant, SessionEndpoint, SessionHandle, SessionOpener } from "../../src/session/endpoint.js";
import type { ClientCapabilities, Door } from "../../src/session/messages.js";
import { LineFramer, looksLikeHttp } from "./framer.js";

/** What the layer below can do beyond moving bytes (telnet can; the raw line door cannot). */
export interface LineControls {
  /** Turns the client's local echo on or off (telnet ECHO). */
  setEcho(on: boolean): void;
  /** Marks the end of a prompt (telnet GA). */
  endOfPrompt(): void;
}

/** Options of a {@link LineSession}. */
export interface LineSessionOptions {
  readonly door: Door;
  /** How this connection's output is rendered. */
  readonly variant: RenderVariant;
  /** What the client is assumed to support before any negotiation. */
  readonly caps: ClientCapabilities;
  /** Longest line accepted, in bytes (hardening L2). Default 2048. */
  readonly maxLineBytes?: number;
  /** Most bytes held without a line end before the connection is closed (hardening L3). Default 16384. */
  readonly maxBufferBytes?: number;
  /** Told to someone who speaks HTTP to this port (hardening L6); a function, as the HTTP port is known only once bound. */
  readonly httpHint?: () => string;
}

/** Columns to wrap at for a terminal `columns` wide: one spare, as terminals without deferred wrap would add a blank line. */
function wrapWidth(columns: number): number {
  return Math.max(1, columns - 1);
}

/**
 * The endpoint a line session hands the hub. `width` is a plain field, not a getter: the hub
 * reads it for every recipient of every message (a getter showed as 2.4% of CPU under the
 * broadcast bench).
 */
type LineEndpoint = SessionEndpoint & { width: number };

/** One connection's line layer, bound to one session. */
export class LineSession implements Protocol {
  readonly #opener: SessionOpener;
  readonly #options: LineSessionOptions;
  readonly #framer: LineFramer;
  #transport: Transport | undefined;
  #handle: SessionHandle | undefined;
  #controls: LineControls | undefined;
  #sawFirstLine = false;
  /** Columns to wrap at until the endpoint exists (NAWS may arrive first). */
  #width: number;
  #endpointObject: LineEndpoint | undefined;

  constructor(opener: SessionOpener, options: LineSessionOptions) {
    this.#opener = opener;
    this.#options = options;
    this.#width = wrapWidth(options.caps.width);
    this.#framer = new LineFramer({
      maxLineBytes: options.maxLineBytes ?? 2048,
      maxBufferBytes: options.maxBufferBytes ?? 16384,
    });
  }

  /** Gives the layer access to the protocol below's controls. Call before `connectionMade`. */
  bindControls(controls: LineControls): void {
    this.#controls = controls;
  }

  /** The layer below learned something about the client (NAWS, TTYPE). */
  capabilities(caps: ClientCapabilities): void {
    this.#width = wrapWidth(caps.width);
    if (this.#endpointObject !== undefined) this.#endpointObject.width = this.#width;
    this.#handle?.capabilities(caps);
  }

  connectionMade(transport: Transport): void {
    this.#transport = transport;
    this.#endpointObject = this.#endpoint(transport);
    this.#handle = this.#opener.open(this.#options.door, transport.peer, this.#options.caps, this.#endpointObject);
  }

  dataReceived(data: Uint8Array): void {
    const transport = this.#transport;
    const handle = this.#handle;
    if (transport === undefined || handle === undefined) return;
    for (const event of this.#framer.feed(data)) {
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
          handle.line(event.text);
          break;
        case "line-too-long":
          transport.write(
            `Line too long (${event.bytes} bytes; the limit is ${this.#options.maxLineBytes ?? 2048}). It was not run.\r\n`,
          );
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
    this.#handle?.closed(why);
  }

  #endpoint(transport: Transport): LineEndpoint {
    return {
      variant: this.#options.variant,
      width: this.#width,
      sendRendered: (payload, kind) => {
        transport.write(payload);
        if (kind === "prompt") this.#controls?.endOfPrompt();
      },
      // Out-of-band data needs a channel the line door does not have; telnet will add GMCP.
      sendOob: () => {},
      setEcho: (on) => this.#controls?.setEcho(on),
      close: (why) => transport.loseConnection(why),
    };
  }
}
