/**
 * Lists of things in a sentence: "two copper coins, a brass lantern and an oak chest". Grouping
 * and counting return one string per item so the narrator can style each (a thing's name may
 * be highlighted) before joining them with {@link listing}.
 */
import { counted, type NounPhrase } from "./noun-phrase.js";

/**
 * Joins items as English does: "" for none, "a", "a and b", "a, b and c". No Oxford comma,
 * to match the house style of the rest of Loom's text.
 */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`;
}

/**
 * Groups equal phrases (same article, singular and plural) in the order each was first seen,
 * and renders each group with its count: [coin, lantern, coin, chest] -> ["two copper coins",
 * "a brass lantern", "an oak chest"]. Proper names are never grouped (two characters both
 * called Marta are two people, listed twice). Mass nouns group without a count ("some rope").
 */
export function countedItems(phrases: readonly NounPhrase[]): string[] {
  const groups = new Map<string, { readonly phrase: NounPhrase; count: number }>();
  phrases.forEach((phrase, index) => {
    // A proper name's key is its position, so it never merges; JSON keeps the parts apart whatever they contain.
    const key = phrase.article === "proper" ? String(index) : JSON.stringify([phrase.article, phrase.singular, phrase.plural]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { phrase, count: 1 });
    else group.count += 1;
  });
  return [...groups.values()].map(({ phrase, count }) => counted(phrase, count));
}
