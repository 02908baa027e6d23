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
  /** The room the player was last in; `null` when unknown (the world puts them at the start). */
  readonly room: string | null;
  /** Wall-clock milliseconds (`Date.now()` style) when the account was created. */
  readonly createdAt: number;
  /** Wall-clock milliseconds of the last {@link Store.touchPlayer}; `null` if never touched. */
  readonly lastSeenAt: number | null;
}

/** Where a thing is: lying in a room, or carried by a player (by player key). */
export type ThingLocation =
  | { readonly kind: "room"; readonly id: string }
  | { readonly kind: "player"; readonly id: string };

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
  /** Records the player's current room. Throws StoreError `"no-such-player"` for an unknown key. */
  savePlayerRoom(key: string, room: string): void;
  /** Sets `lastSeenAt` to `now`. Throws StoreError `"no-such-player"` for an unknown key. */
  touchPlayer(key: string, now: number): void;
  /** Changes the player's role. Throws StoreError `"no-such-player"` for an unknown key. */
  setRole(key: string, role: Role): void;
  /** Where each thing (by its world-file id) was last put; things never moved are absent. */
  loadThingLocations(): Map<string, ThingLocation>;
  /**
   * Records where a thing now is, replacing any earlier location. Throws StoreError
   * `"no-such-player"` if `where` names a player key that does not exist.
   */
  saveThingLocation(thingId: string, where: ThingLocation): void;
  /**
   * Runs `fn` in one transaction: all of its writes commit together, or none do if it throws
   * (the error is rethrown). `fn` must be synchronous. Transactions nest (as savepoints).
   */
  transaction<T>(fn: () => T): T;
  /** Closes the store, flushing everything committed. Idempotent. No other method may be called after. */
  close(): void;
}
