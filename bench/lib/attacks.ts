/**
 * The soak's attacks (issue 5), each a bounded loop from its own loopback addresses (127.2.0.x)
 * that runs until {@link AttackContext.stopping} is set, keeps its own counters, and closes every
 * socket it opened. They run in a separate process (bench/soak-attacker.ts) so that their work
 * never delays the normal players' clocks.
 *
 * Sizes are chosen to meet the issue's findings at Loom's default limits while keeping this
 * process well under a 20,000 open-file limit (at most ~3,100 sockets at once) and the server's
 * log bounded even if every malformed byte were logged (the telnet garbage is paced).
 */
import net from "node:net";
import WebSocket from "ws";
import { soakName } from "./soak-clients.js";
import type { LoomPorts } from "./soak-server.js";

/** One attack's counters; `extra` holds what is particular to it. JSON-safe. */
export interface AttackCounters {
  readonly name: string;
  /** Requests, frames, commands or sequences sent. */
  sent: number;
  /** Bytes written to the server. */
  bytes: number;
  /** Connections opened. */
  connections: number;
  /** Connections or requests the server refused (503, "Too many connections", a failed upgrade). */
  refused: number;
  /** Connections the server closed while we still wanted them. */
  closedByServer: number;
  /** Connect failures, resets and timeouts. */
  errors: number;
  readonly extra: Record<string, number>;
}

/** What every attack needs. */
export interface AttackContext {
  readonly ports: LoomPorts;
  /** The account the login storm guesses at (a normal player's, offline). */
  readonly victim: string;
  /** The normal player who stopped reading, target of the tell flood. */
  readonly slowReader: string | undefined;
  /** Password for the characters the attackers create for themselves. */
  readonly password: string;
  /** Set to end every loop; each then closes its sockets and returns. */
  stopping: boolean;
}

/** Sockets the attacks hold, for {@link closeEverything}. */
const held = new Set<{ destroy(): void }>();

/** Destroys every socket an attack still holds. */
export function closeEverything(): void {
  for (const s of held) s.destroy();
  held.clear();
}

function counters(name: string): AttackCounters {
  return { name, sent: 0, bytes: 0, connections: 0, refused: 0, closedByServer: 0, errors: 0, extra: {} };
}

function bump(c: AttackCounters, key: string, by = 1): void {
  c.extra[key] = (c.extra[key] ?? 0) + by;
}

function peak(c: AttackCounters, key: string, value: number): void {
  c.extra[key] = Math.max(c.extra[key] ?? 0, value);
}

/** Sleeps `ms`, waking early (within 50 ms) once the attacks are stopping. */
async function sleep(ctx: AttackContext, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (!ctx.stopping && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, until - performance.now())));
  }
}

/**
 * Connects a raw TCP socket (tracked), resolving once connected, or undefined on failure or
 * after 5 s; a failure is counted in `c.errors` and, by its code, in `c.extra`.
 */
function connect(c: AttackCounters, port: number, localAddress: string, options: { allowHalfOpen?: boolean } = {}): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress, noDelay: true, allowHalfOpen: options.allowHalfOpen ?? false });
    held.add(socket);
    socket.once("close", () => held.delete(socket));
    const failed = (why: string): void => {
      clearTimeout(timer);
      socket.destroy();
      c.errors++;
      bump(c, `connect failed: ${why}`);
      resolve(undefined);
    };
    const timer = setTimeout(() => failed("no answer in 5 s"), 5000);
    const onError = (err: NodeJS.ErrnoException): void => failed(err.code ?? err.message);
    socket.once("connect", () => {
      clearTimeout(timer);
      // From here on, errors are the caller's to count.
      socket.off("error", onError);
      socket.on("error", () => {});
      resolve(socket);
    });
    socket.once("error", onError);
  });
}

/** Waits until `bytes` more may go out at `rate` bytes/s since `startedAt`, counting `sent` so far. */
async function pace(ctx: AttackContext, rate: number, startedAt: number, sent: number): Promise<void> {
  const dueAt = startedAt + (sent / rate) * 1000;
  const wait = dueAt - performance.now();
  if (wait > 0) await sleep(ctx, wait);
}

// ---------------------------------------------------------------------------------------------
// 1. Pipelined HTTP that never reads (issue 5 item 1).

/** Requests pipelined on one socket per round. */
const PIPELINE_DEPTH = 2000;

