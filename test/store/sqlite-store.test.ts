import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openMemoryStore, openSqliteStore, type SqliteStore, WAL_AUTOCHECKPOINT_PAGES } from "../../src/store/sqlite-store.js";
import { StoreError, type StoreErrorCode } from "../../src/store/store-error.js";
import { thing } from "./thing-fixtures.js";

const HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

function expectStoreError(fn: () => unknown, code: StoreErrorCode): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StoreError);
  expect((caught as StoreError).code).toBe(code);
}

describe("SqliteStore (in memory)", () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = openMemoryStore();
  });
  afterEach(() => {
    store.close();
  });

  it("creates and finds a player, defaulting role and lastSeenAt", () => {
    const created = store.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "hall", now: 1000 });
    expect(created).toEqual({
      key: "alice",
      name: "Alice",
      passwordHash: HASH,
      role: "player",
      room: "hall",
      createdAt: 1000,
      lastSeenAt: null,
      muted: false,
      ban: null,
    });
    expect(store.findPlayer("alice")).toEqual(created);
    expect(store.findPlayer("bob")).toBeUndefined();
  });

  it("creates a player with an explicit role", () => {
    expect(store.createPlayer({ key: "root", name: "Root", passwordHash: HASH, room: "hall", role: "admin", now: 1 }).role).toBe("admin");
    expect(store.findPlayer("root")?.role).toBe("admin");
  });

  it("refuses a second player with the same key: name-taken", () => {
    store.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "hall", now: 1 });
    expectStoreError(() => store.createPlayer({ key: "alice", name: "ALICE", passwordHash: HASH, room: "hall", now: 2 }), "name-taken");
    expect(store.findPlayer("alice")?.createdAt).toBe(1);
  });

  it("refuses a key that is not the lowercase name: invalid-record", () => {
    expectStoreError(() => store.createPlayer({ key: "bob", name: "Alice", passwordHash: HASH, room: "hall", now: 1 }), "invalid-record");
    expectStoreError(() => store.createPlayer({ key: "Alice", name: "Alice", passwordHash: HASH, room: "hall", now: 1 }), "invalid-record");
  });

  it("updates lastSeenAt and role", () => {
    store.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "hall", now: 1 });
    store.touchPlayer("alice", 5000);
    store.setRole("alice", "builder");
    expect(store.findPlayer("alice")).toMatchObject({ room: "hall", lastSeenAt: 5000, role: "builder" });
  });

  it("updates to an unknown player throw no-such-player", () => {
    expectStoreError(() => store.touchPlayer("ghost", 1), "no-such-player");
    expectStoreError(() => store.setRole("ghost", "admin"), "no-such-player");
  });

  it("a transaction commits all of its writes together", () => {
    const result = store.transaction(() => {
      store.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "hall", now: 1 });
      store.saveThing(thing("lamp", "player:alice"), 1);
      return 42;
    });
    expect(result).toBe(42);
    expect(store.findPlayer("alice")).toBeDefined();
    expect(store.loadHeld("player:alice").map((t) => t.record)).toEqual([thing("lamp", "player:alice")]);
  });

  it("a transaction that throws writes nothing and rethrows", () => {
    const boom = new Error("boom");
    expect(() =>
      store.transaction(() => {
        store.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "hall", now: 1 });
        store.saveThing(thing("lamp", "player:alice"), 1);
        throw boom;
      }),
    ).toThrow(boom);
    expect(store.findPlayer("alice")).toBeUndefined();
    expect(store.loadHeld("player:alice")).toEqual([]);
    expect(store.maxSeq()).toBe(0);
  });

  it("transactions nest: an inner failure caught inside keeps the outer writes", () => {
    store.transaction(() => {
      store.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "hall", now: 1 });
      expect(() =>
        store.transaction(() => {
          store.createPlayer({ key: "bob", name: "Bob", passwordHash: HASH, room: "hall", now: 1 });
          throw new Error("inner");
        }),
      ).toThrow("inner");
    });
    expect(store.findPlayer("alice")).toBeDefined();
    expect(store.findPlayer("bob")).toBeUndefined();
  });

  it("close is idempotent", () => {
    store.close();
    expect(() => store.close()).not.toThrow();
  });
});

describe("SqliteStore (on disk)", () => {
  let dir: string;
  const open: SqliteStore[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-store-"));
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  function openStore(dataDir = dir): SqliteStore {
    const s = openSqliteStore({ dataDir });
    open.push(s);
    return s;
  }

  it("D2: opens in WAL mode with synchronous NORMAL, foreign keys on, a busy timeout, and checkpoints in a worker", () => {
    const store = openStore();
    expect(store.settings()).toEqual({
      journalMode: "wal",
      synchronous: "normal",
      foreignKeys: true,
      busyTimeoutMs: 1000,
      walAutocheckpointPages: WAL_AUTOCHECKPOINT_PAGES,
      walCheckpointer: true,
    });
    expect(store.file).toBe(path.join(dir, "loom.db"));
  });

  it("honours fileName and busyTimeoutMs", () => {
    const store = openSqliteStore({ dataDir: dir, fileName: "other.db", busyTimeoutMs: 250 });
    open.push(store);
    expect(store.file).toBe(path.join(dir, "other.db"));
    expect(store.settings().busyTimeoutMs).toBe(250);
    expect(fs.existsSync(path.join(dir, "other.db"))).toBe(true);
  });

  it("creates a missing data directory, private to its owner", () => {
    const nested = path.join(dir, "a", "b");
    openStore(nested);
    expect(fs.existsSync(path.join(nested, "loom.db"))).toBe(true);
    expect(fs.statSync(nested).mode & 0o777).toBe(0o700);
  });

  it("everything committed survives close and reopen", () => {
    const first = openStore();
    first.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "hall", now: 7 });
    first.touchPlayer("alice", 9);
    first.saveThing(thing("lamp", "player:alice"), 3);
    first.close();

    const second = openStore();
    expect(second.findPlayer("alice")).toMatchObject({ name: "Alice", room: "hall", createdAt: 7, lastSeenAt: 9 });
    expect(second.loadHeld("player:alice").map(({ record, seq }) => ({ record, seq }))).toEqual([{ record: thing("lamp", "player:alice"), seq: 3 }]);
  });

  it("stores the password hash verbatim in the file", () => {
    const store = openStore();
    store.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "hall", now: 1 });
    store.close();
    const raw = new Database(path.join(dir, "loom.db"), { readonly: true });
    try {
      expect(raw.prepare("SELECT password_hash FROM players").pluck().all()).toEqual([HASH]);
    } finally {
      raw.close();
    }
  });
});
