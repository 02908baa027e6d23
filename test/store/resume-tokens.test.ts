/**
 * The resume_tokens table (migration 5; issue 9): made on a fresh database and on one a Loom of
 * schema version 4 left, and the store's token methods: hashes in, hashes out, bounded per
 * player, gone with their player.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashResumeToken } from "../../src/accounts/resume-tokens.js";
import { MIGRATIONS, runMigrations, schemaVersion } from "../../src/store/migrations.js";
import { openMemoryStore, openSqliteStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import { StoreError } from "../../src/store/store-error.js";
import type { ResumeTokenRecord } from "../../src/store/store.js";

const HASH = "$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

function token(n: number, playerKey: string, issuedAt: number, expiresAt = issuedAt + 1000): ResumeTokenRecord {
  return { tokenHash: hashResumeToken(`token-${n}`), playerKey, issuedAt, expiresAt };
}

function columns(db: Database.Database): { name: string; type: string; notnull: number; pk: number }[] {
  return db.prepare<[], { name: string; type: string; notnull: number; pk: number }>("SELECT name, type, \"notnull\", pk FROM pragma_table_info('resume_tokens')").all();
}

describe("migration 5: resume_tokens", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-resume-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a fresh database gets the STRICT table, its player index and its foreign key", () => {
    openSqliteStore({ dataDir: dir }).close();
    const raw = new Database(path.join(dir, "loom.db"), { readonly: true });
    try {
      expect(schemaVersion(raw)).toBe(5);
      expect(columns(raw)).toEqual([
        { name: "token_hash", type: "TEXT", notnull: 1, pk: 1 },
        { name: "player_key", type: "TEXT", notnull: 1, pk: 0 },
        { name: "issued_at", type: "INTEGER", notnull: 1, pk: 0 },
        { name: "expires_at", type: "INTEGER", notnull: 1, pk: 0 },
      ]);
      const sql = raw.prepare<[], string>("SELECT sql FROM sqlite_master WHERE name = 'resume_tokens'").pluck().get() ?? "";
      expect(sql).toMatch(/\) STRICT$/);
      expect(raw.prepare("SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('resume_tokens')").all()).toEqual([
        { table: "players", from: "player_key", to: "key", on_delete: "CASCADE" },
      ]);
      expect(raw.prepare<[], string>("SELECT name FROM pragma_index_list('resume_tokens') WHERE origin = 'c'").pluck().all()).toEqual(["resume_tokens_by_player"]);
    } finally {
      raw.close();
    }
  });

  it("a version-4 database with players upgrades: the players stay and can hold tokens", () => {
    const file = path.join(dir, "loom.db");
    const old = new Database(file);
    runMigrations(old, MIGRATIONS.slice(0, 4));
    expect(schemaVersion(old)).toBe(4);
    old.prepare("INSERT INTO players (key, name, password_hash, role, room, created_at, skeleton) VALUES ('bob', 'Bob', ?, 'player', 'square', 1, 'bob')").run(HASH);
    old.close();

    const store = openSqliteStore({ dataDir: dir });
    try {
      expect(store.findPlayer("bob")?.name).toBe("Bob");
      store.addResumeToken(token(1, "bob", 10), 5);
      expect(store.takeResumeToken(hashResumeToken("token-1"))).toEqual(token(1, "bob", 10));
    } finally {
      store.close();
    }
    const raw = new Database(file, { readonly: true });
    try {
      expect(schemaVersion(raw)).toBe(5);
      expect(raw.prepare<[], number>("SELECT version FROM schema_migrations ORDER BY version").pluck().all()).toEqual([1, 2, 3, 4, 5]);
    } finally {
      raw.close();
    }
  });

  it("a player's tokens go with the player (ON DELETE CASCADE, as an operator's DELETE would)", () => {
    const store = openSqliteStore({ dataDir: dir });
    store.createPlayer({ key: "bob", name: "Bob", passwordHash: HASH, room: "square", now: 1 });
    store.addResumeToken(token(1, "bob", 1), 5);
    store.close();
    const raw = new Database(path.join(dir, "loom.db"));
    try {
      raw.pragma("foreign_keys = ON");
      raw.prepare("DELETE FROM players WHERE key = 'bob'").run();
      expect(raw.prepare("SELECT count(*) FROM resume_tokens").pluck().get()).toBe(0);
    } finally {
      raw.close();
    }
  });

  it("the table refuses a token in clear: only a 64-digit hash fits its key", () => {
    const store = openSqliteStore({ dataDir: dir });
    store.createPlayer({ key: "bob", name: "Bob", passwordHash: HASH, room: "square", now: 1 });
    store.close();
    const raw = new Database(path.join(dir, "loom.db"));
    try {
      const insert = raw.prepare("INSERT INTO resume_tokens (token_hash, player_key, issued_at, expires_at) VALUES (?, 'bob', 1, 2)");
      expect(() => insert.run(Buffer.alloc(32).toString("base64url"))).toThrow(/CHECK/);
      expect(() => insert.run(hashResumeToken("x"))).not.toThrow();
    } finally {
      raw.close();
    }
  });
});

describe("the store's resume token methods", () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = openMemoryStore();
    store.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "square", now: 1 });
    store.createPlayer({ key: "bob", name: "Bob", passwordHash: HASH, room: "square", now: 1 });
  });
  afterEach(() => {
    store.close();
  });

  it("take returns a token once, expired or not", () => {
    store.addResumeToken(token(1, "alice", 100, 200), 5);
    expect(store.takeResumeToken(token(1, "alice", 100).tokenHash)).toEqual(token(1, "alice", 100, 200));
    expect(store.takeResumeToken(token(1, "alice", 100).tokenHash)).toBeUndefined();
  });

  it("adding purges every player's tokens expired by its issue time, and no others", () => {
    store.addResumeToken(token(1, "bob", 0, 100), 5);
    store.addResumeToken(token(2, "bob", 0, 101), 5);
    store.addResumeToken(token(3, "alice", 100, 200), 5);
    expect(store.takeResumeToken(token(1, "bob", 0).tokenHash)).toBeUndefined();
    expect(store.takeResumeToken(token(2, "bob", 0).tokenHash)?.playerKey).toBe("bob");
  });

  it("keeps only the player's newest `keep`, by issue time", () => {
    // Issued out of order: the bound goes by issued_at, not by insertion.
    store.addResumeToken(token(1, "alice", 50, 10_000), 2);
    store.addResumeToken(token(2, "alice", 10, 10_000), 2);
    store.addResumeToken(token(3, "alice", 60, 10_000), 2);
    store.addResumeToken(token(4, "bob", 1, 10_000), 2);
    expect(store.takeResumeToken(token(2, "alice", 0).tokenHash)).toBeUndefined();
    expect(store.takeResumeToken(token(1, "alice", 0).tokenHash)?.issuedAt).toBe(50);
    expect(store.takeResumeToken(token(3, "alice", 0).tokenHash)?.issuedAt).toBe(60);
    expect(store.takeResumeToken(token(4, "bob", 0).tokenHash)?.issuedAt).toBe(1);
  });

  it("an unknown player is no-such-player, and nothing is stored", () => {
    let caught: unknown;
    try {
      store.addResumeToken(token(1, "nobody", 1), 5);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).code).toBe("no-such-player");
    expect(store.takeResumeToken(token(1, "nobody", 1).tokenHash)).toBeUndefined();
  });

  it("deleteResumeTokens and deletePlayerResumeTokens count what went", () => {
    for (let n = 1; n <= 3; n++) store.addResumeToken(token(n, "alice", n), 5);
    store.addResumeToken(token(9, "bob", 9), 5);
    expect(store.deleteResumeTokens([token(1, "alice", 0).tokenHash, hashResumeToken("unknown")])).toBe(1);
    expect(store.deleteResumeTokens([])).toBe(0);
    expect(store.deletePlayerResumeTokens("alice")).toBe(2);
    expect(store.deletePlayerResumeTokens("alice")).toBe(0);
    expect(store.takeResumeToken(token(9, "bob", 0).tokenHash)?.playerKey).toBe("bob");
  });
});
