/**
 * The root logger. Structured records (pino) on standard output, as JSON lines or as readable
 * lines for a person at a terminal (`log.format`); subsystems and connections take child
 * loggers from it.
 */
import { pino, type DestinationStream, type Logger } from "pino";
import type { LogFormat, LogLevel } from "./config/schema.js";
import { PrettyDestination } from "./log-pretty.js";

/**
 * Field paths censored wherever they appear. Passwords never reach a log line (hardening A4):
 * the login dialog never logs what was typed, and these paths catch a careless field anyway.
 * Nor do resume tokens (issue 9): they are logins too; nothing logs one, and `token` is caught
 * all the same.
 * Redaction happens before any destination sees the record, so it holds for pretty lines too.
 */
export const REDACTED_PATHS = ["password", "*.password", "passwordHash", "*.passwordHash", "token", "*.token"] as const;

/**
 * Builds the root logger at `level`, writing to `destination` (default: standard output as JSON
 * lines, written synchronously). Synchronous because the process exits right after its last
 * lines: with pino's default asynchronous stdout, "shutting down" and "stopped" were sometimes
 * lost after SIGTERM (test/process/sigterm-drain.test.ts). Loom logs per connection and per
 * event, not per message, so the cost of a write per line is small.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: [...REDACTED_PATHS], censor: "[redacted]" } };
  return pino(options, destination ?? stdoutDestination("json", false));
}

/**
 * Standard output in the configured `format`, written synchronously (see {@link createLogger}).
 * `auto` is pretty when `isTTY` (a person runs `npm start`) and JSON otherwise (a container, a
 * pipe, a file, which a machine reads). Colour only on a terminal, and not when the NO_COLOR
 * convention (https://no-color.org) asks for none.
 */
export function stdoutDestination(format: LogFormat, isTTY: boolean, env: Readonly<Record<string, string | undefined>> = {}): DestinationStream {
  const stdout = pino.destination({ dest: 1, sync: true });
  const pretty = format === "pretty" || (format === "auto" && isTTY);
  if (!pretty) return stdout;
  const noColour = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return new PrettyDestination(stdout, { colour: isTTY && !noColour });
}
