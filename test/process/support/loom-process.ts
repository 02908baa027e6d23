/**
 * The real Loom process, as an operator runs it: `node dist/src/main.js`, configured through
 * the environment and the command line, observed through its pino JSON lines on stdout, its
 * stderr and its exit status. Tests spawn it on port 0 and learn the ports from the
 * "Loom is ready" line.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (three levels above this file). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const FLOCK = "/usr/bin/flock";

/**
 * Builds dist/ if it is missing or older than the sources (build-if-stale.mjs). Under `flock`
 * when available, so that concurrent test workers build once between them, never at the same
 * time. Throws with the compiler's output if the build fails.
 */
export function ensureBuilt(): void {
  const script = path.join(projectRoot, "test", "process", "support", "build-if-stale.mjs");
  const lock = path.join(os.tmpdir(), `loom-build-${createHash("sha1").update(projectRoot).digest("hex").slice(0, 12)}.lock`);
  const [file, args] = fs.existsSync(FLOCK) ? [FLOCK, [lock, process.execPath, script]] : [process.execPath, [script]];
  try {
    execFileSync(file, args, { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`building Loom for the process tests failed:\n${e.stderr?.toString() ?? ""}${e.stdout?.toString() ?? e.message}`);
  }
}

/** One pino line from the process's stdout. */
export interface LogRecord {
  readonly level: number;
  readonly msg?: string;
  readonly [key: string]: unknown;
}

/** The ports from the "Loom is ready" line. */
export interface Ports {
  readonly telnet: number;
  readonly line: number;
  readonly http: number;
}

/** How the process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Options for {@link LoomProcess.spawn}. */
export interface SpawnOptions {
  /** LOOM_DATA_DIR. Required: every test owns its data directory. */
  readonly dataDir: string;
  /** Added to (and overriding) the defaults: every port 0, LOOM_HOST=127.0.0.1, LOOM_LOG_LEVEL=info. */
  readonly env?: Readonly<Record<string, string>>;
  /** Command-line arguments after `dist/src/main.js`, e.g. `["--config", file]`. */
  readonly args?: readonly string[];
}

/** A spawned `node dist/src/main.js`. Call {@link LoomProcess.kill} in afterEach. */
export class LoomProcess {
  readonly child: ChildProcess;
  /** Every JSON line from stdout, parsed, in order. */
  readonly logs: LogRecord[] = [];
  /** Resolves once the process has exited and its stdout and stderr are fully read. */
  readonly exited: Promise<Exit>;
  #stdout = "";
  #stderr = "";
  #pendingLine = "";
  #exit: Exit | undefined;
  readonly #waiters = new Set<() => void>();

  private constructor(child: ChildProcess) {
    this.child = child;
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => this.#onStdout(chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.#stderr += chunk;
    });
    this.exited = new Promise((resolve) => {
      // "close", not "exit": by then every log line has been read.
      child.on("close", (code, signal) => {
        this.#exit = { code, signal };
        this.#wake();
        resolve(this.#exit);
      });
    });
  }

  /** Spawns the built server from the project root (so `./config/world` resolves as in `npm start`). */
  static spawn(options: SpawnOptions): LoomProcess {
    const env: NodeJS.ProcessEnv = {};
    // The test runner's own LOOM_* settings (a developer's LOOM_CONFIG, say) must not leak in.
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("LOOM_")) env[key] = value;
    Object.assign(env, {
      LOOM_TELNET_PORT: "0",
      LOOM_LINE_PORT: "0",
      LOOM_HTTP_PORT: "0",
      LOOM_HOST: "127.0.0.1",
      LOOM_LOG_LEVEL: "info",
      LOOM_DATA_DIR: options.dataDir,
      ...options.env,
    });
    const child = spawn(process.execPath, [path.join("dist", "src", "main.js"), ...(options.args ?? [])], {
      cwd: projectRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new LoomProcess(child);
  }

  /** Everything written to stdout so far. */
  get stdout(): string {
    return this.#stdout;
  }

  /** Everything written to stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.#exit === undefined;
  }

  /**
   * Resolves with the first log line (already seen or still to come) that satisfies `test`;
   * rejects if the process exits first, or after `ms`.
   */
  waitForLog(test: (record: LogRecord) => boolean, what: string, ms = 10_000): Promise<LogRecord> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.logs.find(test);
        if (found !== undefined) {
          done();
          resolve(found);
          return true;
        }
        if (this.#exit !== undefined) {
          done();
          reject(new Error(`the process exited (${JSON.stringify(this.#exit)}) before logging ${what}\n${this.#describe()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${ms} ms waiting for the process to log ${what}\n${this.#describe()}`));
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      if (!check()) this.#waiters.add(check);
    });
  }

  /**
   * Resolves with the first match of `pattern` in stdout (for output that is not JSON, such as
   * `log.format: pretty`); rejects if the process exits first, or after `ms`.
   */
  waitForStdout(pattern: RegExp, what: string, ms = 10_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.#stdout.match(pattern);
        if (found !== null) {
          done();
          resolve(found);
          return true;
        }
        if (this.#exit !== undefined) {
          done();
          reject(new Error(`the process exited (${JSON.stringify(this.#exit)}) before writing ${what}\n${this.#describe()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${ms} ms waiting for the process to write ${what}\n${this.#describe()}`));
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      if (!check()) this.#waiters.add(check);
    });
  }

  /** Waits for "Loom is ready" and returns the ports it names. */
  async ready(ms = 15_000): Promise<Ports> {
    const record = await this.waitForLog((r) => r.msg === "Loom is ready", '"Loom is ready"', ms);
    return record.ports as Ports;
  }

  /** Sends a signal, if the process is still running. */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Cleanup: SIGKILL if still running, then wait for the exit. Idempotent. */
  async kill(): Promise<Exit> {
    this.signal("SIGKILL");
    return this.exited;
  }

  #onStdout(chunk: string): void {
    this.#stdout += chunk;
    const lines = (this.#pendingLine + chunk).split("\n");
    this.#pendingLine = lines.pop() ?? "";
    for (const text of lines) {
      if (text.trim() === "") continue;
      try {
        this.logs.push(JSON.parse(text) as LogRecord);
      } catch {
        // Not a log line (nothing else should write to stdout); kept in `stdout` for messages.
      }
    }
    this.#wake();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  #describe(): string {
    return `--- stdout ---\n${this.#stdout}--- stderr ---\n${this.#stderr}`;
  }
}

/** A fresh temporary directory; remove it with {@link removeTempDir}. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** Removes a directory made by {@link makeTempDir}. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Resolves with the error code of a TCP connection attempt to 127.0.0.1:`port` that fails
 * (ECONNREFUSED when nothing listens), or "connected" if it succeeds (the socket is closed at once).
 */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}
