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
import { AddressAllowList, PRIVATE_NETWORKS } from "./address-allow-list.js";
import { SECURITY_HEADERS } from "./security-headers.js";
import { StaticCache, type StaticCacheOptions, type StaticEntry } from "./static-cache.js";
import { contentTypeFor, resolveStaticPath } from "./static-files.js";

/** What the HTTP routes read from the rest of the server. */
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
  /** Where a 500 (a throwing probe, a file error) is reported. Default: not reported. */
  readonly logger?: Logger;
  /**
   * Peers allowed to read `/metrics` (addresses and CIDR ranges); anyone else gets a bare 403.
   * `[]` closes the route. Default {@link PRIVATE_NETWORKS}: loopback and the private ranges.
   */
  readonly metricsAllow?: readonly string[];
  /** Whether `*.map` files are served. Source maps give away the client's source. Default false. */
  readonly serveSourceMaps?: boolean;
  /**
   * Most requests one connection may have received and not yet seen answered (HTTP/1.1
   * pipelining). One more and the connection is destroyed: browsers do not pipeline, and every
   * waiting request holds a response object. Default 8.
   */
  readonly maxPipelinedRequests?: number;
  /** Which static files are held in memory. Defaults in {@link StaticCacheOptions}. */
  readonly staticCache?: StaticCacheOptions;
}

/** A `node:http` request listener. */
export type HttpRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The only methods served; anything else is 405 with `Allow`. */
export const ALLOWED_METHODS = ["GET", "HEAD"] as const;

/** The default of {@link HttpHandlerOptions.maxPipelinedRequests}. */
export const DEFAULT_MAX_PIPELINED_REQUESTS = 8;

const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
const TEXT_CONTENT_TYPE = "text/plain; charset=utf-8";

/**
 * Builds the request listener. Static files are sent with `Cache-Control: no-cache` and a weak
 * ETag: the bundle's name carries no content hash, so browsers must revalidate (a 304 is cheap)
 * or an upgrade would leave them running an old client against a new server. Throws a
 * RangeError for a `metricsAllow` entry that is neither an address nor a CIDR range.
 */
export function createHttpHandler(options: HttpHandlerOptions): HttpRequestHandler {
  const routes: Routes = {
    ...options,
    cache: new StaticCache(options.webRoot, options.staticCache),
    metricsAllow: new AddressAllowList(options.metricsAllow ?? PRIVATE_NETWORKS),
    serveSourceMaps: options.serveSourceMaps ?? false,
  };
  const maxPipelined = options.maxPipelinedRequests ?? DEFAULT_MAX_PIPELINED_REQUESTS;
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
      options.logger?.error({ err, method: req.method, url: req.url }, "http request failed");
      fail(res);
    });
  };
}

/** The options as the routes use them, built once per handler. */
interface Routes extends Omit<HttpHandlerOptions, "metricsAllow"> {
  readonly cache: StaticCache;
  readonly metricsAllow: AddressAllowList;
  readonly serveSourceMaps: boolean;
}

async function route(options: Routes, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "";
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
    sendText(req, res, 405, "Method Not Allowed\n", { Allow: ALLOWED_METHODS.join(", ") });
    return;
  }
  const url = req.url ?? "";
  const query = url.indexOf("?");
  const pathname = query === -1 ? url : url.slice(0, query);
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
  pipeFile(found, req.socket, res);
}

/**
 * Streams a file too big to hold in memory. The stream (and its fd) is closed when the response
 * closes or when the socket does: a response still queued behind others in a pipeline never
 * emits 'close', and its paused stream would otherwise stay open until restart.
 */
function pipeFile(found: StaticEntry, socket: Socket, res: ServerResponse): void {
  if (socket.destroyed) return;
  const stream = createReadStream(found.file);
  const release = (): void => {
    stream.destroy();
  };
  socket.once("close", release);
  res.once("close", release);
  stream.once("close", () => socket.off("close", release));
  // Headers are out: a read error can only cut the response short.
  stream.on("error", () => res.destroy());
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
    res.destroy();
  }
}
