/**
 * The default {@link Store}: embedded SQLite through better-sqlite3. One connection, owned by
 * the reactor's thread, does every read and write; every statement is prepared once when the
 * store opens. A second one, in a worker thread, only checkpoints the WAL (wal-checkpointer.ts).
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { nameSkeleton } from "../accounts/name-skeleton.js";
import type { ThingRecord } from "../world/model/thing-record.js";
import { MIGRATIONS, runMigrations, type Migration } from "./migrations.js";
import { SqliteThings } from "./sqlite-things.js";
import { StoreError } from "./store-error.js";
import { SqliteCommunity } from "./sqlite-community.js";
import { SqliteResumeTokens } from "./sqlite-resume-tokens.js";
import { WalCheckpointer, type WalCheckpointerOptions } from "./wal-checkpointer.js";
import {
  Roles,
  type Ban,
  type ChannelLine,
  type ChannelRecord,
  type PlayerRecord,
  type ResumeTokenRecord,
  type Role,
  type SeedReport,
  type Store,
  type StoredThing,
} from "./store.js";

/** Options for {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Directory holding the database; created (mode 0700: it holds password hashes) if missing. */
  readonly dataDir: string;
  /** File name inside `dataDir`. Default `"loom.db"`. */
  readonly fileName?: string;
  /**
   * How long a write waits for a lock held by another process (an operator's `sqlite3` shell,
   * a backup) before failing. Default 1000 ms. The wait blocks the event loop, so keep it short.
   */
  readonly busyTimeoutMs?: number;
  /** The schema history to apply. Default {@link MIGRATIONS}; tests inject their own. */
  readonly migrations?: readonly Migration[];
  /**
   * The worker thread that checkpoints the WAL off the event loop ({@link WalCheckpointer}):
   * its interval, and what to call if it fails (the server logs it; the store carries on).
   * `false` starts none: the main connection's autocheckpoint then does all of it, on the
   * loop. Default: one is started, with {@link WalCheckpointer}'s defaults.
   */
  readonly checkpointer?: Omit<WalCheckpointerOptions, "file"> | false;
}

/** The connection settings in force, as SQLite reports them (hardening D2). */
export interface SqliteSettings {
  /** `"wal"` for a file database, `"memory"` for an in-memory one. */
  readonly journalMode: string;
  readonly synchronous: "off" | "normal" | "full" | "extra";
  readonly foreignKeys: boolean;
  readonly busyTimeoutMs: number;
  /** Pages the WAL may hold before a commit checkpoints it ({@link WAL_AUTOCHECKPOINT_PAGES}). */
  readonly walAutocheckpointPages: number;
  /** Whether a {@link WalCheckpointer} is running: false in memory, when off, after a failure. */
  readonly walCheckpointer: boolean;
}

/**
 * How many WAL pages (4 KiB each: 4,000 is about 16 MiB) a commit lets pile up before it
 * checkpoints them itself, on the event loop. The copying is the {@link WalCheckpointer}'s job,
 * off the loop; this setting is what rewinds the log (SQLite reuses the WAL from its start only
 * when a write begins with every frame copied, which a worker racing a steady writer never
 * arranges), and what bounds it alone if the worker is not running.
 *
 * Issue 11, target 5, measured on the 2-core test machine (Node 20, the things table and its
 * location index, 1,500 moves a second for 10 s, each move one commit): checkpoints on the
 * loop every 100 pages (the previous setting) cost 86.8 µs of main-thread time a move, p99
 * 1.6 ms, the worst 9.5 ms; never checkpointing, 21.2 µs (and a 170 MiB WAL); the worker
 * with 4,000 pages, 21.6 µs, p99 92 µs, the worst 1.1 ms, the WAL at most 8.5 MiB. Without
 * the worker, 4,000 pages cost 35.8 µs a move but stall the loop up to 29 ms at each one.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

const DEFAULT_FILE_NAME = "loom.db";
const DEFAULT_BUSY_TIMEOUT_MS = 1000;
const SYNCHRONOUS_LEVELS = ["off", "normal", "full", "extra"] as const;

/**
 * Opens (creating if needed) the database at `dataDir/fileName`, configures the connection,
 * and applies pending migrations. Throws StoreError `"wal-unavailable"`, `"migration-failed"`,
 * `"migration-invalid"` or `"schema-too-new"`; on any failure the connection is closed.
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dataDir, options.fileName ?? DEFAULT_FILE_NAME);
  makePrivate(file);
  return open(new Database(file), file, options.busyTimeoutMs, options.migrations, options.checkpointer ?? {});
}

/**
 * The files SQLite keeps beside the database: the WAL, its shared-memory index, a rollback
 * journal. A backup or restore (database-files.ts) moves or removes them with the database.
 */
