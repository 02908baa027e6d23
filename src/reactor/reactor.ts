/**
 * The Reactor: the one place that touches `node:net`, `node:tls` and `node:http(s)`. It owns
 * the listeners, the clock and the turn queue, counts connections, and closes everything in order.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { TLSSocket } from "node:tls";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { forwardedClient, type ForwardedClient, type TrustedProxies } from "../http/forwarded.js";
import { LogLimit } from "../log-limit.js";
import { addressKey } from "./address-key.js";
import type { Clock } from "./clock.js";
import { ConnectionRegistry } from "./connection-registry.js";
import type { DisconnectReason, ProtocolFactory } from "./interfaces.js";
import { reason } from "./interfaces.js";
import { REFUSAL_LOG_WINDOW_MS, REFUSALS, type RefusalCap } from "./refusals.js";
import { TcpDoor } from "./tcp-door.js";
import { TurnQueue } from "./turn-queue.js";
import { InputTurns } from "./input-budget.js";
import { KeyedBuckets } from "./token-bucket.js";
import type { ProxyPolicy } from "./proxy-accept.js";
import type { TlsCredentials } from "./tls-credentials.js";

/** A bound listener. */
export interface ListeningPort {
  /** The address actually bound: with port 0 in the request, the port the kernel chose. */
  readonly host: string;
  readonly port: number;
  /** Stops accepting new connections. Idempotent; resolves when the listener has closed. */
  stopListening(): Promise<void>;
}

/**
 * Limits applied by the reactor to every door. No defaults here: they come from the config
 * (`limits.*` in config/default.yaml), the one place defaults live (issue 10).
 */
export interface ConnectionLimits {
  /**
   * Most simultaneous connections from one address (hardening F3), counted by
   * {@link addressKey}: an IPv6 /64 is one address, `::ffff:a.b.c.d` is `a.b.c.d`.
   */
  readonly maxPerAddress: number;
  /** Most simultaneous connections in all (hardening F5; mind RLIMIT_NOFILE). */
  readonly maxTotal: number;
}

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

/** Options for {@link Reactor.listenHTTP}. */
export interface HttpListenOptions extends ConnectionLimits {
  readonly host: string;
  readonly port: number;
  /**
   * Makes this an https door (wss:// for the WebSocket, issue 10); its context follows every
   * reload of the credentials. The listener counts as `https` in logs and /metrics.
   */
  readonly tls?: Pick<TlsCredentials, "pem" | "onReload">;
  readonly onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  /**
   * An admitted upgrade, with its client: the socket's peer, or the client a trusted proxy
   * names in its forwarding headers (hardening W6), as admission counted it.
   */
  readonly onUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer, client: ForwardedClient) => void;
  /**
   * Reverse proxies trusted to name the client (`proxy.trusted`, hardening W6; src/http/forwarded.ts).
   * A connection from one counts only against the global cap (F5), not as one address: it
   * carries many players. Each upgrade it carries is admitted under the client its headers name,
   * at that client's rate (F4) and against that client's per-address cap (F3), which the
   * WebSocket gives back when it closes. Default: nobody is trusted.
   */
  readonly trustedProxies?: TrustedProxies;
  /** Passed to `http.createServer` (timeouts against slowloris, header limits). */
  readonly serverOptions?: http.ServerOptions;
  /** Applies settings that can only be set on the created server (e.g. `maxHeadersCount`). */
  readonly configure?: (server: http.Server) => void;
  /**
   * How long a refused connection is kept after its 503 is written, in ms on the reactor's
   * Clock, so the answer is read rather than lost to a reset; it closes sooner if the peer
   * does (config `limits.refusalLingerSeconds`).
   */
  readonly refusalLingerMs: number;
  /**
   * The door an upgrade opens a game connection on, the name its refusals count under in
   * /metrics. Every upgrade spends from its address's arrival bucket (hardening F4) here, before
   * `onUpgrade` sees it, whatever its path: a refused one is answered 429 as the reactor answers
   * every refusal. Default "websocket".
   */
  readonly upgradeDoor?: string;
}

/**
 * How fast one address may open connections (hardening F4), whatever the door: a token bucket
 * per address key. F3 caps how many are open at once; this caps how fast they come, so a
 * burst of connect-and-close from one address is turned away before any protocol is built.
 */
export interface ConnectionRateLimits {
  /** New connections per second, sustained, per address (config `limits.newConnectionsPerSecond`). */
  readonly perSecond: number;
  /** New connections at once before that rate applies (config `limits.newConnectionBurst`). */
  readonly burst: number;
  /**
   * Addresses remembered; full buckets are forgotten first (hardening F10). Default
   * {@link MAX_RATE_ADDRESSES}: a memory bound, not a setting.
   */
  readonly maxAddresses?: number;
}

