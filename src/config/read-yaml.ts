/**
 * Reading a YAML file we do not fully trust (an operator's config, a builder's world file)
 * into plain data, with errors that point at a line. Shared by the config loader and the
 * world loader; each wraps a failure in its own error class.
 */
import { readFileSync } from "node:fs";
import { isNode, LineCounter, parseDocument } from "yaml";

/**
 * The most alias expansions one document may perform. An alias bomb ("billion laughs": nine
 * anchors, each a list of nine aliases of the one before) is tiny on disk and expands to
 * hundreds of millions of nodes; yaml's `maxAliasCount` makes `toJS` refuse it instead
 * (hardening D5). 100 is yaml's own default, stated here so that nobody relaxes it by accident.
 */
export const MAX_YAML_ALIASES = 100;

/** A key path into parsed data: object keys and array indices. */
export type KeyPath = readonly (string | number)[];

/** A YAML file parsed into plain data. */
export interface YamlFile {
  /** The document as plain JSON-like data (`null` for an empty file). */
  readonly value: unknown;
  /**
   * The 1-based line where the node at `path` starts, or of the nearest ancestor that
   * exists in the document; `undefined` when not even the root has a position.
   */
  lineOf(path: KeyPath): number | undefined;
}

/** Why a YAML file could not be read: a message and, where known, the 1-based line. */
export interface YamlFailure {
  readonly message: string;
  readonly line?: number;
}

/** Either the parsed file or why it failed. Never throws for bad content or a missing file. */
export type YamlReadResult = { readonly ok: true; readonly file: YamlFile } | { readonly ok: false; readonly failure: YamlFailure };

/** Parses YAML text. `maxAliasCount` defaults to {@link MAX_YAML_ALIASES}. */
export function parseYaml(text: string, maxAliasCount: number = MAX_YAML_ALIASES): YamlReadResult {
  const lineCounter = new LineCounter();
  // prettyErrors off: we want the bare message and position, formatted our way.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [first] = doc.errors;
  if (first !== undefined) {
    const line = first.linePos?.[0].line;
    const where = first.linePos === undefined ? "" : ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}`;
    return failure(`invalid YAML${where}: ${first.message}`, line);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount });
  } catch (error) {
    // yaml throws a ReferenceError for too many aliases (and for an alias to an unknown anchor).
    const message = error instanceof Error ? error.message : String(error);
    if (/alias count/i.test(message)) {
      return failure(
        `refused: the YAML expands more than ${maxAliasCount} aliases, which looks like an alias bomb ("billion laughs")`,
      );
    }
    return failure(`invalid YAML: ${message}`);
  }
  const lineOf = (path: KeyPath): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range !== undefined && node.range !== null) {
        return lineCounter.linePos(node.range[0]).line;
      }
    }
    return undefined;
  };
  return { ok: true, file: { value, lineOf } };
}

/** Reads and parses a YAML file; a missing or unreadable file is a failure, not a throw. */
export function readYamlFile(file: string, maxAliasCount: number = MAX_YAML_ALIASES): YamlReadResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : String(error);
    return failure(`cannot read: ${reason}`);
  }
  return parseYaml(text, maxAliasCount);
}

function failure(message: string, line?: number): YamlReadResult {
  return { ok: false, failure: line === undefined ? { message } : { message, line } };
}
