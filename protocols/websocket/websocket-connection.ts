/**
 * One accepted WebSocket: the session's endpoint (output) and the source of its input, in the
 * wire mode its subprotocol chose (subprotocols.ts): what its text and binary frames carry.
 *
 * Output is queued and written once per reactor turn: at flush every queued payload becomes a
 * frame (text, or binary for a mudstandards.org terminal stream), all of them encoded into one
 * buffer (frame-encoder.ts) that goes to the raw socket in one `write` (brief, "One `write` per
 * connection per reactor turn"; issue 11 targets 1 and 5). Output is bounded by
 * `maxOutputBytes`, counting `ws.bufferedAmount`: a client that stops reading is cut off
 * (hardening S2). The queue is the TCP transport's own
 * (src/reactor/output-queue.ts), so both doors coalesce and bound output the same way.
 */
import { isUtf8 } from "node:buffer";
import type { Logger } from "pino";
import type { Duplex } from "node:stream";
import { WebSocket, type RawData } from "ws";
import { LogLimit } from "../../src/log-limit.js";
import { OutputQueue } from "../../src/reactor/output-queue.js";
import type { Clock, DelayedCall } from "../../src/reactor/clock.js";
import { InputBudget, type InputTurns } from "../../src/reactor/input-budget.js";
import { reason, type DisconnectReason, type PeerAddress } from "../../src/reactor/interfaces.js";
import { type Flushable, NEVER_FLUSHED, type TurnQueue } from "../../src/reactor/turn-queue.js";
import { colourDepth, terminalVariant } from "../../src/session/colour-mode.js";
import type { RenderVariant, SessionEndpoint, SessionHandle, SessionOpener } from "../../src/session/endpoint.js";
import { INITIAL_CAPS } from "../../src/session/initial-caps.js";
import { lineTooLongMessage } from "../../src/session/line-too-long.js";
import { line, styled, type ClientCapabilities, type ColourMode, type OutputMessage, type SessionId } from "../../src/session/messages.js";
import { terminalRenderers } from "../../src/session/render.js";
import { encodeFrames, type OutgoingFrame } from "./frame-encoder.js";
import { readOobFrame, TextFrameReader, type InputEvent } from "./input-frames.js";
import { renderWsEcho, renderWsJson, renderWsOob, renderWsText } from "./render.js";
import { isTerminalStream, type WireMode } from "./subprotocols.js";
import { WebSocketGmcp } from "./websocket-gmcp.js";
import type { ResolvedWebSocketDoorOptions } from "./websocket-options.js";

/** What a connection needs from its door. */
export interface WebSocketConnectionContext {
  readonly ws: WebSocket;
  /** The raw socket under `ws`: each flush writes its frames to it in one `write`. */
  readonly socket: Duplex;
  readonly peer: PeerAddress;
  /** What the frames carry, from the selected subprotocol. */
  readonly mode: WireMode;
  readonly options: ResolvedWebSocketDoorOptions;
  readonly turns: TurnQueue;
  /** The reactor's turn counter: input is read within a budget per turn (issue 5 item 3). */
  readonly inputTurns: InputTurns;
  /** Times the close handshake (issue 5 item 12). */
  readonly clock: Clock;
  /** The door's logger; the connection makes a child. */
  readonly logger: Logger;
  /** Called once, when the socket has closed. */
  readonly onClosed: (connection: WebSocketConnection) => void;
}

/** The size of a queued frame: one function for every connection, not a closure each (issue 11 target 3). */
function frameBytes(frame: OutgoingFrame): number {
  return frame.data.byteLength;
}

/**
 * One client frame not yet fully read: `commands` (lines of input), `oob` (a `gmcp.` or `json.`
 * text frame) or `refused` (a binary frame where only text frames carry commands).
 */
interface InboxFrame {
  readonly kind: "commands" | "oob" | "refused";
  readonly text: string;
  at: number;
}

/** Longest close reason a close frame may carry, in bytes (RFC 6455 §5.5: 125 minus the code). */
const MAX_CLOSE_REASON_BYTES = 123;

/** One WebSocket connection. Built by the door, started once with {@link start}. */
/** The door name WebSocket connections carry in the reactor's registry of live connections. */
export const WEBSOCKET_DOOR = "websocket";

