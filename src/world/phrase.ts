/**
 * Phrases with grammatical slots, rendered per observer (docs/world.md, "Narration"). An
 * action never writes "Alice gives you" by hand: it names the participants and gives one
 * template, and the same template reads "You give…" to the actor, "Alice gives you…" to the
 * target and "Alice gives Bob…" to the room.
 *
 * Slots, where `role` is `actor`, `target`, `thing`, `container` or `tool`:
 * - `{role}`: the participant as a noun: "you" to itself; a person's name ("Alice"); a thing
 *   with its indefinite article ("a red apple"); an exit as its door ("a sluice door") or its
 *   direction ("north").
 * - `{role.the}`: the same with a definite article ("the red apple").
 * - `{role.name}`: the participant as others see it, even to itself (an emote: "Alice waves").
 * - `{role.bare}`: the noun without its article, after a possessive: "{actor.their} {container.bare}"
 *   reads "her wicker basket".
 * - `{role's}`: possessive: "your", "Alice's", "the cat's".
 * - `{role.they}`, `{role.them}`, `{role.their}`, `{role.themself}`: pronouns from the
 *   character's set ("she", "her", "her", "herself"); "you", "you", "your", "yourself" to itself.
 * - `{role|verb}`: the verb agreeing with the participant: "gives" for Alice, "give" for you
 *   and for they.
 * - `{things}`: the event's list of things, counted: "two copper coins and a brass lantern".
 * - `{text}`: the event's text (speech), styled as speech. Player text enters only here, never
 *   into a template, so nothing a player types can be read as a slot.
 * The sentence's first letter is capitalised.
 */
import type { Span, Style } from "../session/messages.js";
import { countedItems, listing } from "./language/lists.js";
import { definite, indefinite, type NounPhrase } from "./language/noun-phrase.js";
import { pronounsOf, SECOND_PERSON, type Pronouns } from "./language/pronouns.js";
import { capitalise } from "./language/sentence.js";
import { conjugate } from "./language/verbs.js";
import type { Thing } from "./model/thing.js";

/** The participants a slot can name. */
export const Roles = ["actor", "target", "thing", "container", "tool"] as const;
export type Role = (typeof Roles)[number];

/** What a phrase is rendered from: the participants and the words of an event. */
export interface PhraseValues {
  readonly actor: Thing;
  readonly target?: Thing | undefined;
  readonly thing?: Thing | undefined;
  readonly container?: Thing | undefined;
  readonly tool?: Thing | undefined;
  readonly things?: readonly Thing[] | undefined;
  readonly text?: string | undefined;
}

type Form = "noun" | "name" | "the" | "bare" | "possessive" | "they" | "them" | "their" | "themself";

type Piece =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "slot"; readonly role: Role; readonly form: Form }
  | { readonly kind: "verb"; readonly role: Role; readonly verb: string }
  | { readonly kind: "things" }
  | { readonly kind: "text" };

