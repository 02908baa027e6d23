/**
 * The Reactor: the one place that touches `node:net` and `node:http`. It owns the listeners,
 * the clock and the turn queue, counts connections, and closes everything in order.
 */
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import type { Clock } from "./clock.js";
import type { ProtocolFactory } from "./interfaces.js";
import { reason } from "./interfaces.js";
import { TcpTransport } from "./tcp-transport.js";
import { TurnQueue } from "./turn-queue.js";

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
  /** Most simultaneous connections from one address (hardening F3). Default 10. */
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
export interface HttpListenOptions {
  readonly host: string;
  readonly port: number;
  readonly onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  readonly onUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Passed to `http.createServer` (timeouts against slowloris, header limits). */
  readonly serverOptions?: http.ServerOptions;
  /** Applies settings that can only be set on the created server (e.g. `maxHeadersCount`). */
  readonly configure?: (server: http.Server) => void;
}

/** Counters the reactor keeps for /metrics. */
export interface ReactorStats {
  open: number;
  accepted: number;
  refused: number;
  acceptErrors: number;
}

const REFUSED_BUSY = "Loom is full right now; please try again in a few minutes.\r\n";
const REFUSED_ADDRESS = "Too many connections from your address.\r\n";

/** The event loop, wrapped: listeners, clock, turn queue and orderly shutdown. */
export class Reactor {
  readonly clock: Clock;
  readonly turns = new TurnQueue();
  readonly stats: ReactorStats = { open: 0, accepted: 0, refused: 0, acceptErrors: 0 };
  readonly #logger: Logger;
  readonly #servers = new Set<net.Server | http.Server>();
  readonly #transports = new Set<TcpTransport>();
  readonly #perAddress = new Map<string, number>();

  constructor(deps: { clock: Clock; logger: Logger }) {
    this.clock = deps.clock;
    this.#logger = deps.logger;
  }

  /** Listens for TCP connections and gives each to a protocol built by `factory`. */
  listenTCP(factory: ProtocolFactory, options: TcpListenOptions): Promise<ListeningPort> {
    const log = this.#logger.child({ listener: options.name });
    const server = net.createServer({ noDelay: true, pauseOnConnect: false }, (socket) => {
      const address = socket.remoteAddress ?? "unknown";
      const admitted = this.admit(address, options);
      if (admitted !== "ok") {
        socket.on("error", () => {});
        socket.end(admitted === "busy" ? REFUSED_BUSY : REFUSED_ADDRESS);
        socket.destroySoon();
        log.warn({ peer: address, open: this.stats.open, cap: admitted }, "connection refused at the cap");
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
      const transport = new TcpTransport(socket, protocol, { turns: this.turns, clock: this.clock }, options, () => {
        this.#transports.delete(transport);
        this.#release(address);
      });
      this.#transports.add(transport);
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
   * Counts a new connection from `address` against the caps shared by every door (hardening
   * F3, F5): `"ok"` (the caller must {@link release} it when it closes), or which cap refused
   * it. The WebSocket door's upgrades are admitted here too, so the caps hold across doors.
   */
  admit(address: string, limits: ConnectionLimits = {}): "ok" | "busy" | "address" {
    const fromAddress = this.#perAddress.get(address) ?? 0;
    const refusal = this.stats.open >= (limits.maxTotal ?? 5000) ? "busy" : fromAddress >= (limits.maxPerAddress ?? 10) ? "address" : undefined;
    if (refusal !== undefined) {
      this.stats.refused++;
      return refusal;
    }
    this.stats.accepted++;
    this.stats.open++;
    this.#perAddress.set(address, fromAddress + 1);
    return "ok";
  }

  /** Gives back what {@link admit} counted, once the connection has closed. */
  release(address: string): void {
    this.#release(address);
  }

  /** Listens for HTTP; upgrades (WebSocket) go to `onUpgrade`. */
  listenHTTP(options: HttpListenOptions): Promise<ListeningPort> {
    const server = http.createServer(options.serverOptions ?? {}, options.onRequest);
    options.configure?.(server);
    server.on("upgrade", options.onUpgrade);
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

  /** Destroys every TCP connection still open: the end of the shutdown budget. */
  abortAll(): void {
    for (const t of this.#transports) t.abort(reason("shutdown", "the server stopped"));
  }

  /** Number of TCP connections still open. */
  get openTcpConnections(): number {
    return this.#transports.size;
  }

  /** Stops every listener. */
  async stopListening(): Promise<void> {
    await Promise.all([...this.#servers].map((s) => closeServer(s)));
    this.#servers.clear();
  }

  #release(address: string): void {
    this.stats.open--;
    const n = (this.#perAddress.get(address) ?? 1) - 1;
    if (n <= 0) this.#perAddress.delete(address);
    else this.#perAddress.set(address, n);
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
