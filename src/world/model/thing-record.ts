/**
 * The stored form of one thing: what the world files author and the game then changes. It is
 * the one shape shared by the world files (the loader produces records), the store (a row
 * holds one record as JSON) and the live model (a Thing is built from a record and saved back
 * as one). Plain JSON data, so a record can be compared, merged and exported as it is.
 *
 * Everything is a thing (docs/world.md): a room, an exit, a lantern, a chest, a player's
 * character and a grey cat are all records; what each can do comes from its facets.
 */

import type { ColourMode } from "../../session/messages.js";

/** Pronoun sets a character may use (`pronouns <he|she|they|it>`). */
export const PronounSets = ["he", "she", "they", "it"] as const;
export type PronounSet = (typeof PronounSets)[number];

/** A door on an exit, or the lid of a container: open or shut, perhaps locked, perhaps by a key. */
export interface Closure {
  /** Whether it is open now. */
  readonly open: boolean;
  /** Whether it is locked now (only a closed closure can be locked). */
  readonly locked: boolean;
  /** The id of the thing that locks and unlocks it; absent: it has no lock. */
  readonly key?: string;
}

/** A door on an exit: a closure with a name of its own ("a heavy oak door"). */
export interface DoorRecord extends Closure {
  /** How the door reads in a sentence, article included: "a heavy oak door". */
  readonly name: string;
  /** Words that name the door (with the exit's own words): ["door", "oak"]. */
  readonly keywords: readonly string[];
}

/** A place: it has no location of its own. */
export interface RoomFacet {
  /** The region the room belongs to, for maps and GMCP `Room.Info.area`: "Shuttleford". */
  readonly area: string;
  /**
   * The kind of place, one word, for mappers' colours (GMCP `Room.Info.environment`): "urban",
   * "forest", "river". Absent: none given (`Room.Info` then says "").
   */
  readonly environment?: string;
}

/** A way out of the room the exit is in. */
export interface ExitFacet {
  /** The exit's name in its room: "north", "up", "in", "gate". Lowercase, never abbreviated. */
  readonly direction: string;
  /** The id of the room it leads to. */
  readonly to: string;
  /**
   * The door across it, if any. The exit back from the destination (the one whose `to` is this
   * exit's room and which names this exit as its `twin`) shares the same door: opening one side
   * opens both, and both records are saved together.
   */
  readonly door?: DoorRecord;
  /** The id of the exit leading back through the same door, when there is one. */
  readonly twin?: string;
}

/** A thing other things can be put in. */
export interface ContainerFacet {
  /** Its lid, when it has one; absent: always open (a basket, a shelf). */
  readonly closure?: Closure;
}

/** A player's colour choice other than the default, `on` (`color`, issue 8). */
export type ColourChoice = Exclude<ColourMode, "on">;

/** Someone: a player's character or a non-player character. */
export interface CharacterFacet {
  readonly pronouns: PronounSet;
  /** The account key for a player's character; absent for a non-player character. */
  readonly player?: string;
  /** The player's colour choice (`color`); absent: `on`, what their client announces. */
  readonly colour?: ColourChoice;
}

/** A named behaviour attached to a thing, with its parameters. */
export interface BehaviourRecord {
  /** The registered name: "greet", "wander", "respawn". */
  readonly name: string;
  /** Parameters as the world files give them, checked against the behaviour's zod schema. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** What a thing can do, by facet. Each is absent when the thing lacks it. */
export interface Facets {
  readonly room?: RoomFacet;
  readonly exit?: ExitFacet;
  /** Present (true) when players may pick it up. */
  readonly portable?: true;
  readonly container?: ContainerFacet;
  readonly character?: CharacterFacet;
  /** In the order they were attached. */
  readonly behaviours?: readonly BehaviourRecord[];
}

/** One thing, as stored and as the world files give it. */
export interface ThingRecord {
  /**
   * Unique, stable id. World-file things use their file id (`lantern`); exits
   * `<room>/<direction>` (`square/north`); copies made by `count` `<id>#<n>`; players'
   * characters `player:<account key>`; copies made in play (respawns) `<template>~<n>`.
   */
  readonly id: string;
  /**
   * The id of the thing this one is in: a room, a container, a character. `null` for rooms.
   * An offline character keeps the room it was last in.
   */
  readonly location: string | null;
  /**
   * How it reads in a sentence, article included: "a brass lantern", "an oak chest",
   * "the great waterwheel", "some rope"; a proper name has none: "Marta".
   */
  readonly name: string;
  /** The plural noun for counted lists ("copper coins"); absent: made from the name by rule. */
  readonly plural?: string;
  /** Lowercase words players type to refer to it; never empty. */
  readonly keywords: readonly string[];
  readonly description: string;
  /** The id of the thing this one was copied from (a respawned apple), which keys and respawns match by. */
  readonly template?: string;
  readonly facets: Facets;
  /**
   * What behaviours saved about themselves, by behaviour name (a respawn's due time). Kept
   * apart from `facets.behaviours` so that the world files, which author the behaviours, never
   * author their state (see the seeding rule in docs/world.md).
   */
  readonly behaviourState?: Readonly<Record<string, unknown>>;
  /**
   * Present (true) on the row left behind when a builder destroys a thing the world files
   * define (`destroy`, `unlink`): a tombstone, kept so that the seeding rule does not bring the
   * thing back at the next boot (a thing the store lacks is added). Its location is `null`; the
   * live world does not load it, and an export leaves it out. A thing made in play leaves no
   * tombstone: its row is deleted.
   */
  readonly destroyed?: true;
}
