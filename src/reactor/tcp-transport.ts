/**
 * The TCP Transport: one accepted `net.Socket`, its output queue, and the protocol above it.
 */
import type { Socket } from "node:net";
import type { Clock } from "./clock.js";
import type { DisconnectReason, EncodingTransport, OutputCodec, PeerAddress, Protocol } from "./interfaces.js";
import { isHalfCloseable, reason } from "./interfaces.js";
import { OutputQueue } from "./output-queue.js";
import { type Flushable, NEVER_FLUSHED, type TurnQueue } from "./turn-queue.js";

/** Limits of one TCP connection. */
export interface TcpTransportOptions {
  /**
   * Cap on queued output, counting the socket's own buffer (hardening S1; config
   * `limits.maxOutputBytes`). A client that stops reading passes it and is cut off rather than
   * buffered forever. With an output codec (MCCP2), this turn's output counts as written, before
   * compression, and what the socket holds counts as sent, compressed: both are what sits in memory.
   */
  readonly maxOutputBytes: number;
  /**
   * After `loseConnection`, how long a peer that does not read may hold the socket while our
   * last output drains, before it is destroyed. Default {@link DEFAULT_LINGER_MS}.
   */
  readonly lingerMs?: number;
  /**
   * Who the connection is from, when that is not the socket's remote end: the client a trusted
   * proxy's PROXY header named (hardening W6). Default: the socket's remote address and port.
   */
  readonly peer?: PeerAddress;
}

/** The size of a queued write: one function for every transport, not a closure each (issue 11 target 3). */
function byteLength(bytes: Uint8Array): number {
  return bytes.length;
}

/** The first `count` of `items` as one buffer: the one item itself, or a copy of them all, for one write. */
function joinBytes(items: readonly Uint8Array[], count: number, bytes: number): Uint8Array {
  if (count === 1) return items[0]!;
  // allocUnsafe, as Buffer.concat does: a small flush comes from Node's buffer pool, and every byte is written below.
  const joined = Buffer.allocUnsafe(bytes);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const item = items[i]!;
    joined.set(item, at);
    at += item.length;
  }
  return joined;
}

/** The default of {@link TcpTransportOptions.lingerMs}: a goodbye's drain time, not a setting. */
export const DEFAULT_LINGER_MS = 5000;

/**
 * Wraps a socket as a {@link Transport}. Writes are queued and handed to the kernel once per
 * reactor turn through the {@link TurnQueue}. `connectionLost` is called exactly once, when the
 * socket has closed, with the first reason recorded.
 *
 * Output can pass through an {@link OutputCodec} (MCCP2, issue 8): the queue is encoded once
 * per flush, so a compressed connection still costs one write and one sync flush per turn. A
 * codec change mid-turn ends a write there: what came before is encoded as it was written and
 * kept as a write of its own, ahead of the queue.
 */
export class TcpTransport implements EncodingTransport, Flushable {
  readonly peer: PeerAddress;
  readonly #socket: Socket;
  readonly #protocol: Protocol;
  readonly #turns: TurnQueue;
  readonly #maxOutputBytes: number;
  readonly #clock: Clock;
  readonly #lingerMs: number;
  /** This turn's output, bounded with what the socket holds (S1). */
  readonly #out: OutputQueue<Uint8Array>;
  /** This turn's output from before a codec change, already encoded: one socket write each. */
  #sealed: Uint8Array[] = [];
  #sealedBytes = 0;
  /** What encodes the queue at flush, if anything. */
  #codec: OutputCodec | undefined;
  #connected = true;
  /** Kept by the {@link TurnQueue} for output pacing (issue 11). */
  lastFlushAt = NEVER_FLUSHED;
  /** The peer has sent input since the last flush: its answer is not paced. */
  answerDue = false;
  /** Reading is paused by the protocol (its input budget for the turn is spent). */
  #paused = false;
  #reason: DisconnectReason | undefined;
  #onLost: ((reason: DisconnectReason) => void) | undefined;
  readonly #report: ((err: unknown) => void) | undefined;

