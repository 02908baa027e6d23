/**
 * Readable log lines for a person at a terminal (issue 10): `npm start` on a laptop should not
 * print raw JSON, and the operator should not have to know pino-pretty. One line per record:
 *
 *     21:40:05.123 INFO  telnet listening  listener=telnet host=0.0.0.0 port=4000
 *
 * local time, the level (coloured only on a terminal), the message, then every other field as
 * key=value (nested objects as dotted keys); an error's stack follows, indented. pino has
 * already applied `redact` to the record before it reaches a destination, so a password is
 * `[redacted]` here as in JSON (hardening A4).
 *
 * Our own small formatter rather than pino-pretty: pino-pretty is a transport (a worker thread,
 * asynchronous) or a stream with its own dependencies, and the last lines before an exit must
 * be written synchronously (see src/logging.ts). Formatting is a pure function, tested as one.
 */
import type { DestinationStream } from "pino";

/** Options of {@link formatLogRecord}. */
export interface PrettyOptions {
  /** Colour the level with ANSI SGR. Only for a terminal; never in a file or a pipe. */
  readonly colour: boolean;
}

/** pino's level numbers and the names shown for them, padded to one width. */
const LEVEL_NAMES: ReadonlyMap<number, string> = new Map([
  [10, "TRACE"],
  [20, "DEBUG"],
  [30, "INFO "],
  [40, "WARN "],
  [50, "ERROR"],
  [60, "FATAL"],
]);

/** SGR colours per level: grey, blue, green, yellow, red, bold red. */
const LEVEL_COLOURS: ReadonlyMap<number, string> = new Map([
  [10, "90"],
  [20, "34"],
  [30, "32"],
  [40, "33"],
  [50, "31"],
  [60, "1;31"],
]);

/** Fields every pino record carries that a person at a terminal does not need on each line. */
const OMITTED = new Set(["level", "time", "pid", "hostname", "msg"]);

/** What an error serialised by pino looks like (`err` key): its type, message and stack, and any own fields. */
const ERROR_SHAPE = new Set(["type", "message", "stack"]);

/**
 * Characters that would let a logged value act on the operator's terminal or forge a line
 * (hardening E1-E4, E7, for the log rather than the game): C0 and C1 controls, DEL, the line
 * and paragraph separators and the bidi controls. Player input reaches logs (names, paths), so
 * these are escaped as \uXXXX; JSON lines escape C0 controls themselves.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** {@link UNSAFE} without the global flag, whose `test` keeps no state between calls. */
const HAS_UNSAFE = new RegExp(UNSAFE.source);

/**
 * Formats one pino record (the parsed JSON object) as one line, or several when it carries an
 * error stack: the stack's lines follow, indented by four spaces. No trailing newline.
 */
export function formatLogRecord(record: Readonly<Record<string, unknown>>, options: PrettyOptions): string {
  const level = typeof record.level === "number" ? record.level : 30;
  const name = LEVEL_NAMES.get(level) ?? String(level).padEnd(5);
  const colour = LEVEL_COLOURS.get(level);
  const shownLevel = options.colour && colour !== undefined ? `\u001b[${colour}m${name}\u001b[0m` : name;
  const time = typeof record.time === "number" ? clockTime(record.time) : "--:--:--.---";
  const msg = typeof record.msg === "string" ? escapeUnsafe(record.msg) : "";

  const fields: string[] = [];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (OMITTED.has(key) || value === undefined) continue;
    if (key === "err" && isSerialisedError(value)) {
      fields.push(`err=${quote(value.message)}`);
      for (const [k, v] of Object.entries(value)) if (!ERROR_SHAPE.has(k)) pushField(fields, `err.${k}`, v);
      if (typeof value.stack === "string" && value.stack !== "") stack = value.stack;
      continue;
    }
    pushField(fields, key, value);
  }

  let line = `${time} ${shownLevel} ${msg}`;
  if (fields.length > 0) line += `  ${fields.join(" ")}`;
  if (stack !== undefined) line += stack.split("\n").map((text) => `\n    ${escapeUnsafe(text.trim())}`).join("");
  return line;
}

/**
 * A pino destination that writes {@link formatLogRecord} lines to `sink` (standard output,
 * written synchronously). pino hands it one serialised JSON line per write; anything that is not
 * JSON (it should not happen) is written as it came, with unsafe characters escaped.
 */
export class PrettyDestination implements DestinationStream {
  readonly #sink: DestinationStream;
  readonly #options: PrettyOptions;

  constructor(sink: DestinationStream, options: PrettyOptions) {
    this.#sink = sink;
    this.#options = options;
  }

  write(chunk: string): void {
    let out = "";
    for (const text of chunk.split("\n")) {
      if (text === "") continue;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        // Not a record: pass it on readably rather than lose it (the failure is the answer).
        record = undefined;
      }
      out += isRecord(record) ? `${formatLogRecord(record, this.#options)}\n` : `${escapeUnsafe(text)}\n`;
    }
    if (out !== "") this.#sink.write(out);
  }
}

/** `key=value` for a scalar or an array; one `key.sub=value` per leaf of an object. */
function pushField(fields: string[], key: string, value: unknown): void {
  if (value === undefined) return;
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) fields.push(`${key}={}`);
    for (const [sub, inner] of entries) pushField(fields, `${key}.${sub}`, inner);
    return;
  }
  fields.push(`${escapeUnsafe(key)}=${render(value)}`);
}

function render(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) return escapeUnsafe(JSON.stringify(value));
  return String(value);
}

/** A string as is when it reads unambiguously; otherwise JSON-quoted (spaces, quotes, `=`, empty). */
function quote(text: string): string {
  if (text !== "" && !/[\s"'=\\]/.test(text) && !HAS_UNSAFE.test(text)) return text;
  return escapeUnsafe(JSON.stringify(text));
}

function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `HH:MM:SS.mmm` in local time: a person at a terminal reads their own clock. */
function clockTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSerialisedError(value: unknown): value is { message: string; stack?: unknown } & Record<string, unknown> {
  return isRecord(value) && typeof value.message === "string";
}
