/**
 * What every attack of the soak (bench/lib/attacks.ts) shares: its context (ports, victim,
 * the `stopping` flag), its counters, and the few primitives each loop is built from: a sleep
 * that wakes when the attacks stop, a tracked raw TCP connect, byte-rate pacing, and a paced
 * stream that reconnects when the server closes it.
 *
 * Every socket an attack opens is tracked, so {@link closeEverything} can end them all at once
 * when the attacker process quits.
 */
import net from "node:net";
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

/** One attack: a loop that runs until `ctx.stopping`, counting into `c`. */
export type AttackLoop = (ctx: AttackContext, c: AttackCounters) => Promise<void>;

/** Sockets the attacks hold, for {@link closeEverything}. */
const held = new Set<{ destroy(): void }>();

/** Tracks a socket (or anything that can be destroyed) until {@link closeEverything}. */
export function hold(socket: { destroy(): void }): void {
  held.add(socket);
}

/** Destroys every socket an attack still holds. */
export function closeEverything(): void {
  for (const s of held) s.destroy();
  held.clear();
}

/** Fresh counters for the attack called `name`. */
export function counters(name: string): AttackCounters {
  return { name, sent: 0, bytes: 0, connections: 0, refused: 0, closedByServer: 0, errors: 0, extra: {} };
}

/** Adds `by` to the extra counter `key`. */
export function bump(c: AttackCounters, key: string, by = 1): void {
  c.extra[key] = (c.extra[key] ?? 0) + by;
}

/** Raises the extra counter `key` to `value` if it is higher. */
export function peak(c: AttackCounters, key: string, value: number): void {
  c.extra[key] = Math.max(c.extra[key] ?? 0, value);
}

/** Sleeps `ms`, waking early (within 50 ms) once the attacks are stopping. */
export async function sleep(ctx: AttackContext, ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (!ctx.stopping && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, until - performance.now())));
  }
}

/**
 * Connects a raw TCP socket (tracked), resolving once connected, or undefined on failure or
 * after 5 s; a failure is counted in `c.errors` and, by its code, in `c.extra`.
 */
export function connect(c: AttackCounters, port: number, localAddress: string, options: { allowHalfOpen?: boolean } = {}): Promise<net.Socket | undefined> {
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
export async function pace(ctx: AttackContext, rate: number, startedAt: number, sent: number): Promise<void> {
  const dueAt = startedAt + (sent / rate) * 1000;
  const wait = dueAt - performance.now();
  if (wait > 0) await sleep(ctx, wait);
}

/** A byte stream for {@link streamPaced}. */
export interface PacedStream {
  readonly port: number;
  /** The source address to connect from. */
  readonly localAddress: string;
  readonly bytesPerSecond: number;
  /** The next piece to write, `sent` bytes into this connection, and how many of `c.sent`'s units it holds. */
  next(sent: number): { readonly bytes: Buffer; readonly units: number };
  /** Whether to wait for the socket to drain when a write fills it (else Node buffers the rest). */
  readonly awaitDrain: boolean;
}

/**
 * Connects and writes `stream.next()` at `stream.bytesPerSecond`, reading (and counting) every
 * answer, until the attacks stop; reconnects 250 ms after the server closes the connection.
 */
export async function streamPaced(ctx: AttackContext, c: AttackCounters, stream: PacedStream): Promise<void> {
  while (!ctx.stopping) {
    const socket = await connect(c, stream.port, stream.localAddress);
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
      await pace(ctx, stream.bytesPerSecond, startedAt, sent);
      if (ctx.stopping || closed) break;
      const { bytes, units } = stream.next(sent);
      const more = socket.write(bytes);
      sent += bytes.length;
      c.sent += units;
      c.bytes += bytes.length;
      if (!more && stream.awaitDrain) await drainedOrClosed(socket);
    }
    if (closed && !ctx.stopping) c.closedByServer++;
    socket.destroy();
    await sleep(ctx, 250);
  }
}

/** Resolves when `socket` drains or closes, whichever comes first. */
function drainedOrClosed(socket: net.Socket): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      socket.off("drain", done);
      socket.off("close", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
  });
}
