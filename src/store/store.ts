import type { ThingRecord } from "../world/model/thing-record.js";

/**
 * Persistence, as the world sees it. The world depends only on this interface; SQLite
 * (`sqlite-store.ts`) is the default implementation.
 *
 * Every method is synchronous: the default store is embedded SQLite, whose calls take
 * microseconds, and a synchronous store keeps "acknowledged" meaning "committed" (hardening D1).
 */

/** The roles a player can hold, weakest first. */
export const Roles = ["player", "builder", "admin"] as const;
/** A player's role: what commands they may run. */
export type Role = (typeof Roles)[number];

/** One player account as stored. */
export interface PlayerRecord {
  /** The lowercase name; the primary key (e.g. `"alice"`). */
  readonly key: string;
  /** The display name (e.g. `"Alice"`). Always equal to `key` ignoring case. */
  readonly name: string;
  /** An argon2id PHC string (hardening A1); never the password itself. */
  readonly passwordHash: string;
  readonly role: Role;
  /**
   * Where the player's character appears when it has no thing yet: the room given to
   * {@link Store.createPlayer} (or, for an account older than the things table, the room it was
   * last saved in); `null` when unknown (the world puts them at the start). Once the character
   * exists, its room is its thing's `location`, and this is not updated.
   */
  readonly room: string | null;
  /** Wall-clock milliseconds (`Date.now()` style) when the account was created. */
  readonly createdAt: number;
  /** Wall-clock milliseconds of the last {@link Store.touchPlayer}; `null` if never touched. */
  readonly lastSeenAt: number | null;
  /** Whether an admin muted the player: no say, emote, tell, whisper or channel post. */
  readonly muted: boolean;
  /** The ban on the account, if any: a banned character cannot log in. */
  readonly ban: Ban | null;
}

/** Why and by whom an account was banned. */
export interface Ban {
  /** What the admin gave as the reason; may be empty. */
  readonly reason: string;
  /** The name of the admin who banned it (or "operator" from the command line). */
  readonly by: string;
  /** Wall-clock milliseconds. */
  readonly at: number;
}

/** A chat channel. */
export interface ChannelRecord {
  /** Lowercase letters and digits, as typed: `chat`. */
  readonly name: string;
  /** Whether every character is in it unless they leave it (`chat`); otherwise only those who join. */
  readonly autojoin: boolean;
  /** Wall-clock milliseconds. */
  readonly createdAt: number;
}

/** One line posted on a channel, as kept for `history`. */
export interface ChannelLine {
  readonly channel: string;
  /** Wall-clock milliseconds. */
  readonly at: number;
  /** The poster's display name. */
  readonly sender: string;
  /** What they posted, already sanitised. */
  readonly text: string;
}

/**
 * One resume token as stored (issue 9, docs/web-client.md, "Resume tokens"): its sha256, never the token, so a
 * copy of the database logs nobody in.
 */
export interface ResumeTokenRecord {
  /** The sha256 of the token's text, 64 lowercase hex digits. */
  readonly tokenHash: string;
  /** The player it logs in. */
  readonly playerKey: string;
  /** Wall-clock milliseconds. */
  readonly issuedAt: number;
  /** Wall-clock milliseconds; at or after this instant the token no longer works. */
  readonly expiresAt: number;
}

/** One thing as the store holds it. */
export interface StoredThing {
  readonly record: ThingRecord;
  /** Its order among the contents of its location: contents are listed by ascending `seq`. */
  readonly seq: number;
  /**
   * A small positive integer fixed when the row is first written and never reused: the room
   * number MUD clients' mappers key on (GMCP `Room.Info.num`).
   */
  readonly num: number;
}

/** What {@link Store.seedWorld} did. */
export interface SeedReport {
  /** Ids inserted because the store did not have them. */
  readonly inserted: readonly string[];
  /** Ids whose world-file record changed and was merged into the stored one. */
  readonly updated: readonly string[];
  /** Ids the files define that the store holds as made in play (no seed): left as they are. */
  readonly conflicts: readonly string[];
  /** Ids seeded from the files once, which the files no longer define: left as they are. */
  readonly orphaned: readonly string[];
}

/**
 * The world's persistence. Each method commits before it returns unless it runs inside
 * {@link Store.transaction}, in which case it commits with the transaction.
 */
