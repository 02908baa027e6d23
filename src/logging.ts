/**
 * The root logger. Structured JSON lines (pino) on standard output; subsystems and connections
 * take child loggers from it.
 */
import { pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./config/schema.js";

/**
 * Field paths censored wherever they appear. Passwords never reach a log line (hardening A4):
 * the login dialog never logs what was typed, and these paths catch a careless field anyway.
 */
export const REDACTED_PATHS = ["password", "*.password", "passwordHash", "*.passwordHash"] as const;

/**
 * Builds the root logger at `level`, writing to `destination` (default: standard output,
 * written synchronously). Synchronous because the process exits right after its last lines:
 * with pino's default asynchronous stdout, "shutting down" and "stopped" were sometimes lost
 * after SIGTERM (test/process/sigterm-drain.test.ts). Loom logs per connection and per event,
 * not per message, so the cost of a write per line is small.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: [...REDACTED_PATHS], censor: "[redacted]" } };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}