export class WebSocketConnection implements SessionEndpoint, Flushable {
  /** The door, as the registry of live connections counts it. */
  readonly door = WEBSOCKET_DOOR;
  /**
   * `ws-json` under `loom.v1.json`, `ws-text` without a subprotocol, and for the mudstandards.org
   * terminal streams the terminal variant of the player's colour choice (`ansi` until they make
   * one). A plain field, read by the hub for every message.
   */
  variant: RenderVariant;
  /**
   * Columns the session hub wraps this client's text at (hardening E9): the width of its last
   * caps frame, clamped as NAWS is, or undefined (no wrapping, the client's own) until a caps
   * frame reports one and after one reports 0. Unlike the terminal doors' NAWS width it keeps
   * every column: the page measures whole cells inside its output area and lays text out with
   * `pre-wrap`, so a line exactly that wide fits, with no terminal's deferred wrap to allow for.
   * A `json.mudstandards.org` NAWS envelope is a terminal's size, so there one column is kept
   * spare, as the telnet door does.
   *
   * A plain field, written only by this connection, not a getter: the hub reads it for every
   * recipient of every message as part of its render cache key (a getter on the line door's
   * endpoint showed as 2.4% of CPU under the broadcast bench).
   */
  width: number | undefined = undefined;
  readonly #ws: WebSocket;
  readonly #socket: Duplex;
  readonly #peer: PeerAddress;
  readonly #mode: WireMode;
  /**
   * The GMCP conversation under `gmcp.` and `json.` (telnet's, protocols/gmcp/): `Core.*`, and
   * which out-of-band messages `Core.Supports` lets through. Undefined otherwise.
   */
  readonly #gmcp: WebSocketGmcp | undefined;
  /** What the session was last told about the client. */
  #caps: ClientCapabilities;
  readonly #options: ResolvedWebSocketDoorOptions;
  readonly #clock: Clock;
  /** Set once our close frame is out: the peer's time to answer it. */
  #closeTimer: DelayedCall | undefined;
  readonly #onClosed: (connection: WebSocketConnection) => void;
  readonly #reader: TextFrameReader;
  readonly #budget: InputBudget;
  /**
   * Frames received and not yet fully read, oldest first. Past the turn's budget the socket is
   * paused, so this holds at most what `ws` had already parsed from the chunk in hand (issue 5
   * item 3).
   */
  #inbox: InboxFrame[] = [];
  #paused = false;
  /**
   * Errors a peer can repeat (a failing command, a protocol error): the first logged, the rest
   * counted (issue 5 item 8). Made at the first such error, through {@link #peerErrors}.
   */
  #peerErrorLog: LogLimit | undefined;
  /**
   * The door's logger, and this connection's child of it, made on first use through {@link #log}:
   * an idle connection logs only its connect and disconnect lines, written through the door's
   * logger with the same fields, and the two child loggers it used to hold cost ~1 KiB each
   * connection (issue 11 target 3).
   */
  readonly #logParent: Logger;
  #logChild: Logger | undefined;
  #handle: SessionHandle | undefined;
  /** This turn's frames, bounded with `ws.bufferedAmount` (S2): the reactor's queue (src/reactor/output-queue.ts). */
  readonly #out: OutputQueue<OutgoingFrame>;
  /** Set when the end is decided here (close, overflow, ping timeout); the first one counts. */
  #ending: DisconnectReason | undefined;
  /** Set by a `ws` protocol error (1007, 1009, bad frame): the peer broke the protocol. */
  #protocolError: string | undefined;
  #socketError: string | undefined;
  /** Anything (a pong, a message) heard since the last ping. */
  #heard = true;
  #closed = false;
  /** Kept by the {@link TurnQueue} for output pacing (issue 11). */
  lastFlushAt = NEVER_FLUSHED;
  /** The peer has sent a message since the last flush: its answer is not paced. */
  answerDue = false;

