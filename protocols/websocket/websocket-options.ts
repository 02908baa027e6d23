/**
 * The WebSocket door's limits. Every buffer has a named limit (style habit 4); the operator's
 * are required here, because their defaults are written once, in config/default.yaml (issue 10),
 * and the server passes the configured values. Only the ping interval, which is not a setting,
 * has its default in this module.
 */

/** Limits and policies of the WebSocket door. */
export interface WebSocketDoorOptions {
  /**
   * Largest client message, in bytes, after reassembling fragments. A bigger one closes the
   * connection with 1009 Message Too Big (hardening W1; enforced by `ws`). `limits.maxWebSocketPayload`.
   */
  readonly maxPayload: number;
  /**
   * Longest command, in UTF-8 bytes. A longer one is answered as every door answers it
   * (src/session/line-too-long.ts) and the connection stays (hardening L2). `limits.maxLineBytes`.
   */
  readonly maxLineBytes: number;
  /**
   * Most output held for one connection, in bytes: what `ws` has not handed to the kernel
   * (`bufferedAmount`) plus what waits for the end of the turn. Past it the connection is cut
   * off with `output-overflow` (hardening S2). `limits.maxOutputBytes`.
   */
  readonly maxOutputBytes: number;
  /**
   * Origins allowed besides the page's own (`http://<Host>` and `https://<Host>`), compared
   * exactly, case-insensitively, e.g. `"https://play.example.org"`. A request with any other
   * `Origin` header gets 403 before the upgrade (hardening W3); a request without one (a
   * non-browser tool) is allowed. `http.allowedOrigins`.
   */
  readonly allowedOrigins: readonly string[];
  /**
   * The origins the game is published at, e.g. `"https://play.example.org"`. When non-empty,
   * an `Origin` must be one of these or of `allowedOrigins`, and the `Host` header is ignored:
   * any client can send any Host, so "the page's own origin" read from it proves nothing
   * (issue 5 item 13). When empty, the page's own origin is taken from `Host`. `http.publicOrigins`.
   */
  readonly publicOrigins: readonly string[];
  /**
   * How often each connection is pinged, on the injected Clock, in ms. A connection that has
   * sent nothing (not even a pong) since the previous ping is terminated (hardening F9). 0 turns
   * pings off. Default {@link WEBSOCKET_PING_INTERVAL_MS}.
   */
  readonly pingIntervalMs?: number;
  /**
   * How long a peer has to answer our close frame, in ms on the injected Clock, before its
   * socket is destroyed (issue 5 item 12). `ws` itself would wait 30 s, so a client ignoring
   * the close frame outlived its login timeout by that much. `limits.webSocketCloseTimeoutSeconds`, in ms.
   */
  readonly closeTimeoutMs: number;
  /**
   * Commands (and refusals, out-of-band frames) handled per connection per reactor turn; past
   * it the socket is paused (`ws.pause()`) and the frame in hand is read on at the next turn
   * (issue 5 item 3). `limits.inputLinesPerTurn`.
   */
  readonly inputLinesPerTurn: number;
  /** Characters (UTF-16 units) of text frames read per connection per turn, likewise. `limits.inputBytesPerTurn`. */
  readonly inputBytesPerTurn: number;
}

/** {@link WebSocketDoorOptions} with every default filled in. */
export type ResolvedWebSocketDoorOptions = Required<WebSocketDoorOptions>;

/**
 * The keepalive ping interval (hardening F9): 30 s, the common choice behind proxies that cut
 * idle connections at 60 s. Not a setting.
 */
export const WEBSOCKET_PING_INTERVAL_MS = 30_000;

/** Fills in the ping interval, lowercases the origins and checks ranges. Throws a RangeError naming the bad option. */
export function resolveWebSocketDoorOptions(options: WebSocketDoorOptions): ResolvedWebSocketDoorOptions {
  const resolved: ResolvedWebSocketDoorOptions = Object.freeze({
    ...options,
    allowedOrigins: Object.freeze(options.allowedOrigins.map((o) => o.toLowerCase())),
    publicOrigins: Object.freeze(options.publicOrigins.map((o) => o.toLowerCase())),
    pingIntervalMs: options.pingIntervalMs ?? WEBSOCKET_PING_INTERVAL_MS,
  });
  for (const key of ["maxPayload", "maxLineBytes", "maxOutputBytes", "inputLinesPerTurn", "inputBytesPerTurn"] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 1) {
      throw new RangeError(`websocket ${key} must be a positive integer, got ${resolved[key]}`);
    }
  }
  if (!Number.isFinite(resolved.pingIntervalMs) || resolved.pingIntervalMs < 0) {
    throw new RangeError(`websocket pingIntervalMs must be 0 or more, got ${resolved.pingIntervalMs}`);
  }
  if (!Number.isFinite(resolved.closeTimeoutMs) || resolved.closeTimeoutMs <= 0) {
    throw new RangeError(`websocket closeTimeoutMs must be above 0, got ${resolved.closeTimeoutMs}`);
  }
  return resolved;
}
