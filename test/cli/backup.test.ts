/**
 * `loom backup` and `loom restore` (src/cli/backup.ts, restore.ts; issue 10) end to end, on
 * real processes: a backup taken by a separate `loom backup` process while the real server
 * runs and a player keeps writing, restored into a fresh data directory, where a new server
 * lets the same character in with the same password to find the world as it was at the
 * moment of the backup; and a backup from an older schema, which the server migrates at start.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { nameSkeleton } from "../../src/accounts/name-skeleton.js";
import { argon2idBackend } from "../../src/accounts/passwords.js";
import { MIGRATIONS, runMigrations, schemaVersion } from "../../src/store/migrations.js";
import { uniqueName } from "../support/names.js";
import { login, play } from "../process/support/line-play.js";
import type { LoomProcess } from "../process/support/loom-process.js";
import { processResources } from "../process/support/process-resources.js";
import { runLoom } from "./support/run-loom.js";

const { clients, spawn, tempDir } = processResources();

/** The server, with room for a writer that sends commands as fast as they are answered (F1 would drop them). */
function spawnServer(dataDir: string, configDir: string): LoomProcess {
  const config = path.join(configDir, "fast.yaml");
  fs.writeFileSync(config, "limits:\n  commandsPerSecond: 10000\n  commandBurst: 100000\n");
  return spawn({ dataDir, args: ["--config", config] });
}

