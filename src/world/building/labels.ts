/**
 * How building commands name what they touched, to the builder: the way players read it, and
 * the id builders type (`the oak chest (chest)`, `The Hall (hall)`, `the way east (hall/east)`).
 * Builders' own words reach them as they typed them, in spans, never in a phrase template.
 */
import { capitalise } from "../language/sentence.js";
import type { Thing } from "../model/thing.js";
import { nounOf } from "../phrase.js";

/** What kind of thing it is, for refusals: "a room", "an exit", "a player's character"... */
export function kindOf(thing: Thing): string {
  if (thing.room !== undefined) return "a room";
  if (thing.exit !== undefined) return "an exit";
  if (thing.character?.player !== undefined) return "a player's character";
  if (thing.character !== undefined) return "a character";
  return "a thing";
}

/** The thing as a builder reads it, with its id: "the oak chest (chest)"; capitalised at the start of a sentence. */
export function label(thing: Thing, start = false): string {
  const text = `${plainName(thing)} (${thing.id})`;
  return start ? capitalise(text) : text;
}

/** "The Hall", "the way east", "the oak chest", "Marta". */
function plainName(thing: Thing): string {
  if (thing.room !== undefined) return thing.name;
  if (thing.exit !== undefined) return `the way ${thing.exit.direction}`;
  return nounOf(thing, "definite");
}
