/**
 * The admins' commands (issue 7, "Admin"): kick, ban, unban, mute, unmute, announce, role and
 * shutdown. Each declares `role: "admin"`, so the dispatcher refuses everyone else before it
 * runs ("Only admins may use kick."). What they do, and the rules they keep, are the world's
 * moderation service (../moderation.ts); here are the grammar, the checks of what was typed and
 * the admin's own sentences. Every text an admin gives (a reason, an announcement) passes
 * through `playerText` and is bounded before anyone reads it or it is stored.
 */
import { Roles, type Role } from "../../store/store.js";
import { playerText, sanitizeText } from "../../session/sanitize.js";
import {
  DEFAULT_SHUTDOWN_SECONDS,
  duration,
  MAX_ANNOUNCEMENT_LENGTH,
  MAX_REASON_LENGTH,
  MAX_SHUTDOWN_SECONDS,
  withArticle,
  withReason,
  type Target,
} from "../moderation.js";
import type { Action, ActionContext } from "./action.js";

/** The account the `name` slot names, or undefined after saying there is none. */
function target(ctx: ActionContext): Target | undefined {
  const name = ctx.slots["name"] ?? "";
  const found = ctx.world.moderation.account(name);
  if (found === undefined) ctx.reply(`There is no character called ${sanitizeText(name).slice(0, 30)}.`);
  return found;
}

/** The `reason` slot, sanitised; undefined after refusing one that is too long. */
function reasonGiven(ctx: ActionContext): string | undefined {
  const why = playerText(ctx.slots["reason"] ?? "");
  if (why.length <= MAX_REASON_LENGTH) return why;
  ctx.reply(`A reason is at most ${MAX_REASON_LENGTH} characters.`);
  return undefined;
}

/**
 * Replies with the sentence for `outcome`. The record must name every outcome the moderation
 * service can return, so an outcome added there is a compile error here.
 */
function answer<O extends string>(ctx: ActionContext, outcome: O, replies: Readonly<Record<NoInfer<O>, string>>): void {
  ctx.reply(replies[outcome]);
}

/** `kick <name> [reason]`. */
export const kick: Action = {
  names: ["kick"],
  syntax: ["kick <name> <reason>", "kick <name>"],
  usage: "kick <name> [reason]",
  summary: "Put a player out of the game (admins only).",
  help: `kick Bob spamming the square: Bob reads that an admin kicked him out, and why, and is disconnected; the room sees him fade away. He may log in again: to keep him out, ban him. A reason is at most ${MAX_REASON_LENGTH} characters.`,
  role: "admin",
  run(ctx) {
    const found = target(ctx);
    if (found === undefined) return;
    const why = reasonGiven(ctx);
    if (why === undefined) return;
    const name = found.record.name;
    if (found.online === undefined) {
      ctx.reply(`${name} is not online.`);
      return;
    }
    answer(ctx, ctx.world.moderation.kick(ctx.player, found.online, why), {
      kicked: withReason(`You kick ${name} out of the game`, why),
      self: "You cannot kick yourself. Type quit to leave.",
    });
  },
};

/** `ban <name> [reason]`. */
export const ban: Action = {
  names: ["ban"],
  syntax: ["ban <name> <reason>", "ban <name>"],
  usage: "ban <name> [reason]",
  summary: "Keep a character out of the game (admins only).",
  help: `ban Bob cheating: Bob's character cannot log in until unbanned, and is told why when he tries. If he is playing, he is put out of the game at once. Works on characters who are not online. An admin must be made a player (role) before being banned. A reason is at most ${MAX_REASON_LENGTH} characters.`,
  role: "admin",
  run(ctx) {
    const found = target(ctx);
    if (found === undefined) return;
    const why = reasonGiven(ctx);
    if (why === undefined) return;
    const name = found.record.name;
    answer(ctx, ctx.world.moderation.ban(ctx.player, found, why), {
      banned: withReason(`You ban ${name}`, why) + (found.online === undefined ? "" : ` ${name} was playing and has been put out of the game.`),
      self: "You cannot ban yourself.",
      admin: `${name} is an admin. Make them a player first (role ${name} player) if you mean to ban them.`,
      already: `${name} is already banned.`,
    });
  },
};

/** `unban <name>`. */
export const unban: Action = {
  names: ["unban"],
  syntax: ["unban <name>"],
  summary: "Lift a ban (admins only).",
  help: "unban Bob: Bob's character may log in again.",
  role: "admin",
  run(ctx) {
    const found = target(ctx);
    if (found === undefined) return;
    const name = found.record.name;
    answer(ctx, ctx.world.moderation.unban(ctx.player, found), {
      unbanned: `You lift ${name}'s ban.`,
      "not-banned": `${name} is not banned.`,
    });
  },
};

