/**
 * `set <thing> <property> <value>` (issue 7, "Building"; builders and admins): changes what
 * the model supports of a thing (src/world/building/properties.ts), saved before the builder
 * is answered.
 */
import { sanitizeText } from "../../session/sanitize.js";
import { label } from "../building/labels.js";
import { PROPERTIES } from "../building/properties.js";
import type { Action } from "./action.js";
import { builderTarget } from "./building-scope.js";

const PROPERTY_NAMES = [...PROPERTIES.keys()].join(", ");

/** `set <thing> <property> <value>`. */
export const set: Action = {
  names: ["set"],
  syntax: ["set <thing> <property> <value>"],
  role: "builder",
  summary: "Change a property of a thing, an exit or a character.",
  help: [
    "set vase portable false. Name the thing in one word (a word of its name, 2.vase, here, or its id). Properties:",
    "portable true|false (things);",
    "container true|false|closable|closed|open (things: true is always open, closable has a lid);",
    "locked true|false and key <thing id>|none (a door or a lid: which thing locks and unlocks it);",
    "door <name>|none (an exit: set north door an oak door; the way back shares it);",
    "keywords <word> <word>... (things and characters);",
    "behaviour <name> [param=value ...] (set cat behaviour wander everySeconds=60 leaves=\"pad off\") and behaviour <name> none.",
  ].join(" "),
  run(ctx) {
    const thing = builderTarget(ctx, "thing", "anywhere");
    if (thing === undefined) return;
    const name = (ctx.slots["property"] ?? "").toLowerCase();
    const property = PROPERTIES.get(name);
    if (property === undefined) return ctx.reply(`There is no property "${sanitizeText(name).slice(0, 30)}". Properties: ${PROPERTY_NAMES}.`);
    if (thing.character?.player !== undefined) return ctx.reply("A player's character is not built: set changes the world's things.");
    const value = (ctx.slots["value"] ?? "").trim();
    const change = property.set(thing, value, {
      lookup: (id) => ctx.world.thing(id),
      building: ctx.world.building,
    });
    if (!change.ok) return ctx.reply(change.reason);
    if (change.value.saved.length > 0) ctx.world.building.saveAll(change.value.saved);
    ctx.reply(`${label(thing, true)}: ${change.value.clause}.`);
  },
};
