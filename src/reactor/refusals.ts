/**
 * How the reactor turns a connection away at a cap (hardening F3, F4, F5): which cap it was,
 * the words the client reads, and how often a refusal may be logged. Shared by the TCP doors
 * (tcp-door.ts) and the HTTP listener (http-door.ts), which answer alike.
 */

/**
 * Which limit refused a connection: the global cap (`busy`), the cap per address (`address`),
 * or the rate of new connections per address (`rate`, hardening F4).
 */
export type RefusalCap = "busy" | "address" | "rate";

/** What a refused client reads, by cap: one line, then the connection closes. */
export const REFUSALS: Readonly<Record<RefusalCap, string>> = {
  busy: "Loom is full right now; please try again in a few minutes.\r\n",
  address: "Too many connections from your address.\r\n",
  rate: "Too many new connections from your address; please wait a moment.\r\n",
};

/**
 * How often a door may log a refusal: one line per window, carrying the count of those not
 * logged since. A refusal is something any stranger can repeat thousands of times a second;
 * one line each is what let a refusal flood fill the disk (issue 5 items 2 and 8).
 */
export const REFUSAL_LOG_WINDOW_MS = 10_000;
