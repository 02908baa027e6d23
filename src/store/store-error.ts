/**
 * The store's error catalog. Callers branch on `code`, never on the message; a code, once
 * published, keeps its meaning and is never reused for something else.
 */
import { LoomError, type ErrorCode } from "../errors.js";

/** Every code a {@link StoreError} can carry (all of them in the catalog, src/errors.ts). */
export const StoreErrorCodes = [
  /** `createPlayer` for a key that already exists. */
  "name-taken",
  /** `createPlayer` for a name that reads like an existing player's (the same skeleton; issue 5 item 7). */
  "name-confusable",
  /** `touchPlayer` or `setRole` for a player key that is not in the store. */
  "no-such-player",
  /** A record broke an invariant the store enforces (e.g. a key that is not the lowercase name). */
  "invalid-record",
  /** SQLite could not put the database file in WAL mode (e.g. it is on a network filesystem). */
  "wal-unavailable",
  /** The migration list itself is malformed (versions not strictly increasing positive integers). */
  "migration-invalid",
  /** `createChannel` for a name that exists. */
  "channel-exists",
  /** A membership or a history line named a channel that is not in the store. */
  "no-such-channel",
  /** A migration threw; it was rolled back completely and the database left as it was before it. */
  "migration-failed",
  /** The database was written by a newer Loom: it records a migration this build does not know. */
  "schema-too-new",
  /** `moveThing` for an id the store does not hold. */
  "no-such-thing",
] as const satisfies readonly ErrorCode[];

/** A {@link StoreError} code. */
export type StoreErrorCode = (typeof StoreErrorCodes)[number];

/** An error from the store, with a stable {@link StoreErrorCode}. The underlying error, if any, is `cause`. */
export class StoreError extends LoomError<StoreErrorCode> {}
