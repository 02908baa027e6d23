/**
 * The HTTP routes behind the reactor's listener (default port 8080): health and readiness
 * probes, Prometheus metrics, and the browser client's static files. WebSocket upgrades never
 * come here (the reactor hands them to the WebSocket door).
 *
 * The handler never throws: a failing probe or a broken request is answered (400, 500) or the
 * response destroyed, and the listener carries on.
 *
 * Nothing a request holds outlives its socket (issue 5 item 1): small files are answered from
 * memory, the rare streamed file is closed when either its response or its socket closes (a
 * response queued behind others in a pipeline never emits its own 'close'), and one connection
 * may have only a few requests received and not yet answered.
 */
import { createReadStream } from "node:fs";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "pino";
import { LogLimit } from "../log-limit.js";
import { RealClock, type Clock } from "../reactor/clock.js";
import { AddressAllowList } from "./address-allow-list.js";
import { forwardedClient } from "./forwarded.js";
import { SECURITY_HEADERS } from "./security-headers.js";
import { StaticCache, type StaticCacheOptions, type StaticEntry } from "./static-cache.js";
import { contentTypeFor, resolveStaticPath } from "./static-files.js";

/**
 * What the HTTP routes read from the rest of the server. The operator's settings are required,
 * so their defaults are written once, in config/default.yaml (issue 10).
 */
export interface HttpHandlerOptions {
  /** The directory the browser client is served from (`dist/web` after a build). */
  readonly webRoot: string;
  /**
   * Liveness and readiness. `/healthz` answers 200 while `ok`, `/readyz` 200 while `ready`
   * (listeners up, world loaded, not draining); 503 otherwise.
   */
  readonly health: () => { ok: boolean; ready: boolean };
  /** The Prometheus text exposition served at `/metrics`. */
  readonly metrics: () => string;
  /**
   * Where a 500 (a throwing probe, an unreadable file) and a static file cut short are reported,
   * with the error and the request's path: one line per 10 s at most, the others counted into
   * it. Required: a 500 nobody hears of cannot be fixed.
   */
  readonly logger: Logger;
  /** Times the budget of failure log lines. Default the real clock. */
  readonly clock?: Clock;
  /**
   * Peers allowed to read `/metrics` (addresses and CIDR ranges); anyone else gets a bare 403.
   * `[]` closes the route (`http.metricsAllow`).
   */
  readonly metricsAllow: readonly string[];
  /**
   * Reverse proxies trusted to name the client in `X-Forwarded-For` / `Forwarded` (`proxy.trusted`,
   * hardening W6): the failure log names the client they forward, and the proxy beside it.
   * `/metrics` still judges the socket's own peer: the samples in docs/deploy/ close that route
   * at the proxy. Default `[]`: nobody.
   */
  readonly trustedProxies?: readonly string[];
  /** Whether `*.map` files are served. Source maps give away the client's source (`http.serveSourceMaps`). */
  readonly serveSourceMaps: boolean;
  /**
   * Most requests one connection may have received and not yet seen answered (HTTP/1.1
   * pipelining). One more and the connection is destroyed: browsers do not pipeline, and every
   * waiting request holds a response object (`limits.maxPipelinedRequests`).
   */
  readonly maxPipelinedRequests: number;
  /** Which static files are held in memory (`http.staticCacheFileBytes`, `http.staticCacheTotalBytes`). */
  readonly staticCache: StaticCacheOptions;
}

/** A `node:http` request listener. */
export type HttpRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The only methods served; anything else is 405 with `Allow`. */
export const ALLOWED_METHODS = ["GET", "HEAD"] as const;

/** One failure log line per this many ms at most; the others are counted into it. */
const FAILURE_LOG_WINDOW_MS = 10_000;

const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
const TEXT_CONTENT_TYPE = "text/plain; charset=utf-8";

/**
 * Builds the request listener. Static files are sent with `Cache-Control: no-cache` and a weak
 * ETag: the bundle's name carries no content hash, so browsers must revalidate (a 304 is cheap)
 * or an upgrade would leave them running an old client against a new server. Throws a
 * RangeError for a `metricsAllow` entry that is neither an address nor a CIDR range.
 */
export function createHttpHandler(options: HttpHandlerOptions): HttpRequestHandler {
  // A client can repeat a request that fails (an unreadable file) as fast as it likes: the first
  // failure in each window is logged in full, the rest counted into the next line (issue 5 item 8).
  const failures = new LogLimit(options.clock ?? new RealClock(), { perWindow: 1, windowMs: FAILURE_LOG_WINDOW_MS });
  const reportFailure = (fields: Record<string, unknown>, message: string): void => {
    if (!failures.allow()) return;
    const notLogged = failures.takeSuppressed();
    options.logger.error({ ...fields, ...(notLogged > 0 ? { failuresNotLogged: notLogged } : {}) }, message);
  };
  const trustedProxies = new AddressAllowList(options.trustedProxies ?? []);
  const routes: Routes = {
    ...options,
    cache: new StaticCache(options.webRoot, options.staticCache),
    metricsAllow: new AddressAllowList(options.metricsAllow),
    reportFailure,
  };
  const maxPipelined = options.maxPipelinedRequests;
  // Requests received and not yet finished, per connection. Keyed weakly: a destroyed socket
  // takes its count with it, whatever state its queued responses were left in.
  const unfinished = new WeakMap<Socket, number>();
  return (req, res) => {
    const socket = req.socket;
    if (socket.destroyed) return;
    const depth = (unfinished.get(socket) ?? 0) + 1;
    if (depth > maxPipelined) {
      // Node parses a whole received chunk at once (hundreds of small GETs), so pausing the
      // socket could not bound this; cutting the connection does, and frees every queued response.
      socket.destroy();
      return;
    }
    unfinished.set(socket, depth);
    let counted = true;
    const done = (): void => {
      if (!counted) return;
      counted = false;
      unfinished.set(socket, (unfinished.get(socket) ?? 1) - 1);
    };
    res.once("finish", done);
    res.once("close", done);
    route(routes, req, res).catch((err: unknown) => {
      // The path without its query: a query string is the client's to choose and may carry anything.
      reportFailure({ err, method: req.method, path: pathOf(req.url ?? ""), ...peerOf(req, trustedProxies) }, "http request failed; answered 500");
      fail(res);
    });
  };
}

