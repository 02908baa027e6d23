/**
 * The resume tokens table (migration 5; issue 9, docs/web-client.md, "Resume tokens"). {@link SqliteStore}
 * delegates its token methods here; the statements are prepared once, when the store opens.
 * Only hashes pass through here: the token itself never reaches the database.
 */
import Database from "better-sqlite3";
import { StoreError } from "./store-error.js";
import type { ResumeTokenRecord } from "./store.js";

interface TokenRow {
  token_hash: string;
  player_key: string;
  issued_at: number;
  expires_at: number;
}

/** Resume tokens, for {@link SqliteStore}. */
export class SqliteResumeTokens {
  readonly #db: Database.Database;
  readonly #purge: Database.Statement<[number]>;
  readonly #insert: Database.Statement<[string, string, number, number]>;
  readonly #trim: Database.Statement<[string, string, number]>;
  readonly #take: Database.Statement<[string], TokenRow>;
  readonly #delete: Database.Statement<[string]>;
  readonly #deletePlayer: Database.Statement<[string]>;

  /** Prepares every statement on `db`, which must hold the full schema. */
  constructor(db: Database.Database) {
    this.#db = db;
    // A scan of the table, run once per issue: it holds at most a few tokens per player who
    // asked for them, and purging here keeps it so without a timer.
    this.#purge = db.prepare("DELETE FROM resume_tokens WHERE expires_at <= ?");
    this.#insert = db.prepare("INSERT INTO resume_tokens (token_hash, player_key, issued_at, expires_at) VALUES (?, ?, ?, ?)");
    // Everything older than the player's newest `keep`, by the (player_key, issued_at) index;
    // rowid breaks ties between tokens issued in the same millisecond.
    this.#trim = db.prepare(
      `DELETE FROM resume_tokens WHERE player_key = ? AND rowid NOT IN (
         SELECT rowid FROM resume_tokens WHERE player_key = ? ORDER BY issued_at DESC, rowid DESC LIMIT ?)`,
    );
    this.#take = db.prepare("DELETE FROM resume_tokens WHERE token_hash = ? RETURNING token_hash, player_key, issued_at, expires_at");
    this.#delete = db.prepare("DELETE FROM resume_tokens WHERE token_hash = ?");
    this.#deletePlayer = db.prepare("DELETE FROM resume_tokens WHERE player_key = ?");
  }

  add(token: ResumeTokenRecord, keep: number): void {
    try {
      this.#db.transaction(() => {
        this.#purge.run(token.issuedAt);
        this.#insert.run(token.tokenHash, token.playerKey, token.issuedAt, token.expiresAt);
        this.#trim.run(token.playerKey, token.playerKey, Math.max(1, Math.trunc(keep)));
      })();
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code === "SQLITE_CONSTRAINT_FOREIGNKEY") {
        throw new StoreError("no-such-player", `No player "${token.playerKey}".`, { cause: err });
      }
      throw err;
    }
  }

  take(tokenHash: string): ResumeTokenRecord | undefined {
    const row = this.#take.get(tokenHash);
    return row === undefined
      ? undefined
      : { tokenHash: row.token_hash, playerKey: row.player_key, issuedAt: row.issued_at, expiresAt: row.expires_at };
  }

  delete(tokenHashes: readonly string[]): number {
    if (tokenHashes.length === 0) return 0;
    return this.#db.transaction(() => tokenHashes.reduce((n, hash) => n + this.#delete.run(hash).changes, 0))();
  }

  deletePlayer(playerKey: string): number {
    return this.#deletePlayer.run(playerKey).changes;
  }
}
