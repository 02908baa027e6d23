/**
 * Starting and stopping the three servers under test: Loom (dist/src/main.js, raw line door),
 * the plain-Node peer and the Twisted peer (../shared/peers/). Each runs as a child process,
 * optionally pinned to one core with `taskset -c` (taskset execs the server, so the pid we
 * hold is the server's own and /proc/<pid> describes it).
 *
 * Every child is registered with trackChild (children.ts), so that killChildrenNow can end them
 * synchronously from an exit or signal handler.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { loomEnvironment, stopChild, trackChild } from "./children.js";

/**
 * The servers the benchmark knows. `flood` (flood-server.ts) is not a server under test: it
 * costs almost nothing per delivery, so a run against it measures the load generator alone.
 */
export const SERVER_KINDS = ["loom", "node", "twisted", "flood"] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** What `npm run bench` runs when `--only` is not given: the three servers compared. */
export const DEFAULT_SERVER_KINDS: readonly ServerKind[] = ["loom", "node", "twisted"];

/** Display names for the table. */
export const SERVER_LABELS: Readonly<Record<ServerKind, string>> = { loom: "Loom", node: "Node", twisted: "Twisted", flood: "Flood" };

/** A server process that is up and accepting connections. */
export interface ServerProcess {
  readonly kind: ServerKind;
  readonly pid: number;
  /** The port speaking the line contract (Loom's raw line door). */
  readonly port: number;
  /** Loom's telnet and HTTP (WebSocket, /metrics) ports; undefined for the peers. */
  readonly telnetPort: number | undefined;
  readonly httpPort: number | undefined;
  /**
   * Loom only: its heap after a full GC, read through the bench's heap probe (heap-probe.ts),
   * or undefined if it did not answer within a second.
   */
  readonly heap: () => Promise<NodeJS.MemoryUsage | undefined>;
  /** Log lines at warn level or above (Loom only; the peers do not log). */
  readonly warnings: () => number;
  /**
   * Loom only: when (performance.now()) each log line with this `msg` arrived so far, e.g. the
   * S4 "slow reader: dropping chatter…" line, written once per episode per reader.
   */
  readonly logged: (msg: string) => readonly number[];
  /**
   * Loom only: the connection cap it booted with and where that came from (its `connection cap`
   * log line: `config`, or `auto` from the file limit), so the report can say what it was.
   */
  readonly connectionCap: () => { readonly maxConnections: number; readonly source: string } | undefined;
  /** The last lines the process wrote, for error messages. */
  readonly tail: () => string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. True if SIGTERM sufficed. */
  stop(graceMs: number): Promise<boolean>;
}

/** How to start a server. */
export interface StartOptions {
  /** The project root (where package.json and dist/ are). */
  readonly root: string;
  /** Directory holding node_chat.mjs and twisted_chat.py. */
  readonly peersDir: string;
  /** The Python that has Twisted. */
  readonly python: string;
  /** A private scratch directory for this server (Loom's data and config go here). */
  readonly workDir: string;
  /**
   * Core to pin the server to, or a `taskset -c` list of cores ("0-1"), or undefined for no
   * pinning: the server then inherits the bench's own affinity (the generator's core, once the
   * generator has pinned itself).
   */
  readonly core: number | string | undefined;
  /** Loom settings the load needs lifted. */
  readonly loom: LoomLimits;
  /** Extra arguments for Loom's node (e.g. --cpu-prof). */
  readonly loomNodeArgs: readonly string[];
  /** Loom's world directory, when not config/world (the mixed-play bench writes its own). */
  readonly worldDir?: string;
}

/** The Loom limits a load test has to lift, and to what. */
export interface LoomLimits {
  readonly maxConnectionsPerAddress: number;
  /** A number, or `auto` (Loom's default: the file limit less headroom; the capacity scenario keeps it). */
  readonly maxConnections: number | "auto";
  readonly creationsPerHour: number;
  readonly commandsPerSecond: number;
  readonly commandBurst: number;
  readonly hashConcurrency: number;
  /** Channel posts per second and burst per sender (the channel scenario's senders post fast). */
  readonly channelPostsPerSecond: number;
  readonly channelBurst: number;
}