/** One socket pipelines {@link PIPELINE_DEPTH} GETs of the client bundle and its map, never reads, closes after 1 s; repeat. */
async function pipelinedHttp(ctx: AttackContext, c: AttackCounters): Promise<void> {
  const one = (file: string): string => `GET /${file} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
  const batch = Buffer.from(Array.from({ length: PIPELINE_DEPTH }, (_, i) => one(i % 2 === 0 ? "client.js" : "client.js.map")).join(""));
  while (!ctx.stopping) {
    const socket = await connect(c, ctx.ports.http, "127.2.0.1");
    if (socket === undefined) {
      await sleep(ctx, 500);
      continue;
    }
    c.connections++;
    socket.pause(); // never read a byte of the answers
    socket.on("error", () => bump(c, "reset while held"));
    socket.write(batch);
    c.sent += PIPELINE_DEPTH;
    c.bytes += batch.length;
    await sleep(ctx, 1000);
    socket.destroy();
    bump(c, "rounds");
    await sleep(ctx, 1000);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Refused WebSocket upgrades held open (item 2).

/** Upgrade requests one address holds at once: 300 times the per-address cap of 10. */
const UPGRADES_HELD = 3000;
const UPGRADE_CONNECT_CONCURRENCY = 200;

/** One address opens {@link UPGRADES_HELD} upgrade requests, holds them 5 s (never closing its side), then lets go; repeat. */
async function refusedUpgrades(ctx: AttackContext, c: AttackCounters): Promise<void> {
  const request = Buffer.from(
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  while (!ctx.stopping) {
    // The server's freeing of a refused socket is invisible from here (its FIN comes with the
    // 503, before or after it lets go): the soak's fd count of the server is the measure.
    // What this side sees: the answer, the server's FIN or reset, and requests never answered.
    const sockets: { socket: net.Socket; answered: boolean; ended: boolean }[] = [];
    let next = 0;
    const opener = async (): Promise<void> => {
      while (next < UPGRADES_HELD && !ctx.stopping) {
        next++;
        const socket = await connect(c, ctx.ports.http, "127.2.0.2", { allowHalfOpen: true });
        if (socket === undefined) continue;
        c.connections++;
        const entry = { socket, answered: false, ended: false };
        sockets.push(entry);
        socket.on("data", (chunk: Buffer) => {
          if (entry.answered) return;
          entry.answered = true;
          const status = chunk.toString("latin1", 0, 12);
          if (status.startsWith("HTTP/1.1 101")) bump(c, "upgraded (101)");
          else if (status.startsWith("HTTP/1.1 503")) c.refused++;
          else bump(c, `answered ${status.slice(9, 12)}`);
        });
        socket.on("end", () => (entry.ended = true));
        socket.on("error", (err: NodeJS.ErrnoException) => {
          entry.ended = true;
          bump(c, `reset while held (${err.code ?? err.message})`);
        });
        socket.write(request);
        c.sent++;
        c.bytes += request.length;
      }
    };
    await Promise.all(Array.from({ length: UPGRADE_CONNECT_CONCURRENCY }, opener));
    await sleep(ctx, 5000);
    c.closedByServer += sockets.filter((s) => s.ended).length;
    // A hold cut short by the end of the run says nothing about the server.
    if (!ctx.stopping) peak(c, "unanswered after the 5 s hold (max of rounds)", sockets.filter((s) => !s.answered).length);
    for (const s of sockets) s.socket.destroy();
    bump(c, "rounds");
    await sleep(ctx, 500);
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Empty-line floods, unauthenticated (item 3).

/** Bytes per second each flooder offers: far past any sane command rate, yet bounded. */
const FLOOD_BYTES_PER_SECOND = 4 * 1024 * 1024;
const NEWLINES_64K = "\n".repeat(64 * 1024);

/** A WebSocket sends 64 KiB text frames of `\n` (the default maxPayload exactly) at {@link FLOOD_BYTES_PER_SECOND}; reconnects if closed. */
async function wsNewlineFlood(ctx: AttackContext, c: AttackCounters): Promise<void> {
  while (!ctx.stopping) {
    const ws = new WebSocket(`ws://127.0.0.1:${ctx.ports.http}/ws`, { localAddress: "127.2.0.3", perMessageDeflate: false });
    held.add({ destroy: () => ws.terminate() });
    let closedByUs = false;
    const opened = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
        bump(c, "upgrade: no answer in 5 s");
        resolve(false);
      }, 5000);
      ws.once("open", () => {
        clearTimeout(timer);
        resolve(true);
      });
      ws.once("unexpected-response", () => {
        c.refused++;
        ws.terminate();
      });
      ws.once("close", () => {
        clearTimeout(timer);
        resolve(false);
      });
      ws.on("error", (err) => {
        c.errors++;
        bump(c, `error: ${err.message}`);
      });
    });
    if (!opened) {
      ws.terminate();
      await sleep(ctx, 500);
      continue;
    }
    c.connections++;
    ws.on("message", (data: WebSocket.RawData) =>
      bump(c, "bytes received", Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength),
    );
    const closed = new Promise<void>((resolve) =>
      ws.once("close", (code) => {
        if (!closedByUs) {
          c.closedByServer++;
          bump(c, `closed with ${code}`);
        }
        resolve();
      }),
    );
    const startedAt = performance.now();
    let sent = 0;
    while (!ctx.stopping && ws.readyState === WebSocket.OPEN) {
      if (ws.bufferedAmount > 1024 * 1024) {
        await sleep(ctx, 5);
        continue;
      }
      await pace(ctx, FLOOD_BYTES_PER_SECOND, startedAt, sent);
      if (ctx.stopping || ws.readyState !== WebSocket.OPEN) break;
      ws.send(NEWLINES_64K);
      sent += NEWLINES_64K.length;
      c.sent++;
      c.bytes += NEWLINES_64K.length;
    }
    closedByUs = ws.readyState === WebSocket.OPEN;
    ws.terminate();
    await closed;
    await sleep(ctx, 250);
  }
}

