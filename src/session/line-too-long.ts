/**
 * What a player is told when a command is longer than the door accepts (hardening L2): worded
 * once, here, for every door (issue 8, "the doors share one plumbing"). Before, the line layer
 * said "It was not run." and the WebSocket door did not.
 */

/**
 * The answer to a dropped over-long line of `bytes` bytes, past `limit` (both in UTF-8 bytes),
 * without a line end: each door ends it its own way (CRLF on a terminal, a frame on a socket).
 */
export function lineTooLongMessage(bytes: number, limit: number): string {
  return `Line too long (${bytes} bytes; the limit is ${limit}). It was not run.`;
}
