/**
 * Commands about the game itself: help and quit.
 */
import { styled, type Span } from "../../session/messages.js";
import type { Role } from "../../store/store.js";
import { Roles } from "../../store/store.js";
import type { Action } from "./action.js";

function allowed(role: Role, needed: Role | undefined): boolean {
  return Roles.indexOf(role) >= Roles.indexOf(needed ?? "player");
}

/** How an action is shown in the list: its usage up to any parenthetical alternatives. */
function shownUsage(action: Action): string {
  return (action.usage ?? action.syntax[0] ?? action.names[0]!).split("   (")[0]!;
}

/** `help`, `help <command>`. */
export const help: Action = {
  names: ["help", "?", "commands"],
  syntax: ["help <topic>", "help"],
  usage: "help [command]",
  summary: "List the commands, or explain one.",
  help: "help alone lists every command. help <command> explains one, for example help say.",
  run(ctx) {
    const actions = ctx.world.actions().filter((a) => allowed(ctx.player.role, a.role));
    const topic = (ctx.slots["topic"] ?? "").toLowerCase();
    if (topic === "") {
      const spans: Span[] = [styled("title", "Commands"), " (type help <command> for more):"];
      // Padded to fit an 80-column screen.
      for (const a of actions) {
        const usage = shownUsage(a);
        spans.push("\n  ", styled("bold", usage.length >= 27 ? `${usage} ` : usage.padEnd(27)), a.summary);
      }
      spans.push("\nNew here? Type look to see where you are, then try walking: north, south, east, west.");
      ctx.send({ kind: "line", spans });
      return;
    }
    const action = actions.find((a) => a.names.includes(topic));
    if (action === undefined) {
      ctx.reply(`There is no help on "${topic.slice(0, 40)}". Type help for the list of commands.`);
      return;
    }
    const aliases = action.names.slice(1);
    const forms = action.syntax.length > 1 ? styled("dim", `\nForms: ${action.syntax.join(", ")}`) : "";
    const spans: Span[] = [styled("title", action.usage ?? action.syntax[0] ?? topic), `\n${action.help}`, forms];
    if (aliases.length > 0) spans.push(styled("dim", `\nAlso: ${aliases.join(", ")}`));
    ctx.send({ kind: "line", spans: spans.filter((s) => s !== "") });
  },
};

/** `quit`. */
export const quit: Action = {
  names: ["quit", "logout"],
  syntax: ["quit"],
  summary: "Leave the game; your place and your things are saved.",
  help: "Saves your character and closes the connection. When you connect again you will be where you left, carrying what you carried.",
  run(ctx) {
    ctx.world.quit(ctx.player);
  },
};