interface LoomPorts {
  readonly line: number;
  readonly telnet: number;
  readonly http: number;
}

/** Starts `kind` and resolves once it accepts connections (rejects after 30 s or if it exits). */
export async function startServer(kind: ServerKind, options: StartOptions): Promise<ServerProcess> {
  switch (kind) {
    case "loom":
      return startLoom(options);
    case "node":
      return startPeer(kind, process.execPath, [path.join(options.peersDir, "node_chat.mjs")], options);
    case "twisted":
      return startPeer(kind, options.python, [path.join(options.peersDir, "twisted_chat.py")], options);
    case "flood":
      return startPeer(kind, process.execPath, [path.join(options.root, "dist", "bench", "flood-server.js")], options);
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown server ${String(unreachable)}`);
    }
  }
}

/** The YAML merged over config/default.yaml for a load test. */
export function loomConfigYaml(limits: LoomLimits): string {
  return [
    "# Written by bench/broadcast.ts: the limits a load test must lift. Merged over config/default.yaml.",
    "limits:",
    `  maxConnectionsPerAddress: ${limits.maxConnectionsPerAddress}`,
    `  maxConnections: ${limits.maxConnections}`,
    // The load logs in 50 clients per source address at once: past the default burst (F4).
    `  newConnectionBurst: ${limits.maxConnectionsPerAddress}`,
    "  newConnectionsPerSecond: 1000",
    `  commandsPerSecond: ${limits.commandsPerSecond}`,
    `  commandBurst: ${limits.commandBurst}`,
    `  channelPostsPerSecond: ${limits.channelPostsPerSecond}`,
    `  channelBurst: ${limits.channelBurst}`,
    "shutdown:",
    "  graceSeconds: 5",
    "accounts:",
    `  creationsPerHour: ${limits.creationsPerHour}`,
    // Every client's hash is queued at once, 50 per source address (A7's fair queue).
    `  maxQueuedHashesPerAddress: ${Math.min(10_000, limits.maxConnectionsPerAddress)}`,
    // Under `auto` the cap is known only once Loom has read its file limit: the schema's ceiling holds any.
    `  maxQueuedHashes: ${limits.maxConnections === "auto" ? 1_000_000 : limits.maxConnections}`,
    `  hashConcurrency: ${limits.hashConcurrency}`,
    // Connects count as attempts when they start (A7, A8): 50 at once from one address.
    `  failedLoginsPerAddressPerMinute: ${Math.max(20, limits.maxConnectionsPerAddress * 4)}`,
    "",
  ].join("\n");
}

function spawnPinned(command: string, args: readonly string[], core: number | string | undefined, extra: Parameters<typeof spawn>[2]): ChildProcess {
  const child =
    core === undefined ? spawn(command, [...args], extra) : spawn("taskset", ["-c", String(core), command, ...args], extra);
  trackChild(child);
  return child;
}

/** Keeps the last lines of a stream, and calls `onLine` for each. */
function collect(child: ChildProcess, onLine: (line: string) => void): () => string {
  const lines: string[] = [];
  const keep = (line: string): void => {
    lines.push(line);
    if (lines.length > 30) lines.shift();
  };
  if (child.stdout) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => {
      keep(line);
      onLine(line);
    });
  }
  if (child.stderr) createInterface({ input: child.stderr, crlfDelay: Infinity }).on("line", keep);
  return () => lines.join("\n");
}

async function startLoom(options: StartOptions): Promise<ServerProcess> {
  const configFile = path.join(options.workDir, "bench-config.yaml");
  // JSON is YAML: the quoted path survives any character in it.
  const worldLine = options.worldDir === undefined ? "" : `worldDir: ${JSON.stringify(options.worldDir)}\n`;
  writeFileSync(configFile, loomConfigYaml(options.loom) + worldLine);
  const heapFile = path.join(options.workDir, "heap.json");
  const child = spawnPinned(
    process.execPath,
    [
      ...options.loomNodeArgs,
      "--expose-gc",
      "--import",
      pathToFileURL(path.join(options.root, "dist", "bench", "heap-probe.js")).href,
      path.join(options.root, "dist", "src", "main.js"),
      "--config",
      configFile,
    ],
    options.core,
    {
      cwd: options.root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...loomEnvironment(options.workDir), BENCH_HEAP_PROBE_FILE: heapFile },
    },
  );
  let warnings = 0;
  const byMessage = new Map<string, number[]>();
  let connectionCap: { maxConnections: number; source: string } | undefined;
  let onReady: ((ports: LoomPorts) => void) | undefined;
  const ready = new Promise<LoomPorts>((resolve) => {
    onReady = resolve;
  });
  const tail = collect(child, (line) => {
    if (!line.startsWith("{")) return;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof entry !== "object" || entry === null) return;
    const record = entry as { level?: unknown; msg?: unknown; ports?: { line?: unknown; telnet?: unknown; http?: unknown }; maxConnections?: unknown; source?: unknown };
    if (typeof record.level === "number" && record.level >= 40) warnings++;
    if (typeof record.msg === "string") {
      const seen = byMessage.get(record.msg);
      if (seen === undefined) byMessage.set(record.msg, [performance.now()]);
      else seen.push(performance.now());
    }
    if (record.msg === "connection cap" && typeof record.maxConnections === "number") {
      connectionCap = { maxConnections: record.maxConnections, source: String(record.source) };
    }
    const p = record.ports;
    if (record.msg === "Loom is ready" && typeof p?.line === "number" && typeof p.telnet === "number" && typeof p.http === "number") {
      onReady?.({ line: p.line, telnet: p.telnet, http: p.http });
    }
  });
  const ports = await untilReady(child, ready, tail, "Loom");
  const heap = async (): Promise<NodeJS.MemoryUsage | undefined> => {
    rmSync(heapFile, { force: true });
    child.kill("SIGUSR2");
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      try {
        return JSON.parse(readFileSync(heapFile, "utf8")) as NodeJS.MemoryUsage;
      } catch {
        // not written yet (or half written)
      }
    }
    return undefined;
  };
  return {
    kind: "loom",
    pid: child.pid!,
    port: ports.line,
    telnetPort: ports.telnet,
    httpPort: ports.http,
    heap,
    warnings: () => warnings,
    logged: (msg) => byMessage.get(msg) ?? [],
    connectionCap: () => connectionCap,
    tail,
    stop: (graceMs) => stopChild(child, graceMs),
  };
}

async function startPeer(kind: ServerKind, command: string, args: readonly string[], options: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawnPinned(command, [...args, String(port)], options.core, {
    cwd: options.workDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PYTHONUNBUFFERED: "1" },
  });
  const tail = collect(child, () => {});
  await untilReady(child, waitForListener(port, child), tail, kind);
  return {
    kind,
    pid: child.pid!,
    port,
    telnetPort: undefined,
    httpPort: undefined,
    heap: () => Promise.resolve(undefined),
    warnings: () => 0,
    logged: () => [],
    connectionCap: () => undefined,
    tail,
    stop: (graceMs) => stopChild(child, graceMs),
  };
}

async function untilReady<T>(child: ChildProcess, ready: Promise<T>, tail: () => string, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} was not ready within 30 s:\n${tail()}`)), 30_000);
    child.once("exit", (code, signal) =>
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal}):\n${tail()}`)),
    );
    child.once("error", (err) => reject(new Error(`${name} could not be started: ${err.message}`)));
  });
  try {
    return await Promise.race([ready, failed]);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** A port that was free a moment ago on 127.0.0.1 (the peers take a port number, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on `port` (polling every 50 ms). */
async function waitForListener(port: number, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server on port ${port} exited`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
