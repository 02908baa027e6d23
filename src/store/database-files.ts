/**
 * The database file and its companions (`-wal`, `-shm`, `-journal`) on disk, as backups and
 * restores handle them (issue 10): a copy is written under a temporary name and renamed into
 * place only once it is whole and checked, so a failed run never leaves half a file under
 * the name an operator will trust; and a database is moved or removed together with its
 * companions, because a WAL left beside a different database would be replayed into it.
 */
import fs from "node:fs";
import path from "node:path";
import { COMPANION_SUFFIXES } from "./sqlite-store.js";

/**
 * A new, empty file at `file`, readable by the owner only (0600, past the umask): a copy of
 * the database holds password hashes (issue 5 item 13), and SQLite keeps a file's mode when it
 * writes into it. Fails with EEXIST rather than reuse a file, and never follows a symlink.
 */
export function createPrivateFile(file: string): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The temporary name a copy is written under before it becomes `target`: hidden, in the same
 * directory (so the final rename is atomic, never a copy across filesystems), and naming the
 * process, so that a file left by a killed run says what it is and whose it was.
 */
export function partialName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
}

/** How much {@link copyInto} reads and writes at a time. */
const COPY_CHUNK_BYTES = 1 << 20;

/**
 * Copies `source`'s bytes into `target`, a file made by {@link createPrivateFile}, keeping the
 * target's mode. (`fs.copyFileSync` would give it the source's mode, perhaps 0644, for a
 * moment or for good.)
 */
export function copyInto(source: string, target: string): void {
  const input = fs.openSync(source, "r");
  try {
    const output = fs.openSync(target, "w");
    try {
      const chunk = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
      for (let read = fs.readSync(input, chunk); read > 0; read = fs.readSync(input, chunk)) {
        for (let written = 0; written < read; ) written += fs.writeSync(output, chunk, written, read - written);
      }
    } finally {
      fs.closeSync(output);
    }
  } finally {
    fs.closeSync(input);
  }
}

/** `file` and its companions that exist, in the order {@link COMPANION_SUFFIXES} names them. */
export function existingDatabaseFiles(file: string): string[] {
  return [file, ...COMPANION_SUFFIXES.map((suffix) => file + suffix)].filter((name) => exists(name));
}

/** Removes `file` and its companions; those already gone are no error. */
export function removeDatabaseFiles(file: string): void {
  for (const name of [file, ...COMPANION_SUFFIXES.map((suffix) => file + suffix)]) fs.rmSync(name, { force: true });
}

/**
 * Renames `file` and each companion it has to `aside` (plus the same suffix), so that SQLite
 * opens the moved database with its own WAL. Returns the new names.
 */
export function moveDatabaseFiles(file: string, aside: string): string[] {
  const moved: string[] = [];
  for (const suffix of ["", ...COMPANION_SUFFIXES]) {
    if (!exists(file + suffix)) continue;
    fs.renameSync(file + suffix, aside + suffix);
    moved.push(aside + suffix);
  }
  return moved;
}

/**
 * Flushes `file`'s data to the disk, then the directory's entry for it after a rename: until
 * both are synced, a power cut could leave the old name or an empty file (rename(2) orders
 * nothing by itself).
 */
export function syncFile(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a directory's entries (see {@link syncFile}). */
export function syncDirectory(dir: string): void {
  syncFile(dir);
}

/** Whether anything (a file, a directory, a dangling symlink) has the name `file`. */
export function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
