/**
 * The WebSocket door: the browser client's way in, at `/ws` on the HTTP listener (default port
 * 8080). The reactor owns the `node:http` listener and hands every 'upgrade' here; this door
 * checks the path and Origin, lets `ws` do the handshake (in noServer mode), and turns each
 * socket into a {@link WebSocketConnection} with its session.
 *
 * Subprotocols (subprotocols.ts, README.md): `loom.v1.json` (JSON frames, variant `ws-json`),
 * then the mudstandards.org `gmcp.`, `json.` and `terminal.` forms (an ANSI stream in binary
 * frames, with GMCP in text frames for the first two), picked in that order whatever order the
 * client offers them in; a client offering none of them gets plain text frames (`ws-text`),
 * which websocat or a browser console can read as they are.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import type { ForwardedClient } from "../../src/http/forwarded.js";
import type { Clock, DelayedCall } from "../../src/reactor/clock.js";
import { ConnectionRegistry } from "../../src/reactor/connection-registry.js";
import { InputTurns } from "../../src/reactor/input-budget.js";
import type { DisconnectReason, PeerAddress } from "../../src/reactor/interfaces.js";
import type { TurnQueue } from "../../src/reactor/turn-queue.js";
import { forEachInSlices } from "../../src/reactor/slices.js";
import type { SessionOpener } from "../../src/session/endpoint.js";
import { LogLimit } from "../../src/log-limit.js";
import { isAllowedOrigin, refuseUpgrade, requestPath, WEBSOCKET_PATH } from "./upgrade-guard.js";
import { selectSubprotocol, wireModeOf } from "./subprotocols.js";
import { WEBSOCKET_DOOR, WebSocketConnection } from "./websocket-connection.js";
import { resolveWebSocketDoorOptions, type ResolvedWebSocketDoorOptions, type WebSocketDoorOptions } from "./websocket-options.js";

export type { WebSocketDoorOptions } from "./websocket-options.js";

/** What the door borrows from the reactor. */
export interface WebSocketDoorDeps {
  /** Drives the keepalive pings. */
  readonly clock: Clock;
  /** Coalesces each connection's output to one write per turn. */
  readonly turns: TurnQueue;
  /** The door's logger; each connection logs through a child. */
  readonly logger: Logger;
  /** The reactor's turn counter for input budgets (issue 5 item 3). Default: one of the door's own. */
  readonly inputTurns?: InputTurns;
  /**
   * The registry of live connections the door adds its connections to: the reactor's, so that
   * shutdown counts, drains and aborts every door in one place. Default: one of the door's own.
   */
  readonly connections?: ConnectionRegistry;
}

/** Connections pinged per slice of a keepalive tick before the loop is let go round (≈ 5–10 ms of pings). */
export const HEARTBEAT_SLICE = 500;

/** The WebSocket door. One per HTTP listener. */
export class WebSocketDoor {
  readonly #opener: SessionOpener;
  readonly #options: ResolvedWebSocketDoorOptions;
  readonly #clock: Clock;
  readonly #turns: TurnQueue;
  readonly #inputTurns: InputTurns;
  /** Refused origins: one log line per 10 s, with the count not logged. */
  readonly #originLog: LogLimit;
  readonly #log: Logger;
  readonly #wss: WebSocketServer;
  /** Live connections of every door; this door's are those with door "websocket". */
  readonly #connections: ConnectionRegistry;
  #keepalive: DelayedCall | undefined;
  #shuttingDown = false;
  /** Resolved, and forgotten, once no connection is open (shutdown's drain). */

