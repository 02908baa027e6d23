/**
 * Handling things: get and drop (one thing, or all).
 */
import { line, styled } from "../../session/messages.js";
import type { Command } from "../command.js";
import type { Thing } from "../model.js";
import { matchesKeywords, queryWords } from "../text.js";

function pick(things: Iterable<Thing>, query: string): Thing | undefined {
  const words = queryWords(query);
  for (const thing of things) if (matchesKeywords(words, thing.keywords)) return thing;
  return undefined;
}

/** `get <thing>` / `get all`. */
export const get: Command = {
  names: ["get", "take", "pick"],
  usage: "get <thing>   (or get all)",
  summary: "Pick something up.",
  help: "Picks up a thing lying in the room. get all picks up everything that can be carried. Some things, like a fountain, stay where they are.",
  run({ world, player, args, verb }) {
    const query = verb === "pick" ? args.replace(/^up\s+/i, "") : args;
    if (query === "") {
      world.tell(player, line("Get what?"));
      return;
    }
    if (query.toLowerCase() === "all") {
      const portable = [...player.room.things].filter((t) => t.portable);
      if (portable.length === 0) {
        world.tell(player, line("There is nothing here you can take."));
        return;
      }
      for (const thing of portable) world.take(player, thing);
      return;
    }
    const thing = pick(player.room.things, query);
    if (thing === undefined) {
      world.tell(player, line(pick(player.inventory, query) ? "You already have that." : "You see nothing like that here."));
      return;
    }
    if (!thing.portable) {
      world.tell(player, line("You can't take ", styled("thing", thing.name), "."));
      return;
    }
    world.take(player, thing);
  },
};

/** `drop <thing>` / `drop all`. */
export const drop: Command = {
  names: ["drop", "put"],
  usage: "drop <thing>   (or drop all)",
  summary: "Put something down.",
  help: "Leaves a thing you carry lying in the room, where anyone can pick it up. drop all empties your hands.",
  run({ world, player, args }) {
    if (args === "") {
      world.tell(player, line("Drop what?"));
      return;
    }
    if (args.toLowerCase() === "all") {
      if (player.inventory.size === 0) {
        world.tell(player, line("You are carrying nothing."));
        return;
      }
      for (const thing of [...player.inventory]) world.drop(player, thing);
      return;
    }
    const thing = pick(player.inventory, args);
    if (thing === undefined) {
      world.tell(player, line("You are not carrying that."));
      return;
    }
    world.drop(player, thing);
  },
};