/** A line-door client streams `\n` at {@link FLOOD_BYTES_PER_SECOND}, reading (and discarding) every answer; reconnects if closed. */
async function lineNewlineFlood(ctx: AttackContext, c: AttackCounters): Promise<void> {
  const chunk = Buffer.from(NEWLINES_64K);
  while (!ctx.stopping) {
    const socket = await connect(c, ctx.ports.line, "127.2.0.4");
    if (socket === undefined) {
      await sleep(ctx, 500);
      continue;
    }
    c.connections++;
    let closed = false;
    socket.on("data", (data: Buffer) => bump(c, "bytes received", data.length));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      c.errors++;
      bump(c, `error: ${err.code ?? err.message}`);
    });
    socket.once("close", () => (closed = true));
    const startedAt = performance.now();
    let sent = 0;
    while (!ctx.stopping && !closed) {
      await pace(ctx, FLOOD_BYTES_PER_SECOND, startedAt, sent);
      if (ctx.stopping || closed) break;
      const more = socket.write(chunk);
      sent += chunk.length;
      c.sent += chunk.length; // one empty line per byte
      c.bytes += chunk.length;
      if (!more) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            socket.off("drain", done);
            socket.off("close", done);
            resolve();
          };
          socket.on("drain", done);
          socket.on("close", done);
        });
      }
    }
    if (closed && !ctx.stopping) c.closedByServer++;
    socket.destroy();
    await sleep(ctx, 250);
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Login and creation storms (items 4 and 5).