/** No trusted proxies: the default of {@link HttpListenOptions.trustedProxies}. */
const NOBODY: TrustedProxies = { allows: () => false };

/** The default of {@link ConnectionRateLimits.maxAddresses}: bounds the table at about 1 MB. */
export const MAX_RATE_ADDRESSES = 10_000;

/** Counters the reactor keeps for /metrics. */
export interface ReactorStats {
  open: number;
  accepted: number;
  /** Every refusal, whatever the door and cap. */
  refused: number;
  /** Refusals by door (listener name: telnet, line, http) and by cap. */
  refusedByDoor: Record<string, Record<RefusalCap, number>>;
  acceptErrors: number;
}

/**
 * PROXY protocol outcomes (hardening W6): headers honoured (`proxied`, `local`), and
 * connections closed for a stranger's header (`refused`), a bad one (`invalid`) or none in
 * time (`timeout`).
 */
export type ProxyStats = Record<"proxied" | "local" | "refused" | "invalid" | "timeout", number>;

/**
 * How long an https client may take over its handshake. Node's default (120 s) lets a peer that
 * opens a socket and says nothing hold it for two minutes before it is even admitted.
 */
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

export type { RefusalCap } from "./refusals.js";

/** The event loop, wrapped: listeners, clock, turn queue and orderly shutdown. */
export class Reactor {
  readonly clock: Clock;
  readonly turns: TurnQueue;
  /** Numbers the turns for the doors' per-connection input budgets (issue 5 item 3). */
  readonly inputTurns: InputTurns;
  readonly stats: ReactorStats = { open: 0, accepted: 0, refused: 0, refusedByDoor: {}, acceptErrors: 0 };
  /** Counters of the PROXY stage (W6). */
  readonly proxyStats: ProxyStats = { proxied: 0, local: 0, refused: 0, invalid: 0, timeout: 0 };
  readonly #logger: Logger;
  readonly #servers = new Set<net.Server | http.Server | https.Server>();
  /** Every live connection of every door (the WebSocket door adds its own). */
  readonly connections = new ConnectionRegistry();
  readonly #perAddress = new Map<string, number>();
  /** Refused HTTP connections and upgrades waiting out their linger. */
  readonly #lingering = new Set<Duplex>();
  /** Accepted sockets not yet handed to a transport (a PROXY header or a first TLS byte awaited): abandoned by {@link abortAll}. */
  readonly #pending = new Set<() => void>();

  /** Logs an exception our own code threw in a connection's callback. */
  readonly #reportBug: (err: unknown) => void;

  /** New connections per address, by address key (hardening F4). */
  readonly #arrivals: KeyedBuckets;

