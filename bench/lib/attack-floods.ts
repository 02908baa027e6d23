/**
 * The soak's byte floods (issue 5 items 3 and 8): empty lines as fast as the pacing allows,
 * unauthenticated, over a WebSocket and the line door; and malformed telnet subnegotiations on
 * the telnet door, paced so that the server's log stays bounded even if every one were logged.
 */
import WebSocket from "ws";
import { type AttackContext, type AttackCounters, bump, hold, pace, sleep, streamPaced } from "./attack-context.js";

// 3. Empty-line floods, unauthenticated (item 3).

/** Bytes per second each flooder offers: far past any sane command rate, yet bounded. */
const FLOOD_BYTES_PER_SECOND = 4 * 1024 * 1024;
const NEWLINES_64K = "\n".repeat(64 * 1024);

/** A WebSocket sends 64 KiB text frames of `\n` (the default maxPayload exactly) at {@link FLOOD_BYTES_PER_SECOND}; reconnects if closed. */
export async function wsNewlineFlood(ctx: AttackContext, c: AttackCounters): Promise<void> {
  while (!ctx.stopping) {
    const ws = new WebSocket(`ws://127.0.0.1:${ctx.ports.http}/ws`, { localAddress: "127.2.0.3", perMessageDeflate: false });
    hold({ destroy: () => ws.terminate() });
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
export async function lineNewlineFlood(ctx: AttackContext, c: AttackCounters): Promise<void> {
  const chunk = Buffer.from(NEWLINES_64K);
  await streamPaced(ctx, c, {
    port: ctx.ports.line,
    localAddress: "127.2.0.4",
    bytesPerSecond: FLOOD_BYTES_PER_SECOND,
    next: () => ({ bytes: chunk, units: chunk.length }), // one empty line per byte
    awaitDrain: true,
  });
}

// 5. Malformed telnet subnegotiations (item 8).

/** Bytes per second of garbage: at 40 bytes of log per byte in, a bounded log even unfixed. */
const TELNET_GARBAGE_BYTES_PER_SECOND = 64 * 1024;

/** Streams 5-byte `IAC SB <option> IAC SE` (empty, so malformed for TTYPE, NAWS, ...) on the telnet door; reconnects if closed. */
export async function telnetGarbage(ctx: AttackContext, c: AttackCounters): Promise<void> {
  const options = [24, 31, 24, 31, 86, 201, 42, 39];
  const sequences = Math.floor((64 * 1024) / 5);
  const chunk = Buffer.alloc(sequences * 5);
  for (let i = 0; i < sequences; i++) chunk.set([255, 250, options[i % options.length]!, 255, 240], i * 5);
  const slice = 4000; // 800 sequences per write: paced smoothly
  await streamPaced(ctx, c, {
    port: ctx.ports.telnet,
    localAddress: "127.2.0.30",
    bytesPerSecond: TELNET_GARBAGE_BYTES_PER_SECOND,
    next: (sent) => {
      const offset = sent % chunk.length;
      const part = chunk.subarray(offset, Math.min(chunk.length, offset + slice));
      return { bytes: part, units: part.length / 5 };
    },
    awaitDrain: false,
  });
}
