/**
 * GMCP `Loom.Commands` (a Loom package, issue 9): the words a player may type as a command —
 * every name and alias of the actions their role allows, the compass directions and their short
 * forms among them — sorted and without repeats, for a client's Tab completion. Sent at login
 * and when an admin changes the player's role. Exits a room names ("in", "bridge") are commands
 * there too, and come with `Room.Info`; channel names with `Comm.Channel.List`. The punctuation
 * shortcuts (`'` for say, `:` for emote, `?` for help) are left out: there is nothing to complete.
 */
import { Roles, type Role } from "../store/store.js";
import type { Action } from "./actions/action.js";

const WORD = /^\p{L}/u;

/** The command words `role` may use, lowercase, sorted, each once. */
export function commandsForRole(actions: readonly Action[], role: Role): string[] {
  const rank = Roles.indexOf(role);
  const words = new Set<string>();
  for (const action of actions) {
    if (Roles.indexOf(action.role ?? "player") > rank) continue;
    for (const name of action.names) if (WORD.test(name)) words.add(name.toLowerCase());
  }
  return [...words].sort();
}
