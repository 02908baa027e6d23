/**
 * Logging many bench clients in, a few at a time, within a budget: the broadcast bench's
 * clients (load.ts) and the mixed-play bench's players (mixed-players.ts) both log in this way.
 */

/** How a batch of logins went. */
export interface LoginOutcome {
  readonly ok: number;
  readonly failed: number;
  /** The first thing a failed login was told, to explain the failure. */
  readonly firstFailure: string | undefined;
}

/** How {@link loginAll} paces its logins. */
export interface LoginPoolOptions {
  /** Logins in flight at once. */
  readonly concurrency: number;
  /** The most one login may take. */
  readonly timeoutMs: number;
  /** A performance.now() time: a login not started by then counts as failed, and none runs past it. */
  readonly deadline: number;
  /** True once the bench is shutting down: no more logins start. */
  readonly stopped: () => boolean;
}

/** Logs each of `clients` in with `loginOne`, `concurrency` at a time, in order. */
export async function loginAll<C extends { readonly name: string }>(
  clients: readonly C[],
  options: LoginPoolOptions,
  loginOne: (client: C, timeoutMs: number) => Promise<{ readonly ok: boolean; readonly why: string }>,
): Promise<LoginOutcome> {
  let next = 0;
  let ok = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const worker = async (): Promise<void> => {
    while (next < clients.length && !options.stopped()) {
      const client = clients[next++]!;
      const left = options.deadline - performance.now();
      if (left <= 0) {
        failed++;
        firstFailure ??= "the login time budget ran out";
        continue;
      }
      const result = await loginOne(client, Math.min(options.timeoutMs, left));
      if (result.ok) ok++;
      else {
        failed++;
        firstFailure ??= `${client.name}: ${result.why}`;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, clients.length) }, worker));
  return { ok, failed, firstFailure };
}
