/**
 * One TCP door's accept pipeline (telnet, line, TLS telnet): what {@link Reactor.listenTCP}
 * does with each accepted socket. In order: the PROXY stage (hardening W6: a trusted proxy's
 * header names the peer, a stranger's is refused), admission under that peer's address
 * (F3-F5), the TLS handshake on a TLS door (issue 10), and the transport (S1, F12). Plain and
 * TLS sockets take the same path, so every door applies the same limits.
 */
import type { Socket } from "node:net";
import tls from "node:tls";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { LogLimit } from "../log-limit.js";
import type { Clock } from "./clock.js";
import type { ConnectionRegistry, LiveConnection } from "./connection-registry.js";
import type { DisconnectReason, PeerAddress, Protocol, ProtocolFactory } from "./interfaces.js";
import { isProxyHeaderStart, ProxyHeaderGuard, readProxyHeader, REFUSED_PROXY, type ProxyHeaderOutcome, type ProxyPolicy } from "./proxy-accept.js";
import type { ConnectionLimits, ProxyStats } from "./reactor.js";
import { REFUSAL_LOG_WINDOW_MS, REFUSALS, type RefusalCap } from "./refusals.js";
import { TcpTransport } from "./tcp-transport.js";
import type { TlsCredentials } from "./tls-credentials.js";
import type { TurnQueue } from "./turn-queue.js";

/** Options for {@link Reactor.listenTCP}. */
export interface TcpListenOptions extends ConnectionLimits {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Output cap per connection (hardening S1). */
  readonly maxOutputBytes: number;
  /**
   * Makes this a TLS door (issue 10): each connection shakes hands with the credentials'
   * context of the moment, so a reload serves the next client and leaves open ones alone.
   * A TLS socket then flows through the same admission, transport and limits as a plain one.
   */
  readonly tls?: Pick<TlsCredentials, "context">;
  /**
   * The PROXY protocol (hardening W6): trusted proxies must send a header, which names the
   * peer; anyone else's header is refused. Without it, connections are taken as they come.
   * On a TLS door the header comes before the handshake, as HAProxy sends it.
   */
  readonly proxy?: ProxyPolicy;
  /**
   * How long a refused TLS connection may take to read its answer (which needs a handshake
   * first), in ms on the Clock, before it is destroyed (config `limits.refusalLingerSeconds`).
   */
  readonly refusalLingerMs: number;
}

/** What a door needs from its reactor; the reactor hands in closures over its own state. */
export interface DoorReactor {
  readonly clock: Clock;
  readonly turns: TurnQueue;
  readonly connections: ConnectionRegistry;
  readonly proxyStats: ProxyStats;
  /** Counts a connection from `address` against the door's caps; `ok` must be released. */
  admit(address: string): "ok" | RefusalCap;
  release(address: string): void;
  /** Keeps a refused socket at most `ms` on the Clock, or until the peer closes (F11). */
  linger(socket: Duplex, ms: number): void;
  /** Holds a socket not yet handed to a transport, so shutdown can abandon it; returns the release. */
  hold(abandon: () => void): () => void;
  /** Logs our own code throwing inside a connection's callback. */
  reportBug(err: unknown): void;
  /** The door's rate-limited refusal log. */
  logRefusal(peer: string, cap: RefusalCap): void;
}

/** The accept pipeline of one TCP listener. */
export class TcpDoor {
  readonly #reactor: DoorReactor;
  readonly #factory: ProtocolFactory;
  readonly #options: TcpListenOptions;
  readonly #log: Logger;
  /** Logs the door's PROXY protocol closures at a bounded rate, like its refusals (W6). */
  readonly #proxyLog: LogLimit;
  /**
   * The door's listeners and callbacks, one each for the door rather than a closure per
   * connection (issue 11 target 3: a closure and its context are ~100 B, and every idle
   * connection held four of them here). A socket's listeners are called with the socket as `this`.
   */
  readonly #onSocketError: (this: Socket, err: NodeJS.ErrnoException) => void;
  readonly #reportBug = (err: unknown): void => this.#reactor.reportBug(err);
  readonly #refusedProxyHeader = (peer: PeerAddress): void => this.#countProxyRefusal(peer);

