/**
 * The contract of one `loom` command, and the parsing every command shares: its words
 * (`world export`), its positional arguments, its options (`node:util` parseArgs, strict),
 * and `--config` and `--help`, which every command takes. A mistake in the arguments is a
 * usage error: the problem and the command's usage on stderr, exit status 2.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ExitStatus, type CliIo } from "./cli-io.js";

/** Option definitions as parseArgs takes them (`@types/node` does not export the type by name). */
export type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** The options every command takes. */
const COMMON_OPTIONS = {
  config: { type: "string", short: "c" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionsConfig;

/** How the common options read in every command's help. */
export const COMMON_OPTIONS_HELP = [
  "  -c, --config <file>   a YAML file of settings, merged over config/default.yaml",
  "                        (default: the file named by LOOM_CONFIG, if any)",
  "  -h, --help            this help",
].join("\n");

/** The parsed arguments a command runs with. */
export interface CommandArgs {
  /** The positional arguments, one per name in {@link Command.positionals}. */
  readonly positionals: readonly string[];
  /** Option values by long name: strings, booleans, or `undefined` when not given. */
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  /** `--config`, when given. */
  readonly config: string | undefined;
}

/** One command of `loom`. */
export interface Command {
  /** The words that name it: `["role"]`, `["world", "export"]`. */
  readonly words: readonly string[];
  /** Its positional arguments' names as the usage shows them: `["<name>", "<role>"]`. */
  readonly positionals: readonly string[];
  /** Its own options, besides {@link COMMON_OPTIONS}. */
  readonly options: OptionsConfig;
  /** One line for the list in `loom --help`. */
  readonly summary: string;
  /** `loom <command> --help`: starts with its `Usage:` line. */
  readonly help: string;
  /** What is wrong with well-formed arguments (`role alice wizard`), as a usage error; `undefined`: nothing. */
  readonly check?: (args: CommandArgs) => string | undefined;
  /** Runs it; resolves with the exit status. */
  run(args: CommandArgs, io: CliIo): Promise<ExitStatus> | ExitStatus;
}

/** The first line of a command's help: its usage. */
function usageLine(command: Command): string {
  return command.help.split("\n", 1)[0] ?? "";
}

/**
 * Parses `args` (what follows the command's words) and runs the command, or shows its help,
 * or reports a usage error. Resolves with the exit status.
 */
export async function runCommand(command: Command, args: readonly string[], io: CliIo): Promise<ExitStatus> {
  const name = command.words.join(" ");
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options: { ...command.options, ...COMMON_OPTIONS }, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs' messages name the option and end with advice for `--`, which loom has no use for.
    const raw = error instanceof Error ? error.message.replace(/\. To specify a positional argument starting with a '-'.*$/s, "") : String(error);
    const message = raw.charAt(0).toLowerCase() + raw.slice(1);
    return usageError(io, name, message, command);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values["help"] === true) {
    io.out(`${command.help}\n`);
    return ExitStatus.ok;
  }
  const given = parsed.positionals;
  if (given.length !== command.positionals.length) {
    const problem =
      given.length > command.positionals.length
        ? `unexpected argument "${given[command.positionals.length]}"`
        : `missing ${command.positionals.slice(given.length).join(" ")}`;
    return usageError(io, name, problem, command);
  }
  const config = values["config"];
  const commandArgs: CommandArgs = { positionals: given, options: values, config: typeof config === "string" ? config : undefined };
  const wrong = command.check?.(commandArgs);
  if (wrong !== undefined) return usageError(io, name, wrong, command);
  return command.run(commandArgs, io);
}

/** Reports a usage error: the problem, then the usage, on stderr. Returns exit status 2. */
export function usageError(io: CliIo, name: string, problem: string, command?: Command): ExitStatus {
  const usage =
    command === undefined
      ? "Usage: loom <command> [options]\nRun `loom --help` for the commands."
      : `${usageLine(command)}\nRun \`loom ${name} --help\` for more.`;
  io.err(`loom${name === "" ? "" : ` ${name}`}: ${problem}\n${usage}\n`);
  return ExitStatus.usage;
}
