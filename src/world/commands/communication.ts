/**
 * Talking: say, emote, tell, who. Every text a player types passes through `sanitizeText`
 * before anyone else sees it (hardening E1–E4, E7, E10), and each event is rendered per
 * observer: the speaker reads "You say", everyone else "Alice says".
 */
import { line, styled } from "../../session/messages.js";
import { sanitizeText } from "../../session/sanitize.js";
import type { Command } from "../command.js";

/** `say <text>`, or `'<text>`. */
export const say: Command = {
  names: ["say", "'", '"'],
  usage: "say <text>   (or '<text>)",
  summary: "Say something to everyone in the room.",
  help: "Everyone in the room hears you, whichever way they connected. Typing 'hello is the same as say hello.",
  run({ world, player, args }) {
    const text = sanitizeText(args).trim();
    if (text === "") {
      world.tell(player, line("Say what?"));
      return;
    }
    world.tell(player, line("You say, ", styled("speech", `"${text}"`)));
    world.tellRoom(player.room, line(styled("name", player.name), " says, ", styled("speech", `"${text}"`)), player);
  },
};

/** `emote <action>`, or `:<action>`. */
export const emote: Command = {
  names: ["emote", ":", "pose"],
  usage: "emote <action>   (or :<action>)",
  summary: "Act something out: emote waves shows 'Alice waves.'",
  help: "Shows your name followed by what you typed to everyone in the room, you included. Typing :smiles is the same as emote smiles.",
  run({ world, player, args }) {
    const text = sanitizeText(args).trim();
    if (text === "") {
      world.tell(player, line("Emote what?"));
      return;
    }
    // Possessives and commas attach to the name ("Alice's eyes narrow"); anything else gets a space.
    const glue = /^['’,]/.test(text) ? "" : " ";
    const message = line(styled("name", player.name), `${glue}${text}`);
    world.tell(player, message);
    world.tellRoom(player.room, message, player);
  },
};

/** `tell <name> <text>`: a private message to anyone online, anywhere. */
export const tell: Command = {
  names: ["tell", "whisper", "page"],
  usage: "tell <name> <text>",
  summary: "Send a private message to someone online, wherever they are.",
  help: "Only the person you name reads it. Use who to see who is online.",
  run({ world, player, args }) {
    const match = /^(\S+)\s+(.*)$/s.exec(args);
    const text = match ? sanitizeText(match[2]!).trim() : "";
    if (!match || text === "") {
      world.tell(player, line("Tell whom what? Type: tell <name> <text>"));
      return;
    }
    const target = world.findOnline(match[1]!);
    if (target === undefined) {
      world.tell(player, line(styled("error", `No one called ${sanitizeText(match[1]!)} is online.`)));
      return;
    }
    if (target === player) {
      world.tell(player, line("You tell yourself, ", styled("speech", `"${text}"`), ". It is not very surprising."));
      return;
    }
    world.tell(player, line("You tell ", styled("name", target.name), ", ", styled("speech", `"${text}"`)));
    world.tell(target, line(styled("name", player.name), " tells you, ", styled("speech", `"${text}"`)));
  },
};

const DOOR_NAMES: Readonly<Record<string, string>> = { line: "line", telnet: "telnet", websocket: "web" };

/** `who`: everyone online, where they came in from, how long idle. */
export const who: Command = {
  names: ["who"],
  usage: "who",
  summary: "List who is online.",
  help: "Shows everyone connected, which door they came in by (telnet, line or web) and how long they have been idle.",
  run({ world, player }) {
    const everyone = [...world.online()];
    const now = world.now();
    const rows = everyone.map((p) => {
      const idle = Math.floor((now - p.lastActiveAt) / 60_000);
      const idleText = idle >= 1 ? `, idle ${idle}m` : "";
      return `  ${p.name.padEnd(16)} ${DOOR_NAMES[p.door] ?? p.door}${idleText}`;
    });
    const heading = everyone.length === 1 ? "1 player online:" : `${everyone.length} players online:`;
    world.tell(player, { kind: "line", spans: [styled("title", heading), `\n${rows.join("\n")}`] });
  },
};