const BACKUP_REPORT =
  /^Backed up \S+loom\.db to \S+: (\d+) pages, ([\d,]+) bytes \([\d.]+ KiB\), in \d+\.\d\d s\.\nThe copy passed integrity_check\. Schema version (\d+) \(this Loom's own\)\.\n$/;

it("a backup taken while the server runs and writes restores into a fresh data directory, where the character finds the world as it was", async () => {
  const dataDir = tempDir("loom-backup-live");
  const work = tempDir("loom-backup-work");
  const name = uniqueName("saver");
  const password = "kept-in-the-backup";

  const first = spawnServer(dataDir, work);
  const port = (await first.ready()).line;
  const player = await login(port, "create", name, password, clients);
  await play(player, [
    ["east", "The Drowsy Shuttle"],
    ["get lantern", "You pick up a brass lantern."],
  ]);
  // A second player picks up and drops the trowel in the garden for as long as the backup runs:
  // every answer is a committed write to the database being copied.
  const writer = await login(port, "create", uniqueName("busy"), "writes-all-along", clients);
  await play(writer, [
    ["north", "Market Row"],
    ["west", "The Weavers' Garden"],
  ]);
  let backupDone = false;
  let writesDuring = 0;
  const writing = (async () => {
    while (!backupDone) {
      await play(writer, [
        ["get trowel", "You pick up a gardener's trowel."],
        ["drop trowel", "You drop a gardener's trowel."],
      ]);
      writesDuring += 2;
    }
  })();

  const file = path.join(work, "backups", "loom-backup.db");
  const backup = await runLoom(["backup", file], { dataDir }).finally(() => (backupDone = true));
  await writing;
  expect(backup.stderr).toBe("");
  expect(backup.status).toBe(0);
  const report = BACKUP_REPORT.exec(backup.stdout);
  expect(report, backup.stdout).not.toBeNull();
  expect(Number(report?.[3])).toBe(MIGRATIONS.at(-1)?.version);
  expect(Number(report?.[2]?.replace(/,/g, ""))).toBe(fs.statSync(file).size);
  expect(writesDuring).toBeGreaterThan(0);
  // One file, private (it holds password hashes), no temporary left beside it.
  expect(fs.readdirSync(path.dirname(file))).toEqual(["loom-backup.db"]);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  // The server never noticed: it still answers, and after the backup its changes are its own.
  await play(player, [["drop lantern", "You drop a brass lantern."]]);
  player.send("quit");
  await player.closed;
  first.signal("SIGTERM");
  expect((await first.exited).code).toBe(0);

  const fresh = path.join(tempDir("loom-backup-fresh"), "data");
  const restore = await runLoom(["restore", file], { dataDir: fresh });
  expect(restore.stderr).toBe("");
  expect(restore.status).toBe(0);
  expect(restore.stdout).toContain("integrity_check passed");
  expect(restore.stdout).toContain(`Restored it to ${path.join(fresh, "loom.db")}. Start the server to play on it.\n`);
  expect(fs.readdirSync(fresh)).toEqual(["loom.db"]);
  expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
  expect(fs.statSync(path.join(fresh, "loom.db")).mode & 0o777).toBe(0o600);

  const second = spawnServer(fresh, work);
  const back = await login((await second.ready()).line, "connect", name, password, clients);
  // Where the backup left them, carrying what they carried then: the drop came after it.
  expect(back.text).toContain("The Drowsy Shuttle");
  await play(back, [
    ["inventory", "a brass lantern"],
    ["get lantern", "You already have that."],
    ["drop lantern", "You drop a brass lantern."],
    ["west", "Town Square"],
  ]);
});

it("a backup of a server killed with -9 holds what its WAL held: the copy reads through the WAL the server left", async () => {
  const dataDir = tempDir("loom-backup-killed");
  const work = tempDir("loom-backup-work");
  const name = uniqueName("killed");
  const server = spawnServer(dataDir, work);
  const player = await login((await server.ready()).line, "create", name, "in-the-wal-only", clients);
  await play(player, [
    ["east", "The Drowsy Shuttle"],
    ["get lantern", "You pick up a brass lantern."],
  ]);
  server.signal("SIGKILL");
  await server.exited;
  // No checkpoint ran: the character and the lantern are in loom.db-wal, not yet in loom.db.
  expect(fs.statSync(path.join(dataDir, "loom.db-wal")).size).toBeGreaterThan(0);

  const file = path.join(work, "after-kill.db");
  const backup = await runLoom(["backup", file], { dataDir });
  expect(backup.stderr).toBe("");
  expect(backup.status).toBe(0);
  const copy = new Database(file, { readonly: true });
  try {
    // The character is the thing player:<key>, in the room it stands in; the lantern is in it.
    const where = copy.prepare<[string], string>("SELECT location FROM things WHERE id = ?").pluck();
    expect(where.get(`player:${name.toLowerCase()}`)).toBe("inn");
    expect(where.get("lantern")).toBe(`player:${name.toLowerCase()}`);
  } finally {
    copy.close();
  }
});

it("a backup from an older schema restores, and the server migrates it at start: the player logs in with what they carried", async () => {
  const work = tempDir("loom-backup-old");
  const file = path.join(work, "schema-3.db");
  const password = "from-an-older-loom";
  // A database as Loom left it at schema version 3: a player in the inn who carries the
  // lantern, recorded in thing_locations, which the server adopts when it seeds the world.
  const old = new Database(file);
  runMigrations(old, MIGRATIONS.slice(0, 3));
  const hash = await argon2idBackend.hash(password, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
  old
    .prepare("INSERT INTO players (key, name, password_hash, role, room, created_at, skeleton) VALUES (?, ?, ?, 'player', 'inn', 1, ?)")
    .run("oldtimer", "Oldtimer", hash, nameSkeleton("oldtimer"));
  old.prepare("INSERT INTO thing_locations (thing_id, room_id, player_key) VALUES ('lantern', NULL, 'oldtimer')").run();
  old.close();

  const dataDir = path.join(work, "data");
  const restore = await runLoom(["restore", file], { dataDir });
  expect(restore.stderr).toBe("");
  expect(restore.status).toBe(0);
  const current = MIGRATIONS.at(-1)?.version ?? 0;
  expect(restore.stdout).toContain(`schema version 3 (older than this Loom's ${current}: the server migrates it when it starts on it)`);

  const server = spawn({ dataDir });
  const player = await login((await server.ready()).line, "connect", "Oldtimer", password, clients);
  expect(player.text).toContain("The Drowsy Shuttle");
  await play(player, [["inventory", "a brass lantern"]]);
  const db = new Database(path.join(dataDir, "loom.db"), { readonly: true });
  try {
    expect(schemaVersion(db)).toBe(current);
  } finally {
    db.close();
  }
});
