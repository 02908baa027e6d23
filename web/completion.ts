/**
 * Tab completion for the command line (issue 9): the word under the cursor is completed from
 * command words (`Loom.Commands`), exits (`Room.Info`), things (`Char.Items.List`) and people
 * (`Room.Players`) in view, and Tab again cycles through the matches. Pure (no DOM): the page
 * gives it the input's text and cursor and applies what it returns (test/web/completion.test.ts).
 */

/** What can be completed, in the order matches are offered within each position. */
export interface CompletionSources {
  readonly commands: Iterable<string>;
  readonly exits: Iterable<string>;
  readonly things: Iterable<string>;
  readonly people: Iterable<string>;
}

/** The input line after a completion, and what to announce. */
export interface Completion {
  readonly value: string;
  /** Where the cursor goes: just after the completed word. */
  readonly cursor: number;
  /** Every match, in cycling order. */
  readonly matches: readonly string[];
  /** Index into `matches` of the one now in the line. */
  readonly index: number;
}

/** Most matches kept for cycling and announcing. */
export const MAX_COMPLETIONS = 50;

/** The word being completed: `line.slice(start, end)`. */
interface Word {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The word that ends at `cursor` (letters typed since the last space). */
function wordAt(line: string, cursor: number): Word {
  let start = cursor;
  while (start > 0 && !/\s/.test(line.charAt(start - 1))) start--;
  return { start, end: cursor, text: line.slice(start, cursor) };
}

/**
 * The candidates for a word: the first word of a line is a command or an exit (walking is
 * typing the direction); later words are people, things and exits. Case-insensitive prefix
 * match on the phrase or on any word of it ("ap" finds "red apple"); duplicates dropped.
 */
export function candidates(prefix: string, firstWord: boolean, sources: CompletionSources): string[] {
  const wanted = prefix.toLowerCase();
  const groups = firstWord ? [sources.commands, sources.exits] : [sources.people, sources.things, sources.exits];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const group of groups) {
    const matches: string[] = [];
    for (const name of group) {
      const lower = name.toLowerCase();
      if (seen.has(lower) || !matchesPrefix(lower, wanted)) continue;
      seen.add(lower);
      matches.push(name);
    }
    matches.sort((a, b) => a.localeCompare(b));
    for (const name of matches) {
      if (out.length >= MAX_COMPLETIONS) return out;
      out.push(name);
    }
  }
  return out;
}

function matchesPrefix(lowerName: string, lowerPrefix: string): boolean {
  if (lowerName.startsWith(lowerPrefix)) return true;
  return lowerName.split(/\s+/).some((word) => word.startsWith(lowerPrefix));
}

/**
 * Completes and cycles. State is what the last completion left in the line: Tab with the line
 * unchanged since then moves to the next match (Shift+Tab the previous); any edit starts over.
 */
export class Completer {
  #last: { readonly value: string; readonly cursor: number; readonly after: string; readonly before: string; readonly matches: readonly string[]; readonly index: number } | undefined;

  /**
   * The line after pressing Tab (`backwards`: Shift+Tab), or `undefined` when there is nothing
   * to complete (an empty word, no match): the page then lets Tab move the focus as usual, so
   * the command line is never a keyboard trap (WCAG 2.1.2).
   */
  complete(line: string, cursor: number, sources: CompletionSources, backwards = false): Completion | undefined {
    const last = this.#last;
    if (last !== undefined && last.value === line && last.cursor === cursor && last.matches.length > 1) {
      const step = backwards ? -1 : 1;
      const index = (last.index + step + last.matches.length) % last.matches.length;
      return this.#apply(last.before, last.after, last.matches, index);
    }
    this.#last = undefined;
    const word = wordAt(line, cursor);
    if (word.text === "") return undefined;
    const before = line.slice(0, word.start);
    const matches = candidates(word.text, before.trim() === "", sources);
    if (matches.length === 0) return undefined;
    return this.#apply(before, line.slice(word.end), matches, backwards ? matches.length - 1 : 0);
  }

  /** Forgets the cycle (the line was sent or edited). */
  reset(): void {
    this.#last = undefined;
  }

  #apply(before: string, after: string, matches: readonly string[], index: number): Completion {
    const match = matches[index] ?? "";
    // A single match is final: a space after it, ready for the next word.
    const inserted = matches.length === 1 && !after.startsWith(" ") ? `${match} ` : match;
    const value = before + inserted + after;
    const cursor = before.length + inserted.length;
    this.#last = { value, cursor, before, after, matches, index };
    return { value, cursor, matches, index };
  }
}

/** The polite announcement of a completion: "Alice (1 of 3: Alice, Albert, Alfred)". */
export function describeCompletion(completion: Completion): string {
  const current = completion.matches[completion.index] ?? "";
  if (completion.matches.length === 1) return `Completed: ${current}`;
  const shown = completion.matches.slice(0, 10).join(", ");
  const more = completion.matches.length > 10 ? `, and ${completion.matches.length - 10} more` : "";
  return `${current} (${completion.index + 1} of ${completion.matches.length}: ${shown}${more})`;
}
