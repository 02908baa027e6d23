/**
 * Loads the world definition from a directory of YAML files at boot: every `*.yaml` and
 * `*.yml`, in name order, each parsed with an alias cap and validated by
 * {@link worldFileSchema}, then merged, cross-checked and turned into records by
 * `world-records.ts`. Every problem is reported with the file and the key path, one per line:
 *
 *     config/world/town.yaml: rooms.square.exits.north: no room named "markt" (line 12)
 */
import { readdirSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative } from "node:path";
import { LoomError } from "../errors.js";
import { flattenIssues, formatKeyPath } from "../config/issues.js";
import { readYamlFile, type KeyPath } from "../config/read-yaml.js";
import { BUILT_IN_BEHAVIOUR_PARAMS, type BehaviourSchemas } from "./behaviours/params.js";
import { buildWorld, type ParsedWorldFile } from "./world-records.js";
import { worldFileSchema, type WorldDefinition } from "./world-schema.js";

/** One problem in the world definition. */
export interface WorldIssue {
  /** The file at fault (relative to the working directory when inside it), or the directory. */
  readonly file: string;
  /** Key path inside the file; empty for a problem with the whole file. */
  readonly path: KeyPath;
  readonly message: string;
  /** 1-based line, when known. */
  readonly line?: number;
  /** 1-based column, when known (YAML syntax errors). */
  readonly column?: number;
}

/** The world definition is unusable; boot must stop. `message` has one line per issue. */
export class WorldFileError extends LoomError<"world-invalid"> {
  /** Every problem found, in file order. */
  readonly issues: readonly WorldIssue[];

  constructor(issues: readonly WorldIssue[]) {
    super("world-invalid", issues.map(formatWorldIssue).join("\n"));
    this.issues = issues;
  }
}

/**
 * Reads every world file in `dir` and returns the merged, cross-checked definition.
 * `behaviours` are the behaviours the world knows, by name (default: the built-in ones);
 * a file's `behaviours:` must name one of them and pass its parameter schema. Throws
 * {@link WorldFileError} naming file, key path (and line) for: unreadable files, YAML syntax
 * errors, alias bombs, unknown keys, bad values, ids defined twice (across rooms, things and
 * characters), no start or more than one, references to no room, container, character or
 * key, a door declared on both sides, and things inside themselves.
 * Synchronous: it runs once at boot, before anything listens.
 */
export function loadWorld(dir: string, behaviours: BehaviourSchemas = BUILT_IN_BEHAVIOUR_PARAMS): WorldDefinition {
  const shownDir = displayPath(dir);
  const files = worldFiles(dir, shownDir);
  const schema = worldFileSchema(behaviours);
  const issues: WorldIssue[] = [];
  const parsed: ParsedWorldFile[] = [];

  for (const path of files) {
    const file = displayPath(path);
    const read = readYamlFile(path);
    if (!read.ok) {
      const { message, line, column } = read.failure;
      const at = column === undefined ? {} : { column };
      issues.push(withLine({ file, path: [], message, ...at }, line));
      continue;
    }
    const { value } = read.file;
    if (value !== null && (typeof value !== "object" || Array.isArray(value))) {
      issues.push(withLine({ file, path: [], message: "a world file must be a mapping (area, start, rooms, things, characters)" }, 1));
      continue;
    }
    const result = schema.safeParse(value ?? {}, { reportInput: true });
    if (!result.success) {
      for (const issue of flattenIssues(result.error.issues)) {
        issues.push(withLine({ file, ...issue }, read.file.lineOf(issue.path)));
      }
      continue;
    }
    parsed.push({ file, yaml: read.file, area: result.data.area ?? fileArea(path), data: result.data });
  }
  // Cross-references over half-read files would only add noise: report these first.
  if (issues.length > 0) throw new WorldFileError(issues);

  const world = buildWorld(parsed, shownDir, issues);
  if (issues.length > 0 || world === undefined) throw new WorldFileError(issues);
  return world;
}

function worldFiles(dir: string, shownDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such directory" : code === "ENOTDIR" ? "not a directory" : String(error);
    throw new WorldFileError([{ file: shownDir, path: [], message: `cannot read the world directory: ${reason}` }]);
  }
  const files = names
    .filter((name) => /\.ya?ml$/i.test(name) && !name.startsWith("."))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
  if (files.length === 0) {
    throw new WorldFileError([{ file: shownDir, path: [], message: "no world files (*.yaml or *.yml) in the directory" }]);
  }
  return files;
}

/** A file's default area: its name without the extension, capitalised (`town.yaml` -> "Town"). */
function fileArea(path: string): string {
  const stem = basename(path).replace(/\.ya?ml$/i, "");
  return stem.charAt(0).toUpperCase() + stem.slice(1);
}

function withLine(issue: Omit<WorldIssue, "line">, line: number | undefined): WorldIssue {
  return line === undefined ? issue : { ...issue, line };
}

function formatWorldIssue(issue: WorldIssue): string {
  const where = issue.path.length === 0 ? "" : `${formatKeyPath(issue.path)}: `;
  const column = issue.column === undefined ? "" : `, column ${issue.column}`;
  const line = issue.line === undefined ? "" : ` (line ${issue.line}${column})`;
  return `${issue.file}: ${where}${issue.message}${line}`;
}

/** Relative to the working directory when the path is inside it (as an operator typed it). */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
