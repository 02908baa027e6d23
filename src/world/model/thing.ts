/**
 * The one kind of object in the world (docs/world.md, "Everything is a thing"). A room, an
 * exit, a lantern, a chest, a player's character and a grey cat are all Things; what each can
 * do comes from its facets. Containment is kept in both directions — a thing knows its
 * location, a location its contents — and only `containment.ts` changes it, so the two sides
 * never disagree.
 */
import type { SessionId } from "../../session/messages.js";
import { parseNounPhrase, properNoun, type NounPhrase } from "../language/noun-phrase.js";
import { defaultKeywords } from "../world-vocabulary.js";
import type {
  BehaviourRecord,
  CharacterFacet,
  ColourChoice,
  ExitFacet,
  PronounSet,
  RoomFacet,
  ThingRecord,
} from "./thing-record.js";

/**
 * The live state of a door or a lid. A door is one object shared by the two exits it stands
 * between, so opening it from either side opens it on both. A builder may change any of it
 * (`set <thing> key ...`); saving the exit saves both sides.
 */
export interface ClosureState {
  open: boolean;
  locked: boolean;
  /** The id (or template id) of the thing that locks and unlocks it; absent: no lock. */
  key?: string;
}

/** A door: a closure with its own name and words. */
export interface DoorState extends ClosureState {
  readonly name: string;
  readonly phrase: NounPhrase;
  readonly keywords: readonly string[];
}

/**
 * The exit facet as the live world holds it: the door is the shared live object. A builder
 * adds, renames and removes doors (`set <exit> door ...`, src/world/building/doors.ts), which
 * replaces `door` (and `twin`) on both sides together.
 */
export interface LiveExit {
  readonly direction: string;
  readonly to: string;
  door?: DoorState;
  twin?: string;
}

/** A container as the live world holds it: its lid, if it has one. */
export interface LiveContainer {
  closure?: ClosureState;
}

/** A character's live facet. */
export interface LiveCharacter {
  pronouns: PronounSet;
  readonly player?: string;
  /** The player's colour choice (`color`); absent: `on`. */
  colour?: ColourChoice;
}

/** One object of the world. Build from a record with {@link Thing.fromRecord}. */
export class Thing {
  readonly id: string;
  /** The store's stable number for it (GMCP `Room.Info.num`); 0 until it is first saved. */
  num = 0;
  /** Its order among its location's contents in the store (contents load in ascending seq). */
  seq = 0;
  name: string;
  plural: string | undefined;
  /** How it reads in sentences; follows `name` and `plural`. */
  phrase: NounPhrase;
  keywords: readonly string[];
  description: string;
  readonly template: string | undefined;
  /** Where it is; `null` for rooms, and for a character that is offline. Changed only by containment.ts. */
  location: Thing | null = null;
  /** What is in it, in the order it arrived. Changed only by containment.ts. */
  readonly contents = new Set<Thing>();
  /**
   * The characters among `contents`, in the order they came; `undefined` until the first. A
   * crowd is counted (`people.size`) and its first few found without walking a room of
   * thousands (issue 11, docs/crowds.md). Changed only by containment.ts.
   */
  people: Set<Thing> | undefined = undefined;
  /**
   * Everything else among `contents` (exits, items), in the order it came; `undefined` until
   * the first: a room's exits and things are found without walking the crowd in it (issue 11).
   * Created on first use, as most things (every character) never hold any. Changed only by
   * containment.ts.
   */
  objects: Set<Thing> | undefined = undefined;
  readonly room: RoomFacet | undefined;
  readonly exit: LiveExit | undefined;
  portable: boolean;
  /** Set or cleared by a builder (`set <thing> container ...`). */
  container: LiveContainer | undefined;
  readonly character: LiveCharacter | undefined;
  behaviours: readonly BehaviourRecord[];
  /** Behaviours' saved state, by behaviour name. */
  behaviourState: Record<string, unknown>;
  /** The session playing this character, while someone does. Never saved. */
  session: SessionId | undefined = undefined;
  /**
   * The player keys whose words this character's player does not want to read (`ignore`),
   * while someone plays it: the narrator skips them for events marked `ignorable`. The set is
   * the player's own (seats.ts), saved on the account, not on the thing.
   */
  ignoring: ReadonlySet<string> | undefined = undefined;

