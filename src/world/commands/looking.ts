/**
 * Looking around: look (at the room, a thing or a person) and inventory.
 */
import { line, styled } from "../../session/messages.js";
import type { Span } from "../../session/messages.js";
import type { Command } from "../command.js";
import { listing, matchesKeywords, queryWords } from "../text.js";

/** `look`, `look <thing|person>`. */
export const look: Command = {
  names: ["look", "l", "examine", "x"],
  usage: "look [thing or person]",
  summary: "Look around, or at something or someone.",
  help: "With nothing after it, describes the room you are in, its exits, what lies here and who is here. look lantern describes the lantern, whether you carry it or it lies here.",
  run({ world, player, args }) {
    if (args === "") {
      world.showRoom(player);
      return;
    }
    const words = queryWords(args);
    if (words.length === 1 && (words[0] === "me" || words[0] === "self")) {
      world.tell(player, line(`You are ${player.name}. You carry ${player.inventory.size} thing${player.inventory.size === 1 ? "" : "s"}.`));
      return;
    }
    const thing = [...player.inventory, ...player.room.things].find((t) => matchesKeywords(words, t.keywords));
    if (thing !== undefined) {
      world.tell(player, line(styled("thing", thing.name), `\n${thing.description}`));
      return;
    }
    const other = [...player.room.players].find((p) => p.key === words.join(""));
    if (other !== undefined) {
      const carried = [...other.inventory].map((t) => t.name);
      const spans: Span[] = [styled("name", other.name), " is here"];
      spans.push(carried.length > 0 ? `, carrying ${listing(carried)}.` : ", empty-handed.");
      world.tell(player, line(...spans));
      return;
    }
    world.tell(player, line("You see nothing like that here."));
  },
};

/** `inventory`. */
export const inventory: Command = {
  names: ["inventory", "inv", "i"],
  usage: "inventory",
  summary: "List what you are carrying.",
  help: "Lists what you carry. What you carry stays with you when you quit and come back.",
  run({ world, player }) {
    const names = [...player.inventory].map((t) => t.name);
    if (names.length === 0) {
      world.tell(player, line("You are carrying nothing."));
      return;
    }
    world.tell(player, { kind: "line", spans: ["You are carrying:", ...names.flatMap((n) => ["\n  ", styled("thing", n)])] });
  },
};
