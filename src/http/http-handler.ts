/**
 * The HTTP routes behind the reactor's listener (default port 8080): health and readiness
 * probes, Prometheus metrics, and the browser client's static files. WebSocket upgrades never
 * come here (the reactor hands them to the WebSocket door).
 *
 * The handler never throws: a failing probe or a broken request is answered (400, 500) or the
 * response destroyed, and the listener carries on.
 */
import { createReadStream } from "node:fs";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { SECURITY_HEADERS } from "./security-headers.js";
import { contentTypeFor, openStaticFile, resolveStaticPath, type StaticFile } from "./static-files.js";

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
}

/** A `node:http` request listener. */
export type HttpRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The only methods served; anything else is 405 with `Allow`. */
export const ALLOWED_METHODS = ["GET", "HEAD"] as const;

const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
const TEXT_CONTENT_TYPE = "text/plain; charset=utf-8";

/**
 * Builds the request listener. Static files are sent with `Cache-Control: no-cache` and a weak
 * ETag: the bundle's name carries no content hash, so browsers must revalidate (a 304 is cheap)
 * or an upgrade would leave them running an old client against a new server.
 */
export function createHttpHandler(options: HttpHandlerOptions): HttpRequestHandler {
  return (req, res) => {
    route(options, req, res).catch((err: unknown) => {
      options.logger?.error({ err, method: req.method, url: req.url }, "http request failed");
      fail(res);
    });
  };
}

async function route(options: HttpHandlerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
      sendText(req, res, 200, options.metrics(), { "Content-Type": PROMETHEUS_CONTENT_TYPE });
      return;
    default:
      await serveStatic(options.webRoot, pathname, req, res);
  }
}

async function serveStatic(webRoot: string, pathname: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = resolveStaticPath(webRoot, pathname);
  if (!target.ok) {
    sendText(req, res, target.status, target.status === 400 ? "Bad Request\n" : "Not Found\n");
    return;
  }
  const found = await openStaticFile(webRoot, target.file);
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
  pipeFile(found, res);
}

function pipeFile(found: StaticFile, res: ServerResponse): void {
  const stream = createReadStream(found.file);
  // Headers are out: a read error can only cut the response short.
  stream.on("error", () => res.destroy());
  res.on("close", () => stream.destroy());
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
