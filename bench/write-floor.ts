/**
 * The write floor (issue 11, targets 1 and 5): what one socket write costs the writing process
 * on this machine, with no server around it. A bare Node process on the server's core writes
 * one `--bytes` buffer to each of `--connections` loopback connections per round, a round every
 * `--pause` ms, and divides the CPU it used by the writes it made. A reader process on the
 * generator's core reads everything (bench/lib/write-floor-reader.ts).
 *
 *   npm run bench:write-floor -- [--connections 5000] [--bytes 80] [--rounds 200] [--pause 20] [--json FILE] [--no-pin]
 *
 * On loopback the kernel does the receiving socket's TCP work inside the writer's `write()`,
 * so this is what every server in the broadcast bench pays per write, whatever it does around
 * it: writes per second × this floor is a bound under any server's CPU, and it is why fan-out
 * costs follow the number of writes rather than the number of deliveries (docs/benchmarks.md,
 * "The write floor").
 */
import { fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { trackChild, RunCleanup } from "./lib/children.js";
import { CommandLine } from "./lib/command-line.js";
import type { ReaderReport } from "./lib/write-floor-reader.js";
import { GENERATOR_CORE, hasTaskset, machineInfo, pinProcess, pinSelf, readCoreTime, SERVER_CORE } from "./lib/proc.js";

const USAGE = `Usage: node dist/bench/write-floor.js [options]

  --connections N  loopback connections written to, one write each per round (default 5000)
  --bytes N        bytes per write (default 80, a chat line)
  --rounds N       measured rounds (default 200), after 20 rounds of warm-up
  --pause MS       pause between rounds, so the reader keeps up (default 20)
  --json FILE      also write every figure as JSON
  --no-pin         do not pin the writer to core 0 and the reader to core 1
`;

/** Rounds written before the measured ones: the JIT, the sockets' buffers and the reader settle. */
const WARMUP_ROUNDS = 20;

interface Options {
  readonly connections: number;
  readonly bytes: number;
  readonly rounds: number;
  readonly pauseMs: number;
  readonly json: string | undefined;
  readonly pin: boolean;
}

/** The figures of one run. */
export interface WriteFloorResult {
  readonly connections: number;
  readonly bytesPerWrite: number;
  readonly writes: number;
  /** The writer's CPU per write (process.cpuUsage: user + system, all its threads), in µs. */
  readonly microsPerWrite: number;
  /** Its user part: Node's stream and libuv on top of the system call. */
  readonly userMicrosPerWrite: number;
  /** Its kernel part: the system call, and on loopback the receiving side's TCP work. */
  readonly systemMicrosPerWrite: number;
  /** The writer's core busy per write (softirq work run outside the process included); NaN unpinned. */
  readonly coreMicrosPerWrite: number;
  /** Writes per second while writing (the rounds' busy time only). */
  readonly writesPerBusySecond: number;
  /** Whether the reader had read every byte written by the end. */
  readonly allRead: boolean;
}

const commandLine = new CommandLine(USAGE, 2);

function parseOptions(): Options {
  const v = commandLine.parse({
    connections: { type: "string", default: "5000" },
    bytes: { type: "string", default: "80" },
    rounds: { type: "string", default: "200" },
    pause: { type: "string", default: "20" },
    json: { type: "string" },
    "no-pin": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  return {
    // Two sockets a connection in one process each side: 19,000 fits under 20,000 open files.
    connections: commandLine.number("connections", v.connections, 1, 19_000, true),
    bytes: commandLine.number("bytes", v.bytes, 1, 65_536, true),
    rounds: commandLine.number("rounds", v.rounds, 1, 100_000, true),
    pauseMs: commandLine.number("pause", v.pause, 0, 10_000, false),
    json: v.json,
    pin: !v["no-pin"],
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const cleanup = new RunCleanup();

async function main(): Promise<void> {
  const options = parseOptions();
  const pinned = options.pin && hasTaskset() && pinSelf(SERVER_CORE);
  const sockets: net.Socket[] = [];
  const server = net.createServer({ noDelay: true }, (socket) => {
    // As Loom's transports do (brief, "Performance principles"): no Nagle, so each write is sent.
    socket.setNoDelay(true);
    socket.on("error", () => undefined);
    sockets.push(socket);
  });
  server.maxConnections = options.connections;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 1024 }, resolve));
  const port = (server.address() as net.AddressInfo).port;

  const readerPath = path.join(path.dirname(fileURLToPath(import.meta.url)), "lib", "write-floor-reader.js");
  const reader = fork(readerPath, [String(port), String(options.connections)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  trackChild(reader);
  if (pinned && reader.pid !== undefined && !pinProcess(reader.pid, GENERATOR_CORE)) throw new Error("taskset could not pin the reader");
  const reports: ReaderReport[] = [];
  let wake: (() => void) | undefined;
  reader.on("message", (report: ReaderReport) => {
    reports.push(report);
    wake?.();
  });
  // A reader that dies must not leave `next` waiting for a report that never comes.
  reader.on("exit", () => wake?.());
  const next = async (type: ReaderReport["type"]): Promise<ReaderReport> => {
    for (;;) {
      const index = reports.findIndex((r) => r.type === type || r.type === "failed");
      if (index >= 0) {
        const report = reports.splice(index, 1)[0]!;
        if (report.type === "failed") throw new Error(`the reader failed: ${report.message}`);
        return report;
      }
      if (reader.exitCode !== null) throw new Error(`the reader exited (${reader.exitCode})`);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  await next("open");
  while (sockets.length < options.connections) await sleep(10);

  const payload = Buffer.alloc(options.bytes, "x");
  payload[options.bytes - 1] = 0x0a;
  let busyMicros = 0;
  const round = (): void => {
    const started = process.hrtime.bigint();
    for (const socket of sockets) socket.write(payload);
    busyMicros += Number(process.hrtime.bigint() - started) / 1000;
  };
  for (let r = 0; r < WARMUP_ROUNDS; r++) {
    round();
    await sleep(options.pauseMs);
  }
  busyMicros = 0;
  const core0 = pinned ? readCoreTime(SERVER_CORE) : undefined;
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < options.rounds; r++) {
    round();
    await sleep(options.pauseMs);
  }
  const cpu = process.cpuUsage(cpu0);
  const core1 = pinned ? readCoreTime(SERVER_CORE) : undefined;
  const writes = options.connections * options.rounds;

  // Everything written reaches the reader before the figures are final.
  const expected = options.bytes * options.connections * (WARMUP_ROUNDS + options.rounds);
  let read = 0;
  for (let tries = 0; tries < 50 && read < expected; tries++) {
    reader.send("count");
    const report = await next("read");
    read = report.type === "read" ? report.bytes : read;
    if (read < expected) await sleep(100);
  }
  const coreSeconds = core0 === undefined || core1 === undefined ? Number.NaN : core1.busy - core0.busy;
  const result: WriteFloorResult = {
    connections: options.connections,
    bytesPerWrite: options.bytes,
    writes,
    microsPerWrite: (cpu.user + cpu.system) / writes,
    userMicrosPerWrite: cpu.user / writes,
    systemMicrosPerWrite: cpu.system / writes,
    coreMicrosPerWrite: (coreSeconds * 1e6) / writes,
    writesPerBusySecond: writes / (busyMicros / 1e6),
    allRead: read >= expected,
  };
  for (const socket of sockets) socket.destroy();
  server.close();
  reader.disconnect();

  const machine = machineInfo("/usr/bin/python3");
  const f = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : "n/a");
  process.stdout.write(
    [
      `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.kernel}; node ${machine.node}`,
      `pinning: ${pinned ? `writer on core ${SERVER_CORE}, reader on core ${GENERATOR_CORE}` : "off"}`,
      `${result.connections} loopback connections, ${result.bytesPerWrite} bytes a write, ${options.rounds} rounds (${result.writes} writes), a round every ${options.pauseMs} ms`,
      `CPU per write: ${f(result.microsPerWrite)} µs (user ${f(result.userMicrosPerWrite)}, kernel ${f(result.systemMicrosPerWrite)}); writer's core busy per write: ${f(result.coreMicrosPerWrite)} µs`,
      `writes per second while writing: ${Math.round(result.writesPerBusySecond)}; everything read: ${result.allRead ? "yes" : "no"}`,
      "",
    ].join("\n"),
  );
  if (options.json !== undefined) writeFileSync(options.json, `${JSON.stringify({ machine, options, result }, null, 1)}\n`);
  if (!result.allRead) throw new Error(`the reader read ${read} of ${expected} bytes`);
}

cleanup.run(main, "stopping the reader");
