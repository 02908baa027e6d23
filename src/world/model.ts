/**
 * The live world: rooms, things and the players in them. Plain objects with containment kept
 * in both directions (a thing knows its location; a room knows its contents) so that every
 * look-up a command makes is a set or map access.
 */
import type { Role } from "../store/store.js";
import type { SessionId } from "../session/messages.js";

/** A place. Rooms come from the world files and do not change at run time (yet). */
export class Room {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Exit name (lowercase: "north", "in", "bridge") → destination room id. */
  readonly exits: ReadonlyMap<string, string>;
  /** Things lying here. */
  readonly things = new Set<Thing>();
  /** Players standing here. */
  readonly players = new Set<Player>();

  constructor(def: { id: string; name: string; description: string; exits: ReadonlyMap<string, string> }) {
    this.id = def.id;
    this.name = def.name;
    this.description = def.description;
    this.exits = def.exits;
  }
}

/** Where a thing can be: in a room, carried by a player, or held for a player who is offline. */
export type ThingPlace =
  | { readonly kind: "room"; readonly room: Room }
  | { readonly kind: "carried"; readonly player: Player }
  | { readonly kind: "offline"; readonly playerKey: string };

/** An object in the world: a lantern to carry, a fountain to look at. */
export class Thing {
  readonly id: string;
  /** How it reads in a sentence: "a brass lantern". */
  readonly name: string;
  /** Words that refer to it, lowercase. */
  readonly keywords: readonly string[];
  readonly description: string;
  /** False for fixtures, which cannot be picked up. */
  readonly portable: boolean;
  place: ThingPlace;

  constructor(
    def: { id: string; name: string; keywords: readonly string[]; description: string; portable: boolean },
    place: ThingPlace,
  ) {
    this.id = def.id;
    this.name = def.name;
    this.keywords = def.keywords;
    this.description = def.description;
    this.portable = def.portable;
    this.place = place;
  }
}

/** A character in play, bound to exactly one session while online. */
export class Player {
  readonly key: string;
  readonly name: string;
  role: Role;
  room: Room;
  session: SessionId;
  /** The door the player came in by, for `who`. */
  door: string;
  readonly inventory = new Set<Thing>();
  /** Clock time of the last command, for `who`'s idle column. */
  lastActiveAt: number;

  constructor(init: { key: string; name: string; role: Role; room: Room; session: SessionId; door: string; now: number }) {
    this.key = init.key;
    this.name = init.name;
    this.role = init.role;
    this.room = init.room;
    this.session = init.session;
    this.door = init.door;
    this.lastActiveAt = init.now;
  }
}
