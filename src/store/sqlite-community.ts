/**
 * The tables of people's dealings with each other (migration 4): ignores, channels, channel
 * memberships and channel history. {@link SqliteStore} delegates its methods here; the
 * statements are prepared once, when the store opens.
 */
import Database from "better-sqlite3";
import { StoreError } from "./store-error.js";
import type { ChannelLine, ChannelRecord } from "./store.js";

interface ChannelRow {
  name: string;
  autojoin: number;
  created_at: number;
}

/** Ignores, channels and their history, for {@link SqliteStore}. */
export class SqliteCommunity {
  readonly #ignores: Database.Statement<[string], string>;
  readonly #ignore: Database.Statement<[string, string]>;
  readonly #unignore: Database.Statement<[string, string]>;
  readonly #channels: Database.Statement<[], ChannelRow>;
  readonly #createChannel: Database.Statement<[string, number, number]>;
  readonly #removeChannel: Database.Statement<[string]>;
  readonly #memberships: Database.Statement<[string], { channel: string; member: number }>;
  readonly #setMembership: Database.Statement<[string, string, number]>;
  readonly #append: Database.Statement<[string, number, string, string]>;
  readonly #trim: Database.Statement<[string, string, number]>;
  readonly #history: Database.Statement<[string, number], ChannelLine>;

  /** Prepares every statement on `db`, which must hold the full schema. */
  constructor(db: Database.Database) {
    this.#ignores = db.prepare<[string], string>("SELECT ignored_key FROM ignores WHERE player_key = ? ORDER BY rowid").pluck();
    this.#ignore = db.prepare("INSERT INTO ignores (player_key, ignored_key) VALUES (?, ?) ON CONFLICT DO NOTHING");
    this.#unignore = db.prepare("DELETE FROM ignores WHERE player_key = ? AND ignored_key = ?");
    this.#channels = db.prepare("SELECT name, autojoin, created_at FROM channels ORDER BY name");
    this.#createChannel = db.prepare("INSERT INTO channels (name, autojoin, created_at) VALUES (?, ?, ?)");
    this.#removeChannel = db.prepare("DELETE FROM channels WHERE name = ?");
    this.#memberships = db.prepare("SELECT channel, member FROM channel_members WHERE player_key = ?");
    this.#setMembership = db.prepare(
      `INSERT INTO channel_members (channel, player_key, member) VALUES (?, ?, ?)
       ON CONFLICT (channel, player_key) DO UPDATE SET member = excluded.member`,
    );
    this.#append = db.prepare("INSERT INTO channel_lines (channel, at, sender, text) VALUES (?, ?, ?, ?)");
    // Everything older than the newest `keep` lines of the channel.
    this.#trim = db.prepare(
      `DELETE FROM channel_lines WHERE channel = ? AND id <= (
         SELECT id FROM channel_lines WHERE channel = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
    this.#history = db.prepare(
      `SELECT channel, at, sender, text FROM (
         SELECT id, channel, at, sender, text FROM channel_lines WHERE channel = ? ORDER BY id DESC LIMIT ?)
       ORDER BY id`,
    );
  }

  ignoresOf(key: string): string[] {
    return this.#ignores.all(key);
  }

  setIgnore(key: string, ignored: string, on: boolean): void {
    try {
      if (on) this.#ignore.run(key, ignored);
      else this.#unignore.run(key, ignored);
    } catch (err) {
      throw foreignKey(err, "no-such-player", `No player "${key}" or "${ignored}".`);
    }
  }

  channels(): ChannelRecord[] {
    return this.#channels.all().map((row) => ({ name: row.name, autojoin: row.autojoin === 1, createdAt: row.created_at }));
  }

  createChannel(channel: { name: string; autojoin: boolean; now: number }): ChannelRecord {
    try {
      this.#createChannel.run(channel.name, channel.autojoin ? 1 : 0, channel.now);
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
        throw new StoreError("channel-exists", `There is already a channel called "${channel.name}".`, { cause: err });
      }
      throw err;
    }
    return { name: channel.name, autojoin: channel.autojoin, createdAt: channel.now };
  }

  removeChannel(name: string): boolean {
    return this.#removeChannel.run(name).changes > 0;
  }

  membershipsOf(key: string): Map<string, boolean> {
    return new Map(this.#memberships.all(key).map((row) => [row.channel, row.member === 1]));
  }

  setMembership(channel: string, key: string, member: boolean): void {
    try {
      this.#setMembership.run(channel, key, member ? 1 : 0);
    } catch (err) {
      throw foreignKey(err, "no-such-channel", `No channel "${channel}" or no player "${key}".`);
    }
  }

  appendChannelLine(line: ChannelLine, keep: number): void {
    try {
      this.#append.run(line.channel, line.at, line.sender, line.text);
    } catch (err) {
      throw foreignKey(err, "no-such-channel", `No channel "${line.channel}".`);
    }
    this.#trim.run(line.channel, line.channel, Math.max(0, Math.trunc(keep)));
  }

  channelHistory(channel: string, limit: number): ChannelLine[] {
    return this.#history.all(channel, Math.max(0, Math.trunc(limit)));
  }
}

/** A foreign-key failure as the store's own error; anything else as it was. */
function foreignKey(err: unknown, code: "no-such-player" | "no-such-channel", message: string): unknown {
  if (err instanceof Database.SqliteError && err.code === "SQLITE_CONSTRAINT_FOREIGNKEY") return new StoreError(code, message, { cause: err });
  return err;
}