export const COMPANION_SUFFIXES = ["-wal", "-shm", "-journal"] as const;

/**
 * Makes the database and its companion files readable by the owner only (issue 5 item 13):
 * they hold password hashes. SQLite creates a new database with 0644 minus the umask, and
 * `mkdirSync`'s 0700 protects nothing when the directory already existed (a Docker volume, an
 * operator's `mkdir`). So the file is created here first, 0600, and an existing one, or a
 * WAL, SHM or journal left by an older version, is chmod-ed to 0600. SQLite then creates the
 * `-wal` and `-shm` files with the database file's own mode, fchmod-ed past the umask
 * (`findCreateFileMode` and `robust_open` in its os_unix.c), so they are 0600 too.
 */
function makePrivate(file: string): void {
  // O_NOFOLLOW: a symlink planted in a shared data directory is not followed to chmod its target.
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
  try {
    // The mode given to open is masked by the umask, and ignored for a file that existed.
    fs.fchmodSync(fd, 0o600);
  } finally {
    fs.closeSync(fd);
  }
  for (const suffix of COMPANION_SUFFIXES) {
    try {
      fs.chmodSync(file + suffix, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}

/** An in-memory store with the full schema, for unit tests. Nothing survives `close()`. */
export function openMemoryStore(options: { readonly migrations?: readonly Migration[] } = {}): SqliteStore {
  return open(new Database(":memory:"), ":memory:", undefined, options.migrations, false);
}

function open(
  db: Database.Database,
  file: string,
  busyTimeoutMs: number | undefined,
  migrations: readonly Migration[] | undefined,
  checkpointer: Omit<WalCheckpointerOptions, "file"> | false,
): SqliteStore {
  let worker: WalCheckpointer | undefined;
  try {
    configure(db, file, busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    runMigrations(db, migrations ?? MIGRATIONS);
    // Started once the file is in WAL mode and migrated, so the worker finds what it expects.
    if (checkpointer !== false) worker = new WalCheckpointer({ ...checkpointer, file });
    return new SqliteStore(db, file, worker);
  } catch (err) {
    worker?.stop();
    db.close();
    throw err;
  }
}

function configure(db: Database.Database, file: string, busyTimeoutMs: number): void {
  // WAL: readers never block the writer, and a commit is one sequential append to the log.
  // The mode is stored in the file, but we set (and check) it on every open.
  if (!db.memory) {
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal") {
      throw new StoreError(
        "wal-unavailable",
        `SQLite could not put ${file} in WAL mode (it reports "${String(mode)}"). Is the data directory on a network filesystem?`,
      );
    }
  }
  // Set explicitly rather than inherited (hardening D2). In WAL mode NORMAL syncs the log at
  // checkpoints, not at every commit: a committed transaction is in the WAL file, which the OS
  // holds, so it survives the process being killed (kill -9, a crash). Only an OS crash or
  // power loss can lose the last few transactions, which a game world can afford; FULL would
  // add an fsync to every commit.
  db.pragma("synchronous = NORMAL");
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  // Off by default in SQLite, per connection: without this, REFERENCES clauses are decoration.
  db.pragma("foreign_keys = ON");
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
}

interface PlayerRow {
  key: string;
  name: string;
  password_hash: string;
  role: string;
  room: string | null;
  created_at: number;
  last_seen_at: number | null;
  muted: number;
  banned_reason: string | null;
  banned_by: string | null;
  banned_at: number | null;
}

/** The SQLite-backed {@link Store}. Obtain one from {@link openSqliteStore} or {@link openMemoryStore}. */
export class SqliteStore implements Store {
  /** The database file, or `":memory:"`. */
  readonly file: string;
  readonly #db: Database.Database;
  readonly #findPlayer: Database.Statement<[string], PlayerRow>;
  readonly #findLookalike: Database.Statement<[string], PlayerRow>;
  readonly #insertPlayer: Database.Statement<[string, string, string, string, string, number, string]>;
  readonly #setLastSeen: Database.Statement<[number, string]>;
  readonly #setRole: Database.Statement<[string, string]>;
  readonly #countAdmins: Database.Statement<[], { count: number }>;
  readonly #setMuted: Database.Statement<[number, string]>;
  readonly #setBan: Database.Statement<[string | null, string | null, number | null, string]>;
  readonly #things: SqliteThings;
  readonly #community: SqliteCommunity;
  readonly #resumeTokens: SqliteResumeTokens;
  readonly #checkpointer: WalCheckpointer | undefined;

  /**
   * Wraps an open, configured and migrated connection, and the checkpointer started for it (it
   * is stopped on close); use the `open…` functions instead.
   */
  constructor(db: Database.Database, file: string, checkpointer?: WalCheckpointer) {
    this.#db = db;
    this.file = file;
    this.#checkpointer = checkpointer;
    this.#findPlayer = db.prepare(
      "SELECT key, name, password_hash, role, room, created_at, last_seen_at, muted, banned_reason, banned_by, banned_at FROM players WHERE key = ?",
    );
    this.#findLookalike = db.prepare(
      "SELECT key, name, password_hash, role, room, created_at, last_seen_at, muted, banned_reason, banned_by, banned_at FROM players WHERE skeleton = ? LIMIT 1",
    );
    this.#insertPlayer = db.prepare(
      "INSERT INTO players (key, name, password_hash, role, room, created_at, skeleton) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.#setLastSeen = db.prepare("UPDATE players SET last_seen_at = ? WHERE key = ?");
    this.#setRole = db.prepare("UPDATE players SET role = ? WHERE key = ?");
    // A scan of players, without an index on role: asked only when an admin is demoted.
    this.#countAdmins = db.prepare("SELECT COUNT(*) AS count FROM players WHERE role = 'admin'");
    this.#setMuted = db.prepare("UPDATE players SET muted = ? WHERE key = ?");
    this.#setBan = db.prepare("UPDATE players SET banned_reason = ?, banned_by = ?, banned_at = ? WHERE key = ?");
    this.#things = new SqliteThings(db);
    this.#community = new SqliteCommunity(db);
    this.#resumeTokens = new SqliteResumeTokens(db);
  }

  findPlayer(key: string): PlayerRecord | undefined {
    const row = this.#findPlayer.get(key);
    return row === undefined ? undefined : toPlayer(row);
  }

  createPlayer(p: { key: string; name: string; passwordHash: string; room: string; role?: Role; now: number }): PlayerRecord {
    if (p.key !== p.name.toLowerCase()) {
      throw new StoreError("invalid-record", `A player's key must be its name in lowercase; got key "${p.key}" for "${p.name}".`);
    }
    const role = p.role ?? "player";
    const skeleton = nameSkeleton(p.name);
    try {
      // One transaction, so no other insert can come between the look-alike check and this one.
      this.#db.transaction(() => {
        const lookalike = this.#findLookalike.get(skeleton);
        if (lookalike !== undefined && lookalike.key !== p.key) {
          throw new StoreError("name-confusable", `The name "${p.name}" reads like "${lookalike.name}".`);
        }
        this.#insertPlayer.run(p.key, p.name, p.passwordHash, role, p.room, p.now, skeleton);
      }).immediate();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      const code = sqliteCode(err);
      if (code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
        throw new StoreError("name-taken", `The name "${p.name}" is taken.`, { cause: err });
      }
      if (code === "SQLITE_CONSTRAINT_CHECK") {
        // SQLite's lower() folds ASCII only, so a non-ASCII name can pass the check above and fail here.
        throw new StoreError("invalid-record", `The player record for "${p.name}" was refused: ${errorMessage(err)}`, { cause: err });
      }
      throw err;
    }
    return { key: p.key, name: p.name, passwordHash: p.passwordHash, role, room: p.room, createdAt: p.now, lastSeenAt: null, muted: false, ban: null };
  }

  findLookalike(name: string): PlayerRecord | undefined {
    const row = this.#findLookalike.get(nameSkeleton(name));
    return row === undefined ? undefined : toPlayer(row);
  }

  touchPlayer(key: string, now: number): void {
    expectPlayer(this.#setLastSeen.run(now, key).changes, key);
  }

  setRole(key: string, role: Role): void {
    expectPlayer(this.#setRole.run(role, key).changes, key);
  }

  countAdmins(): number {
    return this.#countAdmins.get()?.count ?? 0;
  }

  setMuted(key: string, muted: boolean): void {
    expectPlayer(this.#setMuted.run(muted ? 1 : 0, key).changes, key);
  }

  setBan(key: string, ban: Ban | null): void {
    this.#db.transaction(() => {
      expectPlayer(this.#setBan.run(ban?.reason ?? null, ban?.by ?? null, ban?.at ?? null, key).changes, key);
      // A banned player's devices are logged out for good: lifting the ban brings no token back.
      if (ban !== null) this.#resumeTokens.deletePlayer(key);
    })();
  }

  ignoresOf(key: string): string[] {
    return this.#community.ignoresOf(key);
  }

  setIgnore(key: string, ignored: string, on: boolean): void {
    this.#community.setIgnore(key, ignored, on);
  }

  channels(): ChannelRecord[] {
    return this.#community.channels();
  }

  createChannel(channel: { name: string; autojoin: boolean; now: number }): ChannelRecord {
    return this.#community.createChannel(channel);
  }

  removeChannel(name: string): boolean {
    return this.#community.removeChannel(name);
  }

  membershipsOf(key: string): Map<string, boolean> {
    return this.#community.membershipsOf(key);
  }

  setMembership(channel: string, key: string, member: boolean): void {
    this.#community.setMembership(channel, key, member);
  }

  appendChannelLine(line: ChannelLine, keep: number): void {
    this.#community.appendChannelLine(line, keep);
  }

  channelHistory(channel: string, limit: number): ChannelLine[] {
    return this.#community.channelHistory(channel, limit);
  }

  addResumeToken(token: ResumeTokenRecord, keep: number): void {
    this.#resumeTokens.add(token, keep);
  }

  takeResumeToken(tokenHash: string): ResumeTokenRecord | undefined {
    return this.#resumeTokens.take(tokenHash);
  }

  deleteResumeTokens(tokenHashes: readonly string[]): number {
    return this.#resumeTokens.delete(tokenHashes);
  }

  deletePlayerResumeTokens(playerKey: string): number {
    return this.#resumeTokens.deletePlayer(playerKey);
  }

  loadWorldThings(): StoredThing[] {
    return this.#things.loadWorld();
  }

  loadHeld(rootId: string): StoredThing[] {
    return this.#things.loadHeld(rootId);
  }

  saveThing(record: ThingRecord, seq: number): number {
    return this.#things.save(record, seq);
  }

  moveThing(id: string, location: string | null, seq: number): void {
    this.#things.move(id, location, seq);
  }

  deleteThing(id: string): void {
    this.#things.delete(id);
  }

  maxSeq(): number {
    return this.#things.maxSeq();
  }

  seedWorld(records: readonly ThingRecord[], firstSeq: number): SeedReport {
    return this.#things.seed(records, firstSeq);
  }

  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  close(): void {
    // The worker's connection first: the main one, closing last, checkpoints the whole WAL
    // and removes it, as docs/backups.md promises after a stop.
    this.#checkpointer?.stop();
    if (this.#db.open) this.#db.close();
  }

  /** The connection's settings as SQLite reports them now; for the boot log and hardening D2. */
  settings(): SqliteSettings {
    const level = Number(this.#db.pragma("synchronous", { simple: true }));
    return {
      journalMode: String(this.#db.pragma("journal_mode", { simple: true })),
      synchronous: SYNCHRONOUS_LEVELS[level] ?? "full",
      foreignKeys: Number(this.#db.pragma("foreign_keys", { simple: true })) === 1,
      busyTimeoutMs: Number(this.#db.pragma("busy_timeout", { simple: true })),
      walAutocheckpointPages: Number(this.#db.pragma("wal_autocheckpoint", { simple: true })),
      walCheckpointer: this.#checkpointer?.running ?? false,
    };
  }
}

function toPlayer(row: PlayerRow): PlayerRecord {
  const role = Roles.find((r) => r === row.role);
  if (role === undefined) {
    // Unreachable through this module (the column has a CHECK); guards hand-edited files.
    throw new StoreError("invalid-record", `Player "${row.key}" has an unknown role "${row.role}".`);
  }
  return {
    key: row.key,
    name: row.name,
    passwordHash: row.password_hash,
    role,
    room: row.room,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    muted: row.muted === 1,
    ban: row.banned_reason === null ? null : { reason: row.banned_reason, by: row.banned_by ?? "", at: row.banned_at ?? 0 },
  };
}

function expectPlayer(changes: number, key: string): void {
  if (changes === 0) throw new StoreError("no-such-player", `No player "${key}".`);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sqliteCode(err: unknown): string | undefined {
  return err instanceof Database.SqliteError ? err.code : undefined;
}
