/**
 * Verb agreement: the one place that knows "you give" but "Alice gives". The narrator keeps
 * each event's verb in its bare form and conjugates it per observer, so the actor's text and
 * everyone else's come from the same phrase.
 */
import { addS, matchCase } from "./spelling.js";

/** The third-person singular of a lowercase bare verb. */
function thirdPerson(verb: string): string {
  if (verb === "be") return "is";
  if (verb === "have") return "has";
  // do/does, go/goes, undo, echo, veto; but a vowel before the o takes -s: boos, woos, tattoos.
  if (/[^aeiou]o$/u.test(verb)) return `${verb}es`;
  return addS(verb);
}

/**
 * The verb agreeing with its subject. `plural` is true for plural subjects and for "you" and
 * singular "they" (see `Pronouns.plural`): conjugate("give", true) -> "give",
 * conjugate("give", false) -> "gives". Handles be (is/are), have (has), do (does), go (goes),
 * -s/-x/-z/-ch/-sh (pushes, catches), consonant + y (carries) against vowel + y (says, plays).
 * A multi-word verb conjugates its first word ("pick up" -> "picks up"). The verb's case is
 * kept ("Be" -> "Is"), and so is everything after the first word.
 */
export function conjugate(verb: string, plural: boolean): string {
  const match = /^(\s*)(\S+)(.*)$/su.exec(verb);
  if (match === null) return verb;
  const [, lead = "", word = "", rest = ""] = match;
  const lower = word.toLowerCase();
  if (plural) return lower === "be" ? lead + matchCase(word, "are") + rest : verb;
  return lead + matchCase(word, thirdPerson(lower)) + rest;
}
