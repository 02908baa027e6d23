/**
 * The pronouns a sentence uses for a character, from the set the character chose
 * (`pronouns <he|she|they|it>`), and for the reader ("you").
 */
import type { PronounSet } from "../model/thing-record.js";

/** Every form a sentence may need, with whether the subject takes plural verbs. */
export interface Pronouns {
  /** "he", "she", "they", "it", "you": "she takes the lantern". */
  readonly subject: string;
  /** "him", "her", "them", "it", "you": "Bob gives her the lantern". */
  readonly object: string;
  /** Before a noun: "his", "her", "their", "its", "your": "her lantern". */
  readonly possessive: string;
  /** Standing alone: "his", "hers", "theirs", "its", "yours": "the lantern is hers". */
  readonly possessivePronoun: string;
  /** "himself", "herself", "themself", "itself", "yourself": "she looks at herself". */
  readonly reflexive: string;
  /** "they" and "you" take plural verbs: they are, they walk, you walk. */
  readonly plural: boolean;
}

const HE: Pronouns = Object.freeze({
  subject: "he",
  object: "him",
  possessive: "his",
  possessivePronoun: "his",
  reflexive: "himself",
  plural: false,
});

const SHE: Pronouns = Object.freeze({
  subject: "she",
  object: "her",
  possessive: "her",
  possessivePronoun: "hers",
  reflexive: "herself",
  plural: false,
});

// Singular they: "themself" because it refers to one person (as "yourself" does to one
// reader); the verb is still plural ("they are"), as with singular "you".
const THEY: Pronouns = Object.freeze({
  subject: "they",
  object: "them",
  possessive: "their",
  possessivePronoun: "theirs",
  reflexive: "themself",
  plural: true,
});

const IT: Pronouns = Object.freeze({
  subject: "it",
  object: "it",
  possessive: "its",
  possessivePronoun: "its",
  reflexive: "itself",
  plural: false,
});

/** The pronouns for a character's chosen set. The returned object is frozen and shared. */
export function pronounsOf(set: PronounSet): Pronouns {
  switch (set) {
    case "he":
      return HE;
    case "she":
      return SHE;
    case "they":
      return THEY;
    case "it":
      return IT;
    default: {
      const unreachable: never = set;
      return unreachable;
    }
  }
}

/** The reader, as the actor's own text addresses them: "you", with plural verbs ("you are"). */
export const SECOND_PERSON: Pronouns = Object.freeze({
  subject: "you",
  object: "you",
  possessive: "your",
  possessivePronoun: "yours",
  reflexive: "yourself",
  plural: true,
});
