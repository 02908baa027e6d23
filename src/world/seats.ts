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

  constructor(init: { key: string; name: string; role: Role; session: SessionId; door: string; now: number; character: Thing }) {
    this.key = init.key;
    this.name = init.name;
    this.role = init.role;
    this.session = init.session;
    this.door = init.door;
    this.lastActiveAt = init.now;
    this.character = init.character;
  }
}
