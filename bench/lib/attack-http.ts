/**
 * The soak's HTTP attacks (issue 5 items 1 and 2), on Loom's HTTP port: pipelined requests
 * that are never read, and WebSocket upgrades held open past the per-address cap.
 */
import type net from "node:net";
import { type AttackContext, type AttackCounters, bump, connect, peak, sleep } from "./attack-context.js";

// 1. Pipelined HTTP that never reads (item 1).

/** Requests pipelined on one socket per round. */
const PIPELINE_DEPTH = 2000;

/** One socket pipelines {@link PIPELINE_DEPTH} GETs of the client bundle and its map, never reads, closes after 1 s; repeat. */
export async function pipelinedHttp(ctx: AttackContext, c: AttackCounters): Promise<void> {
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

// 2. Refused WebSocket upgrades held open (item 2).

/** Upgrade requests one address holds at once: 300 times the per-address cap of 10. */
const UPGRADES_HELD = 3000;
const UPGRADE_CONNECT_CONCURRENCY = 200;

/** One address opens {@link UPGRADES_HELD} upgrade requests, holds them 5 s (never closing its side), then lets go; repeat. */
export async function refusedUpgrades(ctx: AttackContext, c: AttackCounters): Promise<void> {
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
