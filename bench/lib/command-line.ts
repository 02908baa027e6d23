/**
 * The command line of a bench command (bench/broadcast.ts, bench/soak.ts): `node:util`'s
 * parseArgs, strict and without positionals, and what both commands do around it: print the
 * usage and exit 0 on `-h`/`--help`; on a bad option or value print the message and the usage
 * to stderr and exit with the command's own code for "could not start".
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

/** parseArgs' option declarations (@types/node does not export the name). */
type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** The values parseArgs returns for `options`, strict and without positionals. */
export type ParsedValues<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>
>["values"];

/** Options every bench command declares: `-h`, `--help`. */
type WithHelp = ParseArgsOptionsConfig & { readonly help: { readonly type: "boolean"; readonly short: "h" } };

/** One command's usage text and exit code, and the parsing and checks that use them. */
export class CommandLine {
  readonly #usage: string;
  readonly #usageExitCode: number;

  /** `usage` is printed for `--help` and after every error; errors exit with `usageExitCode`. */
  constructor(usage: string, usageExitCode: number) {
    this.#usage = usage;
    this.#usageExitCode = usageExitCode;
  }

  /** Parses `process.argv` against `options`; with `--help`, prints the usage and exits 0. */
  parse<const O extends WithHelp>(options: O): ParsedValues<O> {
    let values: ParsedValues<O>;
    try {
      values = parseArgs({ options, strict: true, allowPositionals: false }).values;
    } catch (err) {
      return this.fail(err instanceof Error ? err.message : String(err));
    }
    if ((values as { help?: boolean }).help === true) {
      process.stdout.write(this.#usage);
      process.exit(0);
    }
    return values;
  }

  /** Prints `message` and the usage to stderr and exits with the usage exit code. */
  fail(message: string): never {
    process.stderr.write(`${message}\n\n${this.#usage}`);
    process.exit(this.#usageExitCode);
  }

  /** `text` as a number from `min` to `max` (an integer if `integer`), or {@link fail} naming `--<name>`. */
  number(name: string, text: string, min: number, max: number, integer: boolean): number {
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      this.fail(`--${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max} (got "${text}")`);
    }
    return n;
  }
}
