/**
 * Which words of the output become buttons (issue 9: "clickable exits and names, a click types
 * the command"). Pure: no DOM, so it is tested as plain TypeScript (test/web/links.test.ts).
 *
 * The world lists a room's exits as ONE span styled `exit` ("north, east (closed)") and its
 * people as one span styled `name` ("Alice, a grey cat and Bob"), joined the way
 * src/world/language/lists.ts `listing` joins them. A span holding a single name (one span per
 * exit or person) works the same: it is a list of one.
 *
 * The server wraps to the width the page sent, inside a span too: at 360 px the square's exits
 * arrive as "north, south, east, west,\n  in" (a line break and the hanging indent). So a
 * separator is a comma or " and " with any whitespace around it, line breaks included; the
 * separator keeps the server's break and indent as text, and a button holds only its name.
 */

/** One piece of a listed span: an item (becomes a button) or the separator between two. */
export interface ListPart {
  readonly text: string;
  /** The command a click sends; absent for a separator or an item that is not linked. */
  readonly command?: string;
}

/** Longest span split into links; a longer one (never sent by the world) stays plain text. */
export const MAX_LINKED_SPAN_LENGTH = 2000;

/** ", and " / ", " / " and ", each with any whitespace (a wrapped line: "west,\n  in"). */
const SEPARATOR = /(,\s+and\s+|,\s+|\s+and\s+)/;
/** An item's leading and trailing whitespace, kept as text outside its button. */
const EDGES = /^(\s*)([\s\S]*?)(\s*)$/;
const ARTICLE = /^(?:a|an|the|some)\s+/i;
const PARENTHESIS = /\s*\([^)]*\)\s*$/;

/** "Alice, Bob and Carol" -> ["Alice", ", ", "Bob", " and ", "Carol"]: items at even indexes. */
export function splitListing(text: string): string[] {
  return text.split(SEPARATOR);
}

/**
 * The command for clicking an exit: its direction, without a "(closed)" note. Walking into a
 * closed door answers with why, which tells the player more than a dead button would.
 */
export function exitCommand(item: string): string | undefined {
  const direction = collapse(item.replace(PARENTHESIS, ""));
  return direction === "" ? undefined : direction;
}

/** What a player types to name `phrase`: "A grey cat" -> "grey cat", "Alice" -> "Alice". */
export function bareName(phrase: string): string {
  return collapse(phrase).replace(ARTICLE, "");
}

/** One space for every run of whitespace: a name the server wrapped ("grey\n  cat") is typed on one line. */
function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * The parts for one item: its button (`command` set) holding only the item, and any whitespace
 * around it as text beside it (a span that starts with the server's line break).
 */
function itemParts(item: string, command: string | undefined): ListPart[] {
  if (command === undefined) return item === "" ? [] : [{ text: item }];
  const [, before = "", core = item, after = ""] = EDGES.exec(item) ?? [];
  const parts: ListPart[] = [];
  if (before !== "") parts.push({ text: before });
  parts.push({ text: core, command });
  if (after !== "") parts.push({ text: after });
  return parts;
}

/**
 * Splits an `exit` span into parts, every exit a link.
 */
export function exitParts(text: string): ListPart[] {
  if (text.length > MAX_LINKED_SPAN_LENGTH) return [{ text }];
  return splitListing(text).flatMap((part, index) => itemParts(part, index % 2 === 0 ? exitCommand(part) : undefined));
}

/**
 * Splits a `name` span into parts; a name is a link (`look <name>`) only when `isPresent` says
 * that person (or creature) is in view, so a click never sends a `look` that cannot work: the
 * name of someone on a channel, or of the player themself, stays text.
 */
export function nameParts(text: string, isPresent: (name: string) => boolean): ListPart[] {
  if (text.length > MAX_LINKED_SPAN_LENGTH) return [{ text }];
  return splitListing(text).flatMap((part, index) => {
    const name = bareName(part);
    return itemParts(part, index % 2 === 0 && name !== "" && isPresent(name) ? `look ${name}` : undefined);
  });
}
