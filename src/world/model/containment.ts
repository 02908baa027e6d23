/**
 * Moving things: the one place containment changes, so that a thing's `location` and its
 * location's `contents` (and their split into `people` and `objects`) always agree. Pure
 * memory; `live-world.ts` saves before it calls this.
 */
import type { Thing } from "./thing.js";

/** Puts `thing` into `into` (or nowhere, for `null`), taking it out of wherever it was. */
export function place(thing: Thing, into: Thing | null): void {
  const from = thing.location;
  const person = thing.character !== undefined;
  if (from !== null) {
    from.contents.delete(thing);
    (person ? from.people : from.objects)?.delete(thing);
  }
  thing.location = into;
  if (into !== null) {
    into.contents.add(thing);
    if (person) (into.people ??= new Set()).add(thing);
    else (into.objects ??= new Set()).add(thing);
  }
}

/** Takes `thing` and everything inside it out of the world's containment (a thing unloaded or destroyed). */
export function detach(thing: Thing): void {
  place(thing, null);
}
