/**
 * The SQLite side of backups and restores (issue 10): an online copy of a database that a
 * running server is writing, a check of a copy before anyone relies on it, and a test of
 * whether a server holds a database open. None of it runs migrations or changes the live
 * database: the server that owns it may be an older or a newer Loom than this one.
 */
import Database from "better-sqlite3";
import { MIGRATIONS, schemaVersion } from "./migrations.js";

/**
 * How long a backup waits for a read lock on the live database before it gives up, in ms.
 * In WAL mode a reader waits only while another connection recovers or resets the WAL,
 * which takes milliseconds; ten seconds means something else holds the file exclusively.
 */
export const BACKUP_BUSY_LIMIT_MS = 10_000;

/** The schema version this build of Loom brings a database to: the last migration's. */
export const CURRENT_SCHEMA_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;

/** A backup step size that means "every page that is left". */
const ALL_PAGES = 2 ** 31 - 1;

/** What {@link copyLiveDatabase} copied. */
export interface CopyReport {
  /** Pages in the copy; each is `pageSize` bytes. */
  readonly pages: number;
}

/**
 * Copies the database `source` into `target`, an empty file the caller made (so it chose the
 * file's mode: a copy holds password hashes), with SQLite's online backup API
 * (`sqlite3_backup_*`, through better-sqlite3's `db.backup`).
 *
 * `source` is opened read-only and must exist: the copy never creates a database, never runs
 * migrations and never writes to the live file, so it is safe beside a running server of any
 * version. In WAL mode the server's writes go on meanwhile, and the copy is the database as of
 * one committed moment.
 *
 * All pages are copied in one backup step. better-sqlite3 copies 100 pages per event-loop turn
 * by default, releasing the read lock between turns, and SQLite restarts a backup from page 1
 * whenever another connection commits between steps (the sqlite3_backup_step documentation).
 * Measured on the 2-core test machine (Node 20, a 47 MiB loom.db, another process committing
 * in a loop): 100 pages a step restarted 11,272 times and finished only when the writer
 * stopped, 7.7 s later; one step took 0.95 s with the writer running (0.29 s without). One
 * step holds one read transaction, which in WAL mode does not block the server's writers; the
 * WAL only grows until the step ends, since a checkpoint cannot pass an open reader.
 *
 * Throws better-sqlite3's SqliteError when `source` is not a database (`SQLITE_NOTADB`) or
 * cannot be read, and an Error after {@link BACKUP_BUSY_LIMIT_MS} of being refused a lock.
 */
export async function copyLiveDatabase(source: string, target: string): Promise<CopyReport> {
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: BACKUP_BUSY_LIMIT_MS });
  try {
    const started = Date.now();
    const done = await db.backup(target, {
      // Called after each step with what is left; the answer is the size of the next step.
      // The first step (better-sqlite3's) copies nothing: it only counts the pages.
      progress: () => {
        // A step that found the database locked (SQLITE_BUSY) copied nothing and comes back here.
        if (Date.now() - started > BACKUP_BUSY_LIMIT_MS) {
          throw new Error(`the database stayed locked for ${BACKUP_BUSY_LIMIT_MS / 1000} s; is another program holding it exclusively?`);
        }
        // All of it in the next step (better-sqlite3 caps the answer at 2^31 - 1 pages).
        return ALL_PAGES;
      },
    });
    return { pages: done.totalPages };
  } finally {
    db.close();
  }
}

/** What {@link inspectDatabase} found in a database file. */
export interface DatabaseInspection {
  /** `PRAGMA integrity_check`'s complaints; empty when it answered "ok". */
  readonly problems: readonly string[];
  /** The highest migration it records; 0 when it has no `schema_migrations` table (not Loom's). */
  readonly schemaVersion: number;
  readonly pages: number;
  readonly pageSize: number;
}

/** How many of integrity_check's complaints are kept: the first few say what is wrong. */
const LISTED_PROBLEMS = 10;

/**
 * Opens `file`, a private copy (a backup just written, or a backup being restored), takes it
 * out of WAL mode so that it is one self-contained file with no `-wal` or `-shm` beside it,
 * and runs `PRAGMA integrity_check`. Only ever called on a copy nobody else has open: the
 * journal-mode change writes to it. Migrations are not run: the server does that at start.
 *
 * Throws better-sqlite3's SqliteError when `file` is not a SQLite database (`SQLITE_NOTADB`)
 * or is too damaged to open (`SQLITE_CORRUPT`).
 */
export function inspectDatabase(file: string): DatabaseInspection {
  const db = new Database(file, { fileMustExist: true, timeout: BACKUP_BUSY_LIMIT_MS });
  try {
    // A backup of a WAL database says "WAL" in its header, so the first open would make a
    // -wal and a -shm beside it; DELETE mode checkpoints and removes them on the spot.
    db.pragma("journal_mode = DELETE");
    const answers = db.pragma(`integrity_check(${LISTED_PROBLEMS})`) as { integrity_check: string }[];
    const problems = answers.map((row) => row.integrity_check).filter((text) => text !== "ok");
    return {
      problems,
      schemaVersion: schemaVersion(db),
      pages: Number(db.pragma("page_count", { simple: true })),
      pageSize: Number(db.pragma("page_size", { simple: true })),
    };
  } finally {
    db.close();
  }
}

/** Whether a process has a database open, as {@link probeDatabaseUse} can tell. */
export type DatabaseUse = "in-use" | "free";

/**
 * Whether another connection (a running server, a `sqlite3` shell) has `file` open, found by
 * asking for an exclusive lock without waiting: `locking_mode = EXCLUSIVE` makes even a WAL
 * connection lock the file itself, and every other open WAL connection, idle or not, holds a
 * lock that refuses it with SQLITE_BUSY (checked against an idle server process in
 * test/cli/backup-restore.test.ts). When it is free, closing this connection checkpoints the WAL
 * into the file, so that what is moved aside is complete.
 *
 * A file SQLite cannot read (not a database, damaged) counts as free: nothing can be using it
 * as a database, and a restore is how it gets replaced.
 */
export function probeDatabaseUse(file: string): DatabaseUse {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch (error) {
    if (error instanceof Database.SqliteError) return busy(error) ? "in-use" : "free";
    throw error;
  }
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE; COMMIT");
    return "free";
  } catch (error) {
    if (error instanceof Database.SqliteError) return busy(error) ? "in-use" : "free";
    throw error;
  } finally {
    db.close();
  }
}

function busy(error: InstanceType<typeof Database.SqliteError>): boolean {
  return error.code.startsWith("SQLITE_BUSY") || error.code.startsWith("SQLITE_LOCKED");
}
