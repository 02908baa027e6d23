/**
 * `loom ...args` run in the test's own process through `runCli` (src/cli/main.ts), with the
 * test's own streams and environment: for the commands' refusals and messages, which need no
 * built dist/ and no child process. The built command, as an operator runs it, is run-loom.ts.
 */
import { runCli } from "../../../src/cli/main.js";
import { projectRoot } from "../../process/support/loom-process.js";

/** How an in-process run ended: the exit status and everything written to each stream. */
export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `loom ...args` from the project root with `env` as the whole environment (the runner's
 * own LOOM_* settings must not leak in), and resolves with what it wrote and its status.
 */
export async function runCliHere(args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io = { out: (t: string) => void (stdout += t), err: (t: string) => void (stderr += t), env, cwd: projectRoot };
  const status = await runCli(args, io);
  return { status, stdout, stderr };
}
