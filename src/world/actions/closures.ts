/**
 * Doors and lids: open, close, lock, unlock. A door is shared by the exits on its two sides,
 * so opening it from one room opens it from the other; `save` writes both. A lock names the
 * thing that works it; `unlock door` with no key named tries what the player carries.
 */
import type { ClosureState, Thing } from "../model/thing.js";
import type { Action, ActionContext } from "./action.js";
import { held, inReach } from "./scope.js";

/** What "open" and the rest may name: everything in reach but exits without a door (those are not things to open). */
function closable(actor: Thing): Thing[] {
  return inReach(actor).filter((t) => t.exit === undefined || t.exit.door !== undefined);
}

/** The closure of `thing`, or undefined after telling the actor it has none. */
function closureOf(ctx: ActionContext, thing: Thing, verb: string): ClosureState | undefined {
  const closure = thing.closure;
  if (closure === undefined) ctx.phrase(`You can't ${verb} {thing.the}.`, { thing });
  return closure;
}

/** Whether `key` works `closure`: it is the key, or a copy of it. */
export function fits(key: Thing, closure: ClosureState): boolean {
  return closure.key !== undefined && (key.id === closure.key || key.template === closure.key);
}

/** `open <thing>`. */
export const open: Action = {
  names: ["open"],
  syntax: ["open <thing>"],
  summary: "Open a door or a container.",
  help: "open door, open chest. A locked one must be unlocked first.",
  run(ctx) {
    const thing = ctx.one("thing", { things: closable(ctx.actor) }, "You see nothing like that here.");
    if (thing === undefined) return;
    const closure = closureOf(ctx, thing, "open");
    if (closure === undefined) return;
    if (closure.open) return ctx.phrase("{thing.the} is already open.", { thing });
    if (closure.locked) return ctx.phrase("{thing.the} is locked.", { thing });
    closure.open = true;
    ctx.world.save(thing);
    narrateHere(ctx, "open", thing, "{actor} {actor|open} {thing.the}.");
    narrateBeyond(ctx, "open", thing, "{actor.the} {actor|swing} open.");
  },
};

/** `close <thing>`. */
export const close: Action = {
  names: ["close", "shut"],
  syntax: ["close <thing>"],
  summary: "Close a door or a container.",
  help: "close door, close chest.",
  run(ctx) {
    const thing = ctx.one("thing", { things: closable(ctx.actor) }, "You see nothing like that here.");
    if (thing === undefined) return;
    const closure = closureOf(ctx, thing, "close");
    if (closure === undefined) return;
    if (!closure.open) return ctx.phrase("{thing.the} is already closed.", { thing });
    closure.open = false;
    ctx.world.save(thing);
    narrateHere(ctx, "close", thing, "{actor} {actor|close} {thing.the}.");
    narrateBeyond(ctx, "close", thing, "{actor.the} {actor|swing} shut.");
  },
};

/** The key for `closure`: the one named, or the first that fits among what the actor carries. */
function keyFor(ctx: ActionContext, thing: Thing, closure: ClosureState): Thing | undefined {
  if (ctx.slots["key"] !== undefined) {
    const key = ctx.one("key", { things: held(ctx.actor) }, "You are not carrying that.");
    if (key === undefined) return undefined;
    if (!fits(key, closure)) {
      ctx.phrase("{tool.the} does not fit {thing.the}.", { tool: key, thing });
      return undefined;
    }
    return key;
  }
  const key = held(ctx.actor).find((k) => fits(k, closure));
  if (key === undefined) ctx.phrase("You have no key that fits {thing.the}.", { thing });
  return key;
}

/** `lock <thing> [with <key>]`. */
export const lock: Action = {
  names: ["lock"],
  syntax: ["lock <thing> [with <key>]"],
  summary: "Lock a door or a container with its key.",
  help: "lock door with iron key; lock door alone uses the first key you carry that fits.",
  run(ctx) {
    const thing = ctx.one("thing", { things: closable(ctx.actor) }, "You see nothing like that here.");
    if (thing === undefined) return;
    const closure = closureOf(ctx, thing, "lock");
    if (closure === undefined) return;
    if (closure.key === undefined) return ctx.phrase("{thing.the} has no lock.", { thing });
    if (closure.locked) return ctx.phrase("{thing.the} is already locked.", { thing });
    if (closure.open) return ctx.phrase("You must close {thing.the} first.", { thing });
    const key = keyFor(ctx, thing, closure);
    if (key === undefined) return;
    closure.locked = true;
    ctx.world.save(thing);
    narrateHere(ctx, "lock", thing, "{actor} {actor|lock} {thing.the} with {tool}.", key);
    narrateBeyond(ctx, "lock", thing, "Someone locks {actor.the} from the other side.");
  },
};

/** `unlock <thing> [with <key>]`. */
export const unlock: Action = {
  names: ["unlock"],
  syntax: ["unlock <thing> [with <key>]"],
  usage: "unlock <thing> [with <key>]",
  summary: "Unlock a door or a container with its key.",
  help: "unlock door with iron key; unlock door alone uses the first key you carry that fits.",
  run(ctx) {
    const thing = ctx.one("thing", { things: closable(ctx.actor) }, "You see nothing like that here.");
    if (thing === undefined) return;
    const closure = closureOf(ctx, thing, "unlock");
    if (closure === undefined) return;
    if (closure.key === undefined) return ctx.phrase("{thing.the} has no lock.", { thing });
    if (!closure.locked) return ctx.phrase("{thing.the} is not locked.", { thing });
    const key = keyFor(ctx, thing, closure);
    if (key === undefined) return;
    closure.locked = false;
    ctx.world.save(thing);
    narrateHere(ctx, "unlock", thing, "{actor} {actor|unlock} {thing.the} with {tool}.", key);
    narrateBeyond(ctx, "unlock", thing, "Someone unlocks {actor.the} from the other side.");
  },
};

function narrateHere(ctx: ActionContext, kind: string, thing: Thing, text: string, tool?: Thing): void {
  const place = ctx.actor.location;
  if (place !== null) ctx.world.narrate({ kind, place, actor: ctx.actor, thing, tool, phrase: { text } });
}

/**
 * Tells the room on the far side of a door what it can hear: the door is the same object on
 * both sides, so its other side (the twin exit) is the one that "acts" there. Nothing for a
 * container or a one-sided door.
 */
function narrateBeyond(ctx: ActionContext, kind: string, thing: Thing, text: string): void {
  const twinId = thing.exit?.twin;
  const twin = twinId === undefined ? undefined : ctx.world.thing(twinId);
  const beyond = twin?.location;
  if (twin === undefined || beyond === null || beyond === undefined || beyond === ctx.actor.location) return;
  ctx.world.narrate({ kind, place: beyond, actor: twin, phrase: { text } });
}
