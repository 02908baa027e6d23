/**
 * Who and what is around a character, as out-of-band data for a client's panels and its Tab
 * completion (issue 9): GMCP `Room.Players`, `Room.AddPlayer`, `Room.RemovePlayer` and
 * `Char.Items.List`, `.Add`, `.Remove`, in the shapes IRE games send (nexus.ironrealms.com/GMCP).
 * Players are people; everything else a player could name is an item, a non-player character
 * included (attrib "m", the IRE convention), exits excepted (`Room.Info` has them).
 *
 * Pure: these build payloads; the narrator sends an event's ones to the same readers as its text
 * (one message, many recipients: built once whatever the crowd, never per reader), and the
 * world sends the lists on entering a room, from the walk the room description already makes
 * (room-view.ts). Checked against the schemas of src/session/gmcp-packages.ts in the tests.
 */
import { MAX_LISTED_ITEMS, MAX_ROOM_PLAYERS } from "../session/gmcp-packages.js";
import type { Thing } from "./model/thing.js";

/**
 * The most things one event reports one by one (`Char.Items.Add`/`.Remove`); past it, one fresh
 * `Char.Items.List` of the place says the same in one message (a `get all` of a thousand coins
 * must not send a thousand messages to every reader in the room).
 */
export const MAX_ITEM_CHANGES = 10;

/** One entry of `Room.Players` (at most `MAX_ROOM_PLAYERS`, 50), and the body of `Room.AddPlayer`: `{ "name": "Alice", "fullname": "Alice" }`. */
export interface RoomPlayer {
  readonly name: string;
  readonly fullname: string;
}

/** Where an item is, as IRE names it: lying in the room, or carried ("inv"). */
export type ItemLocation = "room" | "inv";

/** An item as a client shows it: `{ "id": "red-apple", "name": "red apple", "attrib": "t" }`. */
export interface Item {
  /** The thing's world id: stable across restarts and renames, unique. */
  readonly id: string;
  /** The noun without its article, the words a player types to name it: "red apple", "grey cat", "Marta". */
  readonly name: string;
  /** IRE attribute letters, absent when none apply: "m" a non-player character, "t" takeable, "c" a container. */
  readonly attrib?: string;
}

/** `Char.Items.List`: `{ "location": "room", "items": [...] }`, at most `MAX_LISTED_ITEMS` (100, gmcp-packages.ts). */
export interface ItemList {
  readonly location: ItemLocation;
  readonly items: Item[];
}

/** `Char.Items.Add` and `Char.Items.Remove`: `{ "location": "inv", "item": {...} }`. */
export interface ItemChange {
  readonly location: ItemLocation;
  readonly item: Item;
}

/** One out-of-band message, built once for however many readers. */
export interface OobMessage {
  readonly channel: string;
  readonly data: unknown;
}

/** Whether a thing is a player's character (a person in `Room.Players`), not an item. */
export function isPlayerCharacter(thing: Thing): boolean {
  return thing.character?.player !== undefined;
}

/** A player's character as `Room.Players` names them. */
export function roomPlayerOf(thing: Thing): RoomPlayer {
  return { name: thing.name, fullname: thing.name };
}

/** A thing as an item. */
export function itemOf(thing: Thing): Item {
  const attrib = (thing.character !== undefined ? "m" : "") + (thing.portable ? "t" : "") + (thing.container !== undefined ? "c" : "");
  const name = thing.phrase.singular;
  return attrib === "" ? { id: thing.id, name } : { id: thing.id, name, attrib };
}

/** Whether a thing in a room is listed among its items: neither a player nor an exit. */
export function isItem(thing: Thing): boolean {
  return thing.exit === undefined && !isPlayerCharacter(thing);
}

/**
 * The lists a character is sent on entering a room, filled by the walk of the room that
 * describes it (room-view.ts `describeRoom`), so an arrival walks a crowded room once, not
 * once more per list. Each stops growing at its cap; the walk goes on for the description.
 */
export class RoomLists {
  readonly players: RoomPlayer[] = [];
  readonly items: Item[] = [];

  /** Takes one thing of the room (not the viewer, not an exit). */
  add(thing: Thing): void {
    if (isPlayerCharacter(thing)) {
      if (this.players.length < MAX_ROOM_PLAYERS) this.players.push(roomPlayerOf(thing));
    } else if (this.items.length < MAX_LISTED_ITEMS) {
      this.items.push(itemOf(thing));
    }
  }

  /** `Char.Items.List` of the room. */
  get itemList(): ItemList {
    return { location: "room", items: this.items };
  }
}

/** `Char.Items.List` of what `place` holds: a character's hands ("inv") or a room's floor; one walk, stopped at the cap. */
export function itemList(place: Thing, location: ItemLocation): ItemList {
  const items: Item[] = [];
  for (const thing of place.contents) {
    if (items.length >= MAX_LISTED_ITEMS) break;
    if (isItem(thing)) items.push(itemOf(thing));
  }
  return { location, items };
}

/**
 * What the others in a room are told when `thing` comes in (arrives, logs in, appears,
 * respawns): `Room.AddPlayer` for a player, `Char.Items.Add` for anything else.
 */
export function cameIn(thing: Thing): OobMessage {
  return isPlayerCharacter(thing)
    ? { channel: "Room.AddPlayer", data: roomPlayerOf(thing) }
    : { channel: "Char.Items.Add", data: { location: "room", item: itemOf(thing) } satisfies ItemChange };
}

/** What the others in a room are told when `thing` goes (leaves, logs out): `Room.RemovePlayer` "Name" (a bare string, IRE), or `Char.Items.Remove`. */
export function wentOut(thing: Thing): OobMessage {
  return isPlayerCharacter(thing)
    ? { channel: "Room.RemovePlayer", data: thing.name }
    : { channel: "Char.Items.Remove", data: { location: "room", item: itemOf(thing) } satisfies ItemChange };
}

/**
 * `Char.Items.Add` (or `.Remove`) for each of `things`, now in (or gone from) `place` at
 * `location`; past {@link MAX_ITEM_CHANGES} of them, one fresh `Char.Items.List` of `place`
 * instead. Built once for every reader.
 */
export function itemsChanged(change: "add" | "remove", location: ItemLocation, place: Thing, things: readonly Thing[]): OobMessage[] {
  if (things.length > MAX_ITEM_CHANGES) return [{ channel: "Char.Items.List", data: itemList(place, location) }];
  const channel = change === "add" ? "Char.Items.Add" : "Char.Items.Remove";
  return things.map((thing) => ({ channel, data: { location, item: itemOf(thing) } satisfies ItemChange }));
}
