/**
 * `loom backup <file>` (src/cli/commands.ts, issue 10): a consistent copy of the database,
 * taken while the server runs (or not), through SQLite's online backup API
 * (src/store/database-backup.ts). The copy is written under a temporary name beside <file>,
 * checked with `PRAGMA integrity_check`, and only then renamed to <file>: a backup that
 * failed, or was killed halfway, never sits under the name the operator will restore from.
 */
import fs from "node:fs";
import path from "node:path";
import { copyLiveDatabase, CURRENT_SCHEMA_VERSION, inspectDatabase, type DatabaseInspection } from "../store/database-backup.js";
import { createPrivateFile, exists, partialName, removeDatabaseFiles, syncDirectory, syncFile } from "../store/database-files.js";
import { COMPANION_SUFFIXES } from "../store/sqlite-store.js";
import { ExitStatus, shown, type CliIo } from "./cli-io.js";
import { DATABASE_FILE, readConfig } from "./cli-setup.js";
import type { CommandArgs } from "./command.js";
import { byteSize, schemaNote, systemMessage } from "./database-report.js";

/** Runs `loom backup` with its parsed arguments. */
export async function runBackup({ positionals: [file = ""], options, config }: CommandArgs, io: CliIo): Promise<ExitStatus> {
  const settings = readConfig(io, "backup", config);
  if (settings === undefined) return ExitStatus.failed;
  const fail = (message: string): ExitStatus => {
    io.err(`loom backup: ${message}\n`);
    return ExitStatus.failed;
  };
  const dataDir = settings.dataDir;
  const source = path.join(dataDir, DATABASE_FILE);
  const target = path.resolve(io.cwd, file);
  const force = options["force"] === true;

  // The source first: a wrong data directory is the likeliest mistake, and says the most.
  if (!exists(dataDir)) return fail(`there is no data directory ${shown(io, dataDir)}; is dataDir (--config, LOOM_DATA_DIR) the server's?`);
  if (!exists(source)) return fail(`there is no database in ${shown(io, dataDir)} (no ${DATABASE_FILE}); is dataDir (--config, LOOM_DATA_DIR) the server's?`);
  if ([source, ...COMPANION_SUFFIXES.map((suffix) => source + suffix)].some((live) => sameFile(live, target))) {
    return fail(`${shown(io, target)} is the live database or one of its files; name a file outside the data directory.`);
  }
  if (file.endsWith("/") || isDirectory(target)) return fail(`${shown(io, target)} is a directory; name the backup file, e.g. ${shown(io, path.join(target, "loom-backup.db"))}.`);
  if (exists(target) && !force) return fail(`${shown(io, target)} already exists; use --force to replace it, or name a new file.`);

  const dir = path.dirname(target);
  const partial = partialName(target);
  try {
    // Private, like the data directory itself (sqlite-store.ts): a backup holds password hashes.
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    createPrivateFile(partial);
  } catch (error) {
    return fail(`cannot write in ${shown(io, dir)}: ${systemMessage(error)}`);
  }

  const nothing = `Nothing was written to ${shown(io, target)}.`;
  let placed = false;
  try {
    const started = performance.now();
    let copied: number;
    try {
      copied = (await copyLiveDatabase(source, partial)).pages;
    } catch (error) {
      // SQLite's refusals (not a database, unreadable, locked too long) and the file system's.
      if (!(error instanceof Error)) throw error;
      return fail(`cannot copy ${shown(io, source)}: ${systemMessage(error)}. ${nothing}`);
    }
    let check: DatabaseInspection;
    try {
      check = inspectDatabase(partial);
    } catch (error) {
      // SQLITE_CORRUPT: too damaged for integrity_check even to list what is wrong.
      if (!(error instanceof Error)) throw error;
      return fail(`the copy of ${shown(io, source)} cannot be checked, so the database itself is damaged: ${systemMessage(error)}. ${nothing}`);
    }
    if (check.problems.length > 0) {
      return fail(`the copy of ${shown(io, source)} fails integrity_check, so the database itself is damaged. ${nothing} SQLite says:\n  ${check.problems.join("\n  ")}`);
    }
    syncFile(partial);
    // --force replaces; without it, a file that appeared while the copy was made is kept.
    if (!force && exists(target)) return fail(`${shown(io, target)} appeared while the backup was made; it was left alone.`);
    fs.renameSync(partial, target);
    placed = true;
    syncDirectory(dir);
    const seconds = (performance.now() - started) / 1000;
    const bytes = fs.statSync(target).size;
    io.out(
      `Backed up ${shown(io, source)} to ${shown(io, target)}: ${copied} pages, ${byteSize(bytes)}, in ${seconds.toFixed(2)} s.\n` +
        `The copy passed integrity_check. Schema version ${check.schemaVersion}${schemaNote(check.schemaVersion, CURRENT_SCHEMA_VERSION)}.\n`,
    );
    return ExitStatus.ok;
  } finally {
    if (!placed) removeDatabaseFiles(partial);
  }
}

/** Whether `a` and `b` name the same file, by path or (when both exist) by inode. */
function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const [x, y] = [fs.statSync(a), fs.statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
