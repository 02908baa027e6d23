/**
 * Where actions look for what a player names. Each returns things in the order players see
 * them, so `2.coin` counts the way a look lists. A room's objects and its people are kept apart
 * (in the order they came), so naming a coin in a crowd of 5,000 does not walk the crowd (issue 11).
 */
import type { Thing } from "../model/thing.js";

/** What the character carries. */
export function held(actor: Thing): Thing[] {
  return [...actor.contents];
}

/** What lies in the character's room, not counting people and exits. */
export function lyingHere(actor: Thing): Thing[] {
  const out: Thing[] = [];
  for (const thing of actor.location?.objects ?? []) if (thing.exit === undefined) out.push(thing);
  return out;
}

/** The people in the character's room, the character excepted. */
export function peopleHere(actor: Thing): Thing[] {
  const out: Thing[] = [];
  for (const thing of actor.location?.people ?? []) if (thing !== actor) out.push(thing);
  return out;
}

/** The exits of the character's room. */
export function exitsHere(actor: Thing): Thing[] {
  const out: Thing[] = [];
  for (const thing of actor.location?.objects ?? []) if (thing.exit !== undefined) out.push(thing);
  return out;
}

/** Everything in reach: what the character carries, then everything in the room but itself. */
export function inReach(actor: Thing): Thing[] {
  const out = held(actor);
  for (const thing of actor.location?.contents ?? []) if (thing !== actor) out.push(thing);
  return out;
}