  /** Throws a RangeError for an out-of-range option (see {@link WebSocketDoorOptions}). */
  constructor(opener: SessionOpener, options: WebSocketDoorOptions, deps: WebSocketDoorDeps) {
    this.#opener = opener;
    this.#options = resolveWebSocketDoorOptions(options);
    this.#clock = deps.clock;
    this.#turns = deps.turns;
    this.#inputTurns = deps.inputTurns ?? new InputTurns();
    this.#connections = deps.connections ?? new ConnectionRegistry();
    this.#originLog = new LogLimit(deps.clock, { perWindow: 1, windowMs: 10_000 });
    this.#log = deps.logger.child({ door: "websocket" });
    this.#wss = new WebSocketServer({
      noServer: true,
      // permessage-deflate costs about 250 KB per connection (brief, "Performance principles").
      // The connections also write their data frames beside `ws`, uncompressed (see
      // WebSocketConnection.flush): turning it on would need that flush to compress.
      perMessageDeflate: false,
      maxPayload: this.#options.maxPayload,
      // The door tracks its own connections.
      clientTracking: false,
      handleProtocols: (offered) => selectSubprotocol(offered),
    });
  }

  /** Open connections (handshake done, socket not yet closed). */
  get connectionCount(): number {
    return this.#connections.count(WEBSOCKET_DOOR);
  }

  /**
   * Handles one HTTP 'upgrade' from the reactor's listener, for any path. Only `/ws` is upgraded
   * (other paths: 404); a foreign Origin gets 403 (hardening W3) and, after {@link closeAll}, every
   * request gets 503. Refused sockets are destroyed once the answer is written. Never throws.
   * Admission (the caps and the rate of new connections, hardening F3 to F5) is the reactor's,
   * done before the upgrade reaches here.
   *
   * `client`: who the reactor admitted the upgrade as (hardening W6): the client a trusted
   * proxy names, which becomes the session's peer (`who`, logs, login throttling). Without it,
   * the socket's own peer.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, client?: ForwardedClient): void {
    // The HTTP server removed its own error listener when it handed the socket over; until `ws`
    // attaches one, an ECONNRESET here would be an uncaught 'error'. A peer that vanishes
    // mid-upgrade is routine: debug, with its cause.
    const peerAddress = client?.clientAddress ?? req.socket.remoteAddress;
    const onEarlyError = (err: Error): void => {
      this.#log.debug({ err, peer: peerAddress }, "socket error before the websocket upgrade");
      socket.destroy();
    };
    socket.on("error", onEarlyError);
    try {
      if (requestPath(req.url) !== WEBSOCKET_PATH) {
        refuseUpgrade(socket, 404);
        return;
      }
      if (this.#shuttingDown) {
        refuseUpgrade(socket, 503);
        return;
      }
      if (!isAllowedOrigin(req.headers.origin, req.headers.host, this.#options.allowedOrigins, this.#options.publicOrigins)) {
        // Any page can send these, as often as it likes: logged at a bounded rate (F13).
        if (this.#originLog.allow()) {
          this.#log.info({ origin: req.headers.origin, peer: peerAddress, notLogged: this.#originLog.takeSuppressed() }, "websocket origin refused");
        }
        refuseUpgrade(socket, 403);
        return;
      }
      if (req.socket.remoteAddress === undefined || peerAddress === undefined) {
        // The peer is already gone.
        socket.destroy();
        return;
      }
      const peer: PeerAddress =
        client?.via === undefined ? { address: peerAddress, port: req.socket.remotePort ?? 0 } : { address: peerAddress, port: client.clientPort ?? 0 };
      if (client?.via !== undefined) this.#log.debug({ peer: peer.address, proxy: client.via, proto: client.proto }, "websocket through a trusted proxy");
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        socket.off("error", onEarlyError);
        this.#accept(ws, socket, peer);
      });
    } catch (err) {
      this.#log.error({ err }, "websocket upgrade failed");
      socket.destroy();
    }
  }

  /**
   * Shutdown (hardening D4): refuses new upgrades with 503, then flushes and closes every
   * connection with the given reason (close code 1001 Going Away for `shutdown`). Sockets finish
   * their close handshakes on their own; `connectionCount` reaches 0 as they do.
   */
  closeAll(why: DisconnectReason): void {
    this.#shuttingDown = true;
    for (const connection of this.#own()) connection.close(why);
  }

  /**
   * The end of the shutdown budget: destroys every socket still open, without waiting for close
   * handshakes (a peer that never answers a close frame would otherwise hold its socket for
   * `ws`'s own 30 s close timeout). Sessions not yet told are told `why`.
   */
  abortAll(why: DisconnectReason): void {
    this.#shuttingDown = true;
    for (const connection of this.#own()) connection.abort(why);
  }

  #accept(ws: WebSocket, socket: Duplex, peer: PeerAddress): void {
    const connection = new WebSocketConnection({
      ws,
      socket,
      peer,
      mode: wireModeOf(ws.protocol),
      options: this.#options,
      turns: this.#turns,
      inputTurns: this.#inputTurns,
      clock: this.#clock,
      logger: this.#log,
      onClosed: (c) => this.#forget(c),
    });
    this.#connections.add(connection);
    this.#startKeepalive();
    connection.start(this.#opener);
  }

  #forget(connection: WebSocketConnection): void {
    this.#connections.delete(connection);
    if (this.connectionCount === 0) {
      this.#keepalive?.cancel();
      this.#keepalive = undefined;
    }
  }

  /** This door's live connections, a snapshot from the shared registry. */
  #own(): WebSocketConnection[] {
    return this.#connections.ofDoor(WEBSOCKET_DOOR).filter((c): c is WebSocketConnection => c instanceof WebSocketConnection);
  }

  /**
   * One timer for the whole door, not one per connection: each tick pings every connection and
   * reaps the ones that stayed silent since the last tick. It runs only while connections exist.
   * A ping is a socket write of its own (`ws` sends it at once, outside the turn queue), so a
   * tick over thousands of connections goes {@link HEARTBEAT_SLICE} at a time with the loop let
   * go round between slices: 6,000 pings at once held every command for ≈ 80 ms (issue 11).
   */
  #startKeepalive(): void {
    if (this.#keepalive !== undefined || this.#options.pingIntervalMs === 0) return;
    this.#keepalive = this.#clock.callEvery(this.#options.pingIntervalMs, () => {
      forEachInSlices(this.#own(), HEARTBEAT_SLICE, (connection) => connection.heartbeat());
    });
  }
}