  constructor(context: WebSocketConnectionContext) {
    const mode = context.mode;
    this.#mode = mode;
    this.#caps = isTerminalStream(mode) ? INITIAL_CAPS.terminalStream : INITIAL_CAPS.websocket;
    this.variant = mode === "loom-json" ? "ws-json" : mode === "text" ? "ws-text" : terminalVariant(colourDepth("on", this.#caps));
    const ws = context.ws;
    this.#ws = ws;
    this.#socket = context.socket;
    this.#peer = context.peer;
    this.#options = context.options;
    this.#out = new OutputQueue<OutgoingFrame>(this, context.turns, {
      maxBytes: context.options.maxOutputBytes,
      sizeOf: frameBytes,
      // Over `ws` alone: a closure over `context` kept the whole context alive (~100 B a connection).
      below: () => ws.bufferedAmount,
      // Every write below the queue says so (wroteBelow): our flush, our pings and close frame,
      // and the pong `ws` sends for each of the peer's pings (the "ping" listener).
    });
    this.#clock = context.clock;
    this.#onClosed = context.onClosed;
    this.#reader = new TextFrameReader({ json: mode === "loom-json", maxLineBytes: context.options.maxLineBytes });
    this.#budget = new InputBudget(context.inputTurns, {
      linesPerTurn: context.options.inputLinesPerTurn,
      bytesPerTurn: context.options.inputBytesPerTurn,
    });
    this.#logParent = context.logger;
    if (mode === "gmcp" || mode === "json") {
      this.#gmcp = new WebSocketGmcp(
        mode,
        {
          sendText: (text) => this.#enqueue(Buffer.from(text, "utf8"), false),
          hello: (client) => {
            this.#caps = { ...this.#caps, client };
            this.#handle?.capabilities(this.#caps);
          },
          pass: (name, data) => this.#handle?.oob(name, data),
          rejected: (code, detail) => {
            if (this.#peerErrors.allow()) this.#log.info({ code, why: detail, notLogged: this.#peerErrors.takeSuppressed() }, "GMCP message ignored");
          },
          unencodable: (name, err) => this.#log.warn({ channel: name, ...(err !== undefined ? { err } : {}) }, "out-of-band data not serialisable; dropped"),
        },
        context.clock,
      );
    }
  }

  /**
   * Each connection by its `ws` socket and its raw socket, for the six listeners below: shared
   * by every connection instead of closures of its own (~300 B for five, with their context; issue 11
   * target 3). A listener is called with its emitter as `this`; the entries go with the sockets.
   */
  static readonly #byEmitter = new WeakMap<object, WebSocketConnection>();
  static readonly #onMessageEvent = function (this: WebSocket, data: RawData, isBinary: boolean): void {
    const connection = WebSocketConnection.#byEmitter.get(this);
    if (connection !== undefined) connection.#onMessage(data, isBinary);
  };
  static readonly #onPongEvent = function (this: WebSocket): void {
    const connection = WebSocketConnection.#byEmitter.get(this);
    if (connection !== undefined) connection.#heard = true;
  };
  /** `ws` has just written its pong to the peer's ping, beside the queue. */
  static readonly #onPingEvent = function (this: WebSocket): void {
    const connection = WebSocketConnection.#byEmitter.get(this);
    if (connection !== undefined) connection.#out.wroteBelow();
  };
  static readonly #onErrorEvent = function (this: WebSocket, err: Error & { code?: string }): void {
    const connection = WebSocketConnection.#byEmitter.get(this);
    if (connection === undefined) return;
    // `ws` emits 'error' only for protocol violations, then closes with the matching code
    // (1007 invalid UTF-8, 1009 too big, 1002 bad frame). Socket errors come below.
    connection.#protocolError ??= err.message;
    if (connection.#peerErrors.allow()) connection.#log.warn({ code: err.code, err: err.message }, "websocket protocol error");
  };
  static readonly #onCloseEvent = function (this: WebSocket, code: number): void {
    const connection = WebSocketConnection.#byEmitter.get(this);
    if (connection !== undefined) connection.#onClose(code);
  };
  static readonly #onSocketErrorEvent = function (this: Duplex, err: NodeJS.ErrnoException): void {
    const connection = WebSocketConnection.#byEmitter.get(this);
    if (connection !== undefined) connection.#socketError ??= err.code ?? err.message;
  };

  /** The fields every line about this connection carries: its peer and mode, then its session once open. */
  #bindings(): { peer: string; mode: WireMode; session?: SessionId } {
    const handle = this.#handle;
    return handle === undefined ? { peer: this.#peer.address, mode: this.#mode } : { peer: this.#peer.address, mode: this.#mode, session: handle.id };
  }

  /** This connection's logger, made on first use. */
  get #log(): Logger {
    return (this.#logChild ??= this.#logParent.child(this.#bindings()));
  }

  /** The repeatable-error log limit, made on first use. */
  get #peerErrors(): LogLimit {
    return (this.#peerErrorLog ??= new LogLimit(this.#clock));
  }

  /** Wires the socket's events and opens the session. Call once. */
  start(opener: SessionOpener): void {
    const ws = this.#ws;
    WebSocketConnection.#byEmitter.set(ws, this);
    WebSocketConnection.#byEmitter.set(this.#socket, this);
    ws.on("message", WebSocketConnection.#onMessageEvent);
    ws.on("pong", WebSocketConnection.#onPongEvent);
    ws.on("ping", WebSocketConnection.#onPingEvent);
    ws.on("error", WebSocketConnection.#onErrorEvent);
    ws.on("close", WebSocketConnection.#onCloseEvent);
    this.#socket.on("error", WebSocketConnection.#onSocketErrorEvent);
    try {
      this.#handle = opener.open("websocket", this.#peer, this.#caps, this);
      // A child made before the session existed lacks its id: made afresh on next use.
      this.#logChild = undefined;
      this.#logParent.info(this.#bindings(), "websocket connected");
    } catch (err) {
      this.#log.error({ err }, "session opener failed");
      this.#ending ??= reason("refused", "the server could not open a session");
      this.#closeHandshake(1011, "server error");
    }
  }

  /** Output not yet taken by the client: `ws.bufferedAmount` plus this turn's queue (issue 5 item 9). */
  get backlogBytes(): number {
    return this.#out.backlogBytes;
  }

  sendRendered(payload: Uint8Array, _kind: "line" | "prompt"): void {
    // A WebSocket frame is the message boundary, so lines and prompts travel alike (a terminal
    // stream has no GA or EOR to end a prompt with: the frame ends it).
    this.#enqueue(payload, isTerminalStream(this.#mode));
  }

  sendOob(channel: string, data: unknown): void {
    switch (this.#mode) {
      case "loom-json": {
        const frame = renderWsOob(channel, data);
        if (frame === undefined) {
          this.#log.warn({ channel }, "out-of-band data not serialisable; dropped");
          return;
        }
        this.#enqueue(Buffer.from(frame, "utf8"), false);
        return;
      }
      case "gmcp":
      case "json":
        // Sent if Core.Supports allows it; state messages are kept to be sent once it does.
        this.#gmcp?.send(channel, data);
        return;
      case "text":
      case "terminal":
        return;
      default: {
        const unreachable: never = this.#mode;
        return unreachable;
      }
    }
  }

  setEcho(on: boolean): void {
    // Queued with the text, so "Password: " and echo-off reach the browser in order. The other
    // modes have no way to say it: a terminal stream has no telnet ECHO, GMCP no standard message.
    if (this.#mode === "loom-json") this.#enqueue(Buffer.from(renderWsEcho(on), "utf8"), false);
  }

  /**
   * The player's colour choice (`color`, issue 8). A terminal stream renders at the depth it
   * gives, as telnet does (src/session/colour-mode.ts); the browser (`loom.v1.json`) styles with
   * CSS classes and `ws-text` has no colour, so both ignore it.
   */
  setColour(mode: ColourMode): void {
    if (isTerminalStream(this.#mode)) this.variant = terminalVariant(colourDepth(mode, this.#caps));
  }

  close(why: DisconnectReason): void {
    if (this.#ending !== undefined || this.#closed) return;
    this.#ending = why;
    if (why.code === "output-overflow") {
      this.#dropQueue();
      this.#ws.terminate();
      return;
    }
    this.flush();
    this.#closeHandshake(why.code === "shutdown" ? 1001 : 1000, closeReasonText(why.message));
  }

  /**
   * Destroys the socket without a close handshake or a flush: the end of the shutdown budget, for
   * a peer that never answered {@link close}. The first reason given still counts.
   */
  abort(why: DisconnectReason): void {
    if (this.#closed) return;
    this.#ending ??= why;
    this.#dropQueue();
    this.#ws.terminate();
  }

  /**
   * Writes everything queued as one buffer of whole frames, in one `write` on the raw socket.
   * Called by the TurnQueue at the end of the turn.
   *
   * Through `ws.send`, each frame was a header and a payload buffer, so a corked flush of k
   * frames reached libuv as a `writev` of 2k chunks through Node's per-chunk stream bookkeeping
   * (`writev` was 9.0% of the server's core in the mixed-play profile; issue 11 target 5).
   * Writing beside `ws` is safe because its Sender (ws 8.23, lib/sender.js) queues only while
   * it deflates or reads a Blob: Loom never negotiates permessage-deflate (websocket-door.ts)
   * nor sends a Blob, so its pings, pongs and close frame go straight to the socket too, in
   * call order with ours, never between two of our frames. Were deflate ever negotiated, these
   * frames would still be valid (RSV1 clear marks an uncompressed message, RFC 7692 §6), just
   * not compressed. `ws.bufferedAmount` still counts them (S2): it is the socket's writable
   * length plus the Sender's own buffered bytes.
   */
  flush(): void {
    // Not OPEN: our close frame has gone, or is going (ws.close, the peer's close, a socket
    // error or end), and no data frame may follow it (RFC 6455 §5.5.1): the queue is dropped.
    const open = this.#ws.readyState === WebSocket.OPEN;
    const frames = this.#out.drain((items, count) => (open ? encodeFrames(items, count) : undefined));
    if (frames === undefined) return;
    this.#socket.write(frames);
    this.#out.wroteBelow();
    if (this.#ws.bufferedAmount > this.#options.maxOutputBytes) this.#overflow();
  }

  /**
   * One keepalive tick (hardening F9): a connection silent since the previous tick is
   * terminated, any other is pinged. Called by the door on its Clock.
   */
  heartbeat(): void {
    if (this.#closed || this.#ending !== undefined) return;
    if (!this.#heard) {
      this.#ending = reason("peer-error", `no answer to a ping within ${this.#options.pingIntervalMs} ms`);
      this.#log.info("websocket peer unresponsive; terminating");
      this.#ws.terminate();
      return;
    }
    this.#heard = false;
    this.#ws.ping();
    this.#out.wroteBelow();
  }

  /**
   * Sends a close frame and gives the peer `closeTimeoutMs` to answer it before the socket is
   * destroyed (issue 5 item 12). `ws` alone waits 30 s, so a client that ignores close frames
   * held its socket that long past every timeout that closed it.
   */
  #closeHandshake(code: number, text: string): void {
    this.#ws.close(code, text);
    this.#out.wroteBelow();
    if (this.#closed || this.#closeTimer !== undefined) return;
    this.#closeTimer = this.#clock.callLater(this.#options.closeTimeoutMs, () => {
      if (this.#closed) return;
      this.#log.info({ closeTimeoutMs: this.#options.closeTimeoutMs }, "websocket peer ignored the close frame; terminating");
      this.#ws.terminate();
    });
  }

  #enqueue(payload: Uint8Array, binary: boolean): void {
    if (this.#ending !== undefined || this.#closed) return;
    if (!this.#out.push({ data: payload, binary })) this.#overflow();
  }

  #dropQueue(): void {
    this.#out.clear();
  }

  #overflow(): void {
    if (this.#ending !== undefined) return;
    const limit = this.#options.maxOutputBytes;
    this.#ending = reason("output-overflow", `more than ${limit} bytes of output waiting; the client is not reading`);
    this.#log.warn({ bufferedAmount: this.#ws.bufferedAmount, queued: this.#out.queuedBytes, limit }, "websocket output overflow; disconnecting");
    this.#dropQueue();
    // No close handshake: the peer is not reading, so a close frame would only queue behind the rest.
    this.#ws.terminate();
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    this.#heard = true;
    this.answerDue = true;
    if (this.#ending !== undefined || this.#closed) return;
    const mode = this.#mode;
    if (!isBinary) {
      // `ws` has already checked the UTF-8 (a bad text frame closes with 1007, hardening W2).
      this.#inbox.push({ kind: mode === "gmcp" || mode === "json" ? "oob" : "commands", text: toBuffer(data).toString("utf8"), at: 0 });
    } else if (!isTerminalStream(mode)) {
      this.#inbox.push({ kind: "refused", text: "", at: 0 });
    } else {
      const bytes = toBuffer(data);
      // The terminal stream is UTF-8 (mudstandards.org), and `ws` checks only text frames: W2
      // holds for these binary frames too, with the close code RFC 6455 §7.4.1 gives it.
      if (!isUtf8(bytes)) {
        this.#invalidUtf8();
        return;
      }
      this.#inbox.push({ kind: "commands", text: bytes.toString("utf8"), at: 0 });
    }
    if (!this.#paused) this.#drain();
  }

  /** Hardening W2 for binary frames: invalid UTF-8 closes with 1007, as `ws` does for text frames. */
  #invalidUtf8(): void {
    const what = "invalid UTF-8 in a binary frame";
    this.#protocolError ??= what;
    if (this.#peerErrors.allow()) this.#log.warn({ err: what }, "websocket protocol error");
    this.#ending = reason("protocol-error", what);
    this.#inbox = [];
    this.#dropQueue();
    this.#closeHandshake(1007, "invalid UTF-8");
  }

  /** Reads the inbox within this turn's budget; pauses the socket when the budget runs out. */
  #drain(): void {
    const inbox = this.#inbox;
    const budget = this.#budget;
    while (inbox.length > 0) {
      if (this.#ending !== undefined || this.#closed) {
        this.#inbox = [];
        return;
      }
      if (!budget.available) {
        this.#paused = true;
        this.#ws.pause();
        budget.callNextTurn(() => this.#resume());
        return;
      }
      const frame = inbox[0]!;
      if (frame.kind === "refused") {
        inbox.shift();
        budget.spend(1, 0);
        this.#reply(line(styled("error", "This door reads text frames only: send each command as a UTF-8 text frame.")));
        continue;
      }
      if (frame.kind === "oob") {
        inbox.shift();
        budget.spend(1, frame.text.length);
        if (this.#mode === "gmcp" || this.#mode === "json") this.#dispatch(readOobFrame(this.#mode, frame.text));
        continue;
      }
      const { events, next } = this.#reader.read(frame.text, frame.at, budget.linesLeft, budget.bytesLeft);
      budget.spend(events.length, next - frame.at);
      if (next >= frame.text.length) inbox.shift();
      else frame.at = next;
      for (const event of events) this.#dispatch(event);
    }
  }

  #resume(): void {
    this.#paused = false;
    this.#drain();
    if (!this.#paused && !this.#closed) this.#ws.resume();
  }

  #dispatch(event: InputEvent): void {
    const handle = this.#handle;
    if (handle === undefined) return;
    // Untrusted input never throws out of a data handler: a failing session call is logged and
    // the connection carries on (brief, "Reliability principles").
    try {
      switch (event.type) {
        case "line":
          handle.line(event.text);
          break;
        case "line-too-long":
          this.#reply(line(styled("error", lineTooLongMessage(event.bytes, this.#options.maxLineBytes))));
          break;
        case "oob":
          handle.oob(event.channel, event.data);
          break;
        case "caps":
          this.width = event.width === undefined || !isTerminalStream(this.#mode) ? event.width : Math.max(1, event.width - 1);
          this.#caps = { ...this.#caps, width: event.width ?? INITIAL_CAPS.websocket.width, height: event.height };
          handle.capabilities(this.#caps);
          break;
        case "gmcp":
          this.#gmcp?.receive(event.name, event.data);
          break;
        case "ignored":
          if (this.#peerErrors.allow()) this.#log.info({ why: event.why, notLogged: this.#peerErrors.takeSuppressed() }, "out-of-band frame ignored");
          break;
        default: {
          const unreachable: never = event;
          return unreachable;
        }
      }
    } catch (err) {
      if (this.#peerErrors.allow()) this.#log.error({ err, input: event.type }, "session failed on websocket input");
    }
  }

  /** Answers the client from the door itself (not through the session hub), in its own rendering. */
  #reply(message: OutputMessage): void {
    const variant = this.variant;
    switch (variant) {
      case "ws-json":
        this.#enqueue(Buffer.from(renderWsJson(message, this.width), "utf8"), false);
        return;
      case "ws-text":
        this.#enqueue(Buffer.from(renderWsText(message), "utf8"), false);
        return;
      default:
        this.#enqueue(terminalRenderers[variant](message, this.width), true);
    }
  }

  #onClose(code: number): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeTimer?.cancel();
    this.#dropQueue();
    const why =
      this.#ending ??
      (this.#protocolError !== undefined
        ? reason("protocol-error", this.#protocolError)
        : this.#socketError !== undefined
          ? reason("peer-error", this.#socketError)
          : reason("peer-closed", code === 1006 ? "the connection dropped without a close frame" : `closed by the client (${code})`));
    const errors = this.#peerErrorLog;
    const notLogged = errors?.takeSuppressed() ?? 0;
    this.#logParent.info({ ...this.#bindings(), code, reason: why.code, detail: why.message, ...(errors !== undefined && notLogged > 0 ? { errors: errors.total, errorsNotLogged: notLogged } : {}) }, "websocket disconnected");
    // The door forgets the connection first, so the session sees a consistent door when told.
    this.#onClosed(this);
    try {
      this.#handle?.closed(why);
    } catch (err) {
      this.#log.error({ err }, "session failed on close");
    }
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Cuts `text` to what a close frame can carry, never inside a UTF-8 sequence. */
function closeReasonText(text: string): string {
  if (Buffer.byteLength(text, "utf8") <= MAX_CLOSE_REASON_BYTES) return text;
  let out = "";
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, "utf8");
    if (bytes + n > MAX_CLOSE_REASON_BYTES) break;
    out += ch;
    bytes += n;
  }
  return out;
}
