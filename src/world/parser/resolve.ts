/**
 * Finding what a player means by a name, the way MUD players expect (docs/world.md, "Naming
 * things"): any keyword or the start of one ("lan" for the lantern), several words each
 * naming the same thing ("brass lantern"), `2.coin` for the second match, `all.coin` for every
 * match, `all` for everything in reach, and `me`/`self`/`here`. Exact keywords beat prefixes:
 * with a "cat" and a "catapult" here, "cat" means the cat.
 */
import { Articles } from "../world-schema.js";
import type { Thing } from "../model/thing.js";

/** What a reference named. */
export type Resolution =
  | { readonly kind: "found"; readonly things: readonly Thing[] }
  /** Nothing in reach answers to it. */
  | { readonly kind: "none" }
  /** `3.coin` with only two coins. */
  | { readonly kind: "too-few"; readonly count: number }
  /** More than one kind of thing answers to it ("apple": a red and a green one): ask which. */
  | { readonly kind: "ambiguous"; readonly candidates: readonly Thing[] }
  /** `all` where only one thing may be named. */
  | { readonly kind: "not-many" };

/** Where a reference is looked for, and what it may name. */
export interface ResolveScope {
  /** The candidates, in the order players see them (their hands first, then the room). */
  readonly things: Iterable<Thing>;
  /** Whether the reference may name several things (`all`, `all.coin`). */
  readonly many: boolean;
  /** What `me` and `self` name, when they may name anything. */
  readonly me?: Thing | undefined;
  /** What `here` names, when it may name anything. */
  readonly here?: Thing | undefined;
}

const ARTICLES: ReadonlySet<string> = new Set(Articles);
/** Longest reference looked at: longer ones cannot name anything and are not worth splitting. */
const MAX_REFERENCE = 200;

/** The lowercase words of a reference, without articles: "the Brass  lantern" -> ["brass", "lantern"]. */
export function referenceWords(reference: string): string[] {
  return reference
    .slice(0, MAX_REFERENCE)
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== "" && !ARTICLES.has(word));
}

/** Resolves `reference` among `scope.things`. */
export function resolve(reference: string, scope: ResolveScope): Resolution {
  const text = reference.trim().toLowerCase();
  if ((text === "me" || text === "self" || text === "myself") && scope.me !== undefined) return { kind: "found", things: [scope.me] };
  if (text === "here" && scope.here !== undefined) return { kind: "found", things: [scope.here] };
  if (text === "all" || text === "everything") {
    if (!scope.many) return { kind: "not-many" };
    return { kind: "found", things: [...scope.things] };
  }
  const counted = /^(\d{1,4}|all)\.(.+)$/.exec(text);
  const words = referenceWords(counted === null ? text : counted[2]!);
  if (words.length === 0) return { kind: "none" };
  const matches = matching(words, scope.things);
  if (matches.length === 0) return { kind: "none" };
  if (counted !== null) {
    if (counted[1] === "all") return scope.many ? { kind: "found", things: matches } : { kind: "not-many" };
    const nth = Number(counted[1]);
    const chosen = matches[nth - 1];
    return chosen === undefined || nth < 1 ? { kind: "too-few", count: matches.length } : { kind: "found", things: [chosen] };
  }
  // Several matches read the same ("a copper coin" twice): any will do, so take the first. Only
  // matches that read differently are worth a question.
  const distinct = distinctByName(matches);
  if (distinct.length > 1) return { kind: "ambiguous", candidates: distinct };
  return { kind: "found", things: [matches[0]!] };
}

/** Whether every word is a keyword of `thing`, or the start of one. */
export function answersTo(words: readonly string[], keywords: readonly string[]): boolean {
  return words.every((word) => keywords.some((k) => k.startsWith(word)));
}

/** The things answering to `words`: those naming every word exactly when there are any, else by prefix. */
function matching(words: readonly string[], things: Iterable<Thing>): Thing[] {
  const exact: Thing[] = [];
  const prefixed: Thing[] = [];
  for (const thing of things) {
    const keywords = thing.keywords;
    if (words.every((word) => keywords.includes(word))) exact.push(thing);
    else if (answersTo(words, keywords)) prefixed.push(thing);
  }
  return exact.length > 0 ? exact : prefixed;
}

function distinctByName(things: readonly Thing[]): Thing[] {
  const seen = new Set<string>();
  const out: Thing[] = [];
  for (const thing of things) {
    const name = thing.exit?.door?.name ?? thing.name;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push(thing);
  }
  return out;
}