/** How a login-door reply reads. */
function classify(text: string): string | undefined {
  if (/do not match/.test(text)) return "wrong password (verified)";
  if (/Too many failed/.test(text)) return "throttled";
  if (/Too many new characters/.test(text)) return "throttled";
  if (/Too many connections|full right now/.test(text)) return "connection refused";
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
async function loginStorm(ctx: AttackContext, c: AttackCounters): Promise<void> {
  const addresses = ["127.2.0.10", "127.2.0.11", "127.2.0.12", "127.2.0.13", "127.2.0.14"];
  let guess = 0;
  while (!ctx.stopping) {
    await simultaneous(ctx, c, addresses, 10, () => `connect ${ctx.victim} guess${guess++}`);
    bump(c, "rounds");
    await sleep(ctx, 500);
  }
}

/** Rounds of 10 simultaneous `create`s from one address (its connection cap) every 3 s. */
async function createStorm(ctx: AttackContext, c: AttackCounters): Promise<void> {
  let n = 0;
  while (!ctx.stopping) {
    await simultaneous(ctx, c, ["127.2.0.20"], 10, () => `create ${soakName("storm", n++)} ${ctx.password}`);
    bump(c, "rounds");
    await sleep(ctx, 3000);
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Malformed telnet subnegotiations (item 8).

/** Bytes per second of garbage: at 40 bytes of log per byte in, a bounded log even unfixed. */
const TELNET_GARBAGE_BYTES_PER_SECOND = 64 * 1024;

/** Streams 5-byte `IAC SB <option> IAC SE` (empty, so malformed for TTYPE, NAWS, ...) on the telnet door; reconnects if closed. */
async function telnetGarbage(ctx: AttackContext, c: AttackCounters): Promise<void> {
  const options = [24, 31, 24, 31, 86, 201, 42, 39];
  const sequences = Math.floor((64 * 1024) / 5);
  const chunk = Buffer.alloc(sequences * 5);
  for (let i = 0; i < sequences; i++) chunk.set([255, 250, options[i % options.length]!, 255, 240], i * 5);
  const slice = 4000; // 800 sequences per write: paced smoothly
  while (!ctx.stopping) {
    const socket = await connect(c, ctx.ports.telnet, "127.2.0.30");
    if (socket === undefined) {
      await sleep(ctx, 500);
      continue;
    }
    c.connections++;
    let closed = false;
    socket.on("data", (data: Buffer) => bump(c, "bytes received", data.length));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      c.errors++;
      bump(c, `error: ${err.code ?? err.message}`);
    });
    socket.once("close", () => (closed = true));
    const startedAt = performance.now();
    let sent = 0;
    while (!ctx.stopping && !closed) {
      await pace(ctx, TELNET_GARBAGE_BYTES_PER_SECOND, startedAt, sent);
      if (ctx.stopping || closed) break;
      const offset = sent % chunk.length;
      const part = chunk.subarray(offset, Math.min(chunk.length, offset + slice));
      socket.write(part);
      sent += part.length;
      c.sent += part.length / 5;
      c.bytes += part.length;
    }
    if (closed && !ctx.stopping) c.closedByServer++;
    socket.destroy();
    await sleep(ctx, 250);
  }
}

// ---------------------------------------------------------------------------------------------
// 6. Tell floods at the slow reader, and `who` spam (items 9, 10).

/** A logged-in attacker: a line-door socket that created its character and reads everything. */
async function loggedIn(ctx: AttackContext, c: AttackCounters, name: string, address: string, verb: "create" | "connect"): Promise<net.Socket | undefined> {
  const socket = await connect(c, ctx.ports.line, address);
  if (socket === undefined) return undefined;
  c.connections++;
  return new Promise((resolve) => {
    let text = "";
    const welcome = `Welcome, ${name.charAt(0).toUpperCase()}${name.slice(1)}.`;
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
async function tellFlood(ctx: AttackContext, c: AttackCounters): Promise<void> {
  const target = ctx.slowReader;
  if (target === undefined) return;
  let n = 0;
  await Promise.all(TELLERS.map((s) => spam(ctx, c, s, 20, () => `tell ${target} ${TELL_TEXT} ${n++}`)));
}

/** Two logged-in attackers send `who` 50 times a second each. */
async function whoSpam(ctx: AttackContext, c: AttackCounters): Promise<void> {
  await Promise.all(WHOERS.map((s) => spam(ctx, c, s, 20, () => "who")));
}

// ---------------------------------------------------------------------------------------------

type AttackLoop = (ctx: AttackContext, c: AttackCounters) => Promise<void>;

/** The attacks, in the order: id, name, loop, and what to do before the run starts. */
const ATTACKS: readonly { id: string; name: string; run: AttackLoop; prepare?: AttackLoop }[] = [
  { id: "1", name: "1 pipelined HTTP, never read", run: pipelinedHttp },
  { id: "2", name: "2 refused WS upgrades, held", run: refusedUpgrades },
  { id: "3a", name: "3a WS 64 KiB frames of \\n", run: wsNewlineFlood },
  { id: "3b", name: "3b line door \\n stream", run: lineNewlineFlood },
  { id: "4a", name: "4a wrong-password storm", run: loginStorm },
  { id: "4b", name: "4b create storm, one address", run: createStorm },
  { id: "5", name: "5 malformed telnet SB", run: telnetGarbage },
  { id: "6a", name: "6a tell flood at slow reader", run: tellFlood, prepare: (ctx, c) => prepareSpammers(ctx, c, TELLERS) },
  { id: "6b", name: "6b who spam", run: whoSpam, prepare: (ctx, c) => prepareSpammers(ctx, c, WHOERS) },
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
