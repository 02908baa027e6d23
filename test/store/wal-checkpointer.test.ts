import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openMemoryStore, openSqliteStore, type SqliteStore, WAL_AUTOCHECKPOINT_PAGES } from "../../src/store/sqlite-store.js";
import { type CheckpointResult, WalCheckpointer } from "../../src/store/wal-checkpointer.js";
import { thing } from "./thing-fixtures.js";

/** Short, so the tests wait little for a tick; production uses WAL_CHECKPOINT_INTERVAL_MS. */
const TEST_INTERVAL_MS = 5;
const PAGE_BYTES = 4096;

/** Checkpoint results as the checkpointer reports them, awaited one matching result at a time. */
class Checkpoints {
  #waiting: { readonly match: (r: CheckpointResult) => boolean; readonly resolve: (r: CheckpointResult) => void }[] = [];
  readonly observe = (result: CheckpointResult): void => {
    const still = this.#waiting.filter((w) => !w.match(result));
    for (const w of this.#waiting) if (w.match(result)) w.resolve(result);
    this.#waiting = still;
  };
  next(match: (r: CheckpointResult) => boolean = () => true): Promise<CheckpointResult> {
    return new Promise((resolve) => this.#waiting.push({ match, resolve }));
  }
}

/** Resolves with the first error reported; `calls` counts every report. */
function errorSink(): { readonly report: (e: Error) => void; readonly first: Promise<Error>; readonly calls: () => number } {
  let calls = 0;
  let resolve: (e: Error) => void = () => {};
  const first = new Promise<Error>((r) => (resolve = r));
  return {
    report: (e) => {
      calls++;
      resolve(e);
    },
    first,
    calls: () => calls,
  };
}

let dir: string;
const cleanups: (() => void)[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-checkpointer-"));
});
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

function walBytes(file: string): number {
  try {
    return fs.statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

describe("WalCheckpointer", () => {
  /** A WAL database that never checkpoints itself, so only the worker can. */
  function rawDatabase(): { readonly db: Database.Database; readonly file: string } {
    const file = path.join(dir, "raw.db");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("wal_autocheckpoint = 0");
    db.exec("CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT)");
    cleanups.push(() => db.close());
    return { db, file };
  }

  function start(options: ConstructorParameters<typeof WalCheckpointer>[0]): WalCheckpointer {
    const checkpointer = new WalCheckpointer(options);
    cleanups.push(() => checkpointer.stop());
    return checkpointer;
  }

  it("copies the frames the main connection committed into the database file", async () => {
    const { db, file } = rawDatabase();
    const checkpoints = new Checkpoints();
    start({ file, intervalMs: TEST_INTERVAL_MS, onCheckpoint: checkpoints.observe });
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    for (let i = 0; i < 50; i++) insert.run("x".repeat(500));
    const frames = walBytes(file) > 0 ? (walBytes(file) - 32) / (PAGE_BYTES + 24) : 0;
    expect(frames).toBeGreaterThan(0);

    const done = await checkpoints.next((r) => r.log >= frames && r.checkpointed === r.log);
    expect(done.busy).toBe(0);
    // The main connection's next checkpoint finds nothing left to copy.
    expect(db.pragma("wal_checkpoint(PASSIVE)")).toEqual([{ busy: 0, log: done.log, checkpointed: done.log }]);
  });

  it("stop closes the worker's connection before it returns, and its exit resolves", async () => {
    const { db, file } = rawDatabase();
    const checkpoints = new Checkpoints();
    const errors = errorSink();
    const checkpointer = start({ file, intervalMs: TEST_INTERVAL_MS, onCheckpoint: checkpoints.observe, onError: errors.report });
    await checkpoints.next();
    expect(checkpointer.running).toBe(true);

    checkpointer.stop();
    expect(checkpointer.running).toBe(false);
    // The main connection is now the only one: its close checkpoints and deletes the WAL.
    db.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(typeof (await checkpointer.exited)).toBe("number");
    expect(errors.calls()).toBe(0);
    expect(() => checkpointer.stop()).not.toThrow();
  });

  it("stopped before its worker opened the file, it never opens it and reports nothing", async () => {
    const { file } = rawDatabase();
    const errors = errorSink();
    const checkpointer = start({ file, intervalMs: TEST_INTERVAL_MS, onError: errors.report });
    checkpointer.stop();
    expect(typeof (await checkpointer.exited)).toBe("number");
    expect(errors.calls()).toBe(0);
  });

  it("a worker that cannot open the database is reported once, and stop returns at once", async () => {
    const errors = errorSink();
    const checkpointer = start({ file: path.join(dir, "missing", "nothing.db"), intervalMs: TEST_INTERVAL_MS, onError: errors.report });
    const error = await errors.first;
    expect(error).toBeInstanceOf(Error);
    await checkpointer.exited;
    expect(errors.calls()).toBe(1);
    expect(checkpointer.running).toBe(false);
    checkpointer.stop();
  });
});

describe("the store's checkpointer", () => {
  function openStore(options: Partial<Parameters<typeof openSqliteStore>[0]> = {}): SqliteStore {
    const store = openSqliteStore({ dataDir: dir, ...options });
    cleanups.push(() => store.close());
    return store;
  }

  it("runs for a file store, not for an in-memory store or when turned off", () => {
    expect(openStore().settings().walCheckpointer).toBe(true);
    expect(openStore({ fileName: "off.db", checkpointer: false }).settings().walCheckpointer).toBe(false);
    const memory = openMemoryStore();
    cleanups.push(() => memory.close());
    expect(memory.settings().walCheckpointer).toBe(false);
  });

  /** A store with 2,000 players in 64 rooms; `move` walks `count` of them, one commit each. */
  function walkers(store: SqliteStore): { readonly move: (count: number) => void; readonly moves: () => number } {
    const PLAYERS = 2000;
    store.transaction(() => {
      for (let i = 0; i < PLAYERS; i++) store.saveThing(thing(`p${i}`, `room:${i % 64}`, { description: "x".repeat(200) }), i + 1);
    });
    let seq = PLAYERS + 1;
    return {
      move: (count) => {
        for (let i = 0; i < count; i++, seq++) store.moveThing(`p${(seq * 7919) % PLAYERS}`, `room:${seq % 64}`, seq);
      },
      moves: () => seq - PLAYERS - 1,
    };
  }

  // Each move writes the table's page and an index page at least: this many moves write three
  // times the autocheckpoint's worth of frames, and a WAL never rewound would be that large.
  const MOVES = (3 * WAL_AUTOCHECKPOINT_PAGES) / 2;

  it("keeps the WAL bounded under a steady stream of writes while the worker checkpoints", async () => {
    const checkpoints = new Checkpoints();
    let copied = 0;
    const store = openStore({
      checkpointer: {
        intervalMs: TEST_INTERVAL_MS,
        onCheckpoint: (result) => {
          if (result.checkpointed > 0) copied++;
          checkpoints.observe(result);
        },
      },
    });
    const walk = walkers(store);
    let largest = 0;
    // Paced by the worker's ticks, as mixed play's walks are spread over time.
    while (walk.moves() < MOVES) {
      walk.move(100);
      largest = Math.max(largest, walBytes(store.file));
      await checkpoints.next();
    }
    expect(copied).toBeGreaterThan(0);
    expect(largest).toBeLessThan(2 * WAL_AUTOCHECKPOINT_PAGES * PAGE_BYTES);
    expect(store.settings().walCheckpointer).toBe(true);
  });

  it("keeps the WAL bounded without the worker: the main connection's autocheckpoint rewinds it", () => {
    const store = openStore({ checkpointer: false });
    const walk = walkers(store);
    let largest = 0;
    while (walk.moves() < MOVES) {
      walk.move(100);
      largest = Math.max(largest, walBytes(store.file));
    }
    expect(largest).toBeGreaterThan(WAL_AUTOCHECKPOINT_PAGES * PAGE_BYTES);
    expect(largest).toBeLessThan(2 * WAL_AUTOCHECKPOINT_PAGES * PAGE_BYTES);
  });

  it("close stops the worker first, so the main connection's close removes the WAL", async () => {
    const checkpoints = new Checkpoints();
    const store = openSqliteStore({ dataDir: dir, checkpointer: { intervalMs: TEST_INTERVAL_MS, onCheckpoint: checkpoints.observe } });
    store.saveThing(thing("lamp", "hall"), 1);
    await checkpoints.next();
    store.close();
    expect(fs.existsSync(`${store.file}-wal`)).toBe(false);

    const reopened = openStore({ checkpointer: false });
    expect(reopened.loadHeld("hall").map((t) => t.record.id)).toEqual(["lamp"]);
  });

  it("a worker that fails to start is reported once, and the store carries on without it", async () => {
    const errors = errorSink();
    const store = openStore({ checkpointer: { intervalMs: TEST_INTERVAL_MS, sqlitePath: path.join(dir, "no-such-module.js"), onError: errors.report } });
    expect((await errors.first).message).toMatch(/no-such-module/);
    expect(store.settings()).toMatchObject({ walCheckpointer: false, walAutocheckpointPages: WAL_AUTOCHECKPOINT_PAGES });

    store.saveThing(thing("lamp", "hall"), 1);
    store.moveThing("lamp", "cellar", 2);
    expect(store.loadHeld("cellar").map((t) => t.record.id)).toEqual(["lamp"]);
    store.close();
    expect(errors.calls()).toBe(1);
    expect(fs.existsSync(`${store.file}-wal`)).toBe(false);
  });
});
