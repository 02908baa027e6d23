/**
 * Ignoring (issue 7): `ignore <name>`, `ignore` alone for the list, `unignore <name>`. What an
 * ignored player says, emotes, tells, whispers and posts is not delivered to whoever ignores
 * them (the narrator and the channels skip those readers); the ignored player is not told.
 */
import { displayName, parseName } from "../../accounts/names.js";
import { styled } from "../../session/messages.js";
import { sanitizeText } from "../../session/sanitize.js";
import { MAX_IGNORED } from "../channels/ignores.js";
import { listing } from "../language/lists.js";
import type { Action } from "./action.js";

/** `ignore <name>`, or `ignore` alone for the list. */
export const ignore: Action = {
  names: ["ignore"],
  syntax: ["ignore <name>", "ignore"],
  usage: "ignore [name]",
  summary: "Stop reading what someone says, or list who you ignore.",
  help: `ignore Bob hides what Bob says, emotes, tells, whispers and posts on channels from you, until you type unignore Bob. Bob is not told. ignore alone lists who you are ignoring (at most ${MAX_IGNORED} people).`,
  run(ctx) {
    const { player, world } = ctx;
    const typed = ctx.slots["name"];
    if (typed === undefined) {
      const names = [...player.ignoring].map(displayName);
      ctx.reply(names.length === 0 ? "You are not ignoring anyone." : `You are ignoring ${listing(names)}.`);
      return;
    }
    const parsed = parseName(typed);
    if (!parsed.ok) {
      ctx.reply(`There is no one called ${sanitizeText(typed).slice(0, 30)}.`);
      return;
    }
    const result = world.ignores.ignore(player, parsed.key);
    switch (result) {
      case "ignored":
        ctx.reply(`You are now ignoring ${parsed.name}. Type unignore ${parsed.name} to read them again.`);
        return;
      case "already":
        ctx.reply(`You are already ignoring ${parsed.name}.`);
        return;
      case "self":
        ctx.reply("You cannot ignore yourself.");
        return;
      case "no-such-player":
        ctx.reply(`There is no one called ${parsed.name}.`);
        return;
      case "too-many":
        ctx.reply(styled("error", `You are ignoring ${MAX_IGNORED} people already; unignore someone first.`));
        return;
      default: {
        const unreachable: never = result;
        throw new Error(`unknown ignore result ${String(unreachable)}`);
      }
    }
  },
};

/** `unignore <name>`. */
export const unignore: Action = {
  names: ["unignore"],
  syntax: ["unignore <name>"],
  summary: "Read someone you were ignoring again.",
  help: "unignore Bob shows you what Bob says, emotes, tells, whispers and posts again. Type ignore to see who you are ignoring.",
  run(ctx) {
    const typed = ctx.slots["name"] ?? "";
    const parsed = parseName(typed);
    const result = parsed.ok ? ctx.world.ignores.unignore(ctx.player, parsed.key) : "not-ignoring";
    const shown = parsed.ok ? parsed.name : sanitizeText(typed).slice(0, 30);
    switch (result) {
      case "unignored":
        ctx.reply(`You are no longer ignoring ${shown}.`);
        return;
      case "not-ignoring":
        ctx.reply(`You are not ignoring ${shown}.`);
        return;
      default: {
        const unreachable: never = result;
        throw new Error(`unknown unignore result ${String(unreachable)}`);
      }
    }
  },
};
