/**
 * An in-memory {@link EncodingTransport} with reactor turns made explicit: writes queue until
 * the test calls `flush()` (the end of a turn), which records one "socket write", encoded by
 * the current output codec, as the TCP transport makes it. A codec change seals what came
 * before as a write of its own, its old codec ended, exactly as the TCP transport's contract
 * says (src/reactor/interfaces.ts); test/reactor/tcp-transport-codec.test.ts holds the real one
 * to the same contract over sockets.
 */
import type {
  DisconnectReason,
  EncodingTransport,
  OutputCodec,
  PeerAddress,
  Protocol,
} from "../../../src/reactor/interfaces.js";
import { concat } from "../line/chunks.js";

/** Records socket writes per turn, and everything written before encoding. */
export class TurnTransport implements EncodingTransport {
  readonly peer: PeerAddress = { address: "127.0.0.1", port: 4000 };
  /** Every socket write, in order, as the flushes made them. */
  readonly wire: Uint8Array[] = [];
  /** Everything written, in order, before any encoding: what the peer should end up reading. */
  readonly written: Uint8Array[] = [];
  /** The first reason given to `loseConnection`. */
  lostReason: DisconnectReason | undefined;
  #protocol: Protocol | undefined;
  #connected = true;
  #queue: Uint8Array[] = [];
  #sealed: Uint8Array[] = [];
  #codec: OutputCodec | undefined;

  /** Calls `protocol.connectionMade(this)`; `loseConnection` will then call its `connectionLost`. */
  connect(protocol: Protocol): void {
    this.#protocol = protocol;
    protocol.connectionMade(this);
  }

  write(data: Uint8Array | string): void {
    if (!this.#connected) return;
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data.slice();
    if (bytes.length === 0) return;
    this.written.push(bytes);
    this.#queue.push(bytes);
  }

  setOutputCodec(codec: OutputCodec | undefined): void {
    if (!this.#connected || codec === this.#codec) return;
    this.#switch(codec);
  }

  /** The end of a reactor turn: sealed pieces, then the queue encoded, one write each. */
  flush(): void {
    this.wire.push(...this.#sealed.splice(0));
    const data = this.#take();
    if (data === undefined) return;
    const out = this.#codec === undefined ? data : this.#codec.encode(data);
    if (out.length > 0) this.wire.push(out);
  }

  loseConnection(reason: DisconnectReason): void {
    if (!this.#connected) return;
    this.#connected = false;
    this.lostReason = reason;
    if (this.#codec !== undefined) this.#switch(undefined);
    this.flush();
    this.#protocol?.connectionLost(reason);
  }

  get bufferedBytes(): number {
    return 0;
  }

  get connected(): boolean {
    return this.#connected;
  }

  pauseProducing(): void {}

  resumeProducing(): void {}

  /** Every socket write so far, concatenated: the bytes on the wire. */
  wireBytes(): Uint8Array {
    return concat(this.wire);
  }

  #switch(next: OutputCodec | undefined): void {
    const previous = this.#codec;
    this.#codec = next;
    const pending = this.#take();
    const piece =
      previous === undefined ? pending : concat([pending === undefined ? new Uint8Array(0) : previous.encode(pending), previous.end()]);
    if (piece !== undefined && piece.length > 0) this.#sealed.push(piece);
  }

  #take(): Uint8Array | undefined {
    if (this.#queue.length === 0) return undefined;
    return concat(this.#queue.splice(0));
  }
}