const SLOT = /\{([a-z]+)(?:(\.[a-z]+|'s)|\|([a-z ]+))?\}/g;
const FORMS: Readonly<Record<string, Form>> = {
  ".the": "the",
  ".name": "name",
  ".bare": "bare",
  "'s": "possessive",
  ".they": "they",
  ".them": "them",
  ".their": "their",
  ".themself": "themself",
};
const ROLES: ReadonlySet<string> = new Set(Roles);

/** Templates compiled once each: there are a few dozen, written in the actions. */
const compiled = new Map<string, readonly Piece[]>();

/** Parses a template; throws for a slot it does not know (a programming error, caught by tests). */
export function compile(template: string): readonly Piece[] {
  const cached = compiled.get(template);
  if (cached !== undefined) return cached;
  const pieces: Piece[] = [];
  let at = 0;
  for (const match of template.matchAll(SLOT)) {
    if (match.index > at) pieces.push({ kind: "literal", text: template.slice(at, match.index) });
    at = match.index + match[0].length;
    const [, name = "", suffix, verb] = match;
    if (name === "text" || name === "things") {
      pieces.push({ kind: name });
      continue;
    }
    if (!ROLES.has(name)) throw new Error(`unknown slot {${name}} in phrase "${template}"`);
    const role = name as Role;
    if (verb !== undefined) pieces.push({ kind: "verb", role, verb });
    else if (suffix === undefined) pieces.push({ kind: "slot", role, form: "noun" });
    else {
      const form = FORMS[suffix];
      if (form === undefined) throw new Error(`unknown form {${name}${suffix}} in phrase "${template}"`);
      pieces.push({ kind: "slot", role, form });
    }
  }
  if (at < template.length) pieces.push({ kind: "literal", text: template.slice(at) });
  // A brace left in the words is a slot the pattern did not take ("{actor|}", "{thing.the"): a typo, not text.
  if (pieces.some((p) => p.kind === "literal" && /[{}]/.test(p.text))) throw new Error(`malformed slot in phrase "${template}"`);
  compiled.set(template, pieces);
  return pieces;
}

/**
 * Renders `template` as `observer` reads it: `observer` is "you" wherever it is a
 * participant; `undefined` renders for a bystander.
 */
export function renderPhrase(template: string, values: PhraseValues, observer: Thing | undefined): Span[] {
  const spans: Span[] = [];
  // A verb agrees with how its subject was last written: "Alice picks", "you pick", and for a
  // "they" person "Alice picks" but "they pick" (the pronoun is plural, the name is not).
  const byPronoun = new Set<Role>();
  for (const piece of compile(template)) {
    switch (piece.kind) {
      case "literal":
        spans.push(piece.text);
        break;
      case "text":
        if (values.text !== undefined) spans.push({ text: values.text, style: "speech" });
        break;
      case "things": {
        const things = values.things ?? [];
        spans.push({ text: thingList(things), style: "thing" });
        break;
      }
      case "verb": {
        const who = values[piece.role];
        const plural = who === undefined || who === observer || (byPronoun.has(piece.role) && pronounsFor(who).plural);
        spans.push(conjugate(piece.verb, plural));
        break;
      }
      case "slot": {
        const who = values[piece.role];
        if (who === undefined) break;
        if (piece.form === "they") byPronoun.add(piece.role);
        else if (piece.form === "noun" || piece.form === "the" || piece.form === "name" || piece.form === "bare") byPronoun.delete(piece.role);
        spans.push(slotSpan(who, piece.form, who === observer));
        break;
      }
      default: {
        const unreachable: never = piece;
        throw new Error(`unknown phrase piece ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return capitaliseSpans(spans);
}

/** How a participant reads in one form. */
function slotSpan(who: Thing, form: Form, isObserver: boolean): Span {
  const style: Style = who.isCharacter ? "name" : who.exit !== undefined && who.exit.door === undefined ? "exit" : "thing";
  const pronouns = isObserver ? SECOND_PERSON : pronounsFor(who);
  switch (form) {
    case "noun":
      return isObserver ? "you" : { text: nounOf(who, "indefinite"), style };
    case "name":
      return { text: nounOf(who, "indefinite"), style };
    case "the":
      return isObserver ? "you" : { text: nounOf(who, "definite"), style };
    case "bare":
      return { text: bareNounOf(who), style };
    case "possessive":
      return isObserver ? "your" : { text: possessive(nounOf(who, "definite")), style };
    case "they":
      return pronouns.subject;
    case "them":
      return pronouns.object;
    case "their":
      return pronouns.possessive;
    case "themself":
      return pronouns.reflexive;
    default: {
      const unreachable: never = form;
      throw new Error(`unknown form ${String(unreachable)}`);
    }
  }
}

/** A thing's noun phrase: a door for an exit that has one, the bare direction for one that has none. */
export function nounOf(thing: Thing, article: "indefinite" | "definite"): string {
  const exit = thing.exit;
  if (exit !== undefined) {
    if (exit.door === undefined) return exit.direction;
    return article === "definite" ? definite(exit.door.phrase) : indefinite(exit.door.phrase);
  }
  return article === "definite" ? definite(thing.phrase) : indefinite(thing.phrase);
}

/** A thing's noun without an article: "wicker basket", "iron door", "Marta", "north". */
function bareNounOf(thing: Thing): string {
  const exit = thing.exit;
  if (exit !== undefined) return exit.door === undefined ? exit.direction : exit.door.phrase.singular;
  return thing.phrase.singular;
}

/** Things as a counted list: "two copper coins, a brass lantern and an oak chest". */
export function thingList(things: Iterable<Thing>): string {
  const phrases: NounPhrase[] = [];
  for (const thing of things) phrases.push(thing.phrase);
  return listing(countedItems(phrases));
}

/** A character's pronouns; a thing is "it". */
export function pronounsFor(thing: Thing): Pronouns {
  return pronounsOf(thing.character?.pronouns ?? "it");
}

function possessive(noun: string): string {
  return `${noun}'s`;
}

/** Capitalises the sentence's first letter, wherever it falls: "({actor} {actor|nod}.)" reads "(You nod.)". */
function capitaliseSpans(spans: Span[]): Span[] {
  const first = spans.findIndex((s) => /[\p{L}\p{N}]/u.test(typeof s === "string" ? s : s.text));
  if (first < 0) return spans;
  const span = spans[first]!;
  spans[first] = typeof span === "string" ? capitalise(span) : { text: capitalise(span.text), style: span.style };
  return spans;
}
