/**
 * What a character sees of its room: the text of `look`, and the same room as out-of-band
 * data (GMCP `Room.Info` in the shape IRE games use, which Mudlet's mapper reads). Pure: the
 * world hands the result to the narrator and the gateway.
 */
import { MAX_LISTED_ITEMS, MAX_ROOM_PLAYERS } from "../session/gmcp-packages.js";
import type { OutputMessage, Span } from "../session/messages.js";
import { styled } from "../session/messages.js";
import { listing } from "./language/lists.js";
import { capitalise } from "./language/sentence.js";
import type { Thing } from "./model/thing.js";
import { nounOf, thingList } from "./phrase.js";
import type { RoomLists } from "./room-contents.js";
import { CompassExits } from "./world-schema.js";
import { ShortExitNames } from "./world-vocabulary.js";

/** How many people a room description names before it says "and N others". */
export const MAX_NAMED_PEOPLE = 20;

/**
 * Rooms holding at most this many things in all are walked whole, in the order everything
 * came, as they always were; a fuller one by its objects and its first {@link PEOPLE_WALK}
 * people, the rest only counted (issue 11: an arrival in a room of 5,000 walked all 5,000).
 */
export const WHOLE_ROOM_WALK = 200;

/** The people a crowded room's description looks at: enough for its 20 names and the 50 + 100 entries of the lists. */
const PEOPLE_WALK = MAX_ROOM_PLAYERS + MAX_LISTED_ITEMS;

/** Compass exits first, in compass order, then the rest alphabetically. */
function listingOrder(a: Thing, b: Thing): number {
  const order: readonly string[] = CompassExits;
  const ia = order.indexOf(a.exit!.direction);
  const ib = order.indexOf(b.exit!.direction);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0) return -1;
  if (ib >= 0) return 1;
  return a.exit!.direction.localeCompare(b.exit!.direction);
}

/** The exits of a room in the order they are listed: compass first, then the rest alphabetically. */
export function exitsOf(room: Thing): Thing[] {
  const exits: Thing[] = [];
  // Its objects, not its contents: `Room.Info` on every arrival must not walk the crowd (issue 11).
  for (const thing of room.objects ?? []) if (thing.exit !== undefined) exits.push(thing);
  return exits.sort(listingOrder);
}

/**
 * The room as `viewer` sees it: name, description, exits, things, people. One walk of the
 * room, which also fills `lists` when given (the out-of-band `Room.Players` and
 * `Char.Items.List` sent on entering it, room-contents.ts). In a crowd (more than
 * {@link WHOLE_ROOM_WALK} things) the walk takes the room's objects and only its first
 * {@link PEOPLE_WALK} people, and counts the rest: an arrival or a `look` in a crowd of 5,000
 * costs what it costs in a crowd of 200 (issue 11).
 */
export function describeRoom(room: Thing, viewer: Thing, lists?: RoomLists): OutputMessage {
  const spans: Span[] = [styled("title", room.name), `\n${room.description}`];
  const exitThings: Thing[] = [];
  const things: Thing[] = [];
  const people: string[] = [];
  let more = 0;
  // Name at most a screenful of people: in a crowd of thousands, listing everyone on every look
  // (and every arrival) made logins quadratic in the bench (docs/benchmarks.md).
  const take = (thing: Thing): void => {
    if (thing.exit !== undefined) {
      exitThings.push(thing);
      return;
    }
    if (thing === viewer) return;
    lists?.add(thing);
    if (thing.character === undefined) things.push(thing);
    else if (people.length < MAX_NAMED_PEOPLE) people.push(nounOf(thing, "indefinite"));
    else more++;
  };
  if (room.contents.size <= WHOLE_ROOM_WALK) {
    for (const thing of room.contents) take(thing);
  } else {
    for (const thing of room.objects ?? []) take(thing);
    let walked = 0;
    for (const thing of room.people ?? []) {
      if (walked++ >= PEOPLE_WALK) break;
      take(thing);
    }
    // Everyone not walked is counted, not visited: the people there but the viewer, less those named.
    more = (room.people?.size ?? 0) - (viewer.location === room ? 1 : 0) - people.length;
  }
  const exits = exitThings.sort(listingOrder).map((exit) => {
    const door = exit.exit!.door;
    return door !== undefined && !door.open ? `${exit.exit!.direction} (closed)` : exit.exit!.direction;
  });
  spans.push("\nExits: ", exits.length === 0 ? styled("dim", "none") : styled("exit", exits.join(", ")), ".");
  if (things.length > 0) spans.push("\nYou see ", styled("thing", thingList(things)), " here.");
  if (more > 0) {
    spans.push("\n", styled("name", capitalise(people.join(", "))), ` and ${more} other${more === 1 ? "" : "s"} are here.`);
  } else if (people.length > 0) {
    spans.push("\n", styled("name", capitalise(listing(people))), people.length === 1 ? " is here." : " are here.");
  }
  return { kind: "line", spans };
}

/**
 * GMCP `Room.Info`: the room's number, name, area and environment, and its exits as direction ->
 * room number (checked against `roomInfoSchema` of src/session/gmcp-packages.ts in the tests).
 */
export interface RoomInfo {
  readonly num: number;
  /** The room's id in the world files ("square"): stable, readable, what builders type. */
  readonly id: string;
  readonly name: string;
  readonly area: string;
  /** The kind of place, for mappers' colours: the room's `environment`, or "" when it has none. */
  readonly environment: string;
  /** Short direction ("n", "se", "u", or the exit's name when it has no short form) -> room number. */
  readonly exits: Readonly<Record<string, number>>;
}

/** The out-of-band description of `room`; `lookup` finds exits' destinations. */
export function roomInfo(room: Thing, lookup: (id: string) => Thing | undefined): RoomInfo {
  const exits: Record<string, number> = {};
  for (const exit of exitsOf(room)) {
    const to = lookup(exit.exit!.to);
    if (to !== undefined) exits[ShortExitNames.get(exit.exit!.direction) ?? exit.exit!.direction] = to.num;
  }
  return { num: room.num, id: room.id, name: room.name, area: room.room?.area ?? "", environment: room.room?.environment ?? "", exits };
}
