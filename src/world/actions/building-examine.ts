/**
 * `examine` (issue 7, "Building"; builders and admins): a thing as the world holds it, ids and
 * every property (src/world/building/examine-view.ts). It was an alias of `look`; players
 * keep `look` and `l`.
 */
import { examineView } from "../building/examine-view.js";
import type { Action } from "./action.js";
import { builderTarget } from "./building-scope.js";

/** `examine [here|<thing>]`. */
export const examine: Action = {
  names: ["examine", "x"],
  syntax: ["examine", "examine <thing>"],
  usage: "examine [here|<thing>]",
  role: "builder",
  summary: "Show a thing as the world holds it: ids, location, contents, every property.",
  help: "examine alone shows the room you are in; examine chest, examine me, examine hall/east or any thing's id shows that thing: its id and number, its location's id, its contents' ids, and every property (facets, door or lid, key, twin, behaviours with their parameters and state, template). Players use look.",
  run(ctx) {
    if (ctx.slots["thing"] === undefined) {
      const here = ctx.actor.location;
      if (here !== null) ctx.send(examineView(here));
      return;
    }
    const thing = builderTarget(ctx, "thing", "anywhere");
    if (thing !== undefined) ctx.send(examineView(thing));
  },
};