/** The options as the routes use them, built once per handler. */
interface Routes extends Omit<HttpHandlerOptions, "metricsAllow"> {
  readonly cache: StaticCache;
  readonly metricsAllow: AddressAllowList;
  /** Logs a failure within the handler's log budget. */
  readonly reportFailure: (fields: Record<string, unknown>, message: string) => void;
}

async function route(options: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "";
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
    sendText(req, res, 405, "Method Not Allowed\n", { Allow: ALLOWED_METHODS.join(", ") });
    return;
  }
  const pathname = pathOf(req.url ?? "");
  switch (pathname) {
    case "/healthz": {
      const ok = options.health().ok;
      sendText(req, res, ok ? 200 : 503, ok ? "ok\n" : "unhealthy\n");
      return;
    }
    case "/readyz": {
      const ready = options.health().ready;
      sendText(req, res, ready ? 200 : 503, ready ? "ready\n" : "not ready\n");
      return;
    }
    case "/metrics":
      // The body says nothing about why: a prober learns only that the route exists.
      if (!options.metricsAllow.allows(req.socket.remoteAddress)) {
        sendText(req, res, 403, "Forbidden\n");
        return;
      }
      sendText(req, res, 200, options.metrics(), { "Content-Type": PROMETHEUS_CONTENT_TYPE });
      return;
    default:
      await serveStatic(options, pathname, req, res);
  }
}

async function serveStatic(options: Routes, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = resolveStaticPath(options.webRoot, pathname);
  if (!target.ok) {
    sendText(req, res, target.status, target.status === 400 ? "Bad Request\n" : "Not Found\n");
    return;
  }
  // A source map is the client's source; in production it is not served (issue 5 item 13).
  const hidden = !options.serveSourceMaps && target.file.toLowerCase().endsWith(".map");
  const found = hidden ? undefined : await options.cache.lookup(target.file);
  if (found === undefined) {
    sendText(req, res, 404, "Not Found\n");
    return;
  }
  const headers: OutgoingHttpHeaders = {
    ...SECURITY_HEADERS,
    "Content-Type": contentTypeFor(found.file),
    "Cache-Control": "no-cache",
    ETag: found.etag,
    "Last-Modified": found.mtime.toUTCString(),
  };
  if (req.headers["if-none-match"] === found.etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, "Content-Length": found.size });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  if (found.body !== undefined) {
    res.end(found.body);
    return;
  }
  pipeFile(found, req.socket, res, options.reportFailure);
}

/** The request's client for a log line: `peer`, and `proxy` when a trusted proxy forwarded it (W6). */
function peerOf(req: IncomingMessage, trusted: AddressAllowList): { peer: string; proxy?: string } {
  const proto = (req.socket as Socket & { encrypted?: boolean }).encrypted === true ? "https" : "http";
  const client = forwardedClient(req.socket.remoteAddress ?? "unknown", proto, trusted, req.headers);
  return client.via === undefined ? { peer: client.clientAddress } : { peer: client.clientAddress, proxy: client.via };
}

/** A request target without its query string. */
function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Streams a file too big to hold in memory. The stream (and its fd) is closed when the response
 * closes or when the socket does: a response still queued behind others in a pipeline never
 * emits 'close', and its paused stream would otherwise stay open until restart.
 */
function pipeFile(found: StaticEntry, socket: Socket, res: ServerResponse, reportFailure: Routes["reportFailure"]): void {
  if (socket.destroyed) return;
  const stream = createReadStream(found.file);
  const release = (): void => {
    stream.destroy();
  };
  socket.once("close", release);
  res.once("close", release);
  stream.once("close", () => socket.off("close", release));
  // Headers are out: a read error can only cut the response short; the operator hears why.
  stream.on("error", (err) => {
    reportFailure({ err, file: found.file }, "static file read failed; response cut short");
    res.destroy();
  });
  stream.pipe(res);
}

function sendText(req: IncomingMessage, res: ServerResponse, status: number, body: string, extra: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": TEXT_CONTENT_TYPE,
    "Cache-Control": "no-store",
    "Content-Length": Buffer.byteLength(body),
    ...extra,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** The last resort: a thrown probe or file error becomes a 500, or a cut connection. */
function fail(res: ServerResponse): void {
  try {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = "Internal Server Error\n";
    res.writeHead(500, { ...SECURITY_HEADERS, "Content-Type": TEXT_CONTENT_TYPE, "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  } catch {
    // Writing the 500 itself failed (the socket went away meanwhile): the cause was logged by
    // the caller already, and cutting the response is all that is left to do.
    res.destroy();
  }
}
