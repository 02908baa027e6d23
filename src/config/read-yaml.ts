/**
 * Reading a YAML file we do not fully trust (an operator's config, a builder's world file)
 * into plain data, with errors that point at a line. Shared by the config loader and the
 * world loader; each wraps a failure in its own error class.
 */
import { readFileSync } from "node:fs";
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";

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
   * The 1-based line of the key at `path` (of the item, for a list index), or of the
   * nearest ancestor that exists in the document; `undefined` for an empty document.
   */
  lineOf(path: KeyPath): number | undefined;
}

/** Why a YAML file could not be read: a message and, where known, the 1-based position. */
export interface YamlFailure {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
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
    // With prettyErrors off, `linePos` is not filled in; `pos` (offsets) always is.
    const { line, col } = lineCounter.linePos(first.pos[0]);
    return { ok: false, failure: { message: `invalid YAML: ${first.message}`, line, column: col } };
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
  const lineAt = (node: unknown): number | undefined =>
    isNode(node) && node.range !== undefined && node.range !== null ? lineCounter.linePos(node.range[0]).line : undefined;
  const lineOf = (path: KeyPath): number | undefined => {
    // The line of the key itself (`smell:`), not of its value, which for a block mapping
    // starts on the next line; failing that, the nearest ancestor's.
    for (let n = path.length; n > 0; n--) {
      const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
      const key = path[n - 1];
      let line: number | undefined;
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
        line = lineAt(pair?.key);
      } else if (isSeq(parent) && typeof key === "number") {
        line = lineAt(parent.items[key]);
      }
      if (line !== undefined) return line;
    }
    return lineAt(doc.contents);
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

function failure(message: string): YamlReadResult {
  return { ok: false, failure: { message } };
}
