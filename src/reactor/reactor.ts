/**
 * The Reactor: the one place that touches `node:net` and `node:http`. It owns the listeners,
 * the clock and the turn queue, counts connections, and closes everything in order.
 */
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { LogLimit } from "../log-limit.js";
import { addressKey } from "./address-key.js";
import type { Clock } from "./clock.js";
import { ConnectionRegistry, type LiveConnection } from "./connection-registry.js";
import type { DisconnectReason, ProtocolFactory } from "./interfaces.js";
import { reason } from "./interfaces.js";
import { TcpTransport } from "./tcp-transport.js";
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

/** Limits applied by the reactor to every TCP door. */
export interface ConnectionLimits {
  /**
   * Most simultaneous connections from one address (hardening F3), counted by
   * {@link addressKey}: an IPv6 /64 is one address, `::ffff:a.b.c.d` is `a.b.c.d`. Default 10.
   */
  readonly maxPerAddress?: number;
  /** Most simultaneous connections in all (hardening F5; mind RLIMIT_NOFILE). Default 5000. */
  readonly maxTotal?: number;
  /** Output cap per connection (hardening S1). Default 1 MiB. */
  readonly maxOutputBytes?: number;
}

/** Options for {@link Reactor.listenTCP}. */
export interface TcpListenOptions extends ConnectionLimits {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** Options for {@link Reactor.listenHTTP}. */
export interface HttpListenOptions extends Pick<ConnectionLimits, "maxPerAddress" | "maxTotal"> {
  readonly host: string;
  readonly port: number;
  readonly onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  readonly onUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Passed to `http.createServer` (timeouts against slowloris, header limits). */
  readonly serverOptions?: http.ServerOptions;
  /** Applies settings that can only be set on the created server (e.g. `maxHeadersCount`). */
  readonly configure?: (server: http.Server) => void;
  /**
   * How long a refused connection is kept after its 503 is written, in ms on the reactor's
   * Clock, so the answer is read rather than lost to a reset; it closes sooner if the peer
   * does. Default 1000.
   */
  readonly refusalLingerMs?: number;
  /**
   * The door an upgrade opens a game connection on, the name its refusals count under in
   * /metrics. Every upgrade spends from its address's arrival bucket (hardening F4) here, before
   * `onUpgrade` sees it, whatever its path: a refused one is answered 429 as the reactor answers
   * every refusal. Default "websocket".
   */
  readonly upgradeDoor?: string;
}

/**
 * Which limit refused a connection: the global cap (`busy`), the cap per address (`address`),
 * or the rate of new connections per address (`rate`, hardening F4).
 */
export type RefusalCap = "busy" | "address" | "rate";

/**
 * How fast one address may open connections (hardening F4), whatever the door: a token bucket
 * per address key. F3 caps how many are open at once; this caps how fast they come, so a
 * burst of connect-and-close from one address is turned away before any protocol is built.
 */
export interface ConnectionRateLimits {
  /** New connections per second, sustained, per address. Default 2. */
  readonly perSecond?: number;
  /** New connections at once before that rate applies. Default 20 (a page load and a few players). */
  readonly burst?: number;
  /** Addresses remembered; full buckets are forgotten first (hardening F10). Default 10,000. */
  readonly maxAddresses?: number;
}

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
 * How often a door may log a refusal: one line per window, carrying the count of those not
 * logged since. A refusal is something any stranger can repeat thousands of times a second;
 * one line each is what let a refusal flood fill the disk (issue 5 items 2 and 8).
 */
const REFUSAL_LOG_WINDOW_MS = 10_000;

/** The default of {@link HttpListenOptions.refusalLingerMs}. */
export const DEFAULT_REFUSAL_LINGER_MS = 1000;

const REFUSED_BUSY = "Loom is full right now; please try again in a few minutes.\r\n";
const REFUSED_ADDRESS = "Too many connections from your address.\r\n";
const REFUSED_RATE = "Too many new connections from your address; please wait a moment.\r\n";
const REFUSALS: Readonly<Record<RefusalCap, string>> = { busy: REFUSED_BUSY, address: REFUSED_ADDRESS, rate: REFUSED_RATE };

/** The event loop, wrapped: listeners, clock, turn queue and orderly shutdown. */
export class Reactor {
  readonly clock: Clock;
  readonly turns = new TurnQueue();
  /** Numbers the turns for the doors' per-connection input budgets (issue 5 item 3). */
  readonly inputTurns = new InputTurns();
  readonly stats: ReactorStats = { open: 0, accepted: 0, refused: 0, refusedByDoor: {}, acceptErrors: 0 };
  readonly #logger: Logger;
  readonly #servers = new Set<net.Server | http.Server>();
  /** Every live connection of every door (the WebSocket door adds its own). */
  readonly connections = new ConnectionRegistry();
  readonly #perAddress = new Map<string, number>();
  /** Refused HTTP connections and upgrades waiting out their linger. */
  readonly #lingering = new Set<Duplex>();

