/**
 * Character names: what a player may be called (hardening E7, E8).
 *
 * A name is 3 to 16 ASCII letters, nothing else. That one rule rejects, without a list to keep
 * up to date, every zero-width character, bidi override, homoglyph from another script
 * (Cyrillic "а" for Latin "a") and combining mark. The display form is fixed too — first
 * letter capital, the rest lowercase — so "AIice" shows as "Aiice". Look-alikes of an existing
 * name ("Aiice", "Rnary" for "Mary") are refused at creation by their skeleton
 * (name-skeleton.ts), which needs the store and so is not checked here.
 */

/** Shortest name, in letters. */
export const NAME_MIN_LENGTH = 3;
/** Longest name, in letters: fits a `who` column and a prompt. */
export const NAME_MAX_LENGTH = 16;

/**
 * Words nobody may be called, lowercase (issue 5 item 7): a name shows at the start of lines
 * ("Wizard says…", "Welcome waves."), so one that reads as server text, a command or a pronoun
 * lets an emote pass for a system message without any trick. Four groups:
 */
export const ReservedNames = [
  // Pronouns and the targets commands understand.
  "you", "your", "yours", "yourself", "me", "mine", "myself", "self", "she", "him", "his", "himself", "her", "hers",
  "herself", "its", "itself", "they", "them", "their", "theirs", "themselves", "our", "ours", "ourselves",
  "this", "that", "these", "those", "who", "whom", "whose", "what", "here", "there", "all", "everyone",
  "everybody", "anyone", "anybody", "someone", "somebody", "nobody", "noone", "none", "the",
  // Words that pass for the server, its staff or its messages.
  "admin", "administrator", "sysadmin", "sysop", "root", "operator", "owner", "wizard", "wizards", "god",
  "gods", "immortal", "implementor", "builder", "moderator", "mod", "mods", "staff", "support", "official",
  "security", "system", "server", "loom", "world", "game", "console", "welcome", "goodbye", "announcement",
  "announce", "broadcast", "notice", "news", "motd", "info", "information", "warning", "error", "alert",
  "debug", "status", "shutdown", "restart", "channel", "global", "message", "player", "guest", "account",
  "character", "password", "name", "unknown", "null", "undefined", "exits", "exit",
  // The door's own words.
  "new", "create", "connect", "login", "logon", "logout", "logoff", "quit", "yes",
  // Command words and directions (every built-in action's name and alias in src/world/actions,
  // checked by test/accounts/names.test.ts); names are 3 or more letters, so the shorter ones can
  // never match. The world adds its exits and its own characters' names when it starts.
  "say", "emote", "pose", "tell", "whisper", "page", "who", "help", "commands", "get", "take", "pick",
  "drop", "put", "give", "hand", "look", "examine", "inventory", "inv", "walk", "move", "open", "close",
  "shut", "lock", "unlock", "pronouns", "color", "colour", "north", "south", "east", "west", "northeast", "northwest",
  "southeast", "southwest", "down", "out",
  // Talking (src/world/actions/communication.ts, channels.ts; "channel" is above).
  "reply", "ignore", "unignore", "channels", "post", "join", "leave", "history",
  // The admins' commands (src/world/actions/admin.ts; "announce" and "shutdown" are above).
  "kick", "ban", "unban", "mute", "unmute", "role",
  // The builders' commands (src/world/actions/building*.ts; "examine" is above).
  "dig", "link", "unlink", "make", "destroy", "describe", "rename", "set", "teleport",
] as const;

/** The outcome of {@link validateName}. */
export type NameCheck =
  | { readonly ok: true; /** Display form, e.g. "Alice". */ readonly name: string; /** Lowercase key, e.g. "alice". */ readonly key: string }
  | { readonly ok: false; /** A sentence to show the player. */ readonly error: string };

const NAME = new RegExp(`^[A-Za-z]{${NAME_MIN_LENGTH},${NAME_MAX_LENGTH}}$`);
const EDGE_SPACE = /^[ \t]+|[ \t]+$/g;
const RESERVED: ReadonlySet<string> = new Set(ReservedNames);
const NONE: ReadonlySet<string> = new Set();

/**
 * Reads a name someone may already have (surrounding spaces and tabs ignored): its display form
 * and key if it has a name's shape, whatever the reserved words. For `connect`: a character
 * made before a word was reserved can still log in. Pure.
 */
export function parseName(input: string): NameCheck {
  // Spaces and tabs only: String#trim would also eat U+FEFF and other invisibles, and a name
  // that arrives with those is not the name the player thinks they typed.
  const text = input.replace(EDGE_SPACE, "");
  if (!NAME.test(text)) {
    return { ok: false, error: `Names are ${NAME_MIN_LENGTH} to ${NAME_MAX_LENGTH} letters, A to Z.` };
  }
  const key = text.toLowerCase();
  return { ok: true, name: displayName(key), key };
}

/** A name's display form from its key: the key with a capital ("alice" -> "Alice"). */
export function displayName(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/**
 * Checks a proposed new name (surrounding spaces and tabs ignored) and returns its display form
 * and key, or a message for the player. `alsoReserved` adds lowercase words the caller knows
 * of (the world passes its command names and exit names). Pure; says nothing about whether
 * the name, or one that looks like it, is taken.
 */
export function validateName(input: string, alsoReserved: ReadonlySet<string> = NONE): NameCheck {
  const parsed = parseName(input);
  if (!parsed.ok) return parsed;
  const { name, key } = parsed;
  if (RESERVED.has(key) || alsoReserved.has(key)) {
    return { ok: false, error: `"${name}" is reserved. Please choose another name.` };
  }
  return { ok: true, name, key };
}
