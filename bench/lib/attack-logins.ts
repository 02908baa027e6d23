/**
 * The soak's login and creation storms (issue 5 items 4 and 5): rounds of simultaneous wrong
 * passwords for one account from five addresses, and of simultaneous creations from one address,
 * each round waiting for every answer and counting what kind it was.
 */
import type net from "node:net";
import { type AttackContext, type AttackCounters, bump, connect, peak, sleep } from "./attack-context.js";
import { soakName } from "./soak-clients.js";

// 4. Login and creation storms (items 4 and 5).

/** How a login-door reply reads. */
export function classify(text: string): string | undefined {
  if (/do not match/.test(text)) return "wrong password (verified)";
  if (/Too many failed/.test(text)) return "throttled";
  if (/Too many new characters/.test(text)) return "throttled";
  if (/Too many connections|Too many new connections|full right now/.test(text)) return "connection refused";
  if (/busy|try again|went wrong/i.test(text)) return "busy";
  if (/is taken|was taken/.test(text)) return "name taken";
  if (/Welcome, /.test(text)) return "got in";
  return undefined;
}

/**
 * Opens `count` line-door sockets per address in `addresses`, sends each its command at the same
 * instant, and waits (30 s at most) for every answer. Returns the answers' kinds.
 */
async function simultaneous(
  ctx: AttackContext,
  c: AttackCounters,
  addresses: readonly string[],
  count: number,
  command: (i: number) => string,
): Promise<void> {
  const opened = await Promise.all(addresses.flatMap((address) => Array.from({ length: count }, () => connect(c, ctx.ports.line, address))));
  const sockets = opened.filter((s): s is net.Socket => s !== undefined);
  c.connections += sockets.length;
  const startedAt = performance.now();
  const answers = sockets.map(
    (socket, i) =>
      new Promise<void>((resolve) => {
        let text = "";
        let done = false;
        const finish = (kind: string): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (kind === "connection refused") c.refused++;
          else if (kind === "closed before answering") c.closedByServer++;
          bump(c, kind);
          if (kind !== "no answer in 30 s") peak(c, "slowest answer, ms", Math.round(performance.now() - startedAt));
          resolve();
        };
        const timer = setTimeout(() => finish("no answer in 30 s"), 30_000);
        socket.on("data", (chunk: Buffer) => {
          text = (text + chunk.toString("latin1")).slice(-4096);
          const kind = classify(text);
          if (kind !== undefined) finish(kind);
        });
        socket.on("error", () => {});
        socket.once("close", () => finish("closed before answering"));
        const line = `${command(i)}\r\n`;
        socket.write(line);
        c.sent++;
        c.bytes += line.length;
      }),
  );
  await Promise.all(answers);
  for (const s of sockets) s.destroy();
}

/** Rounds of 50 simultaneous wrong `connect <victim> <guess>` from five addresses (ten each, the per-address cap). */
export async function loginStorm(ctx: AttackContext, c: AttackCounters): Promise<void> {
  const addresses = ["127.2.0.10", "127.2.0.11", "127.2.0.12", "127.2.0.13", "127.2.0.14"];
  let guess = 0;
  while (!ctx.stopping) {
    await simultaneous(ctx, c, addresses, 10, () => `connect ${ctx.victim} guess${guess++}`);
    bump(c, "rounds");
    await sleep(ctx, 500);
  }
}

/** Rounds of 10 simultaneous `create`s from one address (its connection cap) every 3 s. */
export async function createStorm(ctx: AttackContext, c: AttackCounters): Promise<void> {
  let n = 0;
  while (!ctx.stopping) {
    await simultaneous(ctx, c, ["127.2.0.20"], 10, () => `create ${soakName("storm", n++)} ${ctx.password}`);
    bump(c, "rounds");
    await sleep(ctx, 3000);
  }
}
