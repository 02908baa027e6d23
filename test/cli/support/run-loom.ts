/**
 * The built `loom` command, run as an operator runs it: `node bin/loom.mjs <args>` in a child
 * process from the project root, with a clean LOOM_* environment (the runner's own must not
 * leak in) and the test's data directory. Call `ensureBuilt()` (test/process/support) in
 * beforeAll first, so that bin/loom.mjs finds dist/ fresh and does not build.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../../process/support/loom-process.js";

const BUILD_NOTICE = /^loom: building Loom first.*\n/m;

/** How a `loom` run ended. */
export interface LoomRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@link runLoom}. */
export interface RunLoomOptions {
  /** LOOM_DATA_DIR; absent: the configuration's own (./data), which a test should never use. */
  readonly dataDir?: string;
  /** More environment, over the clean one. */
  readonly env?: Readonly<Record<string, string>>;
  /** The working directory. Default: the project root (so ./config/world is the starter world). */
  readonly cwd?: string;
}

/** Runs `loom ...args` and resolves when it has exited and its output is read. */
export function runLoom(args: readonly string[], options: RunLoomOptions = {}): Promise<LoomRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("LOOM_")) env[key] = value;
  if (options.dataDir !== undefined) env["LOOM_DATA_DIR"] = options.dataDir;
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [path.join(projectRoot, "bin", "loom.mjs"), ...args], {
    cwd: options.cwd ?? projectRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    // The notice of a build (dist/ went stale while the tests ran: someone edited a source) is
    // for people; the tests check what the command itself said.
    child.on("close", (status) => resolve({ status, stdout, stderr: stderr.replace(BUILD_NOTICE, "") }));
  });
}
