/**
 * The PROXY protocol stage of the TCP doors (hardening W6, issue 10): what happens to an
 * accepted socket before the reactor admits it and builds its protocol.
 *
 * From a trusted proxy the connection must begin with a PROXY v1/v2 header: it is read here,
 * bounded in bytes by the parser and in time by the Clock, and the address it names becomes
 * the peer (per-address limits, logs, `who`). From anyone else a PROXY header is refused, so a
 * stranger cannot pass one off as a login name, nor pretend to be somebody else; and since the
 * specification forbids guessing, a plain client is never held back to look: the check reads
 * only the first chunk the client sends, as it goes by ({@link ProxyHeaderGuard}).
 */
import type { Socket } from "node:net";
import { ProxyHeaderParser } from "../../protocols/proxy/proxy-header.js";
import { startsLikeProxyHeader } from "../../protocols/proxy/proxy-header.js";
import { V1_PREFIX } from "../../protocols/proxy/proxy-v1.js";
import { V2_SIGNATURE } from "../../protocols/proxy/proxy-v2.js";
import type { Clock } from "./clock.js";
import type { DisconnectReason, HalfCloseableProtocol, PeerAddress, Protocol, Transport } from "./interfaces.js";
import { isHalfCloseable, reason } from "./interfaces.js";

/** Who may send a PROXY header, and how long they have. */
export interface ProxyPolicy {
  /** The trusted proxies (config `proxy.trusted`): an address allow-list. */
  readonly trusted: { allows(address: string | undefined): boolean };
  /** How long a trusted connection has to send its whole header (config `proxy.headerTimeoutSeconds`). */
  readonly headerTimeoutMs: number;
  /** Largest header accepted; the parser's own default (4 KiB) when left out. */
  readonly maxHeaderBytes?: number;
}

/** The one line a stranger's PROXY header is answered with before the connection closes. */
export const REFUSED_PROXY = "PROXY headers are accepted only from trusted proxies.\r\n";

/**
 * How a trusted connection's header ended: the peer it names (`proxied`; `local` keeps the
 * socket's own) and the bytes after it, or why the connection must close.
 */
export type ProxyHeaderOutcome =
  | { readonly kind: "proxied"; readonly version: 1 | 2; readonly peer: PeerAddress; readonly rest: Buffer }
  | { readonly kind: "local"; readonly version: 1 | 2; readonly rest: Buffer }
  | { readonly kind: "invalid"; readonly reason: string }
  | { readonly kind: "timeout" }
  /** The socket closed or failed before the header was whole. */
  | { readonly kind: "gone" };

/**
 * True when the first chunk a connection sent is a PROXY header's start, whole: "PROXY " or the
 * 12-byte v2 signature. A shorter chunk that merely could become one ("P", or the "\r\n" of a
 * player pressing Enter, which is how the v2 signature begins) is a plain client's, and passes.
 */
export function isProxyHeaderStart(first: Buffer): boolean {
  const needed = first[0] === V1_PREFIX[0] ? V1_PREFIX.length : V2_SIGNATURE.length;
  return first.length >= needed && startsLikeProxyHeader(first.subarray(0, needed));
}

/**
 * Reads a trusted connection's PROXY header and calls `done` once with how it ended. While it
 * reads, the socket's bytes go nowhere else; once it is done the socket is paused, its listeners
 * removed, and `rest` must be handed on by the caller (the reactor unshifts it). Returns a
 * function that abandons the read (shutdown): the socket is destroyed and `done` gets `gone`.
 */
export function readProxyHeader(socket: Socket, clock: Clock, policy: ProxyPolicy, done: (outcome: ProxyHeaderOutcome) => void): () => void {
  const parser = new ProxyHeaderParser(policy.maxHeaderBytes === undefined ? {} : { maxHeaderBytes: policy.maxHeaderBytes });
  let finished = false;
  const finish = (outcome: ProxyHeaderOutcome): void => {
    if (finished) return;
    finished = true;
    timer.cancel();
    socket.off("data", onData);
    socket.off("end", onGone);
    socket.off("close", onGone);
    socket.pause();
    done(outcome);
  };
  const onData = (chunk: Buffer): void => {
    const result = parser.feed(chunk);
    switch (result.kind) {
      case "incomplete":
        return;
      case "proxied":
        finish({ kind: "proxied", version: result.version, peer: { address: result.source.address, port: result.source.port }, rest: result.rest });
        return;
      case "local":
        finish({ kind: "local", version: result.version, rest: result.rest });
        return;
      case "invalid":
        finish({ kind: "invalid", reason: result.reason });
        return;
      default: {
        const never: never = result;
        return never;
      }
    }
  };
  const onGone = (): void => finish({ kind: "gone" });
  const timer = clock.callLater(policy.headerTimeoutMs, () => finish({ kind: "timeout" }));
  // The reactor has an 'error' listener on every accepted socket; an error is followed by
  // 'close', which ends the read as `gone`.
  socket.on("data", onData);
  socket.once("end", onGone);
  socket.once("close", onGone);
  return () => {
    finish({ kind: "gone" });
    socket.destroy();
  };
}

/**
 * Wraps a plain door's protocol for a connection from an untrusted address: if the first chunk
 * the client sends begins a PROXY header, the connection is answered {@link REFUSED_PROXY} and
 * closed, and the protocol never sees the header; otherwise every call passes straight through.
 * It adds no buffering and no turn of latency: the protocol speaks first as before (the telnet
 * banner does not wait for the client), and the first chunk is looked at as it is delivered.
 */
export class ProxyHeaderGuard implements HalfCloseableProtocol {
  readonly #inner: Protocol;
  readonly #onRefused: (peer: PeerAddress) => void;
  #transport: Transport | undefined;
  #checked = false;

  /**
   * `onRefused` counts and logs the refusal (the reactor's rate-limited refusal log), told the
   * peer: one callback serves the whole door (issue 11 target 3: no closure per connection).
   */
  constructor(inner: Protocol, onRefused: (peer: PeerAddress) => void) {
    this.#inner = inner;
    this.#onRefused = onRefused;
  }

  connectionMade(transport: Transport): void {
    this.#transport = transport;
    this.#inner.connectionMade(transport);
  }

  dataReceived(data: Uint8Array): void {
    if (!this.#checked) {
      this.#checked = true;
      const first = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (isProxyHeaderStart(first) && this.#transport !== undefined) {
        this.#transport.write(REFUSED_PROXY);
        this.#transport.loseConnection(reason("refused", "a PROXY header from an address that is not a trusted proxy"));
        this.#onRefused(this.#transport.peer);
        return;
      }
    }
    this.#inner.dataReceived(data);
  }

  readConnectionLost(): void {
    if (isHalfCloseable(this.#inner)) this.#inner.readConnectionLost();
    // What the transport does for a protocol that cannot go on half-closed.
    else this.#transport?.loseConnection(reason("peer-closed", "the client closed the connection"));
  }

  connectionLost(why: DisconnectReason): void {
    this.#inner.connectionLost(why);
  }
}
