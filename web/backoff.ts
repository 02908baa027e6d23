/**
 * When to try the server again after a dropped connection (issue 9): exponential backoff from
 * 1 s doubling to 30 s, with jitter so that a restarted server is not met by every page at the
 * same instant. Pure (test/web/backoff.test.ts).
 */

/** The schedule. */
export interface BackoffOptions {
  /** The first wait, ms. Default 1000. */
  readonly initialMs?: number;
  /** The longest wait, ms. Default 30000. */
  readonly maxMs?: number;
}

/**
 * The wait before retry number `attempt` (0 for the first): `min(max, initial * 2^attempt)`,
 * scaled by a random factor in [0.5, 1) ("equal jitter": never less than half the step, so the
 * waits still grow). `random` is `Math.random` in the page and fixed in tests.
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 30_000;
  const n = Number.isFinite(attempt) ? Math.min(Math.max(0, attempt), 30) : 30;
  const step = Math.min(max, initial * 2 ** n);
  const drawn = random();
  const r = Number.isFinite(drawn) ? Math.min(Math.max(drawn, 0), 1) : 1;
  return Math.round(step / 2 + (step / 2) * r);
}
