/**
 * `loom`, the operator's command line (issues 7 and 10): `loom start`, `loom role`, `loom
 * world export`, `loom world import`, `loom backup`, `loom restore`, and `--help` for each.
 * bin/loom.mjs runs {@link runCli} from the compiled dist/src/cli/main.js; package.json names
 * it as the `loom` bin, so `npx loom` works in a checkout and in the Docker image.
 *
 * Every command reads the configuration as the server does (config/default.yaml, `--config`
 * or LOOM_CONFIG, the LOOM_* variables), so it finds the same data and world directories.
 * Exit status: 0 done, 1 failed (the message says why), 2 bad arguments (with the usage).
 */
import { ExitStatus, processIo, type CliIo } from "./cli-io.js";
import { runCommand, usageError, type Command } from "./command.js";
import { COMMANDS } from "./commands.js";

export { COMMANDS } from "./commands.js";

/** `loom --help`. */
export const USAGE = [
  "Usage: loom <command> [options]",
  "",
  "Loom's command line for operators. It reads the configuration the server reads:",
  "config/default.yaml, then the file named by --config or LOOM_CONFIG, then LOOM_DATA_DIR and",
  "the other LOOM_* variables.",
  "",
  "Commands:",
  ...listing(COMMANDS),
  "",
  "Options (after the command):",
  "  -c, --config <file>   a YAML file of settings, merged over config/default.yaml",
  "  -h, --help            this help; `loom <command> --help` shows one command's",
  "",
  "role, world export, world import and restore open the database in the data directory",
  "themselves: run them while the server is stopped. backup works while it runs.",
  "",
  "Exit status: 0 done, 1 failed (the message says why), 2 bad arguments.",
].join("\n");

/** `loom world --help`: the commands under `world`. */
const WORLD_USAGE = [
  "Usage: loom world <export|import> <dir> [options]",
  "",
  "Commands:",
  ...listing(COMMANDS.filter((command) => command.words[0] === "world")),
  "",
  "Run `loom world export --help` or `loom world import --help` for their options.",
].join("\n");

/**
 * Runs `loom` with `argv` (the arguments after `loom`); resolves with the exit status. For
 * `start`, it resolves once the server is running, and the server ends the process when it
 * stops. An unexpected error is reported on stderr with exit status 1.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<ExitStatus> {
  const [first, second] = argv;
  if (first === undefined) return usageError(io, "", "no command given");
  if (first === "-h" || first === "--help") {
    io.out(`${USAGE}\n`);
    return ExitStatus.ok;
  }
  const command = COMMANDS.find((c) => c.words.every((word, i) => argv[i] === word));
  if (command === undefined) {
    if (first !== "world") {
      const problem = first.startsWith("-") ? `unknown option "${first}" (options come after the command)` : `unknown command "${first}"`;
      return usageError(io, "", problem);
    }
    if (second === "-h" || second === "--help") {
      io.out(`${WORLD_USAGE}\n`);
      return ExitStatus.ok;
    }
    const problem = second === undefined ? "say export or import" : `unknown command "world ${second}": say export or import`;
    io.err(`loom world: ${problem}\n${WORLD_USAGE.split("\n", 1)[0]}\nRun \`loom world --help\` for more.\n`);
    return ExitStatus.usage;
  }
  try {
    return await runCommand(command, argv.slice(command.words.length), io);
  } catch (error) {
    io.err(`loom ${command.words.join(" ")}: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitStatus.failed;
  }
}

/** The lines of a command list: usage, then summary, aligned. */
function listing(commands: readonly Command[]): string[] {
  const synopses = commands.map((c) => ["loom", ...c.words, ...c.positionals].join(" "));
  const width = Math.max(...synopses.map((s) => s.length));
  return commands.map((c, i) => `  ${(synopses[i] ?? "").padEnd(width)}   ${c.summary}`);
}
