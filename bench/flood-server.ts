/**
 * A server that costs almost nothing per delivery, to measure the load generator alone
 * (issue 11: "the generator must not be the limit"). It speaks the peers' minimal contract —
 * `create|connect <name> <password>` answers `Welcome, <Name>.`; `say <text>` reaches every
 * client as `<Name> says, "<text>"` — but batches: the lines said in each FLUSH_MS go out as
 * one Buffer, the same one written to every client, so its cost is one write per client per
 * batch whatever the message rate. Run by `broadcast.js --only flood`; not a chat server.
 *
 *   node dist/bench/flood-server.js PORT
 */
import net from "node:net";

/** How often the batch goes out: long enough that writes, not messages, are the server's cost. */
const FLUSH_MS = 20;
/** A line longer than this without a newline closes the connection (the bench never sends one). */
const MAX_LINE = 4096;

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
  process.stderr.write("Usage: node dist/bench/flood-server.js PORT\n");
  process.exit(2);
}

const live = new Set<net.Socket>();
let batch: string[] = [];
let timer: NodeJS.Timeout | undefined;

function flush(): void {
  timer = undefined;
  const out = Buffer.from(batch.join(""), "latin1");
  batch = [];
  for (const socket of live) socket.write(out);
}

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let name = "";
  let pending = "";
  socket.on("data", (chunk: Buffer) => {
    pending += chunk.toString("latin1");
    for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
      const line = pending.slice(0, nl).replace(/\r$/, "");
      pending = pending.slice(nl + 1);
      const words = line.split(" ");
      if ((words[0] === "create" || words[0] === "connect") && words[1] !== undefined) {
        name = words[1][0]!.toUpperCase() + words[1].slice(1);
        socket.write(`Welcome, ${name}.\r\n`);
        live.add(socket);
      } else if (words[0] === "say" && name !== "") {
        batch.push(`${name} says, "${line.slice(4)}"\r\n`);
        timer ??= setTimeout(flush, FLUSH_MS);
      }
    }
    if (pending.length > MAX_LINE) socket.destroy();
  });
  socket.on("error", () => {});
  socket.on("close", () => live.delete(socket));
});
server.listen({ host: "127.0.0.1", port });
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const socket of live) socket.destroy();
    server.close(() => process.exit(0));
  });
}
