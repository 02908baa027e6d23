/**
 * A worked example of a new action (docs/world.md, "Adding an action"): `knock <door>`.
 * The room reads who knocked; the room on the other side of the door hears a knock and
 * nothing more. It registers into the world's ActionRegistry like the built-in actions.
 */
import type { Action } from "../../../src/world/actions/action.js";
import { exitsHere } from "../../../src/world/actions/scope.js";

export const knock: Action = {
  names: ["knock"],
  syntax: ["knock on <door>", "knock <door>"],
  summary: "Knock on a door.",
  help: "knock on door: everyone here sees you knock, and whoever is on the other side hears it.",
  run(ctx) {
    const doors = exitsHere(ctx.actor).filter((exit) => exit.exit?.door !== undefined);
    const door = ctx.one("door", { things: doors }, "There is no door like that here.");
    if (door === undefined || ctx.actor.location === null) return;
    ctx.world.narrate({ kind: "knock", place: ctx.actor.location, actor: ctx.actor, thing: door, phrase: { text: "{actor} {actor|knock} on {thing.the}." } });
    // The other side: the door's twin exit stands in the room beyond.
    const twin = door.exit?.twin === undefined ? undefined : ctx.world.thing(door.exit.twin);
    const beyond = twin?.location;
    if (twin !== undefined && beyond != null) {
      ctx.world.narrate({ kind: "knock", place: beyond, actor: twin, thing: twin, phrase: { text: "Someone knocks on {thing.the}." } });
    }
  },
};
