/**
 * An action's grammar: what may follow its verb, written as players read it in `help`
 * (`put <thing> in|into <container>`, `look [at] <thing>`, `unlock <thing> [with <key>]`) and
 * compiled once into a matcher that splits a command's words into named slots.
 *
 * - `<name>`: a slot, one or more words.
 * - `in|into`: a literal word, any of the alternatives, in any case.
 * - `[ ... ]`: an optional part.
 * The first word of a syntax is the verb and is not matched (the dispatcher found the action by it).
 */

/** A compiled syntax. */
export interface Pattern {
  /** The syntax as written, for help and usage lines. */
  readonly source: string;
  /** The slot names in the order they appear. */
  readonly slots: readonly string[];
  readonly regex: RegExp;
}

/** Slot values by name; a slot in an optional part that was left out is absent. */
export type Slots = Readonly<Partial<Record<string, string>>>;

type Node = { readonly kind: "slot"; readonly name: string } | { readonly kind: "words"; readonly words: readonly string[] } | { readonly kind: "optional"; readonly body: readonly Node[] };

/** Compiles one syntax line. Throws for a malformed one (a programming error, caught by tests). */
export function compilePattern(source: string): Pattern {
  // Brackets become tokens of their own: "[with <key>]" -> "[", "with", "<key>", "]".
  const tokens = source.trim().replace(/\[/g, " [ ").replace(/\]/g, " ] ").trim().split(/\s+/).slice(1);
  const slots: string[] = [];
  const [body, end] = parseSequence(tokens, 0, slots, source);
  if (end !== tokens.length) throw new Error(`unbalanced ] in syntax "${source}"`);
  const regex = new RegExp(`^${sequenceSource(body, { next: 0 })}$`, "is");
  return { source, slots, regex };
}

/** The slots of `args` under `pattern`, or undefined when it does not fit. */
export function matchPattern(pattern: Pattern, args: string): Slots | undefined {
  const match = pattern.regex.exec(args.trim());
  if (match === null) return undefined;
  const slots: Record<string, string> = {};
  for (const [i, name] of pattern.slots.entries()) {
    const value = match.groups?.[slotGroup(i)];
    if (value !== undefined) slots[name] = value.trim();
  }
  return slots;
}

/** Reads nodes up to a closing bracket or the end; returns them and the index after. */
function parseSequence(tokens: readonly string[], start: number, slots: string[], source: string): [Node[], number] {
  const nodes: Node[] = [];
  let i = start;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token === "]") return [nodes, i];
    if (token === "[") {
      const [body, end] = parseSequence(tokens, i + 1, slots, source);
      if (tokens[end] !== "]") throw new Error(`unclosed [ in syntax "${source}"`);
      if (body.length === 0) throw new Error(`empty [] in syntax "${source}"`);
      nodes.push({ kind: "optional", body });
      i = end + 1;
      continue;
    }
    nodes.push(parseToken(token, slots, source));
    i++;
  }
  return [nodes, i];
}

function parseToken(token: string, slots: string[], source: string): Node {
  const slot = /^<([a-z]+)>$/.exec(token);
  if (slot !== null) {
    // A second slot of the same name would silently overwrite the first's value.
    if (slots.includes(slot[1]!)) throw new Error(`slot <${slot[1]!}> twice in syntax "${source}"`);
    slots.push(slot[1]!);
    return { kind: "slot", name: slot[1]! };
  }
  if (!/^[a-z]+(\|[a-z]+)*$/.test(token)) throw new Error(`bad token "${token}" in syntax "${source}"`);
  return { kind: "words", words: token.split("|") };
}

function nodeSource(node: Node, slotIndex: { next: number }): string {
  switch (node.kind) {
    case "slot":
      return `(?<${slotGroup(slotIndex.next++)}>.+?)`;
    case "words":
      return `(?:${node.words.join("|")})`;
    case "optional":
      return sequenceSource(node.body, slotIndex);
    default: {
      const unreachable: never = node;
      throw new Error(`unknown syntax node ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Words separated by whitespace; an optional part brings its own separating space. */
function sequenceSource(nodes: readonly Node[], slotIndex: { next: number }): string {
  let out = "";
  // Whether the next part must be preceded by whitespace: not at the start, nor right after a
  // leading optional part, which carries its own trailing space.
  let separate = false;
  for (const [i, node] of nodes.entries()) {
    const part = nodeSource(node, slotIndex);
    const last = i === nodes.length - 1;
    if (node.kind === "optional") out += separate ? `(?:\\s+${part})?` : last ? `(?:${part})?` : `(?:${part}\\s+)?`;
    else {
      out += separate ? `\\s+${part}` : part;
      separate = true;
    }
  }
  return out;
}

function slotGroup(index: number): string {
  return `s${index}`;
}
