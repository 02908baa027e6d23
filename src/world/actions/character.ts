/**
 * The player's own character: `pronouns`, which the narrator uses wherever it speaks of them
 * ("Alice looks at herself") and `look` shows.
 */
import { PronounSets, type PronounSet } from "../model/thing-record.js";
import { pronounsFor } from "../phrase.js";
import type { Action } from "./action.js";
import { characterStatus } from "../char-status.js";

/** `pronouns`, `pronouns <he|she|they|it>`. */
export const pronouns: Action = {
  names: ["pronouns"],
  syntax: ["pronouns <set>", "pronouns"],
  usage: "pronouns [he|she|they|it]",
  summary: "Show or choose the pronouns the world uses for you.",
  help: "pronouns shows yours; pronouns she (or he, they, it) chooses them. Others see them when they look at you, and the world uses them when it tells of what you do.",
  run(ctx) {
    const character = ctx.actor.character;
    if (character === undefined) return;
    const wanted = ctx.slots["set"]?.toLowerCase();
    const show = (): string => {
      const p = pronounsFor(ctx.actor);
      return `${p.subject}/${p.object}/${p.possessive}`;
    };
    if (wanted === undefined) {
      ctx.reply(`Your pronouns are ${show()}. Type pronouns he, she, they or it to change them.`);
      return;
    }
    const set = PronounSets.find((s) => s === wanted) as PronounSet | undefined;
    if (set === undefined) {
      ctx.reply("Choose one of: he, she, they, it.");
      return;
    }
    character.pronouns = set;
    ctx.world.save(ctx.actor);
    ctx.reply(`Your pronouns are now ${show()}.`);
    ctx.world.oob(ctx.actor, "Char.Status", characterStatus(ctx.player));
  },
};
