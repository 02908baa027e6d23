/**
 * Doors put on and taken off by builders (`set <exit> door <name>|none`, `unlink`). A door is
 * one live object shared by the exit it is set on and the way back, each naming the other as
 * its `twin` (docs/world.md, "Exits are things") — the same pairing the world files get from
 * `world-doors.ts`, applied to the live world. Pure over live things: each function returns
 * the exits it changed, and the caller saves them together.
 */
import { parseNounPhrase } from "../language/noun-phrase.js";
import type { ClosureState, DoorState, Thing } from "../model/thing.js";
import { defaultKeywords, OppositeExits, ShortExitNames } from "../world-vocabulary.js";
import type { Checked } from "./naming.js";

/** Finds a loaded thing by id. */
export type Lookup = (id: string) => Thing | undefined;


/** The words an exit answers to: its direction, its short form, and its door's words (as world-records.ts builds them). */
export function exitKeywords(direction: string, door: DoorState | undefined): string[] {
  const short = ShortExitNames.get(direction);
  return [...new Set([direction, ...(short === undefined ? [] : [short]), ...(door?.keywords ?? [])])];
}

/**
 * A door called `name` ("a red door"); it answers to the name's words, and to "door" (as in
 * the files: "a sluice gate" still answers to "open door"). Its state is `from`'s (a door
 * renamed keeps its lock), else shut and unlocked, as a door in the files starts.
 */
export function makeDoor(name: string, from?: ClosureState): DoorState {
  const words = defaultKeywords(name);
  return {
    name,
    phrase: parseNounPhrase(name),
    keywords: words.includes("door") ? words : [...words, "door"],
    open: from?.open ?? false,
    locked: from?.locked ?? false,
    ...(from?.key !== undefined ? { key: from.key } : {}),
  };
}

/**
 * The exit back through the same doorway (world-doors.ts's rule): the exit in the
 * destination whose `to` is this exit's room; of several, the one in the opposite direction.
 */
export function wayBack(exit: Thing, lookup: Lookup): Thing | undefined {
  const facet = exit.exit;
  const here = exit.location;
  const there = facet === undefined ? undefined : lookup(facet.to);
  if (facet === undefined || here === null || there === undefined) return undefined;
  const back = [...there.contents].filter((t) => t.exit !== undefined && t.exit.to === here.id && t !== exit);
  if (back.length <= 1) return back[0];
  const opposite = Object.hasOwn(OppositeExits, facet.direction) ? OppositeExits[facet.direction as keyof typeof OppositeExits] : undefined;
  const facing = back.filter((t) => t.exit?.direction === opposite);
  return facing.length === 1 ? facing[0] : undefined;
}

/**
 * Puts a door called `name` on `exit`, shared with the way back when there is one. On an exit
 * that has a door already, the door is renamed, on both sides, and keeps its state. Refused
 * when the way back has a door of its own. Returns the exits changed.
 */
export function putDoor(exit: Thing, name: string, lookup: Lookup): Checked<Thing[]> {
  const facet = exit.exit;
  if (facet === undefined) return { ok: false, reason: "Only an exit can have a door." };
  const old = facet.door;
  if (old !== undefined) {
    const door = makeDoor(name, old);
    const twin = facet.twin === undefined ? undefined : lookup(facet.twin);
    const sides = twin?.exit?.door === old ? [exit, twin] : [exit];
    for (const side of sides) {
      side.exit!.door = door;
      side.keywords = exitKeywords(side.exit!.direction, door);
    }
    return { ok: true, value: sides };
  }
  const back = wayBack(exit, lookup);
  if (back?.exit?.door !== undefined) {
    return { ok: false, reason: `The way back (${back.id}) has a door of its own; set its door to none first.` };
  }
  const door = makeDoor(name);
  facet.door = door;
  exit.keywords = exitKeywords(facet.direction, door);
  if (back?.exit === undefined) return { ok: true, value: [exit] };
  facet.twin = back.id;
  back.exit.door = door;
  back.exit.twin = exit.id;
  back.keywords = exitKeywords(back.exit.direction, door);
  return { ok: true, value: [exit, back] };
}

/** Takes the door off `exit` and off its twin, which stop being twins. Returns the exits changed (none without a door). */
export function takeDoor(exit: Thing, lookup: Lookup): Thing[] {
  const facet = exit.exit;
  const door = facet?.door;
  if (facet === undefined || door === undefined) return [];
  const twin = facet.twin === undefined ? undefined : lookup(facet.twin);
  const sides = twin?.exit?.door === door ? [exit, twin] : [exit];
  for (const side of sides) {
    const sideFacet = side.exit!;
    delete sideFacet.door;
    delete sideFacet.twin;
    side.keywords = exitKeywords(sideFacet.direction, undefined);
  }
  return sides;
}
