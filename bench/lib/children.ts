/**
 * The child processes a bench command starts (servers under test, the soak's attacker process):
 * every one is registered with {@link trackChild} so that {@link killChildrenNow} can end them
 * synchronously from an exit or signal handler, and stopped gracefully with {@link stopChild}.
 * Also the environment that starts Loom on loopback with every port 0 ({@link loomEnvironment}),
 * shared by the broadcast benchmark and the soak.
 */
import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";

const children = new Set<ChildProcess>();

/** Registers a child to be killed by {@link killChildrenNow}; it unregisters itself on exit. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** SIGKILLs every tracked child still running. Synchronous: safe in `process.on("exit")`. */
export function killChildrenNow(): void {
  for (const child of children) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  children.clear();
}

/**
 * What a bench run must undo however it ends, normally, by an error or by SIGINT/SIGTERM: its
 * load generator's connections, every tracked child, its temp directory. Shared by the
 * broadcast and mixed-play benches.
 */
export class RunCleanup {
  /** The run's temp directory, removed at the end. */
  tmp: string | undefined = undefined;
  /** The load generator's clients, closed at the end (before the servers are killed). */
  clients: { closeAll(): void } | undefined = undefined;

  /** Closes, kills and removes what is set. Synchronous and idempotent: safe in `process.on("exit")`. */
  readonly now = (): void => {
    this.clients?.closeAll();
    this.clients = undefined;
    killChildrenNow();
    if (this.tmp !== undefined) {
      rmSync(this.tmp, { recursive: true, force: true });
      this.tmp = undefined;
    }
  };

  /**
   * Runs `main` with the hooks in place: at exit, and on SIGINT or SIGTERM (saying `stopping`,
   * then exiting 130), everything is undone; a `main` that throws is printed, undone, exit 1.
   */
  run(main: () => Promise<void>, stopping: string): void {
    process.on("exit", this.now);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.on(signal, () => {
        process.stderr.write(`\n${signal}: ${stopping}\n`);
        this.now();
        process.exit(130);
      });
    }
    main().catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      this.now();
      process.exit(1);
    });
  }
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. True if SIGTERM
 * sufficed; false if it had to be killed, or had exited already.
 */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return false;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), graceMs);
  });
  const clean = (await Promise.race([exited, timedOut])) !== "timeout";
  clearTimeout(timer);
  if (!clean) {
    child.kill("SIGKILL");
    await exited;
  }
  return clean;
}

/**
 * The environment for Loom (dist/src/main.js) under a bench: this process's, plus 127.0.0.1,
 * all three ports 0 (the ready log line says which it bound), its data in `workDir`/data, and
 * info-level logs (the bench counts warnings and reads the ready line).
 */
export function loomEnvironment(workDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LOOM_HOST: "127.0.0.1",
    LOOM_TELNET_PORT: "0",
    LOOM_LINE_PORT: "0",
    LOOM_HTTP_PORT: "0",
    LOOM_DATA_DIR: path.join(workDir, "data"),
    LOOM_LOG_LEVEL: "info",
  };
}
