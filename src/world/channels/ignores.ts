/**
 * Who a player does not want to read (issue 7, "Talking"): `ignore <name>` hides that
 * person's say, emote, tell, whisper and channel lines. The list is saved on the account
 * (store.setIgnore) and kept, while the player is online, in `Player.ignoring` — the same set
 * their character carries, which the narrator reads for events marked `ignorable` and the
 * channel service reads for posts. The ignored person is never told.
 */
import { StoreError } from "../../store/store-error.js";
import type { Store } from "../../store/store.js";
import type { Player } from "../seats.js";

/** Most people one player may ignore: the list is held in memory while they play, and checked per line they might read. */
export const MAX_IGNORED = 100;

/** What {@link IgnoreService.ignore} did. */
export type IgnoreResult = "ignored" | "already" | "self" | "no-such-player" | "too-many";
/** What {@link IgnoreService.unignore} did. */
export type UnignoreResult = "unignored" | "not-ignoring";

/** Ignoring as actions see it (`world.ignores`). Keys are lowercase names. */
export interface IgnoreService {
  /** Starts ignoring the player `key`, saved. */
  ignore(player: Player, key: string): IgnoreResult;
  /** Stops ignoring the player `key`, saved. */
  unignore(player: Player, key: string): UnignoreResult;
}

/** The ignore lists of the players online, saved as they change. */
export class Ignores implements IgnoreService {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  ignore(player: Player, key: string): IgnoreResult {
    if (key === player.key) return "self";
    if (player.ignoring.has(key)) return "already";
    if (player.ignoring.size >= MAX_IGNORED) return "too-many";
    try {
      this.#store.setIgnore(player.key, key, true);
    } catch (err) {
      if (err instanceof StoreError && err.code === "no-such-player") return "no-such-player";
      throw err;
    }
    player.ignore(key);
    return "ignored";
  }

  unignore(player: Player, key: string): UnignoreResult {
    if (!player.ignoring.has(key)) return "not-ignoring";
    this.#store.setIgnore(player.key, key, false);
    player.unignore(key);
    return "unignored";
  }
}