export interface Store {
  /** The player with this key (lowercase name), or `undefined`. */
  findPlayer(key: string): PlayerRecord | undefined;
  /**
   * A player whose name reads the same as `name` (equal `nameSkeleton`, src/accounts/name-skeleton.ts),
   * `name`'s own player included, or `undefined`. An index lookup (issue 5 item 7).
   */
  findLookalike(name: string): PlayerRecord | undefined;
  /**
   * Creates a player; `role` defaults to `"player"`, `lastSeenAt` starts `null`.
   * Throws StoreError `"name-taken"` if the key exists, `"name-confusable"` if another
   * player's name reads the same ({@link Store.findLookalike}; checked in the same transaction
   * as the insert, so two look-alikes created at once cannot both succeed), `"invalid-record"`
   * if `key` is not `name` in lowercase.
   */
  createPlayer(p: { key: string; name: string; passwordHash: string; room: string; role?: Role; now: number }): PlayerRecord;
  /** Sets `lastSeenAt` to `now`. Throws StoreError `"no-such-player"` for an unknown key. */
  touchPlayer(key: string, now: number): void;
  /** Changes the player's role. Throws StoreError `"no-such-player"` for an unknown key. */
  setRole(key: string, role: Role): void;
  /** How many players hold the role `admin`, so the last one cannot be demoted (issue 7). */
  countAdmins(): number;
  /** Mutes or unmutes a player. Throws StoreError `"no-such-player"` for an unknown key. */
  setMuted(key: string, muted: boolean): void;
  /**
   * Bans a player (`ban`) or lifts the ban (`null`). A ban also revokes the player's resume
   * tokens, in the same transaction. Throws StoreError `"no-such-player"` for an unknown key.
   */
  setBan(key: string, ban: Ban | null): void;
  /** The keys of the players `key` ignores, in the order ignored. */
  ignoresOf(key: string): string[];
  /** Starts (`on`) or stops ignoring `ignored`. Idempotent. Throws `"no-such-player"` if either key is unknown. */
  setIgnore(key: string, ignored: string, on: boolean): void;
  /** Every channel, by name. */
  channels(): ChannelRecord[];
  /** Creates a channel. Throws StoreError `"channel-exists"` if the name is taken. */
  createChannel(channel: { name: string; autojoin: boolean; now: number }): ChannelRecord;
  /** Removes a channel with its memberships and history; false if there was none. */
  removeChannel(name: string): boolean;
  /** The channels `key` joined (true) or left (false), overriding each channel's `autojoin`. */
  membershipsOf(key: string): Map<string, boolean>;
  /** Records that `key` joined or left `channel`. Throws `"no-such-player"` or `"no-such-channel"`. */
  setMembership(channel: string, key: string, member: boolean): void;
  /** Appends a line to a channel's history, keeping only its newest `keep`. Throws `"no-such-channel"`. */
  appendChannelLine(line: ChannelLine, keep: number): void;
  /** A channel's newest `limit` lines, oldest first. */
  channelHistory(channel: string, limit: number): ChannelLine[];
  /**
   * Stores a resume token, in one transaction with its housekeeping: every token expired by
   * `token.issuedAt` (anyone's) is deleted first, and afterwards only the player's newest `keep`
   * remain (the oldest go; issue 9). Throws StoreError `"no-such-player"` for an unknown player.
   */
  addResumeToken(token: ResumeTokenRecord, keep: number): void;
  /**
   * Deletes the token with this hash and returns it, expired or not; `undefined` if there is
   * none. One statement, so two sessions presenting the same token cannot both take it.
   */
  takeResumeToken(tokenHash: string): ResumeTokenRecord | undefined;
  /** Deletes the tokens with these hashes (those that exist); returns how many went. */
  deleteResumeTokens(tokenHashes: readonly string[]): number;
  /** Deletes every token of the player; returns how many went. */
  deletePlayerResumeTokens(playerKey: string): number;
  /**
   * Every thing except players' characters and what they hold (directly or inside something
   * they hold), in ascending `seq`. Read once at boot: this is the live world. Throws StoreError
   * `"invalid-record"`, naming the thing, for a row whose record is not a JSON object.
   */
  loadWorldThings(): StoredThing[];
  /**
   * The thing `rootId` (a player's character, `player:<key>`) and everything inside it,
   * transitively, in ascending `seq`; empty when the store has no such thing and nothing inside
   * it. The contents come even without the root's row (things a player carried before
   * characters were stored name `player:<key>` as their location). Read at login. Throws
   * StoreError `"invalid-record"` as {@link Store.loadWorldThings} does.
   */
  loadHeld(rootId: string): StoredThing[];
  /**
   * Inserts or replaces a thing's record and seq; its seed (if any) is kept. Returns its `num`.
   * Used for things made in play and for every change to a thing's record (a door opened).
   */
  saveThing(record: ThingRecord, seq: number): number;
  /** Puts a thing somewhere else: sets its location and seq. Throws StoreError `"no-such-thing"`. */
  moveThing(id: string, location: string | null, seq: number): void;
  /** Deletes one thing (not what is inside it). Nothing happens if there is no such thing. */
  deleteThing(id: string): void;
  /** The highest `seq` in use; 0 for an empty world. */
  maxSeq(): number;
  /**
   * Brings the world files' records into the store in one transaction, by the seeding rule of
   * docs/world.md: a record the store lacks is inserted (at seqs from `firstSeq` up, in the
   * order given); one whose files' form changed since it was last seeded is merged field by
   * field, each field keeping a value changed in play and otherwise following the files.
   * A record inserted for the first time takes its location from the legacy thing_locations
   * table when that has a row for it (where a player left it; a room the records do not define
   * is ignored), and the legacy rows of every id in `records` are then deleted.
   * Throws StoreError `"invalid-record"` for two records with one id, or a stored row whose
   * JSON does not parse; either way nothing is written.
   */
  seedWorld(records: readonly ThingRecord[], firstSeq: number): SeedReport;
  /**
   * Runs `fn` in one transaction: all of its writes commit together, or none do if it throws
   * (the error is rethrown). `fn` must be synchronous. Transactions nest (as savepoints).
   */
  transaction<T>(fn: () => T): T;
  /** Closes the store, flushing everything committed. Idempotent. No other method may be called after. */
  close(): void;
}
