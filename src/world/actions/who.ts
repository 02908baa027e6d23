/**
 * `who`: who is online, a page at a time, and by name prefix (issue 5 item 10): the default
 * view costs the same whatever the crowd.
 */
import { line, styled } from "../../session/messages.js";
import { sanitizeText } from "../../session/sanitize.js";
import type { Player } from "../seats.js";
import type { Action } from "./action.js";

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
