/**
 * The HTTP door (http, or https with TLS): what {@link Reactor.listenHTTP} builds. Every
 * connection is admitted on arrival against the same caps as the TCP doors (F3, F5), a trusted
 * proxy's against the global cap only (W6); every upgrade at the rate of new game connections
 * (F4), or as the client a trusted proxy's headers name. A refusal is answered 503 or 429 with
 * the cap's words and lingers on the Clock (F11), as the reactor answers every refusal.
 */
import http from "node:http";
import https from "node:https";
import type net from "node:net";
import type { TLSSocket } from "node:tls";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { forwardedClient, type ForwardedClient, type ForwardedProto, type TrustedProxies } from "../http/forwarded.js";
import type { AdmissionScope, ConnectionLimits } from "./reactor.js";
import { REFUSALS, type RefusalCap } from "./refusals.js";
import type { TlsCredentials } from "./tls-credentials.js";

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
 * What the HTTP door needs from its reactor: closures over the reactor's admission tables, bound
 * to this listener's caps. Each `ok` is given back by `release` with the same scope.
 */
export interface HttpDoorReactor {
  /** Counts a connection from `address` against what `scope` names; refusals count under the listener's name. */
  admitConnection(address: string, scope: AdmissionScope): "ok" | RefusalCap;
  /** Counts an upgrade from `address` against what `scope` names; refusals count under `upgradeDoor`. */
  admitUpgrade(address: string, scope: AdmissionScope): "ok" | RefusalCap;
  /** An upgrade from `address`, on a connection already admitted: the rate of new game connections (F4). */
  admitArrival(address: string): boolean;
  release(address: string, scope: AdmissionScope): void;
  /** Keeps a refused socket at most `ms` on the Clock, or until the peer closes (F11). */
  linger(socket: Duplex, ms: number): void;
  /** The door's rate-limited refusal log. */
  logRefusal(peer: string, cap: RefusalCap): void;
}

/** A client's own connection: the caps (F3, F5), not the rate; plain HTTP is not rate-limited. */
const CONNECTION: AdmissionScope = { total: true, perAddress: true, rate: false };

/** A trusted proxy's connection carries many players: the global cap only (F5, W6). */
const PROXY_CONNECTION: AdmissionScope = { total: true, perAddress: false, rate: false };

/**
 * An upgrade a trusted proxy forwarded: its client's rate (F4) and cap per address (F3). Its
 * socket is already counted in the total, as its proxy's connection.
 */
const FORWARDED_UPGRADE: AdmissionScope = { total: false, perAddress: true, rate: true };

/** No trusted proxies: the default of {@link HttpListenOptions.trustedProxies}. */
const NOBODY: TrustedProxies = { allows: () => false };

/**
 * How long an https client may take over its handshake. Node's default (120 s) lets a peer that
 * opens a socket and says nothing hold it for two minutes before it is even admitted.
 */
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

/** The server of one HTTP listener, with its admission of connections and upgrades. */
export class HttpDoor {
  readonly server: http.Server | https.Server;
  readonly #reactor: HttpDoorReactor;
  readonly #options: HttpListenOptions;
  readonly #trusted: TrustedProxies;
  /** How clients reach this listener, when no trusted proxy's header says otherwise. */
  readonly #proto: ForwardedProto;
  // Node attaches its parser before our 'connection' listener runs, so a refused socket may
  // still produce a request or an upgrade: those are dropped here, unanswered but for the 503.
  readonly #refused = new WeakSet<Duplex>();