  private constructor(record: ThingRecord, door: DoorState | undefined) {
    this.id = record.id;
    this.name = record.name;
    this.plural = record.plural;
    // A player's name is proper however they typed it ("xena" is not "a xena").
    this.phrase = record.facets.character?.player !== undefined ? properNoun(record.name) : parseNounPhrase(record.name, record.plural);
    this.keywords = record.keywords;
    this.description = record.description;
    this.template = record.template;
    const facets = record.facets;
    this.room = facets.room;
    this.exit =
      facets.exit === undefined
        ? undefined
        : {
            direction: facets.exit.direction,
            to: facets.exit.to,
            ...(door !== undefined ? { door } : {}),
            ...(facets.exit.twin !== undefined ? { twin: facets.exit.twin } : {}),
          };
    this.portable = facets.portable === true;
    const closure = facets.container?.closure;
    this.container =
      facets.container === undefined
        ? undefined
        : closure === undefined
          ? {}
          : { closure: { open: closure.open, locked: closure.locked, ...(closure.key !== undefined ? { key: closure.key } : {}) } };
    this.character = facets.character === undefined ? undefined : { ...facets.character };
    this.behaviours = facets.behaviours ?? [];
    this.behaviourState = { ...record.behaviourState };
  }

  /**
   * A live thing from its record. `sharedDoor` is the twin exit's live door, when the twin is
   * already built: both exits then hold the same object.
   */
  static fromRecord(record: ThingRecord, sharedDoor?: DoorState): Thing {
    const spec = record.facets.exit?.door;
    const door =
      sharedDoor ??
      (spec === undefined
        ? undefined
        : {
            name: spec.name,
            phrase: parseNounPhrase(spec.name),
            keywords: spec.keywords,
            open: spec.open,
            locked: spec.locked,
            ...(spec.key !== undefined ? { key: spec.key } : {}),
          });
    return new Thing(record, door);
  }

  /**
   * Gives it a new name (a builder's `rename`): its phrase follows, and its plural is made by
   * rule again. Its keywords follow only when they were the old name's defaults, so words a
   * builder or the files chose are kept. Returns whether the keywords followed.
   */
  rename(name: string): boolean {
    const follow = this.keywordsFollowName;
    this.name = name;
    this.plural = undefined;
    this.phrase = this.character?.player !== undefined ? properNoun(name) : parseNounPhrase(name);
    if (follow) this.keywords = defaultKeywords(name);
    return follow;
  }

  /** Whether its keywords are the ones its name gives by default (so a rename changes them too). */
  get keywordsFollowName(): boolean {
    const defaults = defaultKeywords(this.name);
    return defaults.length === this.keywords.length && defaults.every((word, i) => this.keywords[i] === word);
  }

  /** Whether this is someone (a player's character or a non-player character). */
  get isCharacter(): boolean {
    return this.character !== undefined;
  }

  /** The lid or door that can shut this thing or this exit, if any. */
  get closure(): ClosureState | DoorState | undefined {
    return this.exit?.door ?? this.container?.closure;
  }

  /** Whether this thing is `other` or inside it, however deep. */
  isWithin(other: Thing): boolean {
    for (let at: Thing | null = this; at !== null; at = at.location) if (at === other) return true;
    return false;
  }

  /** The record to save: the authored fields and the live state. */
  toRecord(): ThingRecord {
    const facets: ThingRecord["facets"] = {
      ...(this.room !== undefined ? { room: this.room } : {}),
      ...(this.exit !== undefined ? { exit: exitRecord(this.exit) } : {}),
      ...(this.portable ? { portable: true as const } : {}),
      ...(this.container !== undefined ? { container: containerRecord(this.container.closure) } : {}),
      ...(this.character !== undefined ? { character: characterRecord(this.character) } : {}),
      ...(this.behaviours.length > 0 ? { behaviours: this.behaviours } : {}),
    };
    return {
      id: this.id,
      location: this.location?.id ?? null,
      name: this.name,
      ...(this.plural !== undefined ? { plural: this.plural } : {}),
      keywords: this.keywords,
      description: this.description,
      ...(this.template !== undefined ? { template: this.template } : {}),
      facets,
      ...(Object.keys(this.behaviourState).length > 0 ? { behaviourState: { ...this.behaviourState } } : {}),
    };
  }
}

function exitRecord(exit: LiveExit): ExitFacet {
  const door = exit.door;
  return {
    direction: exit.direction,
    to: exit.to,
    ...(door !== undefined
      ? {
          door: {
            name: door.name,
            keywords: door.keywords,
            open: door.open,
            locked: door.locked,
            ...(door.key !== undefined ? { key: door.key } : {}),
          },
        }
      : {}),
    ...(exit.twin !== undefined ? { twin: exit.twin } : {}),
  };
}

function containerRecord(closure: ClosureState | undefined): { closure?: { open: boolean; locked: boolean; key?: string } } {
  if (closure === undefined) return {};
  return { closure: { open: closure.open, locked: closure.locked, ...(closure.key !== undefined ? { key: closure.key } : {}) } };
}

function characterRecord(character: LiveCharacter): CharacterFacet {
  return {
    pronouns: character.pronouns,
    ...(character.player !== undefined ? { player: character.player } : {}),
    ...(character.colour !== undefined ? { colour: character.colour } : {}),
  };
}
