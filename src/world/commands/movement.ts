/**
 * Moving: go <exit>, and the compass words on their own (north, n, ...).
 */
import { line } from "../../session/messages.js";
import type { Command } from "../command.js";
import { DIRECTION_ABBREVIATIONS } from "../text.js";

/** `go <exit>`. Typing an exit's name alone does the same (see the world's dispatcher). */
export const go: Command = {
  names: ["go", "walk", "move"],
  usage: "go <exit>   (or just the exit: north, n, in ...)",
  summary: "Walk through an exit.",
  help: "The exits of a room are listed when you look. You can type the exit on its own: north or n, south or s, east, west, northeast (ne), northwest (nw), southeast (se), southwest (sw), up (u), down (d), in, out, or any other exit a room names.",
  run({ world, player, args }) {
    const wanted = args.toLowerCase();
    if (wanted === "") {
      world.tell(player, line("Go where?"));
      return;
    }
    if (!world.move(player, DIRECTION_ABBREVIATIONS[wanted] ?? wanted)) {
      world.tell(player, line("You can't go that way."));
    }
  },
};

/** The compass words and their abbreviations, each a command of its own. */
export const directions: Command = {
  names: [...Object.values(DIRECTION_ABBREVIATIONS), ...Object.keys(DIRECTION_ABBREVIATIONS)],
  usage: "north, south, ... up, down   (or n, s, ... u, d)",
  summary: "Walk in a direction.",
  help: "Each compass direction, up and down, and their one- or two-letter abbreviations move you through the exit of that name.",
  run({ world, player, verb }) {
    if (!world.move(player, DIRECTION_ABBREVIATIONS[verb] ?? verb)) {
      world.tell(player, line("You can't go that way."));
    }
  },
};
