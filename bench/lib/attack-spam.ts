/**
 * The soak's chat spam (issue 5 items 9 and 10): attackers who log in ahead of the attacks, then
 * flood the slow reader with long tells and everyone with `who`, past the per-player command
 * limit, logging in again whenever the server drops them.
 */
import type net from "node:net";
import { type AttackContext, type AttackCounters, type AttackLoop, bump, connect, sleep } from "./attack-context.js";
import { classify } from "./attack-logins.js";
import { displayName, soakName } from "./soak-clients.js";

// 6. Tell floods at the slow reader, and `who` spam (items 9, 10).

/** An attacker's line-door socket, once `<verb> <name>` has been welcomed; undefined (the reason counted) if it was not. */
async function loggedIn(ctx: AttackContext, c: AttackCounters, name: string, address: string, verb: "create" | "connect"): Promise<net.Socket | undefined> {
  const socket = await connect(c, ctx.ports.line, address);
  if (socket === undefined) return undefined;
  c.connections++;
  return new Promise((resolve) => {
    let text = "";
    const welcome = `Welcome, ${displayName(name)}.`;
    const timer = setTimeout(() => done(false, "login: no welcome in 60 s"), 60_000);
    const onData = (chunk: Buffer): void => {
      text = (text + chunk.toString("latin1")).slice(-4096);
      if (text.includes(welcome)) done(true, "");
      else {
        const kind = classify(text);
        if (kind !== undefined && kind !== "got in") done(false, `login: ${kind}`);
      }
    };
    const onClose = (): void => done(false, "login: closed");
    const done = (ok: boolean, why: string): void => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      if (!ok) {
        bump(c, why);
        socket.destroy();
      }
      resolve(ok ? socket : undefined);
    };
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.on("error", () => {});
    socket.write(`${verb} ${name} ${ctx.password}\r\n`);
  });
}

/**
 * A spammer logged in ahead of the attacks (so that the login storm's queue does not keep it
 * out), then sending `command()` every `everyMs`, logging in again if the server drops it.
 */
interface Spammer {
  readonly name: string;
  readonly address: string;
  socket: net.Socket | undefined;
}

/** Logs `spammers` in (create), 60 s at most each. */
async function prepareSpammers(ctx: AttackContext, c: AttackCounters, spammers: readonly Spammer[]): Promise<void> {
  await Promise.all(
    spammers.map(async (s) => {
      s.socket = await loggedIn(ctx, c, s.name, s.address, "create");
    }),
  );
}

/** Sends `command()` as `s` every `everyMs` until the attacks stop, logging in again whenever the server drops it. */
async function spam(ctx: AttackContext, c: AttackCounters, s: Spammer, everyMs: number, command: () => string): Promise<void> {
  while (!ctx.stopping) {
    const socket = s.socket ?? (await loggedIn(ctx, c, s.name, s.address, "connect"));
    s.socket = undefined;
    if (socket === undefined) {
      await sleep(ctx, 2000);
      continue;
    }
    let closed = false;
    socket.on("data", (data: Buffer) => bump(c, "bytes received", data.length));
    socket.once("close", () => (closed = true));
    const startedAt = performance.now();
    let sent = 0;
    while (!ctx.stopping && !closed) {
      await sleep(ctx, startedAt + sent * everyMs - performance.now());
      if (ctx.stopping || closed) break;
      const line = `${command()}\r\n`;
      socket.write(line);
      sent++;
      c.sent++;
      c.bytes += line.length;
    }
    if (closed && !ctx.stopping) c.closedByServer++;
    socket.destroy();
  }
}

const TELL_TEXT =
  "listen to this, it is important and long enough to fill a slow reader's queue before anyone notices; " +
  "and again: listen to this, it is important and long enough to fill a slow reader's queue before anyone notices; " +
  "and once more, with feeling, so that each tell weighs about four hundred bytes on the wire to the slow reader.";

const TELLERS: readonly Spammer[] = Array.from({ length: 4 }, (_, i) => ({
  name: soakName("teller", i),
  address: i < 2 ? "127.2.0.40" : "127.2.0.41",
  socket: undefined,
}));
const WHOERS: readonly Spammer[] = Array.from({ length: 2 }, (_, i) => ({ name: soakName("whoer", i), address: "127.2.0.42", socket: undefined }));

/** Four logged-in attackers (two addresses) tell the slow reader 400 bytes 50 times a second each (over the 20/s command limit). */
export async function tellFlood(ctx: AttackContext, c: AttackCounters): Promise<void> {
  const target = ctx.slowReader;
  if (target === undefined) return;
  let n = 0;
  await Promise.all(TELLERS.map((s) => spam(ctx, c, s, 20, () => `tell ${target} ${TELL_TEXT} ${n++}`)));
}

/** Two logged-in attackers send `who` 50 times a second each. */
export async function whoSpam(ctx: AttackContext, c: AttackCounters): Promise<void> {
  await Promise.all(WHOERS.map((s) => spam(ctx, c, s, 20, () => "who")));
}

/** Logs the tellers in before the run, so that the login storm does not keep them out. */
export const prepareTellFlood: AttackLoop = (ctx, c) => prepareSpammers(ctx, c, TELLERS);

/** Logs the `who` spammers in before the run. */
export const prepareWhoSpam: AttackLoop = (ctx, c) => prepareSpammers(ctx, c, WHOERS);
