/**
 * Commands about the game itself: help and quit.
 */
import { line, styled } from "../../session/messages.js";
import type { Span } from "../../session/messages.js";
import type { Command } from "../command.js";

/** `help`, `help <command>`. */
export const help: Command = {
  names: ["help", "?", "commands"],
  usage: "help [command]",
  summary: "List the commands, or explain one.",
  help: "help alone lists every command. help <command> explains one, for example help say.",
  run({ world, player, args }) {
    const commands = world.commands();
    const topic = args.toLowerCase();
    if (topic === "") {
      const spans: Span[] = [styled("title", "Commands"), " (type help <command> for more):"];
      // The usage up to its parenthetical alternatives, so the list fits an 80-column screen.
      for (const c of commands) spans.push("\n  ", styled("bold", c.usage.split("   (")[0]!.padEnd(27)), c.summary);
      spans.push("\nNew here? Type look to see where you are, then try walking: north, south, east, west.");
      world.tell(player, { kind: "line", spans });
      return;
    }
    const command = commands.find((c) => c.names.includes(topic));
    if (command === undefined) {
      world.tell(player, line(`There is no help on "${topic.slice(0, 40)}". Type help for the list of commands.`));
      return;
    }
    const aliases = command.names.slice(1);
    const spans: Span[] = [styled("title", command.usage), `\n${command.help}`];
    if (aliases.length > 0) spans.push(styled("dim", `\nAlso: ${aliases.join(", ")}`));
    world.tell(player, { kind: "line", spans });
  },
};

/** `quit`. */
export const quit: Command = {
  names: ["quit", "logout"],
  usage: "quit",
  summary: "Leave the game; your place and your things are saved.",
  help: "Saves your character and closes the connection. When you connect again you will be where you left, carrying what you carried.",
  run({ world, player }) {
    world.quit(player);
  },
};
