/**
 * Keeps the command history across reloads (issue 9) in the browser's storage under
 * `loom.history`: at most {@link MAX_STORED_HISTORY} lines, and never a secret. A line typed
 * while echo was off (a password prompt) and a `connect`/`create` line (they carry the password)
 * are never remembered, in memory or in storage. Pure over a Storage-like interface
 * (test/web/history-store.test.ts).
 */

/** The part of the Web Storage API used here; `localStorage` is one. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The storage key of the history. */
export const HISTORY_KEY = "loom.history";

/** Most lines kept in storage (and in memory). */
export const MAX_STORED_HISTORY = 200;

/** Longest line kept: the server refuses longer ones anyway (hardening L2, 2 KiB). */
export const MAX_STORED_LINE = 2048;

/** Login words whose line carries a password. */
const SECRET_VERBS: ReadonlySet<string> = new Set(["connect", "create"]);

/**
 * Whether a sent line may be remembered: not blank, not typed with echo off, not a
 * `connect`/`create` line, not absurdly long.
 */
export function mayRemember(line: string, echoOn: boolean): boolean {
  if (!echoOn) return false;
  const trimmed = line.trim();
  if (trimmed === "" || line.length > MAX_STORED_LINE) return false;
  const verb = trimmed.split(/\s+/, 1)[0]?.toLowerCase() ?? "";
  return !SECRET_VERBS.has(verb);
}

/**
 * The stored history, oldest first. Anything unreadable (storage disabled, not JSON, not an
 * array of strings, a stored secret from an older page) is skipped, never thrown.
 */
export function loadHistory(storage: KeyValueStorage | undefined): string[] {
  let raw: string | null = null;
  try {
    raw = storage?.getItem(HISTORY_KEY) ?? null;
  } catch {
    return []; // Storage can throw (SecurityError) when the browser forbids it for this page.
  }
  if (raw === null) return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const lines = value.filter((entry): entry is string => typeof entry === "string" && mayRemember(entry, true));
  return lines.slice(-MAX_STORED_HISTORY);
}

/** Stores the history (the newest {@link MAX_STORED_HISTORY}); a full or forbidden storage is ignored. */
export function saveHistory(storage: KeyValueStorage | undefined, lines: readonly string[]): void {
  try {
    storage?.setItem(HISTORY_KEY, JSON.stringify(lines.slice(-MAX_STORED_HISTORY)));
  } catch {
    // QuotaExceededError or SecurityError: history is a convenience, the game goes on.
  }
}
