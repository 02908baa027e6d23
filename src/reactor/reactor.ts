/**
 * The Reactor: the one place that touches `node:net`, `node:tls` and `node:http(s)`. It owns
 * the listeners, the clock and the turn queue, counts connections, and closes everything in order.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { LogLimit } from "../log-limit.js";
import { addressKey } from "./address-key.js";
import { type Clock, RealClock } from "./clock.js";
import { ConnectionRegistry } from "./connection-registry.js";
import type { DisconnectReason, ProtocolFactory } from "./interfaces.js";
import { reason } from "./interfaces.js";
import { HttpDoor, type HttpListenOptions } from "./http-door.js";
import { REFUSAL_LOG_WINDOW_MS, type RefusalCap } from "./refusals.js";
import { TcpDoor, type TcpListenOptions } from "./tcp-door.js";
import { TurnQueue } from "./turn-queue.js";
import { InputTurns } from "./input-budget.js";
import { KeyedBuckets } from "./token-bucket.js";

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

/**
 * What one admission counts against (hardening F3, F4, F5), and what its release gives back:
 * the global cap, the cap per address, and the address's rate of new connections.
 */
export interface AdmissionScope {
  /** Counted in `open`, against `maxTotal` (F5). */
  readonly total: boolean;
  /** Counted under its address key, against `maxPerAddress` (F3). */
  readonly perAddress: boolean;
  /** Spends from its address's arrival bucket, refused or not (F4). */
  readonly rate: boolean;
}

/** Every limit: what the TCP doors count, and what {@link Reactor.release} gives back. */
const EVERY_LIMIT: AdmissionScope = { total: true, perAddress: true, rate: true };

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

export type { RefusalCap } from "./refusals.js";
export type { HttpListenOptions } from "./http-door.js";
export type { TcpListenOptions } from "./tcp-door.js";

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
  /** Refused connections and upgrades (HTTP, and TLS on a TCP door) waiting out their linger. */
  readonly #lingering = new Set<Duplex>();
  /** Accepted sockets not yet handed to a transport (a PROXY header or a first TLS byte awaited): abandoned by {@link abortAll}. */
  readonly #pending = new Set<() => void>();

  /** Logs an exception our own code threw in a connection's callback. */
  readonly #reportBug: (err: unknown) => void;

  /** New connections per address, by address key (hardening F4). */
  readonly #arrivals: KeyedBuckets;

  constructor(deps: { clock: Clock; logger: Logger; connectionRate: ConnectionRateLimits; outputPacingMs: number }) {
    this.clock = deps.clock;
    this.#logger = deps.logger;
    // Our own code throwing inside a connection's callback costs only that connection, and is
    // logged, at a bounded rate since a peer's input might be what triggers it.
    const bugs = new LogLimit(deps.clock, { perWindow: 1, windowMs: REFUSAL_LOG_WINDOW_MS });
    this.#reportBug = (err) => {
      if (bugs.allow()) this.#logger.error({ err, suppressed: bugs.takeSuppressed() }, "a connection's handler threw");
    };
    // Pacing runs on real time even under a FakeClock: it is socket timing, not game time.
    this.turns = new TurnQueue({ pacingMs: deps.outputPacingMs, clock: new RealClock(), report: this.#reportBug });
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
    return this.#admit(address, limits, door, { total: true, perAddress: true, rate: rateLimited });
  }

  /**
   * Counts an arrival from `address` against the limits `scope` names, a refusal under `door`.
   * The HTTP door counts a trusted proxy's connections and the upgrades it forwards each
   * against part of them (W6; src/reactor/http-door.ts).
   */
  #admit(address: string, limits: ConnectionLimits, door: string, scope: AdmissionScope): "ok" | RefusalCap {
    const key = addressKey(address);
    const fromAddress = this.#perAddress.get(key) ?? 0;
    // Every arrival spends from its address's bucket, refused or not: an address that keeps
    // hammering keeps itself refused, and nobody else's bucket is touched.
    const arrivalAllowed = !scope.rate || this.#arrivals.take(key);
    const refusal: RefusalCap | undefined =
      scope.total && this.stats.open >= limits.maxTotal
        ? "busy"
        : scope.perAddress && fromAddress >= limits.maxPerAddress
          ? "address"
          : !arrivalAllowed
            ? "rate"
            : undefined;
    if (refusal !== undefined) {
      this.#countRefusal(door, refusal);
      return refusal;
    }
    if (scope.total) {
      this.stats.accepted++;
      this.stats.open++;
    }
    if (scope.perAddress) this.#perAddress.set(key, fromAddress + 1);
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
    const upgradeDoor = options.upgradeDoor ?? "websocket";
    const door = new HttpDoor(
      {
        admitConnection: (address, scope) => this.#admit(address, options, name, scope),
        admitUpgrade: (address, scope) => this.#admit(address, options, upgradeDoor, scope),
        admitArrival: (address) => this.admitArrival(address, upgradeDoor),
        release: (address, scope) => this.#release(address, scope),
        linger: (socket, ms) => this.#linger(socket, ms),
        logRefusal: this.#refusalLogger(log),
      },
      options,
      log,
    );
    door.server.on("error", (err: NodeJS.ErrnoException) => {
      this.stats.acceptErrors++;
      this.#logger.error({ err: err.message, code: err.code }, `${name} listener error`);
    });
    return this.#listen(door.server, options.host, options.port, name);
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

  /** Keeps a refused socket at most `lingerMs` on the Clock, or until the peer closes (F11). */
  #linger(socket: Duplex, lingerMs: number): void {
    const linger = this.clock.callLater(lingerMs, () => socket.destroy());
    this.#lingering.add(socket);
    socket.once("close", () => {
      linger.cancel();
      this.#lingering.delete(socket);
    });
  }

  /** Gives back what {@link #admit} counted under `scope`, once the connection has closed. */
  #release(address: string, scope: AdmissionScope = EVERY_LIMIT): void {
    if (scope.total) this.stats.open--;
    if (!scope.perAddress) return;
    const key = addressKey(address);
    const n = (this.#perAddress.get(key) ?? 1) - 1;
    if (n <= 0) this.#perAddress.delete(key);
    else this.#perAddress.set(key, n);
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
