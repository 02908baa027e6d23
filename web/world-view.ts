/**
 * What the page knows of the player's surroundings from out-of-band data: the room and its
 * exits, the people and things in view, what the player carries, who they are, and the command
 * words they may use. The panels show it and Tab completion draws on it. Pure
 * (test/web/world-view.test.ts): `apply` takes parsed messages (oob-messages.ts) and says which
 * parts changed.
 */
import type { CompletionSources } from "./completion.js";
import type { Item, ItemLocation, OobEvent, Person } from "./oob-messages.js";

/** A part of the view, for redrawing only the panel that changed. */
export type ViewPart = "room" | "people" | "items" | "character" | "commands";

/** The character, as `Char.Name` and `Char.Status` describe them. */
export interface CharacterInfo {
  readonly name: string;
  readonly fullname: string;
  readonly pronouns: string;
  readonly role: string;
}

/** Most people or items kept per list (the server sends at most 50 and 100). */
export const MAX_TRACKED = 200;

/** Short exit names (Room.Info's keys) and what they stand for, for completion and labels. */
export const LONG_DIRECTIONS: Readonly<Record<string, string>> = {
  n: "north",
  ne: "northeast",
  e: "east",
  se: "southeast",
  s: "south",
  sw: "southwest",
  w: "west",
  nw: "northwest",
  u: "up",
  d: "down",
  in: "in",
  out: "out",
};

/**
 * Command words offered before the server's `Loom.Commands` arrives (or from a server that does
 * not send it): the ones every player has.
 */
export const DEFAULT_COMMANDS: readonly string[] = ["look", "say", "emote", "get", "drop", "give", "inventory", "who", "help", "quit", "north", "south", "east", "west", "up", "down"];

/** The page's model of the player's surroundings. */
export class WorldView {
  roomName = "";
  roomArea = "";
  /** Room.Info's exit keys, in its order ("n", "e", "gate"). */
  exits: readonly string[] = [];
  readonly #people = new Map<string, Person>();
  readonly #items: Record<ItemLocation, Map<string, Item>> = { room: new Map(), inv: new Map() };
  commands: readonly string[] = DEFAULT_COMMANDS;
  character: CharacterInfo | undefined;

  /** Takes one message into the view; returns the part it changed, if any. */
  apply(event: OobEvent): ViewPart | undefined {
    switch (event.type) {
      case "room-info":
        this.roomName = event.name;
        this.roomArea = event.area;
        this.exits = event.exits;
        return "room";
      case "room-players":
        this.#people.clear();
        for (const person of event.people.slice(0, MAX_TRACKED)) this.#people.set(person.name.toLowerCase(), person);
        return "people";
      case "room-add-player":
        if (this.#people.size >= MAX_TRACKED && !this.#people.has(event.person.name.toLowerCase())) return undefined;
        this.#people.set(event.person.name.toLowerCase(), event.person);
        return "people";
      case "room-remove-player":
        return this.#people.delete(event.name.toLowerCase()) ? "people" : undefined;
      case "char-name":
        this.character = { pronouns: "", role: "", ...this.character, name: event.name, fullname: event.fullname };
        return "character";
      case "char-status":
        this.character = { fullname: event.name, ...this.character, name: event.name, pronouns: event.pronouns, role: event.role };
        return "character";
      case "items-list": {
        const items = this.#items[event.location];
        items.clear();
        for (const item of event.items.slice(0, MAX_TRACKED)) items.set(item.id, item);
        return "items";
      }
      case "items-add": {
        const items = this.#items[event.location];
        if (items.size >= MAX_TRACKED && !items.has(event.item.id)) return undefined;
        items.set(event.item.id, event.item);
        return "items";
      }
      case "items-remove":
        return this.#items[event.location].delete(event.item.id) ? "items" : undefined;
      case "commands":
        this.commands = event.commands;
        return "commands";
      case "channel-list":
      case "channel-text":
      case "resume-token":
      case "resume-failed":
        return undefined;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }

  /** The people in view, in the order they came. */
  get people(): readonly Person[] {
    return [...this.#people.values()];
  }

  /** The things in the room or carried. */
  items(location: ItemLocation): readonly Item[] {
    return [...this.#items[location].values()];
  }

  /**
   * Whether `name` (case-insensitive, without its article) is someone in view: a person, or a
   * creature among the room's things (attrib "m").
   */
  isPresent(name: string): boolean {
    const lower = name.toLowerCase();
    if (this.#people.has(lower)) return true;
    for (const item of this.#items.room.values()) if (item.attrib.includes("m") && item.name.toLowerCase() === lower) return true;
    return false;
  }

  /** Exit words a player may type: each key and, for compass keys, the long name too. */
  exitWords(): string[] {
    const words: string[] = [];
    for (const key of this.exits) {
      words.push(key);
      const long = LONG_DIRECTIONS[key];
      if (long !== undefined && long !== key) words.push(long);
    }
    return words;
  }

  /** What Tab can complete now: command words, exit words, things here and carried, people in view. */
  completions(): CompletionSources {
    return {
      commands: this.commands,
      exits: this.exitWords(),
      things: [...this.items("room"), ...this.items("inv")].map((item) => item.name),
      people: this.people.map((person) => person.name),
    };
  }

  /** Forgets the room and the character (a new connection before its login). */
  reset(): void {
    this.roomName = "";
    this.roomArea = "";
    this.exits = [];
    this.#people.clear();
    this.#items.room.clear();
    this.#items.inv.clear();
    this.character = undefined;
    this.commands = DEFAULT_COMMANDS;
  }
}
