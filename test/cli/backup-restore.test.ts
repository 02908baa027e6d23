/**
 * What `loom restore` refuses and how it replaces a database (src/cli/restore.ts; issue 10),
 * run in this process through `runCli`: a file that is not a Loom database of a version this
 * Loom can run is refused before the data directory is touched; a data directory that holds
 * a database is refused without --force, and with it while a real server process has the
 * database open; otherwise the database there is moved aside, never deleted. The restore of
 * a backup of a running server, played on, is in backup.test.ts.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS, runMigrations } from "../../src/store/migrations.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { uniqueName } from "../support/names.js";
import { login, play } from "../process/support/line-play.js";
import { ensureBuilt } from "../process/support/loom-process.js";
import { processResources } from "../process/support/process-resources.js";
import { runCliHere, type CliRun } from "./support/run-cli-here.js";
import { damage } from "./support/damaged-database.js";

const { clients, spawn, tempDir } = processResources({ build: false });

/** `loom ...args` in this process, with LOOM_DATA_DIR as the only setting from the environment. */
function loom(args: readonly string[], dataDir: string): Promise<CliRun> {
  return runCliHere(args, { LOOM_DATA_DIR: dataDir });
}

/** A Loom database at `dataDir`/loom.db holding one player, as a stopped server leaves it. */
function databaseWith(dataDir: string, name: string): string {
  const store = openSqliteStore({ dataDir });
  store.createPlayer({ key: name.toLowerCase(), name, passwordHash: "not-a-real-hash", room: "square", now: 0 });
  store.close();
  return path.join(dataDir, "loom.db");
}

function players(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], string>("SELECT name FROM players ORDER BY name").pluck().all();
  } finally {
    db.close();
  }
}

/** Every file under `dir`, with its bytes, to show that a refused restore changed nothing. */
function snapshot(dir: string): Map<string, string> {
  return new Map(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name)).toString("base64")]));
}

describe("loom restore refuses a file that is not a Loom database it can run, and changes nothing", () => {
  const cases: readonly (readonly [what: string, make: (file: string) => void, problem: RegExp])[] = [
    ["text", (file) => fs.writeFileSync(file, "not a database\n".repeat(300)), / is not a usable SQLite database: file is not a database \(SQLITE_NOTADB\)\.\n/],
    ["a damaged database", (file) => damage(file, "listed"), / is damaged; SQLite's integrity_check says:\n {2}row \d+ missing from index filler_by_text\.\n/],
    ["an unreadable database", (file) => damage(file, "unreadable"), / is not a usable SQLite database: database disk image is malformed \(SQLITE_CORRUPT\)\.\n/],
    ["an empty file", (file) => fs.writeFileSync(file, ""), / is a SQLite database but not Loom's \(it has no schema_migrations table\)\.\n/],
    [
      "a newer schema",
      (file) => {
        const db = new Database(file);
        runMigrations(db, MIGRATIONS);
        db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)").run();
        db.close();
      },
      / is at schema version 999, newer than this Loom's \d+, whose server would refuse to start on it; restore it with the Loom that made it, or upgrade Loom first\.\n/,
    ],
  ];

  it.each(cases)("%s", async (_what, make, problem) => {
    const work = tempDir("loom-restore-bad");
    const file = path.join(work, "backup.db");
    make(file);
    const backupBytes = fs.readFileSync(file);
    // Into an empty data directory, and with --force over a real one: both stay as they were.
    const empty = path.join(work, "empty");
    fs.mkdirSync(empty);
    const occupied = path.join(work, "occupied");
    databaseWith(occupied, "Alice");
    const before = snapshot(occupied);
    for (const [dataDir, args] of [[empty, []], [occupied, ["--force"]]] as const) {
      const run = await loom(["restore", file, ...args], dataDir);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr.startsWith(`loom restore: ${file} `), run.stderr).toBe(true);
      expect(run.stderr).toMatch(problem);
      expect(run.stderr.endsWith("Nothing was changed.\n")).toBe(true);
    }
    expect(fs.readdirSync(empty)).toEqual([]);
    expect(snapshot(occupied)).toEqual(before);
    expect(fs.readFileSync(file).equals(backupBytes)).toBe(true);
  });

  it("a file that is not there, a directory, and the live database itself", async () => {
    const dataDir = tempDir("loom-restore-data");
    const live = databaseWith(dataDir, "Alice");
    const missing = path.join(dataDir, "no-such-backup.db");
    expect(await loom(["restore", missing], dataDir)).toEqual({
      status: 1,
      stdout: "",
      stderr: `loom restore: cannot read ${missing}: ENOENT: no such file or directory, stat '${missing}'\n`,
    });
    expect(await loom(["restore", dataDir], dataDir)).toEqual({
      status: 1,
      stdout: "",
      stderr: `loom restore: ${dataDir} is not a file; name a backup made by \`loom backup\`.\n`,
    });
    expect(await loom(["restore", live, "--force"], dataDir)).toEqual({
      status: 1,
      stdout: "",
      stderr: `loom restore: ${live} is the database in the data directory itself; name a backup.\n`,
    });
    expect(players(live)).toEqual(["Alice"]);
  });
});

