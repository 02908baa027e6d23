/**
 * Headers every HTTP response carries. The Content-Security-Policy is what makes hardening E11
 * hold even if a rendering bug slipped through: no inline script or style, no plugin, no
 * framing, scripts only from this origin.
 */
import type { OutgoingHttpHeaders } from "node:http";

/**
 * The page's Content-Security-Policy. `connect-src` names `ws:`/`wss:` besides `'self'` because
 * older browsers (Safari before 15.4) do not count a same-host WebSocket as `'self'`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** The headers added to every response, whatever its status or type. */
export const SECURITY_HEADERS: Readonly<OutgoingHttpHeaders> = Object.freeze({
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
});
