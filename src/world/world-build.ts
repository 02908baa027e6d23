/**
 * Builds the live world from its definition and the store's record of where things were left.
 */
import type { ThingLocation } from "../store/store.js";
import { Room, Thing } from "./model.js";
import type { WorldDefinition } from "./world-schema.js";

export type { WorldDefinition };

/** One live Room per room definition. */
export function buildRooms(definition: WorldDefinition): ReadonlyMap<string, Room> {
  const rooms = new Map<string, Room>();
  for (const def of definition.rooms.values()) rooms.set(def.id, new Room(def));
  return rooms;
}

/**
 * Puts every thing where it was last left (or where the world file starts it). Things carried
 * by players who are offline are returned, by player key, to be handed over when they log in.
 * A saved location that no longer exists (a room removed from the world files) falls back to
 * the thing's starting room, so an edited world never loses an object.
 */
export function placeThings(
  definition: WorldDefinition,
  rooms: ReadonlyMap<string, Room>,
  saved: ReadonlyMap<string, ThingLocation>,
): Map<string, Set<Thing>> {
  const held = new Map<string, Set<Thing>>();
  for (const def of definition.things.values()) {
    const where = saved.get(def.id);
    if (where?.kind === "player") {
      const thing = new Thing(def, { kind: "offline", playerKey: where.id });
      let set = held.get(where.id);
      if (set === undefined) held.set(where.id, (set = new Set()));
      set.add(thing);
      continue;
    }
    const room = (where !== undefined ? rooms.get(where.id) : undefined) ?? rooms.get(def.location)!;
    const thing = new Thing(def, { kind: "room", room });
    room.things.add(thing);
  }
  return held;
}
