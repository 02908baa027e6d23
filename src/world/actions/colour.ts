/**
 * `color` (and `colour`): the player's colour choice (issue 8), remembered with their character
 * and passed to their connection at every login, before the room is shown. The world does not
 * colour anything itself and knows no door: it keeps the choice, tells the session boundary,
 * and reads what the client announced only to tell the player (docs/telnet.md, "Colour").
 */
import { colourDepth } from "../../session/colour-mode.js";
import type { ClientCapabilities, ColourDepth, ColourMode, Span } from "../../session/messages.js";
import { ColourModes, styled } from "../../session/messages.js";
import type { Thing } from "../model/thing.js";
import type { Action } from "./action.js";

/** The modes as the player types them, for the answers. */
const CHOICES = "on, off, 16, 256 or truecolor";

/** The character's colour choice: `on` unless they chose otherwise (a stored value the world does not know counts as `on`). */
export function colourModeOf(character: Thing): ColourMode {
  const stored: string | undefined = character.character?.colour;
  return ColourModes.find((mode) => mode === stored) ?? "on";
}

/** One of each style, so the player sees what their choice looks like. */
const SAMPLE: readonly Span[] = [
  "Looks like: ",
  styled("title", "a room title"),
  ", ",
  styled("exit", "an exit"),
  ", ",
  styled("name", "a name"),
  ", ",
  styled("speech", '"speech"'),
  ", ",
  styled("thing", "a thing"),
  ", ",
  styled("error", "an error"),
  ", ",
  styled("notice", "a notice"),
  ", ",
  styled("dim", "dim text"),
  ", ",
  styled("bold", "bold text"),
  ".",
];

/** `color`, `color <on|off|16|256|truecolor>`. */
export const colour: Action = {
  names: ["color", "colour"],
  syntax: ["color <mode>", "color"],
  usage: "color [on|off|16|256|truecolor]",
  summary: "Show or choose how your text is coloured.",
  help:
    "color shows how your text is coloured and what your client announced it can show. " +
    "color on follows your client (the default), color off turns colour off, and color 16, color 256 or color truecolor " +
    "use that many colours whatever your client said. Your choice is remembered for your next visit.",
  run(ctx) {
    const character = ctx.actor.character;
    if (character === undefined) return;
    const caps = ctx.world.client(ctx.player);
    const typed = ctx.slots["mode"]?.toLowerCase();
    if (typed === undefined) {
      const mode = colourModeOf(ctx.actor);
      const depth = caps === undefined ? undefined : colourDepth(mode, caps);
      ctx.reply(modeSentence(mode, depth, "is"));
      if (caps !== undefined) ctx.reply(announced(caps));
      if (depth !== undefined) ctx.reply(...SAMPLE);
      ctx.reply(`Type color ${CHOICES} to change it.`);
      return;
    }
    // The British spelling too, as the command has both names.
    const wanted = typed === "truecolour" ? "truecolor" : typed;
    const mode = ColourModes.find((m) => m === wanted);
    if (mode === undefined) {
      ctx.reply(styled("error", `Choose one of: ${CHOICES}.`));
      return;
    }
    if (mode === "on") delete character.colour;
    else character.colour = mode;
    ctx.world.save(ctx.actor);
    // The connection switches first, so the answer below is already drawn in the new colours.
    ctx.world.colour(ctx.actor, mode);
    const depth = caps === undefined ? undefined : colourDepth(mode, caps);
    ctx.reply(modeSentence(mode, depth, "is now"));
    if (depth !== undefined) ctx.reply(...SAMPLE);
    else if (mode === "on") ctx.reply("Your client announced no colour; type color 16 to have it anyway.");
  },
};

/** "Colour is on, following your client: 256 colours." and the like. */
function modeSentence(mode: ColourMode, depth: ColourDepth | undefined, verb: "is" | "is now"): string {
  switch (mode) {
    case "on":
      return `Colour ${verb} on, following your client: ${depth === undefined ? "none" : depthName(depth)}.`;
    case "off":
      return `Colour ${verb} off.`;
    case "16":
    case "256":
    case "truecolor":
      return `Colour ${verb} ${depthName(mode)}, whatever your client announced.`;
    default: {
      const unreachable: never = mode;
      throw new Error(`unknown colour mode ${String(unreachable)}`);
    }
  }
}

/** What the client said about colour, in a sentence. */
function announced(caps: ClientCapabilities): string {
  if (caps.colour !== undefined) return `Your client announced ${depthName(caps.colour)}.`;
  if (caps.ansi) return "Your client did not announce how many colours it shows; 16 are assumed.";
  return "Your client announced no colour.";
}

function depthName(depth: ColourDepth): string {
  return depth === "truecolor" ? "true colour (24-bit)" : `${depth} colours`;
}
