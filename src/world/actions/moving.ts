/**
 * Moving: `go <exit>`, the compass words alone, and the walk itself, which the wanderer
 * behaviour uses too: a closed door stops it; otherwise the character is moved (saved), the
 * room left reads "Alice leaves north.", the room reached "Alice arrives from the south.", and
 * the walker sees the new room. Out of band, the others in each room are told who (or what: a
 * wandering cat is an item) left or came (`Room.RemovePlayer`/`AddPlayer`, `Char.Items.*`).
 */
import type { LiveExit, Thing } from "../model/thing.js";
import { cameIn, wentOut } from "../room-contents.js";
import type { Action, ActionContext, WalkResult, WorldServices } from "./action.js";
import { exitsHere } from "./scope.js";
import { ExitAbbreviations } from "../world-schema.js";

const OPPOSITE_SIDE: Readonly<Record<string, string>> = {
  north: "the south",
  south: "the north",
  east: "the west",
  west: "the east",
  northeast: "the southwest",
  northwest: "the southeast",
  southeast: "the northwest",
  southwest: "the northeast",
  up: "below",
  down: "above",
  in: "outside",
  out: "inside",
};

/** The directions that read as English after "Alice leaves": the eight points of the compass. */
const COMPASS_POINTS: ReadonlySet<string> = new Set(["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"]);

/**
 * How the way out reads after the leaving verb, with its leading space or comma. "Alice
 * leaves north", but "Alice leaves in" and "Alice leaves bridge" are not English: a door is
 * gone through ("through the cupboard door", by the `{thing}` slot so a door's name is never
 * read as a template), up, down, in and out are headed ("Alice leaves, heading up"), and any
 * other exit names where it goes ("Alice leaves for the bridge").
 */
function wayOut(exit: LiveExit): string {
  const direction = exit.direction;
  if (COMPASS_POINTS.has(direction)) return ` ${direction}`;
  if (exit.door !== undefined) return " through {thing.the}";
  if (direction === "up" || direction === "down" || direction === "in" || direction === "out") return `, heading ${direction}`;
  return ` for the ${direction}`;
}

/** The words a walk is told with: "leave"/"arrive" for people, "pad off"/"pad in" for a cat. */
export interface WalkVerbs {
  readonly leave: string;
  readonly arrive: string;
}

const WALKING: WalkVerbs = { leave: "leave", arrive: "arrive" };

/** Walks `character` through `exit`: saved, then narrated on both sides. */
export function walk(world: WorldServices, character: Thing, exit: Thing, verbs: WalkVerbs = WALKING): WalkResult {
  const facet = exit.exit;
  if (facet === undefined) return { kind: "nowhere" };
  if (facet.door !== undefined && !facet.door.open) return { kind: "closed", exit };
  const from = character.location;
  const to = world.thing(facet.to);
  if (to?.room === undefined || from === null) return { kind: "nowhere" };
  world.move(character, to);
  const direction = facet.direction;
  // Told as it happens in a quiet room, gathered into a summary in a crowd (crowd-news.ts).
  world.pass(
    {
      kind: "leave",
      place: from,
      actor: character,
      thing: exit,
      direction,
      phrase: { text: `{actor} {actor|${verbs.leave}}${wayOut(facet)}.`, actor: "" },
      oob: { others: [wentOut(character)] },
    },
    "leave",
  );
  const side = OPPOSITE_SIDE[direction];
  world.pass(
    {
      kind: "arrive",
      place: to,
      actor: character,
      direction,
      phrase: { text: side !== undefined ? `{actor} {actor|${verbs.arrive}} from ${side}.` : `{actor} {actor|${verbs.arrive}}.`, actor: "" },
      oob: { others: [cameIn(character)] },
    },
    "arrive",
  );
  world.showRoom(character);
  return { kind: "moved", to };
}

function goThrough(ctx: ActionContext, exit: Thing): void {
  const result = ctx.world.walk(ctx.actor, exit);
  switch (result.kind) {
    case "moved":
      return;
    case "closed":
      ctx.phrase("{thing.the} is closed.", { thing: result.exit });
      return;
    case "nowhere":
      ctx.reply("That way leads nowhere just now.");
      return;
    default: {
      const unreachable: never = result;
      throw new Error(`unknown walk result ${JSON.stringify(unreachable)}`);
    }
  }
}

/** `go <exit>`. Typing an exit's name alone does the same (see dispatch.ts). */
export const go: Action = {
  names: ["go", "walk", "move"],
  syntax: ["go <exit>"],
  usage: "go <exit>   (or just the exit: north, n, in ...)",
  summary: "Walk through an exit.",
  help: "The exits of a room are listed when you look. You can type the exit on its own: north or n, south or s, east, west, northeast (ne), northwest (nw), southeast (se), southwest (sw), up (u), down (d), in, out, or any other exit a room names. A closed door must be opened first.",
  run(ctx) {
    const exit = ctx.one("exit", { things: exitsHere(ctx.actor) }, "You can't go that way.");
    if (exit !== undefined) goThrough(ctx, exit);
  },
};

/** The compass words and their abbreviations, each a command of its own. */
export const directions: Action = {
  names: [...Object.values(ExitAbbreviations), ...Object.keys(ExitAbbreviations)],
  syntax: ["north"],
  usage: "north, south, ... up, down   (or n, s, ... u, d)",
  summary: "Walk in a direction.",
  help: "Each compass direction, up and down, and their one- or two-letter abbreviations move you through the exit of that name.",
  run(ctx) {
    const direction = (ExitAbbreviations as Readonly<Record<string, string>>)[ctx.verb] ?? ctx.verb;
    const exit = exitsHere(ctx.actor).find((e) => e.exit?.direction === direction);
    if (exit === undefined) ctx.reply("You can't go that way.");
    else goThrough(ctx, exit);
  },
};
