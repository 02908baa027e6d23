/**
 * Limits for the reactor's `node:http` listener (hardening F7 slowloris, W4 header floods).
 * The reactor creates the server; these are what it should create it with.
 */
import type http from "node:http";

/** The limits {@link applyHttpServerLimits} sets. */
export interface HttpServerLimits {
  /** Time allowed to receive the request headers, ms (slowloris, F7). Default 10000. */
  readonly headersTimeout: number;
  /** Time allowed to receive the whole request, ms. Default 30000. */
  readonly requestTimeout: number;
  /** How long an idle keep-alive connection is kept, ms. Default 5000. */
  readonly keepAliveTimeout: number;
  /**
   * Most headers per request (W4). Default 100. Node 20 drops the rest; Node 24.18.1 and later
   * refuse the request with 431 (CVE-2026-58044).
   */
  readonly maxHeadersCount: number;
}

/** The defaults of {@link HttpServerLimits}. */
export const HTTP_SERVER_LIMITS: HttpServerLimits = Object.freeze({
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  maxHeadersCount: 100,
});

/**
 * Options to pass to `http.createServer(options, …)`. `connectionsCheckingInterval` (how often
 * Node looks for requests past `headersTimeout`/`requestTimeout`; its default of 30 s would let
 * a slowloris linger that long) and `maxHeaderSize` (bytes of headers before a 431, W4) can only
 * be set at creation. `connectionsCheckingInterval` 1000, `headersTimeout` 10000,
 * `requestTimeout` 30000, `maxHeaderSize` 16384, `keepAliveTimeout` 5000.
 */
export const httpServerOptions: Readonly<http.ServerOptions> = Object.freeze({
  connectionsCheckingInterval: 1000,
  headersTimeout: HTTP_SERVER_LIMITS.headersTimeout,
  requestTimeout: HTTP_SERVER_LIMITS.requestTimeout,
  keepAliveTimeout: HTTP_SERVER_LIMITS.keepAliveTimeout,
  maxHeaderSize: 16384,
});

/**
 * Sets the timeouts and header count on an existing server; `overrides` replace single
 * defaults from {@link HTTP_SERVER_LIMITS} (tests use short timeouts). Creation-only settings
 * are in {@link httpServerOptions}.
 */
export function applyHttpServerLimits(server: http.Server, overrides: Partial<HttpServerLimits> = {}): void {
  const limits = { ...HTTP_SERVER_LIMITS, ...overrides };
  server.headersTimeout = limits.headersTimeout;
  server.requestTimeout = limits.requestTimeout;
  server.keepAliveTimeout = limits.keepAliveTimeout;
  server.maxHeadersCount = limits.maxHeadersCount;
}
