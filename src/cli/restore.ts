/**
 * `loom restore <file>` (src/cli/commands.ts, issue 10): a backup made by `loom backup` (or
 * any copy of a Loom database) becomes the database in the data directory, with the server
 * stopped. The backup is copied into the data directory under a temporary name and checked
 * there (a SQLite database, integrity_check, a schema version this Loom can run) before
 * anything already in the data directory is touched; the backup file itself is only read.
 * A database already there is refused without `--force`, and with it moved aside under a
 * timestamped name, never deleted.
 */
import fs from "node:fs";
import path from "node:path";
import { CURRENT_SCHEMA_VERSION, inspectDatabase, probeDatabaseUse, type DatabaseInspection } from "../store/database-backup.js";
import {
  copyInto,
  createPrivateFile,
  exists,
  existingDatabaseFiles,
  moveDatabaseFiles,
  partialName,
  removeDatabaseFiles,
  syncDirectory,
  syncFile,
} from "../store/database-files.js";
import { COMPANION_SUFFIXES } from "../store/sqlite-store.js";
import { ExitStatus, shown, type CliIo } from "./cli-io.js";
import { DATABASE_FILE, readConfig } from "./cli-setup.js";
import type { CommandArgs } from "./command.js";
import { byteSize, schemaNote, systemMessage } from "./database-report.js";

/** Runs `loom restore` with its parsed arguments. */
export function runRestore({ positionals: [file = ""], options, config }: CommandArgs, io: CliIo): ExitStatus {
  const settings = readConfig(io, "restore", config);
  if (settings === undefined) return ExitStatus.failed;
  const fail = (message: string): ExitStatus => {
    io.err(`loom restore: ${message}\n`);
    return ExitStatus.failed;
  };
  const dataDir = settings.dataDir;
  const live = path.join(dataDir, DATABASE_FILE);
  const backup = path.resolve(io.cwd, file);
  const force = options["force"] === true;

  let stat: fs.Stats;
  try {
    stat = fs.statSync(backup);
  } catch (error) {
    return fail(`cannot read ${shown(io, backup)}: ${systemMessage(error)}`);
  }
  if (!stat.isFile()) return fail(`${shown(io, backup)} is not a file; name a backup made by \`loom backup\`.`);
  if ([live, ...COMPANION_SUFFIXES.map((suffix) => live + suffix)].some((name) => path.resolve(name) === backup)) {
    return fail(`${shown(io, backup)} is the database in the data directory itself; name a backup.`);
  }
  const occupying = existingDatabaseFiles(live);
  if (occupying.length > 0 && !force) {
    return fail(
      `${shown(io, dataDir)} already holds a database (${occupying.map((name) => path.basename(name)).join(", ")}). ` +
        "Stop the server, then use --force to move it aside first, or restore into an empty data directory.",
    );
  }

  const partial = partialName(live);
  try {
    // Private, as the server makes it (sqlite-store.ts): the database holds password hashes.
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    createPrivateFile(partial);
  } catch (error) {
    return fail(`cannot write in ${shown(io, dataDir)}: ${systemMessage(error)}`);
  }
  let placed = false;
  try {
    try {
      copyInto(backup, partial);
    } catch (error) {
      return fail(`cannot copy ${shown(io, backup)} into ${shown(io, dataDir)}: ${systemMessage(error)}\nNothing was changed.`);
    }
    let check: DatabaseInspection;
    try {
      check = inspectDatabase(partial);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      return fail(`${shown(io, backup)} is not a usable SQLite database: ${systemMessage(error)}.\nNothing was changed.`);
    }
    const refusal = unusable(check);
    if (refusal !== undefined) return fail(`${shown(io, backup)} ${refusal}.\nNothing was changed.`);

    let aside: string[] = [];
    if (occupying.length > 0) {
      // Checked after the backup, so that a bad backup is reported whatever runs; the server
      // must be stopped before its files are moved, or it would go on writing to the moved one.
      if (exists(live) && probeDatabaseUse(live) === "in-use") {
        return fail(`${shown(io, live)} is open in another process (is the server running?); stop it first.\nNothing was changed.`);
      }
      aside = moveDatabaseFiles(live, asideName(live));
    }
    syncFile(partial);
    fs.renameSync(partial, live);
    placed = true;
    syncDirectory(dataDir);
    io.out(summary(io, backup, live, check, aside));
    return ExitStatus.ok;
  } finally {
    if (!placed) removeDatabaseFiles(partial);
  }
}

/** Why a checked copy cannot be restored (completing "<file> ..."), or `undefined` if it can. */
function unusable(check: DatabaseInspection): string | undefined {
  if (check.problems.length > 0) return `is damaged; SQLite's integrity_check says:\n  ${check.problems.join("\n  ")}`;
  if (check.schemaVersion === 0) return "is a SQLite database but not Loom's (it has no schema_migrations table)";
  if (check.schemaVersion > CURRENT_SCHEMA_VERSION) {
    return (
      `is at schema version ${check.schemaVersion}, newer than this Loom's ${CURRENT_SCHEMA_VERSION}, whose server would refuse to start on it; ` +
      "restore it with the Loom that made it, or upgrade Loom first"
    );
  }
  return undefined;
}

/**
 * Where the database already in the data directory goes: `loom-before-restore-<UTC time>.db`
 * beside it, its companions with the same name plus their suffix, so that SQLite opens the
 * moved database with its own WAL. A second restore within the same second gets `-2`.
 */
function asideName(live: string): string {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
  const base = path.join(path.dirname(live), `loom-before-restore-${stamp}`);
  for (let n = 1; ; n++) {
    const name = `${base}${n === 1 ? "" : `-${n}`}.db`;
    if (existingDatabaseFiles(name).length === 0) return name;
  }
}

function summary(io: CliIo, backup: string, live: string, check: DatabaseInspection, aside: readonly string[]): string {
  const lines = [
    `Checked ${shown(io, backup)}: integrity_check passed, ${check.pages} pages, ${byteSize(check.pages * check.pageSize)}, ` +
      `schema version ${check.schemaVersion}${schemaNote(check.schemaVersion, CURRENT_SCHEMA_VERSION)}.`,
  ];
  if (aside.length > 0) lines.push(`Moved the database that was there aside: ${aside.map((name) => shown(io, name)).join(", ")}.`);
  lines.push(`Restored it to ${shown(io, live)}. Start the server to play on it.`);
  return `${lines.join("\n")}\n`;
}
