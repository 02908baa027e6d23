/**
 * A small Dockerfile reader for the deployment tests: enough of the format to check what
 * our own Dockerfile says (instructions, line continuations, comments, parser directives,
 * `--flags`, exec-form JSON arrays and build stages). Heredocs and a non-default `escape`
 * directive are refused rather than misread. Linting proper is dockerfile-utils' job.
 */

/** One instruction, with its stage. */
export interface Instruction {
  /** Upper-cased keyword: FROM, RUN, COPY... */
  readonly keyword: string;
  /** `--name=value` flags at the start of the arguments (`--from=build`, `--interval=30s`). */
  readonly flags: ReadonlyMap<string, string>;
  /** The arguments after the flags, continuation lines joined with a space. */
  readonly args: string;
  /** The arguments as a JSON array when written in exec form (`["node", "x.js"]`). */
  readonly json: readonly string[] | undefined;
  /** 1-based line the instruction starts on. */
  readonly line: number;
  /** Index of the build stage (the FROM it follows); -1 before the first FROM. */
  readonly stage: number;
}

/** A build stage: its FROM image, its name (`AS name`) and its instructions after FROM. */
export interface Stage {
  readonly image: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
}

/** Parses Dockerfile text. Throws on what it does not understand. */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  const instructions: Instruction[] = [];
  let stage = -1;
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i] ?? "";
    if (/^\s*#\s*escape\s*=/i.test(first) && !/=\s*\\\s*$/.test(first)) throw new Error("only the default escape character is supported");
    if (/^\s*(#.*)?$/.test(first)) continue;
    const start = i + 1;
    let logical = first;
    // A trailing backslash continues the instruction; comment lines inside it are dropped.
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) {
      logical = logical.replace(/\\\s*$/, "");
      i++;
      const next = lines[i] ?? "";
      if (/^\s*#/.test(next)) {
        logical += "\\";
        continue;
      }
      logical += ` ${next.trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(logical);
    if (match === null) throw new Error(`line ${start}: cannot read ${JSON.stringify(logical)}`);
    const keyword = (match[1] ?? "").toUpperCase();
    let rest = (match[2] ?? "").trim();
    if (/<</.test(rest) && (keyword === "RUN" || keyword === "COPY")) throw new Error(`line ${start}: heredocs are not supported`);
    const flags = new Map<string, string>();
    for (let flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest); flag !== null; flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)) {
      flags.set(flag[1] ?? "", flag[2] ?? "");
      rest = rest.slice(flag[0].length);
    }
    if (keyword === "FROM") stage++;
    instructions.push({ keyword, flags, args: rest, json: execForm(rest), line: start, stage });
  }
  const stages: Stage[] = [];
  for (const from of instructions.filter((ins) => ins.keyword === "FROM")) {
    const [image = "", as, name] = from.args.split(/\s+/);
    stages.push({
      image,
      name: as?.toUpperCase() === "AS" ? name : undefined,
      instructions: instructions.filter((ins) => ins.stage === from.stage && ins !== from),
    });
  }
  return { instructions, stages };
}

/** Exec-form arguments (a JSON array of strings), or undefined for shell form. */
function execForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Instructions of one stage with the given keyword, in order. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((ins) => ins.keyword === keyword);
}

/**
 * Splits a shell-form or exec-form COPY's arguments into sources and destination. Paths in
 * our Dockerfile contain no spaces, so whitespace splitting is exact for it.
 */
export function copyParts(ins: Instruction): { sources: string[]; dest: string } {
  const parts = ins.json ?? ins.args.split(/\s+/);
  const dest = parts.at(-1);
  if (dest === undefined || parts.length < 2) throw new Error(`line ${ins.line}: COPY needs a source and a destination`);
  return { sources: parts.slice(0, -1), dest };
}

/** `KEY=value KEY2="value 2"` (ENV's modern form) as a map. */
export function envPairs(ins: Instruction): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const raw = m[2] ?? "";
    pairs.set(m[1] ?? "", raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
  }
  return pairs;
}

/**
 * Whether `path` (relative to the build context, `/`-separated) is excluded by .dockerignore
 * patterns: Go `filepath.Match` globs plus `**`, a leading `!` re-includes, the last match
 * wins, and excluding a directory excludes everything under it.
 */
export function isDockerIgnored(path: string, patterns: readonly string[]): boolean {
  const candidates = path.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const raw of patterns) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    const pattern = (negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, "");
    const regex = new RegExp(`^${globToRegex(pattern)}$`);
    if (candidates.some((candidate) => regex.test(candidate))) ignored = !negate;
  }
  return ignored;
}

function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? "";
    if (c === "*" && glob[i + 1] === "*") {
      out += ".*";
      i++;
      if (glob[i + 1] === "/") i++;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return out;
}
