/**
 * Channels (issue 7, "Talking"): `channels`, `join`, `leave`, posting (`chat hello`, or
 * `post chat hello`), `history`, and for admins `channel create|remove`. The channel service
 * (`world.channels`, src/world/channels/) keeps who is in what and delivers posts; these
 * actions check what the player typed and answer them.
 *
 * A channel's name is a command for posting on it: when no action or exit answers a verb, the
 * dispatcher asks the channel service whether a channel has that name and, if so, runs `post`
 * with the channel's name in front (src/world/dispatch.ts).
 */
import { styled, type Span } from "../../session/messages.js";
import { playerText } from "../../session/sanitize.js";
import { HISTORY_SHOWN, MAX_CHANNELS } from "../channels/channel-service.js";
import { checkChannelName, historyLine, shownChannelName } from "../channels/channel-text.js";
import type { Action, ActionContext } from "./action.js";
import { MUTED } from "./communication.js";

/** The refusal for a channel nobody made. */
function noSuchChannel(ctx: ActionContext, typed: string): void {
  ctx.reply(`There is no channel called ${shownChannelName(typed)}. Type channels for the list.`);
}

/** `channels`: every channel, whether you are in it, how many online are. */
export const channels: Action = {
  names: ["channels"],
  syntax: ["channels"],
  summary: "List the channels, and which ones you are in.",
  help: "Shows every channel, whether you are in it and how many people online are listening. You start in chat. join <channel> and leave <channel> choose what you hear; <channel> <text> posts, as in chat hello; history <channel> shows what was said lately.",
  run(ctx) {
    const all = ctx.world.channels.summaries(ctx.player);
    const [first] = all;
    if (first === undefined) {
      ctx.reply("There are no channels.");
      return;
    }
    const rows = all.map((c) => `\n  ${c.name}: you are ${c.member ? "in it" : "not in it"}, ${c.listening} listening`);
    ctx.send({ kind: "line", spans: [styled("title", "Channels:"), ...rows, `\nType join <channel> or leave <channel>. Post with <channel> <text>, as in ${first.name} hello.`] });
  },
};

/** `<channel> <text>`, or `post <channel> <text>`: says something to everyone in a channel. */
export const post: Action = {
  names: ["post"],
  syntax: ["post <channel> <text>", "post <channel>"],
  usage: "<channel> <text>   (or post <channel> <text>)",
  summary: "Post on a channel you are in: chat hello.",
  help: `Everyone in the channel reads it, wherever they are and whichever way they connected: chat hello shows [chat] Alice: hello. Posting too fast is refused for a moment. The last ${HISTORY_SHOWN} lines of each channel are kept: type history chat.`,
  run(ctx) {
    const { world, player } = ctx;
    if (player.muted) return ctx.reply(styled("error", MUTED));
    const typed = ctx.slots["channel"] ?? "";
    const name = typed.toLowerCase();
    if (!world.channels.has(name)) return noSuchChannel(ctx, typed);
    if (!world.channels.isMember(player, name)) {
      ctx.reply(`You are not in the ${name} channel. Type join ${name}.`);
      return;
    }
    const text = playerText(ctx.slots["text"] ?? "");
    if (text === "") {
      ctx.reply(`Post what? Type: ${name} <text>`);
      return;
    }
    const result = world.channels.post(player, name, text);
    switch (result) {
      case "posted":
        return;
      case "too-fast":
        ctx.reply(styled("error", "You are posting too fast. Wait a moment, then try again."));
        return;
      case "no-such-channel":
        return noSuchChannel(ctx, typed);
      case "not-member":
        ctx.reply(`You are not in the ${name} channel. Type join ${name}.`);
        return;
      default: {
        const unreachable: never = result;
        throw new Error(`unknown post result ${String(unreachable)}`);
      }
    }
  },
};

/** `join <channel>`. */
export const join: Action = {
  names: ["join"],
  syntax: ["join <channel>"],
  summary: "Listen to a channel, and post on it.",
  help: "join gossip puts you in the gossip channel: you read what is posted on it and can post with gossip <text>. Type channels for the list.",
  run(ctx) {
    const typed = ctx.slots["channel"] ?? "";
    const name = typed.toLowerCase();
    const result = ctx.world.channels.join(ctx.player, name);
    switch (result) {
      case "joined":
        ctx.reply(`You join the ${name} channel. Type ${name} <text> to post on it.`);
        return;
      case "already":
        ctx.reply(`You are already in the ${name} channel.`);
        return;
      case "no-such-channel":
        return noSuchChannel(ctx, typed);
      default: {
        const unreachable: never = result;
        throw new Error(`unknown join result ${String(unreachable)}`);
      }
    }
  },
};

