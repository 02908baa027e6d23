/**
 * The soak's attacks (issue 5), each a bounded loop from its own loopback addresses (127.2.0.x)
 * that runs until {@link AttackContext.stopping} is set, keeps its own counters, and closes every
 * socket it opened. They run in a separate process (bench/soak-attacker.ts) so that their work
 * never delays the normal players' clocks. This module is their registry; the loops live by
 * role in attack-http.ts, attack-floods.ts, attack-logins.ts and attack-spam.ts, built on
 * attack-context.ts.
 *
 * Sizes are chosen to meet the issue's findings at Loom's default limits while keeping this
 * process well under a 20,000 open-file limit (at most ~3,100 sockets at once) and the server's
 * log bounded even if every malformed byte were logged (the telnet garbage is paced).
 */
import { type AttackContext, type AttackCounters, type AttackLoop, bump, closeEverything, counters } from "./attack-context.js";
import { lineNewlineFlood, telnetGarbage, wsNewlineFlood } from "./attack-floods.js";
import { pipelinedHttp, refusedUpgrades } from "./attack-http.js";
import { createStorm, loginStorm } from "./attack-logins.js";
import { prepareTellFlood, prepareWhoSpam, tellFlood, whoSpam } from "./attack-spam.js";

/** The attacks, in the order: id, name, loop, and what to do before the run starts. */
const ATTACKS: readonly { id: string; name: string; run: AttackLoop; prepare?: AttackLoop }[] = [
  { id: "1", name: "1 pipelined HTTP, never read", run: pipelinedHttp },
  { id: "2", name: "2 refused WS upgrades, held", run: refusedUpgrades },
  { id: "3a", name: "3a WS 64 KiB frames of \\n", run: wsNewlineFlood },
  { id: "3b", name: "3b line door \\n stream", run: lineNewlineFlood },
  { id: "4a", name: "4a wrong-password storm", run: loginStorm },
  { id: "4b", name: "4b create storm, one address", run: createStorm },
  { id: "5", name: "5 malformed telnet SB", run: telnetGarbage },
  { id: "6a", name: "6a tell flood at slow reader", run: tellFlood, prepare: prepareTellFlood },
  { id: "6b", name: "6b who spam", run: whoSpam, prepare: prepareWhoSpam },
];

/** The attack ids, for `--attacks`. */
export const ATTACK_IDS: readonly string[] = ATTACKS.map((a) => a.id);

/**
 * Prepares the attacks in `only` (all if undefined): the tell and who spammers log in first, so
 * that the login storm does not keep them out. Resolves with their counters and `start`, which
 * starts them all and resolves once all have stopped (set `ctx.stopping`).
 */
export async function prepareAttacks(
  ctx: AttackContext,
  only: readonly string[] | undefined,
): Promise<{ counters: AttackCounters[]; start: () => Promise<void> }> {
  const chosen = ATTACKS.filter((a) => only === undefined || only.includes(a.id));
  const all = chosen.map((a) => counters(a.name));
  const guard = (i: number, p: Promise<void>): Promise<void> =>
    p.catch((err: unknown) => {
      bump(all[i]!, `crashed: ${err instanceof Error ? err.message : String(err)}`);
    });
  await Promise.all(chosen.map((a, i) => guard(i, a.prepare?.(ctx, all[i]!) ?? Promise.resolve())));
  const start = (): Promise<void> =>
    Promise.all(chosen.map((a, i) => guard(i, a.run(ctx, all[i]!)))).then(() => closeEverything());
  return { counters: all, start };
}