/** `mute <name>`. */
export const mute: Action = {
  names: ["mute"],
  syntax: ["mute <name>"],
  summary: "Stop a player talking to others (admins only).",
  help: "mute Bob: Bob can no longer say, emote, tell, whisper or post on a channel, until unmuted. It is saved, so it holds across logins, and works on characters who are not online.",
  role: "admin",
  run(ctx) {
    const found = target(ctx);
    if (found === undefined) return;
    const name = found.record.name;
    answer(ctx, ctx.world.moderation.mute(ctx.player, found), {
      muted: `You mute ${name}.`,
      self: "You cannot mute yourself.",
      already: `${name} is already muted.`,
    });
  },
};

/** `unmute <name>`. */
export const unmute: Action = {
  names: ["unmute"],
  syntax: ["unmute <name>"],
  summary: "Let a muted player talk again (admins only).",
  help: "unmute Bob: Bob may say, emote, tell, whisper and post again.",
  role: "admin",
  run(ctx) {
    const found = target(ctx);
    if (found === undefined) return;
    const name = found.record.name;
    answer(ctx, ctx.world.moderation.unmute(ctx.player, found), {
      unmuted: `You unmute ${name}.`,
      "not-muted": `${name} is not muted.`,
    });
  },
};

/** `announce <text>`. */
export const announce: Action = {
  names: ["announce"],
  syntax: ["announce <text>"],
  summary: "Tell everyone online something (admins only).",
  help: `announce The market opens at noon: everyone playing reads "[Announcement] The market opens at noon", whichever way they connected. At most ${MAX_ANNOUNCEMENT_LENGTH} characters.`,
  role: "admin",
  run(ctx) {
    const text = playerText(ctx.slots["text"] ?? "");
    if (text === "") {
      ctx.reply("Announce what?");
      return;
    }
    if (text.length > MAX_ANNOUNCEMENT_LENGTH) {
      ctx.reply(`An announcement is at most ${MAX_ANNOUNCEMENT_LENGTH} characters.`);
      return;
    }
    ctx.world.moderation.announce(ctx.player, text);
  },
};

/** `role <name> <player|builder|admin>`. */
export const role: Action = {
  names: ["role"],
  syntax: ["role <name> <role>"],
  usage: "role <name> player|builder|admin",
  summary: "Make someone a player, a builder or an admin (admins only).",
  help: "role Bob builder: Bob may build from now on (if he is online, at once, and he is told). Works on characters who are not online. The last admin cannot be made anything else: make another admin first.",
  role: "admin",
  run(ctx) {
    const wanted = (ctx.slots["role"] ?? "").toLowerCase();
    const newRole = Roles.find((r): r is Role => r === wanted);
    if (newRole === undefined) {
      ctx.reply("A role is player, builder or admin.");
      return;
    }
    const found = target(ctx);
    if (found === undefined) return;
    const self = found.record.key === ctx.player.key;
    const who = self ? "You are" : `${found.record.name} is`;
    answer(ctx, ctx.world.moderation.setRole(ctx.player, found, newRole), {
      changed: `${who} ${withArticle(newRole)} now.`,
      same: `${who} already ${withArticle(newRole)}.`,
      "last-admin": `${who} the last admin. Make someone else an admin first.`,
    });
  },
};

/** `shutdown [seconds]`, `shutdown cancel`. */
export const shutdown: Action = {
  names: ["shutdown"],
  syntax: ["shutdown cancel", "shutdown <seconds>", "shutdown"],
  usage: "shutdown [seconds | cancel]",
  summary: "Stop the server after a countdown (admins only).",
  help: `shutdown 60 tells everyone the server stops in a minute, tells them again as it nears, then stops it the way the operator's SIGTERM does: everyone is saved and disconnected. With no number, ${DEFAULT_SHUTDOWN_SECONDS} seconds; 0 stops it now; at most ${MAX_SHUTDOWN_SECONDS}. shutdown cancel stops the countdown.`,
  role: "admin",
  run(ctx) {
    const moderation = ctx.world.moderation;
    if (ctx.syntax === "shutdown cancel") {
      if (moderation.cancelShutdown(ctx.player) === "none") ctx.reply("No shutdown is counting down.");
      return;
    }
    const typed = ctx.slots["seconds"];
    const seconds = typed === undefined ? DEFAULT_SHUTDOWN_SECONDS : /^\d{1,4}$/.test(typed) ? Number(typed) : Number.NaN;
    if (!(seconds >= 0 && seconds <= MAX_SHUTDOWN_SECONDS)) {
      ctx.reply(`Type shutdown with 0 to ${MAX_SHUTDOWN_SECONDS} seconds, or shutdown cancel.`);
      return;
    }
    answer(ctx, moderation.shutdown(ctx.player, seconds), {
      started: seconds === 0 ? "You shut the server down." : "Type shutdown cancel to stop the countdown.",
      already: `A shutdown is already counting down: ${duration(moderation.shutdownSecondsLeft() ?? 0)} left. Type shutdown cancel to stop it.`,
    });
  },
};

/** Every admin command, in the order `help` lists them. */
export const ADMIN_ACTIONS: readonly Action[] = [kick, ban, unban, mute, unmute, announce, role, shutdown];
