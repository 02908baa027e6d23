/**
 * Checks made on an upgrade request before `ws` sees it: the path and the Origin (hardening
 * W3), and the raw-socket refusal used when either fails. The HTTP parser has already handed
 * the socket over, so a refusal is written by hand, as `ws` does for its own.
 */
import http from "node:http";
import type { Duplex } from "node:stream";

/** The only path the door upgrades. */
export const WEBSOCKET_PATH = "/ws";

/** The request target's path, without the query string. */
export function requestPath(url: string | undefined): string {
  const target = url ?? "";
  const query = target.indexOf("?");
  return query === -1 ? target : target.slice(0, query);
}

/**
 * Whether a browser on `origin` may open a socket to this server. No Origin header (a
 * non-browser client) is allowed; otherwise it must be one of `allowed` or of `published`
 * (both lower-cased), or, only while `published` is empty, the page's own origin (`http://` or
 * `https://` plus the Host header). A browser sends the Origin on every WebSocket handshake,
 * so this is what stops another site's page from scripting a visitor's session (cross-site
 * WebSocket hijacking). Once the operator names the published origins the Host header is not
 * consulted: it is the client's to choose, and a DNS-rebinding page sets it to its own name.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
  published: readonly string[] = [],
): boolean {
  if (origin === undefined) return true;
  const o = origin.toLowerCase();
  if (published.length > 0) return published.includes(o) || allowed.includes(o);
  if (host !== undefined && host !== "") {
    const h = host.toLowerCase();
    if (o === `http://${h}` || o === `https://${h}`) return true;
  }
  return allowed.includes(o);
}

/**
 * Answers an upgrade request with `status` on the raw socket and destroys it once written.
 * Safe on a socket that is already gone.
 */
export function refuseUpgrade(socket: Duplex, status: number): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = http.STATUS_CODES[status] ?? "Error";
  const body = `${text}\n`;
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\n` +
      "Connection: close\r\n" +
      "Content-Type: text/plain; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "\r\n" +
      body,
  );
}