  constructor(reactor: DoorReactor, factory: ProtocolFactory, options: TcpListenOptions, log: Logger) {
    this.#reactor = reactor;
    this.#factory = factory;
    this.#options = options;
    this.#log = log;
    this.#proxyLog = new LogLimit(reactor.clock, { perWindow: 1, windowMs: REFUSAL_LOG_WINDOW_MS });
    this.#onSocketError = function (this: Socket, err: NodeJS.ErrnoException): void {
      log.debug({ peer: this.remoteAddress, code: err.code ?? err.message }, "socket error");
    };
  }

  /** Takes one accepted socket through the pipeline. Never throws. */
  accept(socket: Socket): void {
    // An error is followed by 'close', which every stage below handles, and once a transport
    // owns the socket it records the error as the disconnect reason, which its session logs.
    // This listener keeps an error before that from being thrown, and notes it at debug.
    socket.on("error", this.#onSocketError);
    const own: PeerAddress = { address: socket.remoteAddress ?? "unknown", port: socket.remotePort ?? 0 };
    const proxy = this.#options.proxy;
    if (proxy?.trusted.allows(own.address) === true) {
      const unhold = this.#reactor.hold(() => abandon());
      const abandon = readProxyHeader(socket, this.#reactor.clock, proxy, (outcome) => {
        unhold();
        this.#proxied(socket, own, outcome);
      });
      return;
    }
    // A stranger is admitted at once, as it always was: a PROXY header is looked for only in the
    // bytes it sends anyway.
    const admitted = this.#reactor.admit(own.address);
    if (admitted !== "ok") {
      this.#refuse(socket, admitted, own);
      return;
    }
    if (this.#options.tls === undefined || proxy === undefined) {
      this.#open(socket, own, proxy !== undefined);
      return;
    }
    // TLS: the client speaks first (its ClientHello), so waiting for its first bytes costs no
    // latency, and once the TLS layer owns the socket they could no longer be looked at.
    const onFirst = (chunk: Buffer): void => {
      silent.cancel();
      socket.off("close", onClose);
      unhold();
      socket.pause();
      if (isProxyHeaderStart(chunk)) {
        socket.once("close", () => this.#reactor.release(own.address));
        this.#refuseProxyHeader(socket, own);
        return;
      }
      socket.unshift(chunk);
      this.#open(socket, own, false);
    };
    const onClose = (): void => {
      silent.cancel();
      unhold();
      this.#reactor.release(own.address);
    };
    const abandon = (): void => {
      socket.off("data", onFirst);
      socket.destroy();
    };
    // No protocol exists yet, so no login timeout: a client that never begins its handshake is
    // given as long as a proxy is given for its header.
    const silent = this.#reactor.clock.callLater(proxy.headerTimeoutMs, abandon);
    const unhold = this.#reactor.hold(abandon);
    socket.once("data", onFirst);
    socket.once("close", onClose);
  }

  /** A trusted proxy's header is in (or never came): open the connection as the peer it names, or close it. */
  #proxied(socket: Socket, own: PeerAddress, outcome: ProxyHeaderOutcome): void {
    switch (outcome.kind) {
      case "proxied":
      case "local": {
        this.#reactor.proxyStats[outcome.kind]++;
        const peer = outcome.kind === "proxied" ? outcome.peer : own;
        // The bytes after the header are the client's first (on a TLS door, its ClientHello,
        // needed even for a refusal): back in front of the socket's stream, where the transport
        // or the TLS layer reads them first.
        if (outcome.rest.length > 0) socket.unshift(outcome.rest);
        const admitted = this.#reactor.admit(peer.address);
        if (admitted !== "ok") {
          this.#refuse(socket, admitted, peer);
          return;
        }
        this.#open(socket, peer, false, own);
        return;
      }
      case "invalid":
      case "timeout":
        this.#reactor.proxyStats[outcome.kind]++;
        this.#logProxy(own.address, outcome.kind === "invalid" ? outcome.reason : `no PROXY header within ${this.#options.proxy?.headerTimeoutMs} ms`);
        socket.destroy();
        return;
      case "gone":
        socket.destroy();
        return;
      default: {
        const never: never = outcome;
        return never;
      }
    }
  }

  /**
   * Builds the protocol and the transport of an admitted connection from `peer` (its TLS layer
   * first on a TLS door). `guard`: the client's first bytes have not been looked at for a PROXY
   * header yet. `via`: the proxy it came through, for the log.
   */
  #open(socket: Socket, peer: PeerAddress, guard: boolean, via?: PeerAddress): void {
    const options = this.#options;
    let protocol: Protocol;
    try {
      protocol = this.#factory.buildProtocol(peer);
    } catch (err) {
      this.#log.error({ err }, "protocol factory failed");
      socket.destroy();
      this.#reactor.release(peer.address);
      return;
    }
    if (guard) protocol = new ProxyHeaderGuard(protocol, this.#refusedProxyHeader);
    if (via !== undefined) this.#log.debug({ peer: peer.address, proxy: via.address }, "connection through a trusted proxy");
    const stream = options.tls === undefined ? socket : secureSocket(socket, options.tls);
    const { turns, clock, connections } = this.#reactor;
    const entry = new DoorConnection(options.name, this.#reactor, peer.address);
    const transport = new TcpTransport(stream, protocol, { turns, clock, report: this.#reportBug }, { maxOutputBytes: options.maxOutputBytes, peer }, () => entry.lost());
    entry.transport = transport;
    connections.add(entry);
    transport.start();
    // The PROXY stage paused the socket to hand it on whole; a TLS socket reads by itself.
    if (stream === socket && socket.isPaused()) socket.resume();
  }

  /** Turns away a socket a cap refused, with the cap's words (over TLS on a TLS door). */
  #refuse(socket: Socket, cap: RefusalCap, peer: PeerAddress): void {
    this.#reactor.logRefusal(peer.address, cap);
    const credentials = this.#options.tls;
    if (credentials === undefined) {
      socket.end(REFUSALS[cap]);
      socket.destroySoon();
      return;
    }
    // The answer needs a handshake first; a peer that never makes one may not hold the socket.
    const secure = secureSocket(socket, credentials);
    secure.on("error", (err: NodeJS.ErrnoException) => this.#log.debug({ peer: peer.address, code: err.code ?? err.message }, "refused TLS connection failed"));
    secure.end(REFUSALS[cap]);
    this.#reactor.linger(secure, this.#options.refusalLingerMs);
  }

  /** A stranger began with a PROXY header (before the TLS handshake): one plain line, and closed. */
  #refuseProxyHeader(socket: Socket, peer: PeerAddress): void {
    this.#countProxyRefusal(peer);
    socket.end(REFUSED_PROXY);
    socket.destroySoon();
  }

  #logProxy(peer: string, why: string): void {
    if (!this.#proxyLog.allow()) return;
    this.#log.warn({ peer, reason: why, suppressed: this.#proxyLog.takeSuppressed() }, "PROXY protocol: connection closed");
  }

  #countProxyRefusal(peer: PeerAddress): void {
    this.#reactor.proxyStats.refused++;
    this.#logProxy(peer.address, "a PROXY header from an address that is not a trusted proxy");
  }
}