  constructor(deps: { clock: Clock; logger: Logger; connectionRate: ConnectionRateLimits }) {
    this.clock = deps.clock;
    this.#logger = deps.logger;
    // Our own code throwing inside a connection's callback costs only that connection, and is
    // logged, at a bounded rate since a peer's input might be what triggers it.
    const bugs = new LogLimit(deps.clock, { perWindow: 1, windowMs: REFUSAL_LOG_WINDOW_MS });
    this.#reportBug = (err) => {
      if (bugs.allow()) this.#logger.error({ err, suppressed: bugs.takeSuppressed() }, "a connection's handler threw");
    };
    this.turns = new TurnQueue(this.#reportBug);
    this.inputTurns = new InputTurns(undefined, this.#reportBug);
    const rate = deps.connectionRate;
    this.#arrivals = new KeyedBuckets(deps.clock, { perSecond: rate.perSecond, burst: rate.burst }, rate.maxAddresses ?? MAX_RATE_ADDRESSES);
  }

  /**
   * Listens for TCP connections and gives each to a protocol built by `factory`: plain, or TLS
   * with `options.tls`. Each accepted socket passes, in order: the PROXY stage (W6; a trusted
   * proxy's header names the peer), admission under that peer's address (F3-F5), the TLS
   * handshake, and the transport (S1, F12), so every door applies the same limits.
   */
  listenTCP(factory: ProtocolFactory, options: TcpListenOptions): Promise<ListeningPort> {
    const log = this.#logger.child({ listener: options.name });
    const door = new TcpDoor(
      {
        clock: this.clock,
        turns: this.turns,
        connections: this.connections,
        proxyStats: this.proxyStats,
        admit: (address) => this.admit(address, options, options.name),
        release: (address) => this.#release(address),
        linger: (socket, ms) => this.#linger(socket, ms),
        hold: (abandon) => {
          this.#pending.add(abandon);
          return () => this.#pending.delete(abandon);
        },
        reportBug: this.#reportBug,
        logRefusal: this.#refusalLogger(log),
        logProxy: this.#proxyLogger(log),
      },
      factory,
      options,
      log,
    );
    // allowHalfOpen: a peer's FIN ends only its side; the transport answers what it was sent
    // before closing ours (issue 5 item 15).
    const server = net.createServer({ noDelay: true, pauseOnConnect: false, allowHalfOpen: true }, (socket) => door.accept(socket));
    server.on("error", (err: NodeJS.ErrnoException) => {
      // EMFILE/ENFILE on accept must not take the process down (hardening F5).
      this.stats.acceptErrors++;
      log.error({ err: err.message, code: err.code }, "listener error");
    });
    return this.#listen(server, options.host, options.port, options.name);
  }

  /**
   * Counts a new connection from `address` against the limits shared by every door (hardening
   * F3, F4, F5): `"ok"` (the caller must {@link release} it when it closes), or which limit
   * refused it, counted under `door`. The address counts under {@link addressKey}, so one IPv6 /64 is
   * one address (issue 5 item 14). Every door admits here: the TCP doors on accept, the HTTP
   * listener on its 'connection' (a WebSocket upgrade rides on a connection already admitted,
   * and spends only from the rate, in {@link listenHTTP}; through a trusted proxy it is counted
   * there under its forwarded client instead, W6).
   */
  admit(address: string, limits: ConnectionLimits, door = "other", rateLimited = true): "ok" | RefusalCap {
    const key = addressKey(address);
    const fromAddress = this.#perAddress.get(key) ?? 0;
    // Every arrival spends from its address's bucket, refused or not: an address that keeps
    // hammering keeps itself refused, and nobody else's bucket is touched.
    const arrivalAllowed = !rateLimited || this.#arrivals.take(key);
    const refusal: RefusalCap | undefined =
      this.stats.open >= limits.maxTotal
        ? "busy"
        : fromAddress >= limits.maxPerAddress
          ? "address"
          : !arrivalAllowed
            ? "rate"
            : undefined;
    if (refusal !== undefined) {
      this.#countRefusal(door, refusal);
      return refusal;
    }
    this.stats.accepted++;
    this.stats.open++;
    this.#perAddress.set(key, fromAddress + 1);
    return "ok";
  }

  /**
   * The rate of new game connections from `address` (hardening F4), for a door whose
   * connections were admitted without it: a WebSocket upgrade (checked by {@link listenHTTP}) rides on an HTTP connection,
   * and plain HTTP (a page load, a health probe every few seconds) is not rate-limited, only
   * capped. True when allowed; a refusal is counted under `door` and cap `rate`.
   */
  admitArrival(address: string, door: string): boolean {
    if (this.#arrivals.take(addressKey(address))) return true;
    this.#countRefusal(door, "rate");
    return false;
  }

  /** Counts one refusal, in all and by door and cap, for /metrics. */
  #countRefusal(door: string, cap: RefusalCap): void {
    this.stats.refused++;
    (this.stats.refusedByDoor[door] ??= { busy: 0, address: 0, rate: 0 })[cap]++;
  }

  /** Gives back what {@link admit} counted, once the connection has closed. */
  release(address: string): void {
    this.#release(address);
  }

  /**
   * Listens for HTTP; upgrades (WebSocket) go to `onUpgrade` once admitted at the rate of new
   * game connections (hardening F4; refused: 429, counted under `upgradeDoor`). Every connection is admitted on
   * arrival against the same caps as the TCP doors, so plain HTTP (keep-alive connections
   * included) and WebSockets count alike, and an upgrade is never counted twice. A refused
   * connection is answered 503 at once, is never handed to `onRequest` or `onUpgrade`, and is
   * destroyed when the peer closes or after `refusalLingerMs`, whichever is first: before,
   * a refused upgrade was ended but never destroyed, and 20,000 of them held 20,000 fds.
   * A trusted proxy's connections and upgrades are admitted as {@link HttpListenOptions.trustedProxies}
   * says (hardening W6): the proxy against the global cap, each upgrade as its forwarded client.
   */
  listenHTTP(options: HttpListenOptions): Promise<ListeningPort> {
    const name = options.tls === undefined ? "http" : "https";
    const log = this.#logger.child({ listener: name });
    const logRefusal = this.#refusalLogger(log);
    const lingerMs = options.refusalLingerMs;
    // Node attaches its parser before our 'connection' listener runs, so a refused socket may
    // still produce a request or an upgrade: those are dropped here, unanswered but for the 503.
    const refused = new WeakSet<Duplex>();
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      if (!refused.has(req.socket)) options.onRequest(req, res);
    };
    const credentials = options.tls;
    let server: http.Server | https.Server;
    if (credentials === undefined) {
      server = http.createServer(options.serverOptions ?? {}, handler);
    } else {
      const secure = https.createServer({ ...options.serverOptions, ...credentials.pem, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS }, handler);
      // A reload serves the next handshake; connections already open keep theirs (issue 10).
      const unsubscribe = credentials.onReload(() => secure.setSecureContext(credentials.pem));
      secure.once("close", unsubscribe);
      secure.on("tlsClientError", (err: NodeJS.ErrnoException, socket: TLSSocket) =>
        log.debug({ peer: socket.remoteAddress, code: err.code ?? err.message }, "TLS handshake failed"),
      );
      server = secure;
    }
    options.configure?.(server);
    const trusted = options.trustedProxies ?? NOBODY;
    const proto = credentials === undefined ? "http" : "https";
    // An https connection is admitted once its handshake is done, so that a refusal can be
    // answered (over TLS) like any other; until then the handshake timeout bounds it.
    server.on(credentials === undefined ? "connection" : "secureConnection", (socket: net.Socket) => {
      const address = socket.remoteAddress ?? "unknown";
      // A trusted proxy's connection carries many players: it counts against the global cap
      // only; each upgrade on one counts under the client it names (W6).
      if (trusted.allows(address)) {
        const admitted = this.#admitTotal(options, name);
        if (admitted === "ok") {
          socket.once("close", () => this.#releaseTotal());
          return;
        }
        refused.add(socket);
        this.#refuseHttp(socket, 503, admitted, lingerMs);
        logRefusal(address, admitted);
        return;
      }
      // Plain HTTP is capped but not rate-limited; an upgrade is, by the WebSocket door.
      const admitted = this.admit(address, options, name, false);
      if (admitted === "ok") {
        socket.once("close", () => this.#release(address));
        return;
      }
      refused.add(socket);
      this.#refuseHttp(socket, 503, admitted, lingerMs);
      logRefusal(address, admitted);
    });
    const upgradeDoor = options.upgradeDoor ?? "websocket";
    server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!refused.has(socket)) {
        const client = forwardedClient(req.socket.remoteAddress ?? "unknown", proto, trusted, req.headers);
        const address = client.clientAddress;
        if (client.via === undefined) {
          if (this.admitArrival(address, upgradeDoor)) {
            options.onUpgrade(req, socket, head, client);
            return;
          }
          // Too many new game connections from this address (F4): answered like every refusal.
          this.#refuseHttp(socket, 429, "rate", lingerMs);
          logRefusal(address, "rate");
        } else {
          // Through a trusted proxy: the forwarded client's rate (F4) and its own count (F3).
          const admitted = this.#admitForwarded(address, options, upgradeDoor);
          if (admitted === "ok") {
            socket.once("close", () => this.#releaseAddress(address));
            options.onUpgrade(req, socket, head, client);
            return;
          }
          this.#refuseHttp(socket, admitted === "rate" ? 429 : 503, admitted, lingerMs);
          logRefusal(address, admitted);
        }
      }
      // Read and discard, so the peer's close is seen and ends the linger early.
      socket.resume();
    });
    server.on("clientError", (_err, socket: Duplex) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      socket.destroy();
    });
    server.on("error", (err: NodeJS.ErrnoException) => {
      this.stats.acceptErrors++;
      this.#logger.error({ err: err.message, code: err.code }, `${name} listener error`);
    });
    return this.#listen(server, options.host, options.port, name);
  }

  /** Flushes every queued write now (used during shutdown, before closing). */
  flushAll(): void {
    this.turns.flushNow();
  }

  /**
   * Destroys every connection still open, of every door, and every refusal still lingering:
   * the end of the shutdown budget.
   */
  abortAll(why: DisconnectReason = reason("shutdown", "the server stopped")): void {
    this.connections.abortAll(why);
    for (const socket of this.#lingering) socket.destroy();
    for (const abandon of [...this.#pending]) abandon();
    this.#pending.clear();
  }

  /**
   * Resolves once no connection of any door is open: at once if none is. Shutdown races it
   * against its grace period on the Clock, so it waits on events, never on a poll of `Date.now`.
   */
  whenDrained(): Promise<void> {
    return this.connections.whenEmpty();
  }

  /** Stops every listener. */
  async stopListening(): Promise<void> {
    await Promise.all([...this.#servers].map((s) => closeServer(s)));
    this.#servers.clear();
  }

  /**
   * Answers a refused HTTP connection or upgrade with `status` and the cap's words, and keeps
   * it for at most `lingerMs` on the Clock so the answer is read rather than lost to a reset
   * (hardening F11); it goes sooner if the peer closes. The one way the HTTP listener refuses.
   */
  #refuseHttp(socket: Duplex, status: 429 | 503, cap: RefusalCap, lingerMs: number): void {
    // The HTTP server has removed its own error listener from an upgraded socket. A refused
    // peer's reset is expected, and the refusal itself was logged (rate-limited) by the caller.
    socket.on("error", () => {});
    const body = REFUSALS[cap];
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Refused"}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    this.#linger(socket, lingerMs);
  }

  /** Keeps a refused socket at most `lingerMs` on the Clock, or until the peer closes (F11). */
  #linger(socket: Duplex, lingerMs: number): void {
    const linger = this.clock.callLater(lingerMs, () => socket.destroy());
    this.#lingering.add(socket);
    socket.once("close", () => {
      linger.cancel();
      this.#lingering.delete(socket);
    });
  }

  /** A trusted proxy's HTTP connection: the global cap only (F5); released by {@link #releaseTotal}. */
  #admitTotal(limits: ConnectionLimits, door: string): "ok" | RefusalCap {
    if (this.stats.open >= limits.maxTotal) {
      this.#countRefusal(door, "busy");
      return "busy";
    }
    this.stats.accepted++;
    this.stats.open++;
    return "ok";
  }

  /**
   * An upgrade a trusted proxy forwarded for `address`: that client's rate (F4) and cap per
   * address (F3). Its socket is already counted in the total, as its proxy's connection.
   * Released by {@link #releaseAddress}.
   */
  #admitForwarded(address: string, limits: ConnectionLimits, door: string): "ok" | RefusalCap {
    const key = addressKey(address);
    const arrivalAllowed = this.#arrivals.take(key);
    const fromAddress = this.#perAddress.get(key) ?? 0;
    const refusal: RefusalCap | undefined = fromAddress >= limits.maxPerAddress ? "address" : !arrivalAllowed ? "rate" : undefined;
    if (refusal !== undefined) {
      this.#countRefusal(door, refusal);
      return refusal;
    }
    this.#perAddress.set(key, fromAddress + 1);
    return "ok";
  }

  #releaseTotal(): void {
    this.stats.open--;
  }

  #release(address: string): void {
    this.#releaseTotal();
    this.#releaseAddress(address);
  }

  #releaseAddress(address: string): void {
    const key = addressKey(address);
    const n = (this.#perAddress.get(key) ?? 1) - 1;
    if (n <= 0) this.#perAddress.delete(key);
    else this.#perAddress.set(key, n);
  }

  /** Logs a door's PROXY protocol closures at a bounded rate, like its refusals (W6). */
  #proxyLogger(log: Logger): (peer: string, why: string) => void {
    const limit = new LogLimit(this.clock, { perWindow: 1, windowMs: REFUSAL_LOG_WINDOW_MS });
    return (peer, why) => {
      if (!limit.allow()) return;
      log.warn({ peer, reason: why, suppressed: limit.takeSuppressed() }, "PROXY protocol: connection closed");
    };
  }

  /** Logs a door's refusals at a bounded rate: the first of each window, with the count skipped. */
  #refusalLogger(log: Logger): (peer: string, cap: RefusalCap) => void {
    const limit = new LogLimit(this.clock, { perWindow: 1, windowMs: REFUSAL_LOG_WINDOW_MS });
    return (peer, cap) => {
      if (!limit.allow()) return;
      log.warn({ peer, open: this.stats.open, cap, suppressed: limit.takeSuppressed() }, "connection refused at the cap");
    };
  }

  #listen(server: net.Server | http.Server | https.Server, host: string, port: number, name: string): Promise<ListeningPort> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once("error", onError);
      server.listen({ host, port, backlog: 4096 }, () => {
        server.off("error", onError);
        this.#servers.add(server);
        const addr = server.address();
        const bound = typeof addr === "object" && addr !== null ? addr : { address: host, port };
        this.#logger.info({ listener: name, host: bound.address, port: bound.port }, `${name} listening`);
        resolve({
          host: bound.address,
          port: bound.port,
          stopListening: () => {
            this.#servers.delete(server);
            return closeServer(server);
          },
        });
      });
    });
  }
}

function closeServer(server: net.Server | http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    // HTTP keep-alive sockets would hold close() open; idle ones can go now.
    if (server instanceof http.Server || server instanceof https.Server) server.closeIdleConnections();
  });
}
