/**
 * Schema migrations: an ordered list, tracked in a `schema_migrations` table, each applied in
 * its own transaction (hardening D3). SQLite's DDL is transactional, so a migration that fails
 * halfway leaves no trace: its tables, indexes and rows roll back with it, its version is not
 * recorded, and the next start tries it again.
 *
 * To change the schema, append a migration with the next version. Never edit or reorder a
 * published one: databases in the field have already recorded it as applied.
 */
import type Database from "better-sqlite3";
import { nameSkeleton } from "../accounts/name-skeleton.js";
import { StoreError } from "./store-error.js";

/** One step of the schema's history. */
export interface Migration {
  /** Positive integer; the list must be strictly increasing. Recorded once applied. */
  readonly version: number;
  /** A short description, shown in errors and recorded with the version. */
  readonly name: string;
  /**
   * SQL (may hold several statements), or a function for data migrations. It runs inside a
   * transaction the runner owns, so it must not issue BEGIN/COMMIT itself.
   */
  readonly up: string | ((db: Database.Database) => void);
}

/** Loom's schema, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "players and thing locations",
    // STRICT tables: SQLite otherwise stores whatever type it is handed, and a stray number
    // in a TEXT column would come back as a number.
    up: `
      CREATE TABLE players (
        key           TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role          TEXT NOT NULL DEFAULT 'player' CHECK (role IN ('player', 'builder', 'admin')),
        room          TEXT,
        created_at    INTEGER NOT NULL,
        last_seen_at  INTEGER,
        CHECK (key = lower(name))
      ) STRICT;

      -- Exactly one of room_id / player_key is set. A carried thing references its holder, so
      -- a deleted player's things fall back to their world-file places (ON DELETE CASCADE).
      CREATE TABLE thing_locations (
        thing_id   TEXT PRIMARY KEY,
        room_id    TEXT,
        player_key TEXT REFERENCES players(key) ON UPDATE CASCADE ON DELETE CASCADE,
        CHECK ((room_id IS NULL) <> (player_key IS NULL))
      ) STRICT;
      -- The foreign key's child side; without it every player delete scans the table.
      CREATE INDEX thing_locations_by_player ON thing_locations(player_key);
    `,
  },
  {
    version: 2,
    name: "player name skeletons",
    // Issue 5 item 7: a new name that reads like an existing one ("Rnary" for "Mary") is
    // refused, and finding one must be an index lookup, not a scan of every player. Existing
    // rows are backfilled. The index is not UNIQUE: a database may already hold two look-alike
    // names, which stay; createPlayer refuses new ones inside its own transaction.
    up: (db) => {
      db.exec("ALTER TABLE players ADD COLUMN skeleton TEXT");
      const set = db.prepare<[string, string]>("UPDATE players SET skeleton = ? WHERE key = ?");
      for (const key of db.prepare<[], string>("SELECT key FROM players").pluck().all()) set.run(nameSkeleton(key), key);
      db.exec("CREATE INDEX players_by_skeleton ON players(skeleton)");
    },
  },
  {
    version: 3,
    name: "things: the live world",
    // The database becomes the world: one row per thing, world-file and made in play alike.
    // thing_locations stays: seedWorld adopts its rows (where players left things) the first
    // time it seeds each id, then deletes them.
    up: `
      CREATE TABLE things (
        -- The rowid, and the stable number MUD mappers key on (GMCP Room.Info num).
        -- AUTOINCREMENT so a deleted thing's number is never handed to another.
        num      INTEGER PRIMARY KEY AUTOINCREMENT,
        id       TEXT NOT NULL UNIQUE,
        -- The containing thing's id; NULL for rooms. No foreign key: a player's things name
        -- player:<key>, which may have no row yet.
        location TEXT,
        seq      INTEGER NOT NULL,
        -- JSON of the ThingRecord without id and location (those are the columns).
        record   TEXT NOT NULL,
        -- Canonical JSON of the whole world-file record (location included) as last seeded;
        -- NULL for a thing made in play.
        seed     TEXT
      ) STRICT;
      -- Contents of a thing, and each step of the held-things recursion.
      CREATE INDEX things_by_location ON things(location);
    `,
  },
  {
    version: 4,
    name: "moderation and channels",
    // Issue 7. A ban is its reason, who and when (NULL reason: not banned). Ignores and channel
    // memberships go with their player (ON DELETE CASCADE). A membership row overrides the
    // channel's autojoin: `chat` has every character unless they leave it. History is trimmed
    // to the newest lines per channel as lines are added.
    up: `
      ALTER TABLE players ADD COLUMN muted INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1));
      ALTER TABLE players ADD COLUMN banned_reason TEXT;
      ALTER TABLE players ADD COLUMN banned_by TEXT;
      ALTER TABLE players ADD COLUMN banned_at INTEGER;

      CREATE TABLE ignores (
        player_key  TEXT NOT NULL REFERENCES players(key) ON UPDATE CASCADE ON DELETE CASCADE,
        ignored_key TEXT NOT NULL REFERENCES players(key) ON UPDATE CASCADE ON DELETE CASCADE,
        PRIMARY KEY (player_key, ignored_key)
      ) STRICT;

      CREATE TABLE channels (
        name       TEXT PRIMARY KEY,
        autojoin   INTEGER NOT NULL CHECK (autojoin IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO channels (name, autojoin, created_at) VALUES ('chat', 1, 0);

      CREATE TABLE channel_members (
        channel    TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
        player_key TEXT NOT NULL REFERENCES players(key) ON UPDATE CASCADE ON DELETE CASCADE,
        member     INTEGER NOT NULL CHECK (member IN (0, 1)),
        PRIMARY KEY (channel, player_key)
      ) STRICT;
      CREATE INDEX channel_members_by_player ON channel_members(player_key);

      CREATE TABLE channel_lines (
        id      INTEGER PRIMARY KEY,
        channel TEXT NOT NULL REFERENCES channels(name) ON DELETE CASCADE,
        at      INTEGER NOT NULL,
        sender  TEXT NOT NULL,
        text    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX channel_lines_by_channel ON channel_lines(channel, id);
    `,
  },
  {
    version: 5,
    name: "resume tokens",
    // Issue 9 (docs/web-client.md, "Resume tokens"). Only the sha256 of a token is kept, hex: a 256-bit random
    // secret needs no slow hash, and a copy of the database hands out no login. A token goes
    // with its player (ON DELETE CASCADE). Times are wall-clock ms, so they mean the same after
    // a restart. The index serves the per-player bound and revoking a player's tokens.
    up: `
      CREATE TABLE resume_tokens (
        token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
        player_key TEXT NOT NULL REFERENCES players(key) ON UPDATE CASCADE ON DELETE CASCADE,
        issued_at  INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX resume_tokens_by_player ON resume_tokens(player_key, issued_at);
    `,
  },
];

/** What {@link runMigrations} did. */
export interface MigrationReport {
  /** Versions applied by this call, in order; empty when the schema was already current. */
  readonly applied: readonly number[];
  /** The schema version after the call (0 for an empty list). */
  readonly version: number;
}

