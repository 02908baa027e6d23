/**
 * The global connection cap (hardening F5) when `limits.maxConnections` is `auto` (issue 11):
 * every socket is a file descriptor, so the cap that fits is the process's soft file limit
 * (RLIMIT_NOFILE) less what the rest of the process needs — the SQLite database and its WAL,
 * the listeners, the log, the hashing threads, a static file being streamed. Past the file
 * limit `accept` fails with EMFILE; below it, at the cap, a newcomer is refused politely and
 * counted, which is the behaviour an operator can plan around.
 *
 * Node has no call for getrlimit, so on Linux the soft limit is read from /proc/self/limits;
 * elsewhere, or when it cannot be read or says `unlimited`, the cap falls back to
 * {@link FALLBACK_MAX_CONNECTIONS} and says why. The computation is a pure function of that
 * text, so every case is tested with sample texts; only {@link readProcessLimits} touches a file.
 */
import { readFileSync } from "node:fs";

/** The cap when the file limit is unknown: the value `limits.maxConnections` had before `auto`. */
export const FALLBACK_MAX_CONNECTIONS = 5000;

/** The most `auto` picks: the schema's own maximum for a number. */
export const MAX_AUTO_CONNECTIONS = 1_000_000;

/**
 * Descriptors kept back from the file limit: 5% of it, at least 256, at most half of it (so a
 * tiny limit still leaves room for players). At this machine's 20,000: 1,000, a cap of 19,000.
 */
export function fileHeadroom(fileLimit: number): number {
  return Math.min(Math.floor(fileLimit / 2), Math.max(256, Math.ceil(fileLimit * 0.05)));
}

/** Where the cap came from, for the boot log and the bench. */
export const ConnectionCapSources = ["config", "file-limit", "fallback"] as const;
/** One of {@link ConnectionCapSources}. */
export type ConnectionCapSource = (typeof ConnectionCapSources)[number];

/** The cap chosen at boot, and why. */
export interface ConnectionCap {
  /** Connections allowed at once, on every door together. */
  readonly max: number;
  /** `config`: a number in the configuration; `file-limit`: `auto` from the soft RLIMIT_NOFILE; `fallback`: `auto` without one. */
  readonly source: ConnectionCapSource;
  /** The soft file limit, when it was read: a number, or `unlimited`. */
  readonly fileLimit: number | "unlimited" | undefined;
  /** One sentence for the operator: how the number was reached. */
  readonly reason: string;
  /** Set when the operator should act: the limit was unknown, or a configured cap is above what it allows. */
  readonly warning: string | undefined;
}

/**
 * The soft "Max open files" of a /proc/<pid>/limits text: a number, `unlimited`, or undefined
 * when the line is missing or unreadable.
 */
export function softFileLimit(procLimits: string): number | "unlimited" | undefined {
  const match = /^Max open files\s+(\S+)\s+\S+/m.exec(procLimits);
  const soft = match?.[1];
  if (soft === undefined) return undefined;
  if (soft === "unlimited") return "unlimited";
  if (!/^\d+$/.test(soft)) return undefined;
  const value = Number(soft);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * The cap for `setting` (`limits.maxConnections`) given the text of /proc/self/limits, or
 * undefined when it could not be read. A number is kept as it is (the operator decided), with a
 * warning when the file limit would run out first.
 */
export function connectionCap(setting: number | "auto", procLimits: string | undefined): ConnectionCap {
  const fileLimit = procLimits === undefined ? undefined : softFileLimit(procLimits);
  if (setting !== "auto") {
    const allowed = typeof fileLimit === "number" ? fileLimit - fileHeadroom(fileLimit) : undefined;
    return {
      max: setting,
      source: "config",
      fileLimit,
      reason: "limits.maxConnections",
      warning:
        allowed !== undefined && setting > allowed
          ? `limits.maxConnections (${setting}) is above what the file limit (${fileLimit}) leaves after headroom (${allowed}): past it, accepts fail with EMFILE (F5); raise ulimit -n or use auto`
          : undefined,
    };
  }
  if (typeof fileLimit === "number") {
    const headroom = fileHeadroom(fileLimit);
    const max = Math.max(1, Math.min(MAX_AUTO_CONNECTIONS, fileLimit - headroom));
    return {
      max,
      source: "file-limit",
      fileLimit,
      reason: `auto: soft RLIMIT_NOFILE ${fileLimit} less ${headroom} for the database, listeners, logs and threads`,
      warning: undefined,
    };
  }
  const why =
    procLimits === undefined
      ? "/proc/self/limits could not be read (not Linux?)"
      : fileLimit === "unlimited"
        ? "the file limit reads unlimited"
        : "/proc/self/limits has no readable Max open files line";
  return {
    max: FALLBACK_MAX_CONNECTIONS,
    source: "fallback",
    fileLimit,
    reason: `auto: ${why}, so ${FALLBACK_MAX_CONNECTIONS}`,
    warning: `limits.maxConnections is auto but ${why}: using ${FALLBACK_MAX_CONNECTIONS}; set a number below the process's file limit`,
  };
}

/** This process's /proc/self/limits, or undefined where there is none (not Linux) or it cannot be read. */
export function readProcessLimits(): string | undefined {
  try {
    return readFileSync("/proc/self/limits", "utf8");
  } catch {
    return undefined;
  }
}