  constructor(reactor: HttpDoorReactor, options: HttpListenOptions, log: Logger) {
    this.#reactor = reactor;
    this.#options = options;
    this.#trusted = options.trustedProxies ?? NOBODY;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      if (!this.#refused.has(req.socket)) options.onRequest(req, res);
    };
    const credentials = options.tls;
    this.#proto = credentials === undefined ? "http" : "https";
    if (credentials === undefined) {
      this.server = http.createServer(options.serverOptions ?? {}, handler);
    } else {
      const secure = https.createServer({ ...options.serverOptions, ...credentials.pem, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS }, handler);
      // A reload serves the next handshake; connections already open keep theirs (issue 10).
      const unsubscribe = credentials.onReload(() => secure.setSecureContext(credentials.pem));
      secure.once("close", unsubscribe);
      secure.on("tlsClientError", (err: NodeJS.ErrnoException, socket: TLSSocket) =>
        log.debug({ peer: socket.remoteAddress, code: err.code ?? err.message }, "TLS handshake failed"),
      );
      this.server = secure;
    }
    options.configure?.(this.server);
    // An https connection is admitted once its handshake is done, so that a refusal can be
    // answered (over TLS) like any other; until then the handshake timeout bounds it.
    this.server.on(credentials === undefined ? "connection" : "secureConnection", (socket: net.Socket) => this.#connected(socket));
    this.server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head));
    this.server.on("clientError", (_err, socket: Duplex) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      socket.destroy();
    });
  }

  /** Admits a new connection (after its handshake on https), or answers it 503. */
  #connected(socket: net.Socket): void {
    const address = socket.remoteAddress ?? "unknown";
    // A trusted proxy's connection carries many players: it counts against the global cap
    // only; each upgrade on one counts under the client it names (W6).
    if (this.#trusted.allows(address)) {
      const admitted = this.#reactor.admitConnection(address, PROXY_CONNECTION);
      if (admitted === "ok") {
        socket.once("close", () => this.#reactor.release(address, PROXY_CONNECTION));
        return;
      }
      this.#refused.add(socket);
      this.#refuse(socket, 503, admitted);
      this.#reactor.logRefusal(address, admitted);
      return;
    }
    // Plain HTTP is capped but not rate-limited; an upgrade is, by the WebSocket door.
    const admitted = this.#reactor.admitConnection(address, CONNECTION);
    if (admitted === "ok") {
      socket.once("close", () => this.#reactor.release(address, CONNECTION));
      return;
    }
    this.#refused.add(socket);
    this.#refuse(socket, 503, admitted);
    this.#reactor.logRefusal(address, admitted);
  }

  /** Hands an upgrade on to `onUpgrade` once admitted, or answers it 429 or 503. */
  #upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.#refused.has(socket)) {
      const client = forwardedClient(req.socket.remoteAddress ?? "unknown", this.#proto, this.#trusted, req.headers);
      const address = client.clientAddress;
      if (client.via === undefined) {
        if (this.#reactor.admitArrival(address)) {
          this.#options.onUpgrade(req, socket, head, client);
          return;
        }
        // Too many new game connections from this address (F4): answered like every refusal.
        this.#refuse(socket, 429, "rate");
        this.#reactor.logRefusal(address, "rate");
      } else {
        // Through a trusted proxy: the forwarded client's rate (F4) and its own count (F3).
        const admitted = this.#reactor.admitUpgrade(address, FORWARDED_UPGRADE);
        if (admitted === "ok") {
          socket.once("close", () => this.#reactor.release(address, FORWARDED_UPGRADE));
          this.#options.onUpgrade(req, socket, head, client);
          return;
        }
        this.#refuse(socket, admitted === "rate" ? 429 : 503, admitted);
        this.#reactor.logRefusal(address, admitted);
      }
    }
    // Read and discard, so the peer's close is seen and ends the linger early.
    socket.resume();
  }

  /**
   * Answers a refused HTTP connection or upgrade with `status` and the cap's words, and keeps
   * it for at most `refusalLingerMs` on the Clock so the answer is read rather than lost to a
   * reset (hardening F11); it goes sooner if the peer closes. The one way the HTTP listener refuses.
   */
  #refuse(socket: Duplex, status: 429 | 503, cap: RefusalCap): void {
    // The HTTP server has removed its own error listener from an upgraded socket. A refused
    // peer's reset is expected, and the refusal itself was logged (rate-limited) by the caller.
    socket.on("error", () => {});
    const body = REFUSALS[cap];
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Refused"}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    this.#reactor.linger(socket, this.#options.refusalLingerMs);
  }
}
