/**
 * The soak's attacker process (started by bench/soak.ts with `fork`): runs every attack in
 * bench/lib/attacks.ts until told to stop, reporting its counters once a second over IPC.
 * It exits when the soak says stop, when the soak goes away (IPC disconnect), and on
 * SIGINT/SIGTERM, closing every socket it opened.
 */
import { closeEverything, type AttackContext, type AttackCounters } from "./lib/attack-context.js";
import { prepareAttacks } from "./lib/attacks.js";
import type { LoomPorts } from "./lib/soak-server.js";

/** The soak's orders. */
export type AttackerOrder =
  | {
      readonly type: "prepare";
      readonly ports: LoomPorts;
      readonly victim: string;
      readonly slowReader: string | undefined;
      readonly password: string;
      /** Attack ids to run; all when undefined. */
      readonly only: readonly string[] | undefined;
    }
  | { readonly type: "start" }
  | { readonly type: "stop" };

/**
 * What the attacker reports: "ready" once prepared (spammers logged in), "counters" every
 * second while running, "done" once every attack has stopped.
 */
export type AttackerReport = { readonly type: "ready" | "counters" | "done"; readonly counters: readonly AttackCounters[] };

let ctx: AttackContext | undefined;
let prepared: Awaited<ReturnType<typeof prepareAttacks>> | undefined;
let started = false;

function send(report: AttackerReport): void {
  if (process.connected) process.send?.(report);
}

function quit(code: number): void {
  if (ctx !== undefined) ctx.stopping = true;
  closeEverything();
  process.exit(code);
}

process.on("message", (order: AttackerOrder) => {
  switch (order.type) {
    case "prepare": {
      if (ctx !== undefined) return;
      const context: AttackContext = { ports: order.ports, victim: order.victim, slowReader: order.slowReader, password: order.password, stopping: false };
      ctx = context;
      void prepareAttacks(context, order.only).then((p) => {
        prepared = p;
        send({ type: "ready", counters: p.counters });
      });
      return;
    }
    case "start": {
      if (prepared === undefined || started) return;
      started = true;
      const { counters, start } = prepared;
      const ticker = setInterval(() => send({ type: "counters", counters }), 1000);
      void start().then(() => {
        clearInterval(ticker);
        send({ type: "done", counters });
        // Let the report leave before exiting.
        setTimeout(() => process.exit(0), 200);
      });
      return;
    }
    case "stop":
      if (!started) quit(0);
      else if (ctx !== undefined) ctx.stopping = true;
      return;
    default: {
      const unreachable: never = order;
      throw new Error(`unknown order ${JSON.stringify(unreachable)}`);
    }
  }
});
process.on("disconnect", () => quit(0));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => quit(130));
