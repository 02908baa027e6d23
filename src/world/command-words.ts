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

/**
 * Lists already made, per action list and role. Every player of a role gets the same list, and
 * a door that keeps the latest `Loom.Commands` for a GMCP client that may yet turn it on (telnet,
 * WebSocket) held a copy per connection: ~600 B each (issue 11 target 3). A pure function's
 * cache, keyed by the list's identity and checked against its length, as the registry only
 * ever appends.
 */
const MADE = new WeakMap<readonly Action[], { readonly length: number; readonly byRole: Map<Role, readonly string[]> }>();

/** The command words `role` may use, lowercase, sorted, each once. The list is shared: frozen. */
export function commandsForRole(actions: readonly Action[], role: Role): readonly string[] {
  let made = MADE.get(actions);
  if (made === undefined || made.length !== actions.length) {
    made = { length: actions.length, byRole: new Map() };
    MADE.set(actions, made);
  }
  let words = made.byRole.get(role);
  if (words === undefined) {
    words = Object.freeze(listWords(actions, role));
    made.byRole.set(role, words);
  }
  return words;
}

function listWords(actions: readonly Action[], role: Role): string[] {
  const rank = Roles.indexOf(role);
  const words = new Set<string>();
  for (const action of actions) {
    if (Roles.indexOf(action.role ?? "player") > rank) continue;
    for (const name of action.names) if (WORD.test(name)) words.add(name.toLowerCase());
  }
  return [...words].sort();
}
