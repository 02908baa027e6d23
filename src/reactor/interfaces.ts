/**
 * The four seams, in Twisted's vocabulary. A Transport moves bytes for one connection; a
 * Protocol makes sense of them; a ProtocolFactory builds one Protocol per accepted connection;
 * the Reactor (reactor.ts) owns the listeners and the clock.
 *
 * Layers stack by wrapping: telnet is a Protocol to the TCP transport below it and a
 * Transport to the line protocol above it.
 */

/** Where a connection comes from. `address` is an IP literal; `port` may be 0 when unknown. */
export interface PeerAddress {
  readonly address: string;
  readonly port: number;
}

/**
 * Why a connection ended. `code` is stable and machine-readable (for logs and metrics);
 * `message` is for people.
 */
export interface DisconnectReason {
  readonly code: DisconnectCode;
  readonly message: string;
}

/** Every way a connection can end. Codes are never reused for a different meaning. */
export const DisconnectCodes = [
  "peer-closed", // the peer closed its side
  "peer-error", // the socket failed (ECONNRESET, EPIPE…)
  "quit", // the player typed quit
  "output-overflow", // a slow reader's queued output passed its cap (hardening S1)
  "input-overflow", // bytes without a newline passed the hard cap (hardening L3)
  "protocol-error", // the peer broke its protocol (bad telnet subnegotiation, bad WebSocket frame)
  "wrong-protocol", // an HTTP request on a TCP door (hardening L6)
  "login-timeout", // never logged in (hardening F6)
  "idle-timeout", // logged in, then idle too long (hardening F8)
  "shutdown", // the server is stopping
  "replaced", // the same character logged in from another connection
  "refused", // turned away at the door (connection caps, throttles)
  "internal-error", // our own code threw while handling this connection: our bug, not the peer's
  "kicked", // an admin removed the player from the game: kick, or ban while online (issue 7)
  "status-answered", // a crawler's plain-text MSSP-REQUEST got its reply (issue 8)
] as const;
export type DisconnectCode = (typeof DisconnectCodes)[number];

/** Builds a {@link DisconnectReason}. */
export function reason(code: DisconnectCode, message: string): DisconnectReason {
  return { code, message };
}

/**
 * One connection's byte pipe, as seen by the protocol above it.
 *
 * Writes are buffered and flushed once per reactor turn (one `write` syscall per connection per
 * turn: see brief, "Performance principles"). Output is bounded: when queued bytes pass the
 * transport's cap the connection is lost with `output-overflow`.
 */
export interface Transport {
  /** The remote end. */
  readonly peer: PeerAddress;
  /** Queues bytes (strings are UTF-8 encoded). A write after the connection was lost is dropped. */
  write(data: Uint8Array | string): void;
  /**
   * Flushes what is queued, then closes. Idempotent: only the first reason counts, and the
   * protocol's `connectionLost` is called exactly once, with that reason.
   */
  loseConnection(reason: DisconnectReason): void;
  /** Bytes queued and not yet handed to the kernel, including the socket's own buffer. */
  readonly bufferedBytes: number;
  /** False once `loseConnection` was called or the peer went away. */
  readonly connected: boolean;
  /**
   * Stops reading from the peer until {@link resumeProducing} (Twisted's IPushProducer): the
   * protocol has had its input budget for this turn (issue 5 item 3). Bytes the peer sends
   * meanwhile wait in the kernel, and TCP flow control slows the peer down. Idempotent.
   */
  pauseProducing(): void;
  /** Reads from the peer again. Idempotent; a no-op once the connection is lost. */
  resumeProducing(): void;
}

/**
 * Re-encodes a transport's output from some point on: MCCP2's zlib stream (issue 8). Called
 * synchronously inside the transport, so output order is exactly write order. Neither method
 * may write to the transport or change its codec; a throw costs the connection, since the peer
 * can no longer decode what follows.
 */
export interface OutputCodec {
  /**
   * Encodes one piece of output, normally a whole turn's (once per connection per reactor turn).
   * The result must be decodable by the peer to its last byte (for zlib, a Z_SYNC_FLUSH).
   */
  encode(data: Uint8Array): Uint8Array;
  /** Called once, when the codec is replaced or the connection closed: the bytes that end the encoding. */
  end(): Uint8Array;
}

/** A {@link Transport} whose output can pass through an {@link OutputCodec} (the TCP transport). */
export interface EncodingTransport extends Transport {
  /**
   * From this point in the output, encodes everything written with `codec`, or with nothing when
   * `undefined`. What was written before goes out as before, as a socket write of its own, so the
   * last byte written before the switch ends a write (MCCP2's start marker must; issue 8). The
   * previous codec's `end()` bytes follow its last output. Ignored once the connection is lost.
   */
  setOutputCodec(codec: OutputCodec | undefined): void;
}

/** True when `transport` can encode its output. */
export function canEncodeOutput(transport: Transport): transport is EncodingTransport {
  return typeof (transport as Partial<EncodingTransport>).setOutputCodec === "function";
}

/**
 * Makes sense of one connection's bytes. The calls arrive in this order: `connectionMade` once,
 * `dataReceived` zero or more times, `connectionLost` exactly once.
 *
 * `dataReceived` must never throw for any input: untrusted bytes are handled, not propagated.
 */
export interface Protocol {
  connectionMade(transport: Transport): void;
  dataReceived(data: Uint8Array): void;
  connectionLost(reason: DisconnectReason): void;
}

/**
 * A protocol that can go on after the peer has half-closed (Twisted's IHalfCloseableProtocol;
 * issue 5 item 15). A script doing `printf 'connect Bob pw\nsay hi\nquit\n' | nc -q 3 host port`
 * sends its commands and a FIN at once, then waits for the answers: the transport calls
 * `readConnectionLost` instead of closing, and the connection stays open for writing until the
 * protocol calls `loseConnection` (it still ends with a reason, and the transport's output cap
 * and linger still bound a peer that never reads). A protocol without it is closed with
 * `peer-closed` when the peer half-closes.
 */
export interface HalfCloseableProtocol extends Protocol {
  /** The peer will send nothing more; no `dataReceived` follows. Called at most once. */
  readConnectionLost(): void;
}

/** True when `protocol` can handle a half-close. */
export function isHalfCloseable(protocol: Protocol): protocol is HalfCloseableProtocol {
  return typeof (protocol as Partial<HalfCloseableProtocol>).readConnectionLost === "function";
}

/** Builds one Protocol per accepted connection. May return `undefined` to refuse it. */
export interface ProtocolFactory {
  buildProtocol(peer: PeerAddress): Protocol;
}
