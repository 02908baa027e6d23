/**
 * What building commands may name: what a player could (a keyword in reach, `2.coin`, `me`,
 * `here`) and, because builders read ids in `examine`, a thing's id (`hall/east`, `coin#2`).
 * Words are tried first, so a builder names things as players do; an id is looked up only when
 * no word answers.
 */
import type { Thing } from "../model/thing.js";
import { resolve } from "../parser/resolve.js";
import type { ActionContext } from "./action.js";
import { inReach } from "./scope.js";

/** Where an id may reach: any loaded thing (`anywhere`), or only what is in reach. */
export type IdReach = "anywhere" | "in-reach";

/**
 * The one thing `slot` names, or undefined after telling the builder why not (or asking which
 * one). An id names a thing anywhere in the loaded world, or only in reach.
 */
export function builderTarget(ctx: ActionContext, slot: string, reach: IdReach): Thing | undefined {
  const { actor } = ctx;
  const here = actor.location ?? undefined;
  const things = inReach(actor);
  const reference = (ctx.slots[slot] ?? "").trim();
  if (resolve(reference, { things, me: actor, here, many: false }).kind === "none") {
    const byId = ctx.world.thing(reference.toLowerCase());
    if (byId !== undefined && (reach === "anywhere" || byId === here || things.includes(byId))) return byId;
  }
  return ctx.one(slot, { things, me: actor, here }, "You see nothing like that here, and no thing has that id.");
}

/** Every command name and alias: words an exit may not be called. */
export function commandWords(ctx: ActionContext): ReadonlySet<string> {
  return new Set(ctx.world.actions().flatMap((action) => action.names.map((name) => name.toLowerCase())));
}
