/**
 * The merge half of the seeding rule (docs/world.md): when the world files change a thing the
 * store already holds, each part of it follows the files unless play changed it. Pure functions
 * over plain JSON data, so the rule can be tested on its own (test/store/seed-merge.test.ts).
 *
 * A record is a tree: plain objects are branches; arrays, strings, numbers, booleans and `null`
 * are leaves, compared by {@link canonicalJson}. An array is one leaf because its elements have
 * no identity to merge by: `keywords` edited in play and in the files cannot be combined
 * element by element without guessing.
 */
import type { ThingRecord } from "../world/model/thing-record.js";

/**
 * `value` as JSON with every object's keys sorted, so two records that differ only in key
 * order (a YAML file reordered, a record rebuilt from columns) read as equal. Keys whose value
 * is `undefined` are left out and `undefined` array elements become `null`, as `JSON.stringify`
 * does; `undefined` itself gives `"null"`.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (isPlainObject(value)) {
    const parts: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const v = value[key];
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
    }
    return `{${parts.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * The three-way merge of one value, `undefined` standing for "absent". `previous` is the
 * files' form as last seeded, `next` their form now, `stored` the live form (the seed as play
 * left it). For every leaf path in `previous` ∪ `next`: if `stored` has there what `previous`
 * had (both absent counts as equal), the result has `next`'s value (absent: the key goes);
 * otherwise play changed it and the result keeps `stored`'s. Paths only `stored` has (state the
 * files never author) stay. Returns `undefined` when the merged value is absent.
 *
 * Two refinements the leaf rule leaves open: where the three disagree on whether a path is a
 * branch or a leaf (play replaced an object with a string), `stored` wins whole, because it was
 * changed in play; and a branch that the merge empties is dropped when the files or play
 * removed it, rather than left behind as `{}`.
 */
export function merge3(previous: unknown, next: unknown, stored: unknown): unknown {
  // Whole subtrees first: these two cases settle almost every path of a real record, so
  // recursion only walks down the branches both sides changed.
  if (same(stored, previous)) return next;
  if (same(next, previous)) return stored;
  if (!isBranchOrAbsent(previous) || !isBranchOrAbsent(next) || !isBranchOrAbsent(stored)) return stored;
  const out: Record<string, unknown> = {};
  for (const key of keysOf(stored, next, previous)) {
    const value = merge3(field(previous, key), field(next, key), field(stored, key));
    if (value !== undefined) put(out, key, value);
  }
  if (Object.keys(out).length === 0 && (next === undefined || stored === undefined)) return undefined;
  return out;
}

/**
 * {@link merge3} over whole records, `location` included (so a thing moved in play stays where
 * it was put, and one nobody moved follows the files). The three share an id, so the result
 * is a record with that id. Its fields are not checked here: the store keeps records as data;
 * the world leaves out (and logs) a stored record it cannot build a Thing from.
 */
export function mergeRecord(previous: ThingRecord, next: ThingRecord, stored: ThingRecord): ThingRecord {
  return merge3(previous, next, stored) as ThingRecord;
}

/** Whether two values (`undefined`: absent) are equal as canonical JSON. */
function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBranchOrAbsent(value: unknown): value is Record<string, unknown> | undefined {
  return value === undefined || isPlainObject(value);
}

/** Own keys only: an authored key named `constructor` or `__proto__` must not read Object's. */
function field(branch: Record<string, unknown> | undefined, key: string): unknown {
  return branch !== undefined && Object.hasOwn(branch, key) ? branch[key] : undefined;
}

/** Assigning `__proto__` would set the prototype instead of the key, so define it. */
function put(branch: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(branch, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The union of the branches' keys, in the order first seen (stored's own order first). */
function keysOf(...branches: (Record<string, unknown> | undefined)[]): Set<string> {
  const keys = new Set<string>();
  for (const branch of branches) if (branch !== undefined) for (const key of Object.keys(branch)) keys.add(key);
  return keys;
}
