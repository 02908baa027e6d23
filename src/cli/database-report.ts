/**
 * How `loom backup` and `loom restore` describe a database and a failure to the operator: sizes
 * in bytes and KiB or MiB, a schema version against this Loom's, and an error as the system
 * or SQLite put it.
 */
import Database from "better-sqlite3";

/** `1,234,567 bytes (1.2 MiB)`. */
export function byteSize(bytes: number): string {
  const exact = `${bytes.toLocaleString("en-US")} bytes`;
  if (bytes < 1024) return exact;
  const [size, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "KiB"] : [bytes / (1024 * 1024), "MiB"];
  return `${exact} (${size.toFixed(1)} ${unit})`;
}

/**
 * What a database's schema version means for this Loom, as a parenthesis after the number:
 * nothing when they match; an older one is migrated by the server when it starts on it
 * (src/store/migrations.ts); a newer one makes this Loom's server refuse to start
 * (`schema-too-new`).
 */
export function schemaNote(version: number, current: number): string {
  if (version === current) return " (this Loom's own)";
  if (version < current) return ` (older than this Loom's ${current}: the server migrates it when it starts on it)`;
  return ` (newer than this Loom's ${current}: only a Loom that knows version ${version} can run it)`;
}

/** An error's message as the file system or SQLite gave it, with SQLite's code. */
export function systemMessage(error: unknown): string {
  if (error instanceof Database.SqliteError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
