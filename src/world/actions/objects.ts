/**
 * Handling things: get (from the room or out of a container), drop, put (into a container)
 * and give. Each moves the things first (saved), then narrates one event for all of them, so
 * `get all` reads "You pick up two copper coins and a brass lantern." The same event carries
 * the changes to the hands and the floor out of band (`Char.Items.Add`/`.Remove`), for the
 * actor, the receiver of a gift and everyone who sees it.
 */
import type { Thing } from "../model/thing.js";
import type { Action, ActionContext } from "./action.js";
import { resolve } from "../parser/resolve.js";
import { itemsChanged } from "../room-contents.js";
import { held, inReach, lyingHere, peopleHere } from "./scope.js";

/** Whether a container cannot be reached into (telling the actor why). */
function shut(ctx: ActionContext, container: Thing): boolean {
  if (container.container === undefined) {
    // "Bob cannot hold anything" would be false of someone carrying things.
    ctx.phrase(container.isCharacter ? "{container.the} is not a container." : "{container.the} cannot hold anything.", { container });
    return true;
  }
  if (container.container.closure?.open === false) {
    ctx.phrase("{container.the} is closed.", { container });
    return true;
  }
  return false;
}

/** How a container is named in the actor's sentence: "her wicker basket" when she carries it, else "the wicker basket". */
function whose(actor: Thing, container: Thing): string {
  return container.location === actor ? "{actor.their} {container.bare}" : "{container.the}";
}

function moveAll(ctx: ActionContext, things: readonly Thing[], into: Thing): void {
  for (const thing of things) ctx.world.move(thing, into);
}

/** `get <things>`, `get <things> from <container>`. */
export const get: Action = {
  names: ["get", "take", "pick"],
  syntax: ["get [up] <things> from|out <container>", "get [up] <things>"],
  usage: "get <thing> [from <box>]",
  summary: "Pick something up, or take it out of a container.",
  help: "get lantern picks up a lantern lying here; get all picks up everything that can be carried; get coin from chest takes a coin out of an open chest. Name things by any of their words or the start of one: 2.coin is the second coin, all.coin every coin. Some things, like a fountain, stay where they are.",
  run(ctx) {
    const { actor } = ctx;
    const room = actor.location;
    if (room === null) return;
    if (ctx.slots["container"] !== undefined) {
      const container = ctx.one("container", { things: inReach(actor) }, "You see nothing like that here.");
      if (container === undefined || shut(ctx, container)) return;
      const things = ctx.many("things", { things: [...container.contents] }, "There is nothing like that in it.");
      if (things === undefined) return;
      // `all` names every thing in it: none, in an empty one.
      if (things.length === 0) return ctx.phrase("There is nothing in {container.the}.", { container });
      moveAll(ctx, things, actor);
      // Out of a container: nothing changes on the floor the room's panels show, only in hand.
      ctx.world.narrate({
        kind: "get",
        place: room,
        actor,
        things,
        container,
        phrase: { text: `{actor} {actor|take} {things} from ${whose(actor, container)}.` },
        oob: { actor: itemsChanged("add", "inv", actor, things) },
      });
      return;
    }
    const wanted = ctx.slots["things"] ?? "";
    const everything = /^(all|everything)$/i.test(wanted);
    const here = lyingHere(actor);
    if (resolve(wanted, { things: here, many: true }).kind === "none") {
      const mine = resolve(wanted, { things: held(actor), many: true }).kind === "found";
      ctx.reply(mine ? "You already have that." : "You see nothing like that here.");
      return;
    }
    const found = ctx.many("things", { things: here }, "You see nothing like that here.");
    if (found === undefined) return;
    const portable = found.filter((t) => t.portable);
    if (portable.length === 0) {
      if (found.length === 1) ctx.phrase("You can't take {thing.the}.", { thing: found[0] });
      else ctx.reply(everything ? "There is nothing here you can take." : "You can't take those.");
      return;
    }
    moveAll(ctx, portable, actor);
    const gone = itemsChanged("remove", "room", room, portable);
    ctx.world.narrate({
      kind: "get",
      place: room,
      actor,
      things: portable,
      phrase: { text: "{actor} {actor|pick} up {things}." },
      oob: { actor: [...gone, ...itemsChanged("add", "inv", actor, portable)], others: gone },
    });
  },
};

