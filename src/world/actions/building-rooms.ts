/**
 * Building the map (issue 7, "Building"; builders and admins): `dig` a new room through a new
 * exit, `link` an exit to a room that exists, `unlink` an exit, and `teleport` to a room or a
 * person. Everything is saved before the builder is answered.
 */
import { sanitizeText } from "../../session/sanitize.js";
import { exitKeywords, takeDoor } from "../building/doors.js";
import { kindOf, label } from "../building/labels.js";
import { checkExitName, checkName, idBaseOf } from "../building/naming.js";
import { capitalise } from "../language/sentence.js";
import type { Thing } from "../model/thing.js";
import type { ThingRecord } from "../model/thing-record.js";
import { cameIn, wentOut } from "../room-contents.js";
import { defaultKeywords, OppositeExits } from "../world-vocabulary.js";
import type { Action, ActionContext } from "./action.js";
import { commandWords } from "./building-scope.js";
import { exitsHere } from "./scope.js";

/** What a newly dug room reads until a builder describes it. */
export const NEW_ROOM_DESCRIPTION = "There is nothing remarkable here.";

/** The record of a new exit from `from` called `direction`, leading to `to`; its id is `<room>/<direction>`, made unique. */
function exitRecord(ctx: ActionContext, from: Thing, direction: string, to: string): Omit<ThingRecord, "location"> {
  return {
    id: ctx.world.building.freeId(`${from.id}/${direction}`),
    name: direction,
    keywords: exitKeywords(direction, undefined),
    description: "",
    facets: { exit: { direction, to } },
  };
}

/** The builder's room and a checked, unused exit name there; or undefined after saying why not. */
function newExit(ctx: ActionContext): { here: Thing; direction: string } | undefined {
  const here = ctx.actor.location;
  if (here?.room === undefined) {
    ctx.reply("You must stand in a room to build from it.");
    return undefined;
  }
  const name = checkExitName(ctx.slots["exit"] ?? "", commandWords(ctx));
  if (!name.ok) {
    ctx.reply(name.reason);
    return undefined;
  }
  if (exitsHere(ctx.actor).some((exit) => exit.exit?.direction === name.value)) {
    ctx.reply(`There is already an exit ${name.value} here.`);
    return undefined;
  }
  return { here, direction: name.value };
}

/** `dig <exit> <room name>`. */
export const dig: Action = {
  names: ["dig"],
  syntax: ["dig <exit> <name>"],
  usage: "dig <exit> <room name>",
  role: "builder",
  summary: "Make a new room through a new exit from here.",
  help: "dig north The Cellar makes a room called The Cellar, in this room's area, and an exit north from here to it; for a compass direction, up, down, in or out it also makes the way back (south). You stay where you are. The room's id is made from its name (cellar, or cellar-2 if that is taken). Write exits in full: north, not n.",
  run(ctx) {
    const exit = newExit(ctx);
    if (exit === undefined) return;
    const { here, direction } = exit;
    const name = checkName(ctx.slots["name"] ?? "");
    if (!name.ok) return ctx.reply(name.reason);
    const building = ctx.world.building;
    const back: string | undefined = Object.hasOwn(OppositeExits, direction) ? OppositeExits[direction as keyof typeof OppositeExits] : undefined;
    const room = building.transaction(() => {
      const made = building.create(
        {
          id: building.freeId(idBaseOf(name.value, "room")),
          name: name.value,
          keywords: defaultKeywords(name.value),
          description: NEW_ROOM_DESCRIPTION,
          facets: { room: { area: here.room?.area ?? "" } },
        },
        null,
      );
      building.create(exitRecord(ctx, here, direction, made.id), here);
      if (back !== undefined) building.create(exitRecord(ctx, made, back, here.id), made);
      return made;
    });
    const way = back === undefined ? "there is no way back (link one from there)" : `${back} leads back`;
    ctx.reply(`You dig ${label(room)}: ${direction} leads there, and ${way}.`);
  },
};

/** `link <exit> <room id>`. */
export const link: Action = {
  names: ["link"],
  syntax: ["link <exit> <room>"],
  usage: "link <exit> <room id>",
  role: "builder",
  summary: "Make a new exit from here to a room that exists.",
  help: "link gate market makes an exit called gate from here to the room whose id is market. It makes no way back: link one from there. examine here shows a room's id.",
  run(ctx) {
    const exit = newExit(ctx);
    if (exit === undefined) return;
    const { here, direction } = exit;
    const id = (ctx.slots["room"] ?? "").trim().toLowerCase();
    const to = ctx.world.thing(id);
    if (to === undefined) return ctx.reply(`There is no room with the id "${sanitizeText(id).slice(0, 40)}".`);
    if (to.room === undefined) return ctx.reply(`${label(to, true)} is ${kindOf(to)}, not a room.`);
    ctx.world.building.create(exitRecord(ctx, here, direction, to.id), here);
    ctx.reply(`${capitalise(direction)} now leads to ${label(to)}.`);
  },
};

/** `unlink <exit>`. */
export const unlink: Action = {
  names: ["unlink"],
  syntax: ["unlink <exit>"],
  role: "builder",
  summary: "Remove an exit from here.",
  help: "unlink north removes the exit north from this room. The way back, if there is one, stays (unlink it from there); if the two shared a door, the way back loses it.",
  run(ctx) {
    const here = ctx.actor.location;
    const exit = ctx.one("exit", { things: exitsHere(ctx.actor) }, "There is no exit like that here.");
    if (exit?.exit === undefined || here === null) return;
    const building = ctx.world.building;
    const to = ctx.world.thing(exit.exit.to);
    const sides = building.transaction(() => {
      const doorSides = takeDoor(exit, (id) => ctx.world.thing(id));
      const others = doorSides.filter((side) => side !== exit);
      building.saveAll(others);
      building.destroy(exit, here, ctx.player.key);
      return others;
    });
    const where = to === undefined ? "" : `, which led to ${label(to)}`;
    const twin = sides[0] === undefined ? "" : ` The way back (${sides[0].id}) has no door now.`;
    ctx.reply(`You unlink ${label(exit)}${where}.${twin}`);
  },
};

/** `teleport <room id|person>`. */
export const teleport: Action = {
  names: ["teleport"],
  syntax: ["teleport <place>"],
  usage: "teleport <room id|person>",
  role: "builder",
  summary: "Go at once to a room, or to someone.",
  help: "teleport market takes you to the room whose id is market; teleport Bob to the room Bob is in (a player online, or a character by its id). The room you leave sees you vanish, the one you reach sees you appear.",
  run(ctx) {
    const { actor } = ctx;
    const from = actor.location;
    const typed = (ctx.slots["place"] ?? "").trim();
    const byId = ctx.world.thing(typed.toLowerCase());
    const person = ctx.world.findOnline(typed)?.character ?? (byId?.character !== undefined ? byId : undefined);
    const to = byId?.room !== undefined ? byId : person?.location;
    if (to?.room === undefined) return ctx.reply(`There is no room with the id "${sanitizeText(typed).slice(0, 40)}", and nobody by that name is online.`);
    if (to === from) return ctx.reply("You are already there.");
    ctx.world.move(actor, to);
    if (from !== null) {
      ctx.world.pass({ kind: "teleport-out", place: from, actor, phrase: { text: "{actor} {actor|vanish}.", actor: "" }, oob: { others: [wentOut(actor)] } }, "leave");
    }
    ctx.world.pass({ kind: "teleport-in", place: to, actor, phrase: { text: "{actor} {actor|appear}.", actor: "" }, oob: { others: [cameIn(actor)] } }, "arrive");
    ctx.world.showRoom(actor);
  },
};
