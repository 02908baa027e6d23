/**
 * What `loom backup` refuses (src/cli/backup.ts; issue 10), run in this process through
 * `runCli` with the test's own streams: each refusal exits 1 with one message on stderr and
 * leaves no file behind, neither under the backup's name nor under its temporary one; the
 * live database is never created, changed or replaced. The backup of a running server, on
 * real processes, is in backup.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { processResources } from "../process/support/process-resources.js";
import { runCliHere as loom, type CliRun as Run } from "./support/run-cli-here.js";
import { damage } from "./support/damaged-database.js";

const { tempDir } = processResources({
  build: false,
  // Undo the unwritable directory's mode, or it cannot be removed by a non-root runner.
  beforeRemove: (dir) => {
    for (const entry of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, entry), 0o700);
  },
});

/** A data directory with a small Loom database in it, as a stopped server leaves it. */
function dataDirWithDatabase(): string {
  const dataDir = tempDir("loom-backup-data");
  const store = openSqliteStore({ dataDir });
  store.createPlayer({ key: "alice", name: "Alice", passwordHash: "not-a-real-hash", room: "square", now: 0 });
  store.close();
  return dataDir;
}

/** `text` as a pattern that matches it literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function failed(run: Run, message: string): void {
  expect(run).toEqual({ status: 1, stdout: "", stderr: `loom backup: ${message}\n` });
}

describe("loom backup refuses", () => {
  it("a file that exists, without --force, and leaves it as it was; --force replaces it", async () => {
    const dataDir = dataDirWithDatabase();
    const out = tempDir("loom-backup-out");
    const file = path.join(out, "monday.db");
    fs.writeFileSync(file, "last week's backup");
    failed(await loom(["backup", file], { LOOM_DATA_DIR: dataDir }), `${file} already exists; use --force to replace it, or name a new file.`);
    expect(fs.readFileSync(file, "utf8")).toBe("last week's backup");
    expect(fs.readdirSync(out)).toEqual(["monday.db"]);

    const forced = await loom(["backup", file, "--force"], { LOOM_DATA_DIR: dataDir });
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(/^Backed up /);
    expect(fs.readdirSync(out)).toEqual(["monday.db"]);
    const copy = new Database(file, { readonly: true });
    try {
      expect(copy.prepare("SELECT name FROM players").pluck().all()).toEqual(["Alice"]);
      // Out of WAL mode: one self-contained file, nothing needed beside it.
      expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
    } finally {
      copy.close();
    }
  });

  it("a data directory that does not exist, or holds no database, and makes neither", async () => {
    const out = tempDir("loom-backup-out");
    const file = path.join(out, "sub", "backup.db");
    const missing = path.join(out, "no-such-data");
    failed(
      await loom(["backup", file], { LOOM_DATA_DIR: missing }),
      `there is no data directory ${missing}; is dataDir (--config, LOOM_DATA_DIR) the server's?`,
    );
    const empty = tempDir("loom-backup-empty");
    failed(
      await loom(["backup", file], { LOOM_DATA_DIR: empty }),
      `there is no database in ${empty} (no loom.db); is dataDir (--config, LOOM_DATA_DIR) the server's?`,
    );
    expect(fs.readdirSync(empty)).toEqual([]);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it("a directory it cannot write in, leaving nothing", async () => {
    const dataDir = dataDirWithDatabase();
    // Root writes through any mode bits; /sys refuses new files to everyone.
    const root = process.getuid?.() === 0;
    const dir = root ? "/sys" : path.join(tempDir("loom-backup-out"), "locked");
    if (!root) fs.mkdirSync(dir, { mode: 0o500 });
    const run = await loom(["backup", path.join(dir, "backup.db")], { LOOM_DATA_DIR: dataDir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^loom backup: cannot write in ${literal(dir)}: EACCES: permission denied, open '${literal(dir)}/\\.backup\\.db\\.\\d+\\.partial'\\n$`));
    if (!root) expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("a path that is a directory, or the live database itself", async () => {
    const dataDir = dataDirWithDatabase();
    const out = tempDir("loom-backup-out");
    failed(await loom(["backup", out], { LOOM_DATA_DIR: dataDir }), `${out} is a directory; name the backup file, e.g. ${path.join(out, "loom-backup.db")}.`);
    const before = fs.readFileSync(path.join(dataDir, "loom.db"));
    for (const live of ["loom.db", "loom.db-wal"]) {
      failed(
        await loom(["backup", path.join(dataDir, live), "--force"], { LOOM_DATA_DIR: dataDir }),
        `${path.join(dataDir, live)} is the live database or one of its files; name a file outside the data directory.`,
      );
    }
    expect(fs.readFileSync(path.join(dataDir, "loom.db")).equals(before)).toBe(true);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it("a data directory whose loom.db is not a database, leaving no temporary file and the file as it was", async () => {
    const dataDir = tempDir("loom-backup-data");
    fs.writeFileSync(path.join(dataDir, "loom.db"), "this is not SQLite\n".repeat(400));
    const out = tempDir("loom-backup-out");
    const file = path.join(out, "backup.db");
    failed(
      await loom(["backup", file], { LOOM_DATA_DIR: dataDir }),
      `cannot copy ${path.join(dataDir, "loom.db")}: file is not a database (SQLITE_NOTADB). Nothing was written to ${file}.`,
    );
    expect(fs.readdirSync(out)).toEqual([]);
    expect(fs.readFileSync(path.join(dataDir, "loom.db"), "utf8")).toBe("this is not SQLite\n".repeat(400));
  });

  it.each([
    ["listed", "fails integrity_check, so the database itself is damaged. Nothing was written to FILE SQLite says:\n  row \\d+ missing from index filler_by_text"],
    ["unreadable", "cannot be checked, so the database itself is damaged: database disk image is malformed \\(SQLITE_CORRUPT\\)\\. Nothing was written to FILE"],
  ] as const)("a damaged database (%s): the copy fails integrity_check and is removed", async (how, message) => {
    const dataDir = tempDir("loom-backup-data");
    damage(path.join(dataDir, "loom.db"), how);
    const out = tempDir("loom-backup-out");
    const file = path.join(out, "backup.db");
    const run = await loom(["backup", file], { LOOM_DATA_DIR: dataDir });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    const pattern = `^loom backup: the copy of ${literal(path.join(dataDir, "loom.db"))} ${message.replace("FILE", `${literal(file)}\\.`)}`;
    expect(run.stderr).toMatch(new RegExp(pattern));
    expect(fs.readdirSync(out)).toEqual([]);
  });
});

describe("loom backup reads the configuration as the server does", () => {
  it("finds the data directory through --config", async () => {
    const dataDir = dataDirWithDatabase();
    const configDir = tempDir("loom-backup-config");
    const config = path.join(configDir, "loom.yaml");
    fs.writeFileSync(config, `dataDir: ${JSON.stringify(dataDir)}\n`);
    const run = await loom(["backup", path.join(configDir, "copy.db"), "--config", config], {});
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Backed up ${path.join(dataDir, "loom.db")} to ${path.join(configDir, "copy.db")}: `);
    expect(fs.readdirSync(configDir).sort()).toEqual(["copy.db", "loom.yaml"]);
  });

  it("a missing <file> or an unknown option is a usage error, exit status 2", async () => {
    expect(await loom(["backup"], {})).toEqual({
      status: 2,
      stdout: "",
      stderr: "loom backup: missing <file>\nUsage: loom backup <file> [--force] [--config <file>]\nRun `loom backup --help` for more.\n",
    });
    expect((await loom(["backup", "x.db", "--overwrite"], {})).status).toBe(2);
  });
});
