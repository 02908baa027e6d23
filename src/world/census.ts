/**
 * Counts of the live world for MUD listings (MSSP's ROOMS, AREAS, OBJECTS and MOBILES; issue 8).
 * Counted from the loaded things on request, so rooms built in play count at once. Players'
 * characters and what they carry are loaded only while they play (live-world.ts), so they are
 * left out: the numbers describe the world, not who happens to be online.
 *
 * Not cached: one pass took 0.4 µs over the shipped world's 85 things and 41 µs over 10,000
 * (Node 20.20, 2-core Xeon), and a report is sent at most once per connection that asks.
 */
import type { Thing } from "./model/thing.js";

/** How big the world is now. */
export interface WorldCensus {
  /** Rooms. */
  readonly rooms: number;
  /** Distinct area names among the rooms. */
  readonly areas: number;
  /** Things that are neither rooms, exits nor characters, and not held by a player's character. */
  readonly objects: number;
  /** Non-player characters. */
  readonly mobiles: number;
}

/** Counts `things` (every loaded thing) in one pass. */
export function takeCensus(things: Iterable<Thing>): WorldCensus {
  let rooms = 0;
  let objects = 0;
  let mobiles = 0;
  const areas = new Set<string>();
  for (const thing of things) {
    if (thing.room !== undefined) {
      rooms += 1;
      areas.add(thing.room.area);
    } else if (thing.character !== undefined) {
      if (thing.character.player === undefined) mobiles += 1;
    } else if (thing.exit === undefined && !heldByPlayer(thing)) {
      objects += 1;
    }
  }
  return { rooms, areas: areas.size, objects, mobiles };
}

function heldByPlayer(thing: Thing): boolean {
  for (let at = thing.location; at !== null; at = at.location) {
    if (at.character?.player !== undefined) return true;
  }
  return false;
}
