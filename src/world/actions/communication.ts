/**
 * Talking: say, emote, tell, reply, whisper. Every text a player types passes
 * through `playerText` before anyone else sees it (hardening E1–E4, E7, E10; issue 5 items 6
 * and 11), and enters a narration only through the `{text}` slot, so the speaker reads "You
 * say" and everyone else "Alice says". What others read is chatter, which a reader who has
 * fallen behind may miss (issue 5 item 9). Say, emote, tell and whisper are ignorable: the
 * narrator skips readers who ignore the speaker (issue 7), and a muted player's words are
 * refused before anything is sent.
 */
import { displayName, parseName } from "../../accounts/names.js";
import { line, styled } from "../../session/messages.js";
import { playerText, sanitizeText } from "../../session/sanitize.js";
import { MAX_IGNORED } from "../channels/ignores.js";
import { listing } from "../language/lists.js";
import type { Player } from "../seats.js";
import type { Action, ActionContext } from "./action.js";
import { peopleHere } from "./scope.js";

/** What a muted player reads instead of being heard (issue 7; an admin mutes with `mute`). */
export const MUTED = "You are muted and cannot speak.";

/** `say <text>`, or `'<text>`. */
export const say: Action = {
  names: ["say", "'", '"'],
  syntax: ["say <text>", "say"],
  usage: "say <text>   (or '<text>)",
  summary: "Say something to everyone in the room.",
  help: "Everyone in the room hears you, whichever way they connected. Typing 'hello is the same as say hello.",
  run(ctx) {
    if (ctx.player.muted) return ctx.reply(styled("error", MUTED));
    const text = playerText(ctx.slots["text"] ?? "");
    const place = ctx.actor.location;
    if (text === "" || place === null) {
      ctx.reply("Say what?");
      return;
    }
    ctx.world.narrate({ kind: "say", place, actor: ctx.actor, text: `"${text}"`, ignorable: true, phrase: { text: "{actor} {actor|say}, {text}" } });
  },
};