  /** New connections per address, by address key (hardening F4). */
  readonly #arrivals: KeyedBuckets;

  constructor(deps: { clock: Clock; logger: Logger; connectionRate?: ConnectionRateLimits }) {
    this.clock = deps.clock;
    this.#logger = deps.logger;
    const rate = deps.connectionRate ?? {};
    this.#arrivals = new KeyedBuckets(deps.clock, { perSecond: rate.perSecond ?? 2, burst: rate.burst ?? 20 }, rate.maxAddresses ?? 10_000);
  }

  /** Listens for TCP connections and gives each to a protocol built by `factory`. */
  listenTCP(factory: ProtocolFactory, options: TcpListenOptions): Promise<ListeningPort> {
    const log = this.#logger.child({ listener: options.name });
    const logRefusal = this.#refusalLogger(log);
    // allowHalfOpen: a peer's FIN ends only its side; the transport answers what it was sent
    // before closing ours (issue 5 item 15).
    const server = net.createServer({ noDelay: true, pauseOnConnect: false, allowHalfOpen: true }, (socket) => {
      const address = socket.remoteAddress ?? "unknown";
      const admitted = this.admit(address, options, options.name);
      if (admitted !== "ok") {
        socket.on("error", () => {});
        socket.end(REFUSALS[admitted]);
        socket.destroySoon();
        logRefusal(address, admitted);
        return;
      }
      let protocol;
      try {
        protocol = factory.buildProtocol({ address, port: socket.remotePort ?? 0 });
      } catch (err) {
        log.error({ err }, "protocol factory failed");
        socket.destroy();
        this.#release(address);
        return;
      }
      const entry: LiveConnection = { door: options.name, abort: (why) => transport.abort(why) };
      const transport: TcpTransport = new TcpTransport(socket, protocol, { turns: this.turns, clock: this.clock }, options, () => {
        this.connections.delete(entry);
        this.#release(address);
      });
      this.connections.add(entry);
      transport.start();
    });
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
   * and spends only from the rate, in {@link listenHTTP}).
   */
  admit(address: string, limits: ConnectionLimits = {}, door = "other", rateLimited = true): "ok" | RefusalCap {
    const key = addressKey(address);
    const fromAddress = this.#perAddress.get(key) ?? 0;
    // Every arrival spends from its address's bucket, refused or not: an address that keeps
    // hammering keeps itself refused, and nobody else's bucket is touched.
    const arrivalAllowed = !rateLimited || this.#arrivals.take(key);
    const refusal: RefusalCap | undefined =
      this.stats.open >= (limits.maxTotal ?? 5000)
        ? "busy"
        : fromAddress >= (limits.maxPerAddress ?? 10)
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
   */
  listenHTTP(options: HttpListenOptions): Promise<ListeningPort> {
    const log = this.#logger.child({ listener: "http" });
    const logRefusal = this.#refusalLogger(log);
    const lingerMs = options.refusalLingerMs ?? DEFAULT_REFUSAL_LINGER_MS;
    // Node attaches its parser before our 'connection' listener runs, so a refused socket may
    // still produce a request or an upgrade: those are dropped here, unanswered but for the 503.
    const refused = new WeakSet<Duplex>();
    const server = http.createServer(options.serverOptions ?? {}, (req, res) => {
      if (!refused.has(req.socket)) options.onRequest(req, res);
    });
    options.configure?.(server);
    server.on("connection", (socket: net.Socket) => {
      const address = socket.remoteAddress ?? "unknown";
      // Plain HTTP is capped but not rate-limited; an upgrade is, by the WebSocket door.
      const admitted = this.admit(address, options, "http", false);
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
        const address = req.socket.remoteAddress ?? "unknown";
        if (this.admitArrival(address, upgradeDoor)) {
          options.onUpgrade(req, socket, head);
          return;
        }
        // Too many new game connections from this address (F4): answered like every refusal.
        this.#refuseHttp(socket, 429, "rate", lingerMs);
        logRefusal(address, "rate");
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
      this.#logger.error({ err: err.message, code: err.code }, "http listener error");
    });
    return this.#listen(server, options.host, options.port, "http");
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
    // The HTTP server has removed its own error listener from an upgraded socket.
    socket.on("error", () => {});
    const body = REFUSALS[cap];
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Refused"}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    const linger = this.clock.callLater(lingerMs, () => socket.destroy());
    this.#lingering.add(socket);
    socket.once("close", () => {
      linger.cancel();
      this.#lingering.delete(socket);
    });
  }

  #release(address: string): void {
    this.stats.open--;
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

  #listen(server: net.Server | http.Server, host: string, port: number, name: string): Promise<ListeningPort> {
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

function closeServer(server: net.Server | http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    // HTTP keep-alive sockets would hold close() open; idle ones can go now.
    if (server instanceof http.Server) server.closeIdleConnections();
  });
}