describe("loom restore into a data directory that holds a database", () => {
  it("refuses without --force; with it, moves the old database and its companions aside and restores", async () => {
    const work = tempDir("loom-restore-force");
    const backup = databaseWith(path.join(work, "then"), "Bob");
    const dataDir = path.join(work, "data");
    const live = databaseWith(dataDir, "Alice");
    // A WAL left by a server killed with -9 belongs to the old database, not the restored one.
    fs.writeFileSync(`${live}-wal`, "");
    const before = snapshot(dataDir);

    expect(await loom(["restore", backup], dataDir)).toEqual({
      status: 1,
      stdout: "",
      stderr:
        `loom restore: ${dataDir} already holds a database (loom.db, loom.db-wal). ` +
        "Stop the server, then use --force to move it aside first, or restore into an empty data directory.\n",
    });
    expect(snapshot(dataDir)).toEqual(before);

    const run = await loom(["restore", backup, "--force"], dataDir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const aside = fs.readdirSync(dataDir).filter((name) => name !== "loom.db");
    expect(aside).toHaveLength(1);
    const [asideName = ""] = aside;
    expect(asideName).toMatch(/^loom-before-restore-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.db$/);
    expect(run.stdout).toContain(`Moved the database that was there aside: ${path.join(dataDir, asideName)}.\n`);
    expect(run.stdout).toContain(`Restored it to ${live}. Start the server to play on it.\n`);
    expect(players(live)).toEqual(["Bob"]);
    expect(players(path.join(dataDir, asideName))).toEqual(["Alice"]);

    // Again: the first one moved aside is kept, the second gets a name of its own.
    expect((await loom(["restore", backup, "--force"], dataDir)).status).toBe(0);
    const databases = fs.readdirSync(dataDir).filter((name) => name.endsWith(".db"));
    expect(databases).toContain(asideName);
    expect(databases.filter((name) => name !== asideName && name !== "loom.db")).toEqual([expect.stringMatching(/^loom-before-restore-.*Z(-2)?\.db$/)]);
  });

  describe("while a real server has it open", () => {
    beforeAll(() => ensureBuilt(), 120_000);

    it("refuses even with --force, moves nothing, and the server plays on", async () => {
      const work = tempDir("loom-restore-live");
      const backup = databaseWith(path.join(work, "then"), "Bob");
      const dataDir = path.join(work, "data");
      const server = spawn({ dataDir });
      const port = (await server.ready()).line;
      const name = uniqueName("stays");
      const player = await login(port, "create", name, "server-keeps-it", clients);
      const before = fs.readdirSync(dataDir).sort();

      expect(await loom(["restore", backup, "--force"], dataDir)).toEqual({
        status: 1,
        stdout: "",
        stderr: `loom restore: ${path.join(dataDir, "loom.db")} is open in another process (is the server running?); stop it first.\nNothing was changed.\n`,
      });
      expect(fs.readdirSync(dataDir).sort()).toEqual(before);
      await play(player, [["east", "The Drowsy Shuttle"]]);
      player.send("quit");
      await player.closed;
      server.signal("SIGTERM");
      expect((await server.exited).code).toBe(0);
      expect(players(path.join(dataDir, "loom.db"))).toContain(name);
    });
  });
});
