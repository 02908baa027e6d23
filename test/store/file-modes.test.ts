/**
 * Issue 5 item 13, the store half: the database holds password hashes, and it, its WAL and its
 * shared-memory file were created 0644 whenever the data directory already existed (a Docker
 * volume, an operator's mkdir), because only a directory Loom creates itself is made 0700.
 * Checked on disk under umask 022 with a pre-existing 0755 directory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite-store.js";

let dir: string;
let previousUmask: number;
const toClose: { close(): void }[] = [];

beforeEach(() => {
  // Vitest runs this file in a forked process (pool: forks), where the umask may be set.
  previousUmask = process.umask(0o022);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-modes-"));
  fs.chmodSync(dir, 0o755);
});

afterEach(() => {
  for (const c of toClose.splice(0)) c.close();
  process.umask(previousUmask);
  fs.rmSync(dir, { recursive: true, force: true });
});

function modeOf(file: string): string {
  return (fs.statSync(file).mode & 0o777).toString(8).padStart(4, "0");
}

function open(): SqliteStore {
  const store = openSqliteStore({ dataDir: dir });
  toClose.push(store);
  return store;
}

describe("issue 5 item 13: the database, WAL and SHM files are private whatever the umask and directory mode", () => {
  it("a new database in an existing 0755 directory: all three files are 0600", () => {
    const store = open();
    store.createPlayer({ key: "ana", name: "Ana", passwordHash: "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", room: "square", now: 1 });
    const file = path.join(dir, "loom.db");
    // While the store is open, SQLite keeps the WAL and its index beside the database.
    expect(fs.existsSync(`${file}-wal`) && fs.existsSync(`${file}-shm`)).toBe(true);
    expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual(["0600", "0600", "0600"]);
    // The directory is the operator's: left as it was.
    expect(modeOf(dir)).toBe("0755");
  });

  it("files an older version left 0644 are made 0600 when the store opens", () => {
    const file = path.join(dir, "loom.db");
    // Another connection makes all three files the old way (0644 under umask 022) and keeps
    // them open, so the WAL and SHM are still there when the store opens.
    const old = new Database(file);
    toClose.push(old);
    old.pragma("journal_mode = WAL");
    old.exec("CREATE TABLE leftover (x); INSERT INTO leftover VALUES (1);");
    expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual(["0644", "0644", "0644"]);

    open();
    expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual(["0600", "0600", "0600"]);
  });
});