/**
 * One open connection of a TCP door, as the registry holds it: a small object with methods
 * rather than a record of closures (issue 11 target 3).
 */
class DoorConnection implements LiveConnection {
  readonly door: string;
  readonly #reactor: DoorReactor;
  readonly #address: string;
  transport: TcpTransport | undefined;

  constructor(door: string, reactor: DoorReactor, address: string) {
    this.door = door;
    this.#reactor = reactor;
    this.#address = address;
  }

  abort(why: DisconnectReason): void {
    this.transport?.abort(why);
  }

  /** The transport closed: out of the registry, and the address's admission released. */
  lost(): void {
    this.#reactor.connections.delete(this);
    this.#reactor.release(this.#address);
  }
}

/** Wraps an accepted socket in a server-side TLS socket with the credentials' current context. */
function secureSocket(socket: Socket, credentials: Pick<TlsCredentials, "context">): tls.TLSSocket {
  // Bytes already read (a PROXY header's `rest`, the first chunk) are fed to the TLS layer
  // first: Node's TLSSocket reads what the socket holds before its handle.
  const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: credentials.context });
  // A peer that leaves mid-handshake would otherwise keep the socket for the transport's whole
  // linger, its banner stuck behind a handshake that can no longer finish.
  let shaken = false;
  secure.once("secure", () => (shaken = true));
  secure.once("end", () => {
    if (!shaken) secure.destroy();
  });
  return secure;
}
