/**
 * MCCP2, the MUD Client Compression Protocol v2 (option 86; mudstandards.org/mud/mccp2,
 * tintin.mudhalla.net/protocols/mccp). We offer `WILL MCCP2`; after the client's `DO MCCP2` we
 * send `IAC SB MCCP2 IAC SE` uncompressed, as the last bytes of a socket write, and from the
 * next byte on everything we send, negotiation included, is one zlib stream (RFC 1950),
 * sync-flushed once per reactor turn by the transport (hardening T10).
 *
 * `DONT MCCP2`, or our own `WONT`, ends the stream with Z_FINISH: the client sees the stream end
 * and reads on uncompressed. The answering `WONT` goes out inside the stream, before its end
 * (the spec: once compression starts, all server output is in the stream). A compressor failure
 * also ends the stream cleanly (mccp2-stream.ts) and output goes on uncompressed; the option
 * stays agreed, as the spec lets a server end compression at any time.
 *
 * Policy: we perform it when asked, if the transport can encode output (the TCP transport can);
 * a client's `WILL MCCP2` is refused, as compression toward the server is MCCP3 (option 87).
 */
import { canEncodeOutput, type EncodingTransport, type Transport } from "../../src/reactor/interfaces.js";
import { TelnetOptionCode } from "./constants.js";
import { subnegotiation } from "./encoder.js";
import type { Mccp2Counts, Mccp2Stream, Mccp2Streams } from "./mccp2-stream.js";
import type { OptionModule, Side } from "./options.js";

/** `IAC SB MCCP2 IAC SE`: "the compressed stream starts after this". */
export const MCCP2_START = subnegotiation(TelnetOptionCode.MCCP2, new Uint8Array(0));

/** What the MCCP2 module needs from its connection. */
export interface Mccp2Host {
  /** Asks to turn our side of MCCP2 off (sends WONT): compression could not start. */
  refuseMccp2(): void;
  /** A compressor could not be made, or failed; the connection carries on. The owner logs it. */
  compressionError(message: string): void;
}

/** What one connection's MCCP2 has done. */
export interface Mccp2Status extends Mccp2Counts {
  /** True while output is compressed. */
  readonly active: boolean;
}

/** The MCCP2 option's policy and state for one connection. */
export class Mccp2Option implements OptionModule {
  /** {@link TelnetOptionCode.MCCP2}. */
  readonly option = TelnetOptionCode.MCCP2;
  /** Compression toward us would be MCCP3; a client's WILL MCCP2 is refused. */
  readonly acceptRemote = false;
  readonly #streams: Mccp2Streams;
  readonly #host: Mccp2Host;
  #transport: EncodingTransport | undefined;
  #stream: Mccp2Stream | undefined;
  #bytesIn = 0;
  #bytesOut = 0;

  /** `streams` is the door's compression (mccp2-stream.ts `Mccp2Compression`). */
  constructor(streams: Mccp2Streams, host: Mccp2Host) {
    this.#streams = streams;
    this.#host = host;
  }

  /** We compress when asked, once attached to a transport that can encode its output. */
  get acceptLocal(): boolean {
    return this.#transport !== undefined;
  }

  /**
   * Gives the module the connection's transport. Returns false, and MCCP2 must be neither
   * offered nor accepted, when that transport cannot encode its output.
   */
  attach(transport: Transport): boolean {
    if (!canEncodeOutput(transport)) return false;
    this.#transport = transport;
    return true;
  }

  /** Whether output is compressed now, and the bytes in and out over the connection's life. */
  get status(): Mccp2Status {
    const live = this.#stream?.counts;
    return {
      active: this.#stream !== undefined && !this.#stream.ended,
      bytesIn: this.#bytesIn + (live?.bytesIn ?? 0),
      bytesOut: this.#bytesOut + (live?.bytesOut ?? 0),
    };
  }

  /** Starts compression when our side comes on, ends it when it goes off. */
  onChange(side: Side, enabled: boolean): void {
    if (side !== "local") return;
    if (enabled) this.#start();
    else this.#stop();
  }

  /** Frees the compressor's memory: the connection is gone. Idempotent. */
  dispose(): void {
    this.#stream?.dispose();
  }

  #start(): void {
    const transport = this.#transport;
    if (transport === undefined || this.#stream !== undefined) return;
    let stream: Mccp2Stream;
    try {
      stream = this.#streams.openStream((error) => this.#host.compressionError(`MCCP2 compressor failed, output goes on uncompressed: ${error.message}`));
    } catch (error) {
      this.#host.compressionError(`MCCP2 not started: ${error instanceof Error ? error.message : String(error)}`);
      this.#host.refuseMccp2();
      return;
    }
    this.#stream = stream;
    // The marker is written plain; the codec change makes it the last byte of its write.
    transport.write(MCCP2_START);
    transport.setOutputCodec(stream);
  }

  #stop(): void {
    const stream = this.#stream;
    if (stream === undefined) return;
    this.#stream = undefined;
    // The transport encodes what is queued, then appends the stream's end (stream.end()).
    this.#transport?.setOutputCodec(undefined);
    // Should the transport be gone already, the stream was never ended there: free it here.
    stream.dispose();
    const { bytesIn, bytesOut } = stream.counts;
    this.#bytesIn += bytesIn;
    this.#bytesOut += bytesOut;
  }
}
