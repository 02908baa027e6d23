/**
 * What every `loom` command is given: its output streams, environment and working directory,
 * and the exit statuses it ends with. Light on purpose (src/cli/commands.ts): `loom --help`
 * and a usage error load nothing else.
 */
import path from "node:path";

/** A command's view of the process: tests give it their own. */
export interface CliIo {
  /** Writes to standard output (results, help). */
  readonly out: (text: string) => void;
  /** Writes to standard error (problems, usage after a mistake). */
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What relative paths (a config file, the data and world directories, `<dir>`) resolve against. */
  readonly cwd: string;
}

/** The real process's streams, environment and directory. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Exit statuses: done, failed (the message says why), and bad arguments (usage shown). */
export const ExitStatus = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

/** `target` as the operator would type it: relative to the working directory when inside it. */
export function shown(io: CliIo, target: string): string {
  const rel = path.relative(io.cwd, target);
  return rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? target : rel;
}
