/**
 * Building things (issue 7, "Building"; builders and admins): `make` a thing in your hands,
 * `destroy` one, `describe` and `rename` a thing or the room. Everything is saved before anyone
 * is told; the room sees a thing made or destroyed.
 */
import { label } from "../building/labels.js";
import { checkDescription, checkName, idBaseOf } from "../building/naming.js";
import type { Thing } from "../model/thing.js";
import { itemsChanged } from "../room-contents.js";
import { defaultKeywords } from "../world-vocabulary.js";
import type { Action, ActionContext } from "./action.js";
import { builderTarget } from "./building-scope.js";

/** What a newly made thing reads until a builder describes it. */
export const NEW_THING_DESCRIPTION = "You see nothing special about it.";

/** `make <name>`. */
export const make: Action = {
  names: ["make"],
  syntax: ["make <name>"],
  role: "builder",
  summary: "Make a new thing, in your hands.",
  help: "make a blue vase makes a thing called \"a blue vase\" (write the name as it reads in a sentence, article included: a, an, the, some, or none for a proper name) and puts it in your hands. It answers to the words of its name. Its id is made from the name (blue-vase, or blue-vase-2 if that is taken). describe, rename and set change it.",
  run(ctx) {
    const { actor } = ctx;
    const room = actor.location;
    if (room === null) return;
    const name = checkName(ctx.slots["name"] ?? "");
    if (!name.ok) return ctx.reply(name.reason);
    const building = ctx.world.building;
    const thing = building.create(
      {
        id: building.freeId(idBaseOf(name.value, "thing")),
        name: name.value,
        keywords: defaultKeywords(name.value),
        description: NEW_THING_DESCRIPTION,
        facets: { portable: true },
      },
      actor,
    );
    // The id is made of lowercase letters, digits and "-" (idBaseOf), so it can stand in a template.
    ctx.world.narrate({
      kind: "make",
      place: room,
      actor,
      thing,
      phrase: { text: "{actor} {actor|make} {thing}.", actor: `{actor} {actor|make} {thing} (${thing.id}).` },
      oob: { actor: itemsChanged("add", "inv", actor, [thing]) },
    });
  },
};

/** Why `thing` cannot be destroyed, or undefined if it can. */
function indestructible(ctx: ActionContext, thing: Thing): string | undefined {
  if (thing.room !== undefined) return "You can't destroy a room.";
  if (thing.exit !== undefined) return `${label(thing, true)} is an exit: unlink it instead.`;
  if (thing === ctx.actor) return "You can't destroy yourself.";
  if (thing.character !== undefined) return "You can't destroy a character.";
  return undefined;
}

/** `destroy <thing>`. */
export const destroy: Action = {
  names: ["destroy"],
  syntax: ["destroy <thing>"],
  role: "builder",
  summary: "Destroy a thing here or in your hands.",
  help: "destroy vase destroys the vase, for good: everyone here sees it vanish, and what was in it falls to the ground. Rooms, exits (use unlink) and characters cannot be destroyed.",
  run(ctx) {
    const { actor } = ctx;
    const room = actor.location;
    if (room === null) return;
    const thing = builderTarget(ctx, "thing", "in-reach");
    if (thing === undefined) return;
    const refusal = indestructible(ctx, thing);
    if (refusal !== undefined) return ctx.reply(refusal);
    const held = thing.location === actor;
    const things = ctx.world.building.destroy(thing, room, ctx.player.key);
    // Gone from the hands or the floor; what it held now lies on the floor for everyone.
    const gone = held ? [] : itemsChanged("remove", "room", room, [thing]);
    const fallen = itemsChanged("add", "room", room, things);
    const fall = things.length === 0 ? "" : `, and {things} ${things.length === 1 ? "falls" : "fall"} to the ground`;
    ctx.world.narrate({
      kind: "destroy",
      place: room,
      actor,
      thing,
      things,
      phrase: { text: `{thing.the} {thing|vanish}${fall}.`, actor: `{actor} {actor|destroy} {thing.the}${fall}.` },
      oob: { actor: [...(held ? itemsChanged("remove", "inv", actor, [thing]) : gone), ...fallen], others: [...gone, ...fallen] },
    });
  },
};

/** Another player's character, which no builder may rename or describe (players choose their own). */
function someoneElse(ctx: ActionContext, thing: Thing): boolean {
  return thing.character?.player !== undefined && thing !== ctx.actor;
}

/** `describe here|<thing> <text>`. */
export const describe: Action = {
  names: ["describe"],
  syntax: ["describe <thing> <text>"],
  usage: "describe here|<thing> <text>",
  role: "builder",
  summary: "Describe the room or a thing.",
  help: "describe here A low room that smells of apples. sets what look shows of the room; describe vase Painted with herons. sets the vase's. Name the thing in one word (a word of its name, 2.vase, me, or its id, which examine shows); the rest is the description, up to 4000 characters.",
  run(ctx) {
    const thing = builderTarget(ctx, "thing", "anywhere");
    if (thing === undefined) return;
    if (someoneElse(ctx, thing)) return ctx.reply("You can't describe another player's character.");
    const text = checkDescription(ctx.slots["text"] ?? "");
    if (!text.ok) return ctx.reply(text.reason);
    thing.description = text.value;
    ctx.world.save(thing);
    ctx.reply(`You describe ${label(thing)}.`);
  },
};

/** `rename here|<thing> <name>`. */
export const rename: Action = {
  names: ["rename"],
  syntax: ["rename <thing> <name>"],
  usage: "rename here|<thing> <name>",
  role: "builder",
  summary: "Rename the room or a thing.",
  help: "rename here The Great Hall renames the room; rename vase a tall vase renames the vase (article included, as make takes it). A thing's keywords follow its name, unless they were set with set <thing> keywords. An exit is named by its direction: unlink it and link it again.",
  run(ctx) {
    const thing = builderTarget(ctx, "thing", "anywhere");
    if (thing === undefined) return;
    if (thing.exit !== undefined) return ctx.reply(`${label(thing, true)} is an exit, named by its direction: unlink it and link it again.`);
    if (thing.character?.player !== undefined) return ctx.reply("A player's character is called by its player's name.");
    const name = checkName(ctx.slots["name"] ?? "");
    if (!name.ok) return ctx.reply(name.reason);
    const before = label(thing);
    const followed = thing.rename(name.value);
    ctx.world.save(thing);
    const words = thing.room !== undefined ? "" : `; it ${followed ? "answers to" : "still answers to"} ${thing.keywords.join(", ")}`;
    ctx.reply(`You rename ${before} to ${name.value}${words}.`);
  },
};
