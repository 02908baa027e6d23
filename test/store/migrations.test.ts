import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS, runMigrations, schemaVersion, type Migration } from "../../src/store/migrations.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { StoreError } from "../../src/store/store-error.js";

const tables = (db: Database.Database): string[] =>
  db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();

const recorded = (db: Database.Database): number[] =>
  db.prepare<[], number>("SELECT version FROM schema_migrations ORDER BY version").pluck().all();

function caught(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error("expected a StoreError");
}

const good: Migration[] = [
  { version: 1, name: "widgets", up: "CREATE TABLE widgets (id INTEGER PRIMARY KEY, label TEXT NOT NULL)" },
  {
    version: 2,
    name: "seed widgets",
    up: (db) => {
      db.prepare("INSERT INTO widgets (label) VALUES (?)").run("first");
    },
  },
];

describe("runMigrations", () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(":memory:");
  });
  afterEach(() => {
    db.close();
  });

  it("applies pending migrations in order and records them", () => {
    const report = runMigrations(db, good, () => 123);
    expect(report).toEqual({ applied: [1, 2], version: 2 });
    expect(db.prepare("SELECT label FROM widgets").pluck().all()).toEqual(["first"]);
    expect(db.prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").all()).toEqual([
      { version: 1, name: "widgets", applied_at: 123 },
      { version: 2, name: "seed widgets", applied_at: 123 },
    ]);
  });

  it("D3: is idempotent — a second run applies nothing and changes nothing", () => {
    runMigrations(db, good);
    const before = db.serialize();
    expect(runMigrations(db, good)).toEqual({ applied: [], version: 2 });
    expect(db.prepare("SELECT count(*) FROM widgets").pluck().get()).toBe(1);
    expect(db.serialize().equals(before)).toBe(true);
  });

  it("applies only what was appended since the last run", () => {
    runMigrations(db, good.slice(0, 1));
    expect(runMigrations(db, good).applied).toEqual([2]);
  });

  it("D3: a failing migration rolls back completely, keeps earlier ones, and names itself", () => {
    const failing: Migration[] = [
      ...good,
      {
        version: 3,
        name: "half-done gadgets",
        // The first two statements succeed; the third fails. None of it may remain.
        up: `CREATE TABLE gadgets (id INTEGER PRIMARY KEY);
             INSERT INTO widgets (label) VALUES ('second');
             INSERT INTO no_such_table VALUES (1);`,
      },
      { version: 4, name: "never reached", up: "CREATE TABLE later (id INTEGER)" },
    ];
    const err = caught(() => runMigrations(db, failing));
    expect(err.code).toBe("migration-failed");
    expect(err.message).toContain('Migration 3 ("half-done gadgets") failed and was rolled back');
    expect(err.message).toContain("no_such_table");
    expect(err.cause).toBeInstanceOf(Error);

    expect(tables(db)).toEqual(["schema_migrations", "widgets"]);
    expect(recorded(db)).toEqual([1, 2]);
    expect(db.prepare("SELECT label FROM widgets").pluck().all()).toEqual(["first"]);
    expect(db.inTransaction).toBe(false);
  });

  it("D3: a migration function that throws is rolled back too", () => {
    const failing: Migration[] = [
      {
        version: 1,
        name: "throws",
        up: (d) => {
          d.exec("CREATE TABLE doomed (id INTEGER)");
          throw new Error("data migration bug");
        },
      },
    ];
    expect(caught(() => runMigrations(db, failing)).code).toBe("migration-failed");
    expect(tables(db)).toEqual(["schema_migrations"]);
    expect(schemaVersion(db)).toBe(0);
    // Fixed, it applies cleanly on the next run.
    expect(runMigrations(db, [{ version: 1, name: "fixed", up: "CREATE TABLE doomed (id INTEGER)" }]).applied).toEqual([1]);
  });

  it("refuses a list whose versions are not strictly increasing positive integers", () => {
    for (const versions of [[1, 1], [2, 1], [0], [1.5], [-1]]) {
      const list = versions.map((version) => ({ version, name: `v${version}`, up: "SELECT 1" }));
      expect(caught(() => runMigrations(db, list)).code).toBe("migration-invalid");
    }
    expect(tables(db)).toEqual([]);
  });

  it("refuses a database from a newer build", () => {
    runMigrations(db, good);
    const err = caught(() => runMigrations(db, good.slice(0, 1)));
    expect(err.code).toBe("schema-too-new");
    expect(err.message).toContain("schema version 2");
  });

  it("schemaVersion is 0 on an empty database", () => {
    expect(schemaVersion(db)).toBe(0);
  });

  it("Loom's own migrations apply and are idempotent", () => {
    const first = runMigrations(db, MIGRATIONS);
    expect(first).toEqual({ applied: [1, 2, 3, 4, 5], version: 5 });
    expect(tables(db)).toEqual([
      "channel_lines",
      "channel_members",
      "channels",
      "ignores",
      "players",
      "resume_tokens",
      "schema_migrations",
      "sqlite_sequence",
      "thing_locations",
      "things",
    ]);
    expect(runMigrations(db, MIGRATIONS).applied).toEqual([]);
  });
});

describe("openSqliteStore with migrations", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-migrate-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reopening an existing database applies nothing", () => {
    openSqliteStore({ dataDir: dir }).close();
    const raw = new Database(path.join(dir, "loom.db"));
    const before = raw.prepare("SELECT version, applied_at FROM schema_migrations").all();
    raw.close();
    openSqliteStore({ dataDir: dir }).close();
    const again = new Database(path.join(dir, "loom.db"));
    try {
      expect(again.prepare("SELECT version, applied_at FROM schema_migrations").all()).toEqual(before);
    } finally {
      again.close();
    }
  });

  it("a failing migration at open throws, closes the connection and leaves the file as before", () => {
    openSqliteStore({ dataDir: dir }).close();
    const bad: Migration[] = [...MIGRATIONS, { version: 1000, name: "broken", up: "CREATE TABLE x (id); SELECT * FROM nowhere;" }];
    expect(caught(() => openSqliteStore({ dataDir: dir, migrations: bad })).code).toBe("migration-failed");

    // The failed open closed its connection: closing the last connection deletes the WAL file.
    expect(fs.existsSync(path.join(dir, "loom.db-wal"))).toBe(false);
    const raw = new Database(path.join(dir, "loom.db"));
    try {
      expect(tables(raw)).not.toContain("x");
      expect(recorded(raw)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      raw.close();
    }
  });
});
