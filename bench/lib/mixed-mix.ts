/**
 * What the mixed-play bench's players type (issue 11, target 5), and in what proportions:
 * `--mix look=40,walk=30,say=29.9,chat=0.1` (percentages, or any weights: they are
 * normalised). Each command has an answer its sender can recognise (mixed-players.ts):
 *
 * - `look`: the room's name;
 * - `walk`: a compass word; the answer is the new room's name. A player's walks alternate out
 *   to a random neighbour and back home, so the grid stays balanced;
 * - `say <marker>`: the echo `You say, "<marker>"`; the room's others get it too;
 * - `chat <marker>`: the echo `[chat] You: <marker>`; every other player online gets it.
 *
 * Channel lines are rare by default because each one is a delivery to every player: at 10,000
 * players sending every 2 s, 0.1% is 5 posts/s, 50,000 deliveries/s, half as many as all the
 * says make in rooms of 69; 1% would be 500,000/s, more than the generator can read on one
 * core (docs/benchmarks.md, the generator's ceiling).
 */

/** The kinds of command, in report order. */
export const COMMAND_KINDS = ["look", "walk", "say", "chat"] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** `--mix`'s default, in percent. */
export const DEFAULT_MIX = "look=40,walk=30,say=29.9,chat=0.1";

/** The share of each kind, summing to 1. */
export type Mix = Readonly<Record<CommandKind, number>>;

/** Parses `look=40,walk=30,...`: every kind at most once, weights ≥ 0, not all 0; kinds left out weigh 0. */
export function parseMix(text: string): Mix | string {
  const weights: Record<CommandKind, number> = { look: 0, walk: 0, say: 0, chat: 0 };
  const seen = new Set<string>();
  for (const part of text.split(",")) {
    const [name = "", value = ""] = part.split("=").map((s) => s.trim());
    if (!(COMMAND_KINDS as readonly string[]).includes(name)) return `unknown command "${name}" (the kinds are ${COMMAND_KINDS.join(", ")})`;
    if (seen.has(name)) return `"${name}" is given twice`;
    seen.add(name);
    const weight = Number(value);
    if (value === "" || !Number.isFinite(weight) || weight < 0) return `"${name}" needs a weight ≥ 0 (got "${value}")`;
    weights[name as CommandKind] = weight;
  }
  const total = COMMAND_KINDS.reduce((sum, k) => sum + weights[k], 0);
  if (total <= 0) return "at least one weight must be above 0";
  return { look: weights.look / total, walk: weights.walk / total, say: weights.say / total, chat: weights.chat / total };
}

/** The kind that `u` (uniform in [0, 1)) falls on. */
export function pickKind(mix: Mix, u: number): CommandKind {
  let edge = 0;
  for (const kind of COMMAND_KINDS) {
    edge += mix[kind];
    if (u < edge) return kind;
  }
  // Rounding can leave u just past the last edge: the last kind with a share takes it.
  return [...COMMAND_KINDS].reverse().find((k) => mix[k] > 0) ?? "look";
}

/** The mix in words: `look 40%, walk 30%, ...`. */
export function describeMix(mix: Mix): string {
  return COMMAND_KINDS.filter((k) => mix[k] > 0)
    .map((k) => `${k} ${Number((mix[k] * 100).toPrecision(3))}%`)
    .join(", ");
}

/**
 * A small seeded generator (mulberry32): the players' phases, commands and walks are the same
 * from run to run, so two runs differ by the server, not by the dice.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
