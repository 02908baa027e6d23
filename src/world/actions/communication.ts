/**
 * Talking: say, emote, tell, who. Every text a player types passes through `playerText`
 * before anyone else sees it (hardening E1–E4, E7, E10; issue 5 items 6 and 11), and enters
 * a narration only through the `{text}` slot, so the speaker reads "You say" and everyone
 * else "Alice says". What others read is chatter, which a reader who has fallen behind may
 * miss (issue 5 item 9).
 */
import { line, styled } from "../../session/messages.js";
import { playerText, sanitizeText } from "../../session/sanitize.js";
import type { Player } from "../seats.js";
import type { Action } from "./action.js";

/** `say <text>`, or `'<text>`. */
export const say: Action = {
  names: ["say", "'", '"'],
  syntax: ["say <text>", "say"],
  usage: "say <text>   (or '<text>)",
  summary: "Say something to everyone in the room.",
  help: "Everyone in the room hears you, whichever way they connected. Typing 'hello is the same as say hello.",
  run(ctx) {
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
  help: "Only the person you name reads it. Use who to see who is online.",
  run(ctx) {
    const { actor, player, world } = ctx;
    const name = ctx.slots["name"];
    const text = playerText(ctx.slots["text"] ?? "");
    if (name === undefined || text === "") {
      ctx.reply("Tell whom what? Type: tell <name> <text>");
      return;
    }
    const target = world.findOnline(name);
    if (target === undefined) {
      ctx.reply(styled("error", `No one called ${sanitizeText(name).slice(0, 30)} is online.`));
      return;
    }
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
  },
};

const DOOR_NAMES: Readonly<Record<string, string>> = { line: "line", telnet: "telnet", websocket: "web" };

/** Players per page of `who`: a screenful, whatever the crowd (issue 5 item 10). */
export const WHO_PAGE_SIZE = 20;

/** Most pages `who <n>` serves: page n walks n pages of the online list to find its rows. */
const WHO_MAX_PAGE = 500;

/** `who`, `who <page>`, `who <name prefix>`: who is online, a page at a time. */
export const who: Action = {
  names: ["who"],
  syntax: ["who [<query>]"],
  usage: "who [page | name]",
  summary: "List who is online, a page at a time.",
  help: `Shows who is connected, which door they came in by (telnet, line or web) and how long they have been idle, ${WHO_PAGE_SIZE} at a time in the order they arrived. Type who 2 for the second page, or who al to list only names beginning with al.`,
  run({ world, reply, send, slots }) {
    const query = (slots["query"] ?? "").trim();
    const total = world.onlineCount();
    const now = world.now();
    const row = (p: Player): string => {
      const idle = Math.floor((now - p.lastActiveAt) / 60_000);
      const idleText = idle >= 1 ? `, idle ${idle}m` : "";
      return `  ${p.name.padEnd(16)} ${DOOR_NAMES[p.door] ?? p.door}${idleText}`;
    };
    const heading = total === 1 ? "1 player online" : `${total} players online`;

    if (query === "" || /^\d+$/.test(query)) {
      const pages = Math.max(1, Math.ceil(total / WHO_PAGE_SIZE));
      const page = query === "" ? 1 : Number(query);
      if (page < 1 || page > Math.min(pages, WHO_MAX_PAGE)) {
        const last = Math.min(pages, WHO_MAX_PAGE);
        reply(last === 1 ? "There is only one page: type who." : `There are ${pages} pages; type who 1 to who ${last}, or who <name> to find someone.`);
        return;
      }
      // Walks only as far as this page: page 1 costs the same with ten players or ten thousand.
      const rows: string[] = [];
      const skip = (page - 1) * WHO_PAGE_SIZE;
      let seen = 0;
      for (const p of world.online()) {
        if (seen++ < skip) continue;
        rows.push(row(p));
        if (rows.length === WHO_PAGE_SIZE) break;
      }
      const title = pages === 1 ? `${heading}:` : `${heading} (page ${page} of ${pages}):`;
      const footer = page < pages ? `\nType who ${page + 1} for more, or who <name> to find someone.` : "";
      send({ kind: "line", spans: [styled("title", title), `\n${rows.join("\n")}${footer}`] });
      return;
    }

    // A name prefix: one pass over the online set, keeping at most a page of matches.
    const prefix = sanitizeText(query).toLowerCase();
    const shown = prefix.slice(0, 20);
    const rows: string[] = [];
    let matches = 0;
    for (const p of world.online()) {
      if (!p.key.startsWith(prefix)) continue; // keys are the lowercase names: no string made per player
      if (++matches <= WHO_PAGE_SIZE) rows.push(row(p));
    }
    if (matches === 0) {
      send(line(`No one online has a name beginning with "${shown}".`));
      return;
    }
    const more = matches > WHO_PAGE_SIZE ? `\n...and ${matches - WHO_PAGE_SIZE} more; type more letters of the name.` : "";
    const title = `${matches} of ${heading} match "${shown}":`;
    send({ kind: "line", spans: [styled("title", title), `\n${rows.join("\n")}${more}`] });
  },
};
