/**
 * Starting Loom for the soak (bench/soak.ts): the built server (dist/src/main.js) as a child
 * process on 127.0.0.1, all three ports 0, a temp data directory, and every log line written by
 * the server itself straight into a file (stdout and stderr are that file's descriptor), so the
 * log's size is exactly what the server wrote and the soak's own event loop never carries it.
 *
 * No config file: the soak meets Loom's real defaults (10 connections and 5 creations an hour
 * per address, 5 failed logins a minute, 20 commands a second, 1 MiB output cap...). The normal
 * players stay inside them by spreading over many addresses.
 *
 * The server is registered with trackChild (children.ts), so that killChildrenNow can end it
 * synchronously from an exit or signal handler.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";
import { loomEnvironment, stopChild, trackChild } from "./children.js";

/** The ports Loom bound. */
export interface LoomPorts {
  readonly telnet: number;
  readonly line: number;
  readonly http: number;
}

/** A running Loom. */
export interface SoakServer {
  readonly pid: number;
  readonly ports: LoomPorts;
  readonly logFile: string;
  /** The exit code or signal once the process has exited; undefined while it runs. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. True if SIGTERM sufficed. */
  stop(graceMs: number): Promise<boolean>;
}

/** Starts Loom with its data and log in `workDir`; resolves once it logs "Loom is ready" (30 s at most). */
export async function startSoakServer(root: string, workDir: string): Promise<SoakServer> {
  const logFile = path.join(workDir, "loom.log");
  const fd = openSync(logFile, "a");
  const env = loomEnvironment(workDir);
  // An operator's config would change the limits the attacks are meant to meet.
  delete env.LOOM_CONFIG;
  const child = spawn(process.execPath, [path.join(root, "dist", "src", "main.js")], {
    cwd: root,
    stdio: ["ignore", fd, fd],
    env,
  });
  closeSync(fd);
  trackChild(child);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.once("exit", (code, signal) => {
    exit = { code, signal };
  });
  const ports = await waitForReady(child, logFile, () => exit);
  return {
    pid: child.pid!,
    ports,
    logFile,
    exited: () => exit,
    stop: (graceMs) => stopChild(child, graceMs),
  };
}

/** Size of the log file in bytes (0 if it is gone). */
export function logBytes(logFile: string): number {
  try {
    return statSync(logFile).size;
  } catch {
    return 0;
  }
}

/** The last `max` bytes of the log, as text ("" if it is gone). */
export function logTail(logFile: string, max: number): string {
  try {
    const size = statSync(logFile).size;
    const fd = openSync(logFile, "r");
    try {
      const buffer = Buffer.alloc(Math.min(max, size));
      const n = readSync(fd, buffer, 0, buffer.length, size - buffer.length);
      return buffer.toString("utf8", 0, n);
    } finally {
      closeSync(fd);
    }
  } catch {
    return "";
  }
}

/** Reads up to `max` bytes from the start of `file`. */
function head(file: string, max: number): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(max);
    const n = readSync(fd, buffer, 0, max, 0);
    return buffer.toString("utf8", 0, n);
  } finally {
    closeSync(fd);
  }
}

async function waitForReady(
  child: ChildProcess,
  logFile: string,
  exited: () => { code: number | null; signal: NodeJS.Signals | null } | undefined,
): Promise<LoomPorts> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    const text = head(logFile, 256 * 1024);
    for (const lineText of text.split("\n")) {
      if (!lineText.includes("Loom is ready")) continue;
      try {
        const entry = JSON.parse(lineText) as { ports?: Partial<LoomPorts> };
        const p = entry.ports;
        if (typeof p?.telnet === "number" && typeof p.line === "number" && typeof p.http === "number") {
          return { telnet: p.telnet, line: p.line, http: p.http };
        }
      } catch {
        // a line still being written: read again
      }
    }
    const gone = exited();
    if (gone !== undefined) {
      throw new Error(`Loom exited before it was ready (code ${gone.code}, signal ${gone.signal}):\n${text.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`Loom was not ready within 30 s:\n${head(logFile, 4096)}`);
}
