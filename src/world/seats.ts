/**
 * Who is playing whom: a logged-in person, as the world keeps them between commands. The
 * character they play is a Thing like any other; this is the part that belongs to the
 * connection (the door, the session, the role, a pending "which one?").
 */
import type { SessionId } from "../session/messages.js";
import type { Role } from "../store/store.js";
import type { Thing } from "./model/thing.js";

/** A question put to the player, answered by typing a number alone (docs/world.md, "Naming things"). */
export interface PendingChoice {
  /** The command that asked, to run again with the answer. */
  readonly line: string;
  /** The reference that was ambiguous, as typed. */
  readonly reference: string;
  readonly candidates: readonly Thing[];
}

/** What {@link Player.ignoring} is while they ignore nobody: shared, and never added to. */
const NOBODY: ReadonlySet<string> = new Set<string>();

/** A person playing, bound to exactly one session while online. */
export class Player {
  /** The account key: the lowercase name. */
  readonly key: string;
  readonly name: string;
  role: Role;
  session: SessionId;
  /** The door the player came in by, for `who`. */
  door: string;
  /** Clock time of the last command, for `who`'s idle column. */
  lastActiveAt: number;
  /** The character played. */
  readonly character: Thing;
  /** The "which one?" question waiting for a number, if any. */
  pending: PendingChoice | undefined = undefined;
  /** Whether an admin muted them: no say, emote, tell, whisper or channel post (saved on the account). */
  muted: boolean;
  /**
   * The keys of the players whose words they do not want to read (saved; shared with the
   * character once there is one). Most players ignore nobody, so the set is made on the first
   * {@link ignore}: an empty Set per player cost ~150 B (issue 11 target 3).
   */
  #ignoring: Set<string> | undefined;
  /** The key of the last player who told them something, for `reply`. */
  lastTeller: string | undefined = undefined;

  constructor(init: {
    key: string;
    name: string;
    role: Role;
    session: SessionId;
    door: string;
    now: number;
    character: Thing;
    muted?: boolean;
    ignoring?: Iterable<string>;
  }) {
    this.key = init.key;
    this.name = init.name;
    this.role = init.role;
    this.muted = init.muted ?? false;
    this.session = init.session;
    this.door = init.door;
    this.lastActiveAt = init.now;
    this.character = init.character;
    const ignoring = init.ignoring === undefined ? undefined : new Set(init.ignoring);
    this.#ignoring = ignoring === undefined || ignoring.size === 0 ? undefined : ignoring;
    init.character.ignoring = this.#ignoring;
  }

  /** The keys of the players whose words they do not want to read. */
  get ignoring(): ReadonlySet<string> {
    return this.#ignoring ?? NOBODY;
  }

  /** Starts ignoring `key` (the character's set is the same one). */
  ignore(key: string): void {
    if (this.#ignoring === undefined) {
      this.#ignoring = new Set();
      this.character.ignoring = this.#ignoring;
    }
    this.#ignoring.add(key);
  }

  /** Stops ignoring `key`. */
  unignore(key: string): void {
    this.#ignoring?.delete(key);
  }
}
