/**
 * How a finished sentence is written out: its capital letter, and the words for small counts.
 * The narrator builds sentences from lowercase pieces ("the brass lantern", "you") and
 * capitalises once at the end, so no action has to know whether its phrase comes first.
 */

/**
 * The sentence with its first letter in capitals. Leading quotes, brackets, dashes and spaces
 * are skipped ("\"hi,\" says Bob" -> "\"Hi,\" says Bob"); a sentence that starts with a digit
 * ("3 coins…") or has no letters is left as it is, as is "". Works on whole code points, so
 * accented and non-Latin letters capitalise too ("élodie" -> "Élodie", "ωμέγα" -> "Ωμέγα").
 * Idempotent.
 */
export function capitalise(text: string): string {
  const match = /^([^\p{L}\p{N}]*)(\p{L})/u.exec(text);
  if (match === null) return text;
  const [, lead = "", letter = ""] = match;
  return lead + letter.toUpperCase() + text.slice(lead.length + letter.length);
}

const NUMBER_WORDS: readonly string[] = [
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
];

/**
 * A count as it reads in a sentence: words for one to twelve ("two brass lanterns"), digits
 * for anything else ("13 copper coins", "0", "2.5"). Twelve is where style guides (and most
 * MUDs) switch, and where a word stops being quicker to read than digits.
 */
export function numberWord(n: number): string {
  return (Number.isInteger(n) ? NUMBER_WORDS[n - 1] : undefined) ?? String(n);
}
