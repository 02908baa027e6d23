/**
 * The reading end of the write-floor bench (bench/write-floor.ts), run as a child process on
 * the generator's core: it opens `connections` loopback connections to the writer's port, 50
 * from each source address from 127.0.0.2 upwards (as the broadcast bench's clients are),
 * reads everything into one shared buffer, and tells its parent when all are open, and how many
 * bytes it has read when asked.
 *
 *   node dist/bench/lib/write-floor-reader.js PORT CONNECTIONS   (forked, with an IPC channel)
 */
import net from "node:net";

/** Connections per source address: the broadcast bench's figure, far under any per-address limit. */
const PER_ADDRESS = 50;
/** Connects started at once, so the writer's accept backlog is never overrun. */
const CONNECT_BATCH = 200;

/** What the reader tells its parent. */
export type ReaderReport = { readonly type: "open"; readonly connections: number } | { readonly type: "read"; readonly bytes: number } | { readonly type: "failed"; readonly message: string };

const [portText, countText] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const send = (report: ReaderReport): void => {
  process.send?.(report);
};

if (!Number.isInteger(port) || !Number.isInteger(count) || count < 1 || process.send === undefined) {
  process.stderr.write("usage: forked by bench/write-floor.ts with PORT CONNECTIONS\n");
  process.exit(2);
}

// One buffer for every read (`onread`): the reader's own cost stays per read, not per byte.
const shared = Buffer.allocUnsafe(64 * 1024);
let bytes = 0;
let open = 0;
let started = 0;

function connectBatch(): void {
  for (let k = 0; k < CONNECT_BATCH && started < count; k++, started++) {
    const index = started;
    const address = 2 + Math.floor(index / PER_ADDRESS);
    const socket = net.connect({
      port,
      host: "127.0.0.1",
      localAddress: `127.0.${address >> 8}.${address & 255}`,
      onread: {
        buffer: shared,
        callback: (n: number) => {
          bytes += n;
          return true;
        },
      },
    });
    socket.once("connect", () => {
      open++;
      if (open === count) send({ type: "open", connections: open });
      else if (open % CONNECT_BATCH === 0 && started < count) connectBatch();
    });
    socket.on("error", (err) => {
      send({ type: "failed", message: `connection ${index}: ${err.message}` });
      process.exit(1);
    });
  }
}

process.on("message", (message) => {
  if (message === "count") send({ type: "read", bytes });
});
// The parent's channel closing is the end of the run.
process.on("disconnect", () => process.exit(0));
connectBatch();