/** `emote <action>`, or `:<action>`. */
export const emote: Action = {
  names: ["emote", ":", "pose"],
  syntax: ["emote <text>", "emote"],
  usage: "emote <action>   (or :<action>)",
  summary: "Act something out: emote waves shows 'Alice waves.'",
  help: "Shows your name followed by what you typed to everyone in the room, you included. Typing :smiles is the same as emote smiles.",
  run(ctx) {
    if (ctx.player.muted) return ctx.reply(styled("error", MUTED));
    const text = playerText(ctx.slots["text"] ?? "");
    const place = ctx.actor.location;
    if (text === "" || place === null) {
      ctx.reply("Emote what?");
      return;
    }
    // Possessives and commas attach to the name ("Alice's eyes narrow"); anything else gets a space.
    const template = /^['’,]/.test(text) ? "{actor.name}{text}" : "{actor.name} {text}";
    ctx.world.narrate({ kind: "emote", place, actor: ctx.actor, text, ignorable: true, phrase: { text: template } });
  },
};

/** `tell <name> <text>`: a private message to anyone online, anywhere. */
export const tell: Action = {
  names: ["tell", "page"],
  syntax: ["tell <name> <text>", "tell <name>", "tell"],
  summary: "Send a private message to someone online, wherever they are.",
  help: "Only the person you name reads it. Use who to see who is online, and reply to answer the last person who told you something.",
  run(ctx) {
    if (ctx.player.muted) return ctx.reply(styled("error", MUTED));
    const name = ctx.slots["name"];
    const text = playerText(ctx.slots["text"] ?? "");
    if (name === undefined || text === "") {
      ctx.reply("Tell whom what? Type: tell <name> <text>");
      return;
    }
    const target = ctx.world.findOnline(name);
    if (target === undefined) {
      ctx.reply(styled("error", `No one called ${sanitizeText(name).slice(0, 30)} is online.`));
      return;
    }
    sendTell(ctx, target, text);
  },
};

/** `reply <text>`: a tell to the last person who told you something. */
export const reply: Action = {
  names: ["reply"],
  syntax: ["reply <text>", "reply"],
  summary: "Answer the last person who told you something.",
  help: "reply thanks! sends a tell to whoever last told you something, wherever they are, without typing their name.",
  run(ctx) {
    if (ctx.player.muted) return ctx.reply(styled("error", MUTED));
    const key = ctx.player.lastTeller;
    if (key === undefined) {
      ctx.reply("Nobody has told you anything yet.");
      return;
    }
    const text = playerText(ctx.slots["text"] ?? "");
    if (text === "") {
      ctx.reply(`Reply what? Type: reply <text>, to answer ${displayName(key)}.`);
      return;
    }
    const target = ctx.world.findOnline(key);
    if (target === undefined) {
      ctx.reply(styled("error", `${displayName(key)} is not online.`));
      return;
    }
    sendTell(ctx, target, text);
  },
};

/**
 * Sends a tell, within both players' tell allowances (issue 5 item 9). A teller the target
 * ignores is told nothing different (the narrator leaves the target out), and does not become
 * the one the target's `reply` answers.
 */
function sendTell(ctx: ActionContext, target: Player, text: string): void {
  const { actor, player, world } = ctx;
  if (target === player) {
    ctx.reply("You tell yourself, ", styled("speech", `"${text}"`), ". It is not very surprising.");
    return;
  }
  const admission = world.admitTell(player, target);
  switch (admission) {
    case "ok":
      break;
    case "sender-limited":
      ctx.reply(styled("error", "You are sending tells too fast. Wait a moment, then try again."));
      return;
    case "recipient-limited":
      ctx.reply(styled("error", `${target.name} is getting too many tells right now. Try again in a moment.`));
      return;
    default: {
      const unreachable: never = admission;
      throw new Error(`unknown tell admission ${String(unreachable)}`);
    }
  }
  const place = actor.location ?? target.character;
  world.narrate({
    kind: "tell",
    place,
    audience: "participants",
    ignorable: true,
    actor,
    target: target.character,
    text: `"${text}"`,
    phrase: { text: "{actor} {actor|tell} {target}, {text}" },
  });
  if (!target.ignoring.has(player.key)) target.lastTeller = player.key;
}

/** `whisper <person> <text>`: words for one person in the room; the others see only that you whispered. */
export const whisper: Action = {
  names: ["whisper"],
  syntax: ["whisper <person> <text>", "whisper <person>", "whisper"],
  summary: "Say something to one person in the room, for them alone.",
  help: "whisper Bob meet me upstairs: Bob reads what you said; everyone else in the room sees only that you whispered something to Bob.",
  run(ctx) {
    const { actor, world } = ctx;
    if (ctx.player.muted) return ctx.reply(styled("error", MUTED));
    const place = actor.location;
    const name = ctx.slots["person"];
    const text = playerText(ctx.slots["text"] ?? "");
    if (name === undefined || text === "" || place === null) {
      ctx.reply("Whisper what to whom? Type: whisper <person> <text>");
      return;
    }
    const people = peopleHere(actor);
    const online = world.findOnline(name);
    if (online !== undefined && online.character !== actor && !people.includes(online.character)) {
      ctx.phrase("{target} is not here.", { target: online.character });
      return;
    }
    const target = ctx.one("person", { things: people, me: actor }, "There is nobody like that here.");
    if (target === undefined) return;
    if (target === actor) {
      ctx.reply("You whisper to yourself, ", styled("speech", `"${text}"`), ".");
      return;
    }
    world.narrate({
      kind: "whisper",
      place,
      actor,
      target,
      text: `"${text}"`,
      ignorable: true,
      phrase: {
        text: "{actor} {actor|whisper} something to {target}.",
        actor: "{actor} {actor|whisper} to {target}, {text}",
        target: "{actor} {actor|whisper} to {target}, {text}",
      },
    });
  },
};