  constructor(
    socket: Socket,
    protocol: Protocol,
    deps: { readonly turns: TurnQueue; readonly clock: Clock; readonly report?: (err: unknown) => void },
    options: TcpTransportOptions,
    onLost?: (reason: DisconnectReason) => void,
  ) {
    this.#socket = socket;
    this.#protocol = protocol;
    this.#turns = deps.turns;
    this.#clock = deps.clock;
    this.#lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
    this.#maxOutputBytes = options.maxOutputBytes;
    this.#onLost = onLost;
    this.#report = deps.report;
    this.#out = new OutputQueue<Uint8Array>(this, deps.turns, {
      maxBytes: this.#maxOutputBytes,
      sizeOf: byteLength,
      below: () => this.#sealedBytes + socket.writableLength,
    });
    this.peer = options.peer ?? { address: socket.remoteAddress ?? "unknown", port: socket.remotePort ?? 0 };
    // Chat lines are small and latency matters more than packet count; coalescing is done by
    // the turn queue, not by Nagle.
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    TcpTransport.#bySocket.set(socket, this);
    socket.on("data", TcpTransport.#onData);
    socket.on("error", TcpTransport.#onError);
    // The peer half-closed (the socket must be made with `allowHalfOpen`, as the reactor does):
    // a half-closeable protocol finishes what it was sent and closes when its answers are out
    // (issue 5 item 15); any other is closed now, its queued output flushed.
    socket.on("end", TcpTransport.#onEnd);
    socket.on("close", TcpTransport.#onClose);
  }

  /**
   * Each socket's transport, for the four listeners below: shared by every transport instead of
   * four closures per connection (~270 B with their context; issue 11 target 3). A listener is
   * called with its socket as `this`; the entry goes with the socket.
   */
  static readonly #bySocket = new WeakMap<Socket, TcpTransport>();
  static readonly #onData = function (this: Socket, chunk: Buffer): void {
    const transport = TcpTransport.#bySocket.get(this);
    if (transport !== undefined) transport.#dataReceived(chunk);
  };
  static readonly #onError = function (this: Socket, err: NodeJS.ErrnoException): void {
    const transport = TcpTransport.#bySocket.get(this);
    if (transport !== undefined) transport.#reason ??= reason("peer-error", err.code ?? err.message);
  };
  static readonly #onEnd = function (this: Socket): void {
    const transport = TcpTransport.#bySocket.get(this);
    if (transport !== undefined) transport.#readConnectionLost();
  };
  static readonly #onClose = function (this: Socket): void {
    const transport = TcpTransport.#bySocket.get(this);
    if (transport !== undefined) transport.#closed();
  };

  /** Starts the protocol. Called by the reactor once the transport is set up. */
  start(): void {
    this.#protocol.connectionMade(this);
  }

  get connected(): boolean {
    return this.#connected;
  }

  get bufferedBytes(): number {
    return this.#out.backlogBytes;
  }

  write(data: Uint8Array | string): void {
    if (!this.#connected) return;
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    if (bytes.length === 0) return;
    if (!this.#out.push(bytes)) this.#overflow();
  }

  flush(): void {
    if (this.#socket.destroyed) return;
    if (this.#sealed.length > 0) {
      const sealed = this.#sealed;
      this.#sealed = [];
      this.#sealedBytes = 0;
      for (const piece of sealed) this.#write(piece);
    }
    const data = this.#takeQueue();
    if (data === undefined) return;
    const codec = this.#codec;
    if (codec === undefined) {
      this.#write(data);
      return;
    }
    const encoded = this.#encode(() => codec.encode(data));
    if (encoded !== undefined && encoded.length > 0) this.#write(encoded);
  }

  /** Every write to the socket goes through here, so the queue's caps see what it leaves below. */
  #write(bytes: Uint8Array): void {
    this.#socket.write(bytes);
    this.#out.wroteBelow();
  }

  setOutputCodec(codec: OutputCodec | undefined): void {
    if (!this.#connected || codec === this.#codec) return;
    this.#switchCodec(codec);
  }

  loseConnection(why: DisconnectReason): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.#reason ??= why;
    // An encoded stream is ended before the FIN, so the client sees it whole (MCCP2's Z_FINISH).
    if (this.#codec !== undefined) this.#switchCodec(undefined);
    if (this.#socket.destroyed) return;
    this.flush();
    this.#socket.end();
    // A peer that does not read would hold a half-closed socket open forever: once our goodbye
    // has drained the socket is destroyed outright, and if it never drains, after the linger.
    if (this.#socket.writableLength === 0) {
      this.#socket.destroySoon();
      return;
    }
    this.#socket.once("drain", () => this.#socket.destroy());
    const linger = this.#clock.callLater(this.#lingerMs, () => this.#socket.destroy());
    this.#socket.once("close", () => linger.cancel());
  }

  pauseProducing(): void {
    if (this.#paused || this.#socket.destroyed) return;
    this.#paused = true;
    this.#socket.pause();
  }

  resumeProducing(): void {
    if (!this.#paused) return;
    this.#paused = false;
    if (!this.#socket.destroyed) this.#socket.resume();
  }

  /** Tears the socket down at once, dropping queued output (shutdown budget exhausted). */
  abort(why: DisconnectReason): void {
    this.#reason ??= why;
    this.#connected = false;
    this.#dropOutput();
    this.#socket.destroy();
  }

  /** Seals the queue under the current codec, ended, and encodes what follows with `next`. */
  #switchCodec(next: OutputCodec | undefined): void {
    const previous = this.#codec;
    this.#codec = next;
    const pending = this.#takeQueue();
    let piece = pending;
    if (previous !== undefined) {
      const encoded = this.#encode(() => {
        const body = pending === undefined ? undefined : previous.encode(pending);
        const end = previous.end();
        return body === undefined ? end : Buffer.concat([body, end]);
      });
      if (encoded === undefined) return;
      piece = encoded;
    }
    if (piece === undefined || piece.length === 0) return;
    this.#sealed.push(piece);
    this.#sealedBytes += piece.length;
    // Sealed bytes count as below the queue until the flush writes them.
    this.#out.wroteBelow();
    this.#turns.schedule(this);
  }

  /** Everything queued as one buffer, and the queue emptied; undefined when nothing is. */
  #takeQueue(): Uint8Array | undefined {
    return this.#out.drain(joinBytes);
  }

  /** Runs a codec; if it throws, the peer can decode nothing more, so the connection goes. */
  #encode(run: () => Uint8Array): Uint8Array | undefined {
    try {
      return run();
    } catch (err) {
      this.abort(reason("internal-error", `output encoding failed: ${err instanceof Error ? err.message : String(err)}`));
      return undefined;
    }
  }

  #dropOutput(): void {
    this.#out.clear();
    this.#sealed = [];
    this.#sealedBytes = 0;
  }

  #overflow(): void {
    // Nothing more can usefully reach a reader this far behind; drop the queue and cut it off.
    this.abort(reason("output-overflow", `more than ${this.#maxOutputBytes} bytes of output queued`));
  }

  #dataReceived(chunk: Buffer): void {
    if (!this.#connected) return;
    this.answerDue = true;
    try {
      this.#protocol.dataReceived(chunk);
    } catch (err) {
      // Protocols must not throw; if one does, only its own connection pays.
      this.loseConnection(reason("internal-error", err instanceof Error ? err.message : String(err)));
    }
  }

  #readConnectionLost(): void {
    if (!this.#connected) return;
    const protocol = this.#protocol;
    if (!isHalfCloseable(protocol)) {
      this.loseConnection(reason("peer-closed", "the client closed the connection"));
      return;
    }
    try {
      protocol.readConnectionLost();
    } catch (err) {
      this.loseConnection(reason("internal-error", err instanceof Error ? err.message : String(err)));
    }
  }

  #closed(): void {
    this.#connected = false;
    const why = this.#reason ?? reason("peer-closed", "the connection closed");
    this.#reason = why;
    this.#dropOutput();
    this.#codec = undefined;
    const onLost = this.#onLost;
    this.#onLost = undefined;
    try {
      this.#protocol.connectionLost(why);
    } catch (err) {
      // connectionLost runs inside a socket event; throwing here would take the process down.
      // It is our bug, so it is reported (issue 10: no silent catch).
      this.#report?.(err);
    }
    onLost?.(why);
  }
}