/**
 * Brings `db` up to date with `migrations` (default {@link MIGRATIONS}). Idempotent: a second
 * call applies nothing. Each pending migration runs in its own transaction; if one throws, it
 * is rolled back completely, the ones before it stay applied, and a StoreError
 * `"migration-failed"` naming it is thrown. Throws `"migration-invalid"` for a malformed list
 * and `"schema-too-new"` if the database records a version beyond the list.
 *
 * `now` stamps the `applied_at` column (wall-clock ms; default `Date.now`).
 */
export function runMigrations(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): MigrationReport {
  checkOrder(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);

  const known = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > known) {
    throw new StoreError(
      "schema-too-new",
      `The database is at schema version ${current}, but this build of Loom only knows up to ${known}. Upgrade Loom, or restore an older backup.`,
    );
  }

  const isApplied = db.prepare<[number], number>("SELECT 1 FROM schema_migrations WHERE version = ?").pluck();
  const record = db.prepare<[number, string, number]>("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const applied: number[] = [];
  for (const m of migrations) {
    if (isApplied.get(m.version) !== undefined) continue;
    // IMMEDIATE takes the write lock up front; the re-check inside covers another process
    // that migrated the same file while this one waited for the lock.
    const step = db.transaction(() => {
      if (isApplied.get(m.version) !== undefined) return false;
      if (typeof m.up === "string") db.exec(m.up);
      else m.up(db);
      record.run(m.version, m.name, now());
      return true;
    });
    try {
      if (step.immediate()) applied.push(m.version);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new StoreError(
        "migration-failed",
        `Migration ${m.version} ("${m.name}") failed and was rolled back: ${reason}`,
        { cause: err },
      );
    }
  }
  return { applied, version: schemaVersion(db) };
}

/** The highest migration version recorded in `db`; 0 when none (or no tracking table yet). */
export function schemaVersion(db: Database.Database): number {
  const table = db
    .prepare<[], number>("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .pluck()
    .get();
  if (table === undefined) return 0;
  return db.prepare<[], number | null>("SELECT max(version) FROM schema_migrations").pluck().get() ?? 0;
}

function checkOrder(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version) || m.version <= previous) {
      throw new StoreError(
        "migration-invalid",
        `Migration versions must be strictly increasing positive integers; ${m.version} ("${m.name}") follows ${previous}.`,
      );
    }
    previous = m.version;
  }
}
