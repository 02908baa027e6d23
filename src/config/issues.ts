/**
 * Turning zod's issues into the one-line, key-path-first messages an operator reads at boot:
 * `telnet.port: must be an integer from 0 to 65535`. Shared by the config and world loaders.
 */
import type { z } from "zod";
import type { KeyPath } from "./read-yaml.js";

/** One problem, at one key path. */
export interface PathIssue {
  readonly path: KeyPath;
  readonly message: string;
}

/**
 * Flattens zod issues so that each names the exact key at fault: an unknown key becomes one
 * issue per key at `parent.key`, a bad record key reports its own rule's message, and a
 * missing value reads "is required" rather than "expected string, received undefined".
 * Needs issues parsed with `reportInput: true` to tell missing from wrong.
 */
export function flattenIssues(issues: readonly z.core.$ZodIssue[]): PathIssue[] {
  const out: PathIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map(toKey);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) out.push({ path: [...path, key], message: "unknown key" });
        break;
      case "invalid_key": {
        const inner = issue.issues[0]?.message ?? issue.message;
        out.push({ path, message: `bad key: ${inner}` });
        break;
      }
      case "invalid_type":
        out.push({ path, message: "input" in issue && issue.input === undefined ? "is required" : issue.message });
        break;
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

/**
 * Writes a key path the way a reader would type it: `rooms.square.exits.north`,
 * `things.lantern.keywords[1]`; a key that is not a plain word is quoted (`rooms["a.b"]`).
 * The empty path is `(top level)`.
 */
export function formatKeyPath(path: KeyPath): string {
  if (path.length === 0) return "(top level)";
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

function toKey(key: PropertyKey): string | number {
  return typeof key === "number" ? key : String(key);
}
