/**
 * Loads the world definition from a directory of YAML files at boot: every `*.yaml` and
 * `*.yml`, in name order, each parsed with an alias cap and validated by
 * {@link worldFileSchema}, then merged and cross-checked. Every problem is reported with
 * the file and the key path, one per line:
 *
 *     config/world/town.yaml: rooms.square.exits.north: no room named "markt" (line 12)
 */
import { readdirSync, statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { LoomError } from "../errors.js";
import { flattenIssues, formatKeyPath } from "../config/issues.js";
import { readYamlFile, type KeyPath, type YamlFile } from "../config/read-yaml.js";
import {
  defaultKeywords,
  worldFileSchema,
  type RoomDef,
  type ThingDef,
  type WorldDefinition,
  type WorldFile,
} from "./world-schema.js";

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
 * Reads every world file in `dir` and returns the merged, cross-checked definition. Throws
 * {@link WorldFileError} naming file, key path (and line) for: unreadable files, YAML syntax
 * errors, alias bombs, unknown keys, bad values, ids defined twice (a thing may not share a
 * room's id either), no start or more than one, and exits or locations naming no room.
 * Synchronous: it runs once at boot, before anything listens.
 */
export function loadWorld(dir: string): WorldDefinition {
  const shownDir = displayPath(dir);
  const files = worldFiles(dir, shownDir);
  const issues: WorldIssue[] = [];
  const parsed: { file: string; yaml: YamlFile; data: WorldFile }[] = [];

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
      issues.push(withLine({ file, path: [], message: "a world file must be a mapping (start, rooms, things)" }, 1));
      continue;
    }
    const result = worldFileSchema.safeParse(value ?? {}, { reportInput: true });
    if (!result.success) {
      for (const issue of flattenIssues(result.error.issues)) {
        issues.push(withLine({ file, ...issue }, read.file.lineOf(issue.path)));
      }
      continue;
    }
    parsed.push({ file, yaml: read.file, data: result.data });
  }
  // Cross-references over half-read files would only add noise: report these first.
  if (issues.length > 0) throw new WorldFileError(issues);

  const world = mergeAndCheck(parsed, shownDir, issues);
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

interface Located<T> {
  readonly file: string;
  readonly yaml: YamlFile;
  readonly def: T;
}

function mergeAndCheck(
  parsed: readonly { file: string; yaml: YamlFile; data: WorldFile }[],
  shownDir: string,
  issues: WorldIssue[],
): WorldDefinition | undefined {
  const rooms = new Map<string, Located<RoomDef>>();
  const things = new Map<string, Located<ThingDef>>();
  const starts: { file: string; yaml: YamlFile; id: string }[] = [];
  const problem = (at: { file: string; yaml: YamlFile }, path: KeyPath, message: string): void => {
    issues.push(withLine({ file: at.file, path, message }, at.yaml.lineOf(path)));
  };

  for (const { file, yaml, data } of parsed) {
    if (data.start !== undefined) starts.push({ file, yaml, id: data.start });
    for (const [id, room] of Object.entries(data.rooms ?? {})) {
      const earlier = rooms.get(id);
      if (earlier !== undefined) {
        problem({ file, yaml }, ["rooms", id], `room "${id}" is already defined in ${earlier.file}`);
        continue;
      }
      const exits = new Map(Object.entries(room.exits ?? {}));
      rooms.set(id, { file, yaml, def: Object.freeze({ id, name: room.name, description: room.description, exits }) });
    }
  }
  for (const { file, yaml, data } of parsed) {
    for (const [id, thing] of Object.entries(data.things ?? {})) {
      const earlier = things.get(id);
      const room = rooms.get(id);
      if (earlier !== undefined || room !== undefined) {
        const what = earlier !== undefined ? `thing "${id}" is already defined in ${earlier.file}` : `"${id}" is already a room's id (in ${room?.file})`;
        problem({ file, yaml }, ["things", id], what);
        continue;
      }
      const keywords = Object.freeze([...new Set(thing.keywords ?? defaultKeywords(thing.name))]);
      const def: ThingDef = Object.freeze({
        id,
        name: thing.name,
        keywords,
        description: thing.description,
        location: thing.location,
        portable: thing.portable ?? true,
      });
      things.set(id, { file, yaml, def });
    }
  }

  const [start, ...extraStarts] = starts;
  if (start === undefined) {
    issues.push({ file: shownDir, path: ["start"], message: "no world file sets the start room; exactly one must" });
  } else {
    for (const extra of extraStarts) {
      problem(extra, ["start"], `the start room is already set to "${start.id}" in ${start.file}; exactly one file may set it`);
    }
    if (!rooms.has(start.id)) problem(start, ["start"], `no room named "${start.id}"`);
  }
  for (const { file, yaml, def } of rooms.values()) {
    for (const [exit, target] of def.exits) {
      if (!rooms.has(target)) problem({ file, yaml }, ["rooms", def.id, "exits", exit], `no room named "${target}"`);
    }
  }
  for (const { file, yaml, def } of things.values()) {
    if (!rooms.has(def.location)) problem({ file, yaml }, ["things", def.id, "location"], `no room named "${def.location}"`);
  }

  if (start === undefined || issues.length > 0) return undefined;
  return Object.freeze({
    start: start.id,
    rooms: new Map([...rooms].map(([id, { def }]) => [id, def] as const)),
    things: new Map([...things].map(([id, { def }]) => [id, def] as const)),
  });
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