/** `drop <things>`. */
export const drop: Action = {
  names: ["drop"],
  syntax: ["drop <things>"],
  summary: "Put something down.",
  help: "Leaves a thing you carry lying in the room, where anyone can pick it up. drop all empties your hands.",
  run(ctx) {
    const { actor } = ctx;
    const room = actor.location;
    if (room === null) return;
    if (actor.contents.size === 0) {
      ctx.reply("You are carrying nothing.");
      return;
    }
    const things = ctx.many("things", { things: held(actor) }, "You are not carrying that.");
    if (things === undefined) return;
    moveAll(ctx, things, room);
    const lying = itemsChanged("add", "room", room, things);
    ctx.world.narrate({
      kind: "drop",
      place: room,
      actor,
      things,
      phrase: { text: "{actor} {actor|drop} {things}." },
      oob: { actor: [...itemsChanged("remove", "inv", actor, things), ...lying], others: lying },
    });
  },
};

/** `put <things> in <container>`. */
export const put: Action = {
  names: ["put"],
  syntax: ["put <things> in|into|inside <container>"],
  usage: "put <thing> in <box>",
  summary: "Put something you carry into a container.",
  help: "put apple in basket puts the apple into the basket, if the basket is open. put all in chest puts everything you carry into the chest.",
  run(ctx) {
    const { actor } = ctx;
    const room = actor.location;
    if (room === null) return;
    const container = ctx.one("container", { things: inReach(actor) }, "You see nothing like that here.");
    if (container === undefined || shut(ctx, container)) return;
    const things = ctx.many("things", { things: held(actor) }, "You are not carrying that.");
    if (things === undefined) return;
    if (things.length === 0) return ctx.reply("You are carrying nothing.");
    const fitting = things.filter((t) => !container.isWithin(t));
    if (fitting.length === 0) {
      ctx.phrase("You can't put {container.the} inside itself.", { container });
      return;
    }
    moveAll(ctx, fitting, container);
    ctx.world.narrate({
      kind: "put",
      place: room,
      actor,
      things: fitting,
      container,
      phrase: { text: `{actor} {actor|put} {things} in ${whose(actor, container)}.` },
      oob: { actor: itemsChanged("remove", "inv", actor, fitting) },
    });
  },
};

/** `give <things> to <person>`. */
export const give: Action = {
  names: ["give", "hand"],
  syntax: ["give <things> to <person>"],
  usage: "give <thing> to <person>",
  summary: "Give something you carry to someone here.",
  help: "give apple to Bob hands Bob your apple. They must be in the same room as you.",
  run(ctx) {
    const { actor } = ctx;
    const room = actor.location;
    if (room === null) return;
    const name = ctx.slots["person"] ?? "";
    const online = ctx.world.findOnline(name);
    const people = peopleHere(actor);
    if (online !== undefined && online.character !== actor && !people.includes(online.character)) {
      ctx.phrase("{target} is not here.", { target: online.character });
      return;
    }
    const target = ctx.one("person", { things: people, me: actor }, "There is nobody like that here.");
    if (target === undefined) return;
    if (target === actor) {
      ctx.reply("You already have it.");
      return;
    }
    const things = ctx.many("things", { things: held(actor) }, "You are not carrying that.");
    if (things === undefined) return;
    if (things.length === 0) return ctx.reply("You are carrying nothing.");
    moveAll(ctx, things, target);
    ctx.world.narrate({
      kind: "give",
      place: room,
      actor,
      target,
      things,
      phrase: { text: "{actor} {actor|give} {target} {things}.", actor: "{actor} {actor|give} {things} to {target}." },
      oob: { actor: itemsChanged("remove", "inv", actor, things), target: itemsChanged("add", "inv", target, things) },
    });
  },
};