/** `leave <channel>`. */
export const leave: Action = {
  names: ["leave"],
  syntax: ["leave <channel>"],
  summary: "Stop listening to a channel.",
  help: "leave chat takes you out of the chat channel: you no longer read it, and it stays that way when you come back. join chat puts you back.",
  run(ctx) {
    const typed = ctx.slots["channel"] ?? "";
    const name = typed.toLowerCase();
    const result = ctx.world.channels.leave(ctx.player, name);
    switch (result) {
      case "left":
        ctx.reply(`You leave the ${name} channel. Type join ${name} to listen again.`);
        return;
      case "not-member":
        ctx.reply(`You are not in the ${name} channel.`);
        return;
      case "no-such-channel":
        return noSuchChannel(ctx, typed);
      default: {
        const unreachable: never = result;
        throw new Error(`unknown leave result ${String(unreachable)}`);
      }
    }
  },
};

/** `history <channel>`: the last lines posted, with their times in UTC. */
export const history: Action = {
  names: ["history"],
  syntax: ["history <channel>"],
  summary: "Show what was said lately on a channel.",
  help: `Shows the last ${HISTORY_SHOWN} lines posted on a channel, kept across restarts, each with its time in UTC: [chat 14:05] Alice: hello (with the date for a line from before today). Lines from people you ignore are left out.`,
  run(ctx) {
    const typed = ctx.slots["channel"] ?? "";
    const name = typed.toLowerCase();
    const found = ctx.world.channels.history(name, ctx.player);
    if (found === undefined) return noSuchChannel(ctx, typed);
    const { lines, now } = found;
    if (lines.length === 0) {
      ctx.reply(`Nothing has been posted on ${name} yet.`);
      return;
    }
    const spans: Span[] = [styled("title", `The last ${lines.length === 1 ? "line" : `${lines.length} lines`} on ${name} (times in UTC):`)];
    for (const l of lines) spans.push("\n", ...historyLine(l, now));
    ctx.send({ kind: "line", spans });
  },
};

/** `channel create <name>`, `channel remove <name>` (admins). */
export const channel: Action = {
  names: ["channel"],
  syntax: ["channel create <name>", "channel remove <name>"],
  usage: "channel create|remove <name>",
  role: "admin",
  summary: "Make a channel, or remove one with its history.",
  help: `channel create gossip makes a channel called gossip, which players join with join gossip; you are put in it. Names are 2 to 16 lowercase letters or digits, and not a command. channel remove gossip removes it, with what was said on it; its members are told. There may be at most ${MAX_CHANNELS} channels.`,
  run(ctx) {
    const { world, player } = ctx;
    const typed = ctx.slots["name"] ?? "";
    if (ctx.syntax.startsWith("channel create")) {
      const check = checkChannelName(typed, (word) => world.actions().some((a) => a.names.includes(word)));
      if (!check.ok) return ctx.reply(styled("error", check.error));
      const result = world.channels.create(check.name, player);
      switch (result) {
        case "created":
          ctx.reply(`You create the ${check.name} channel, and join it. Players can type join ${check.name} to listen.`);
          return;
        case "exists":
          ctx.reply(`There is already a channel called ${check.name}.`);
          return;
        case "too-many":
          ctx.reply(styled("error", `There are already ${MAX_CHANNELS} channels; remove one first.`));
          return;
        default: {
          const unreachable: never = result;
          throw new Error(`unknown create result ${String(unreachable)}`);
        }
      }
    }
    const name = typed.toLowerCase();
    const result = world.channels.remove(name, player);
    switch (result) {
      case "removed":
        ctx.reply(`You remove the ${name} channel, with its history.`);
        return;
      case "no-such-channel":
        return noSuchChannel(ctx, typed);
      default: {
        const unreachable: never = result;
        throw new Error(`unknown remove result ${String(unreachable)}`);
      }
    }
  },
};
