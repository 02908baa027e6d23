/** The three-way merge of the seeding rule, on its own: examples, then the leaf rule as properties. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, merge3 } from "../../src/store/seed-merge.js";

type Tree = Record<string, unknown>;

describe("canonicalJson", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });

  it("drops undefined keys as JSON.stringify does", () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it("property: equal for the same data in any key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reversed = reverseKeys(value);
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe("merge3", () => {
  it("a leaf changed in play stays; one the files changed follows them", () => {
    const previous = { name: "a door", open: false };
    const next = { name: "an oak door", open: false };
    const stored = { name: "a door", open: true };
    expect(merge3(previous, next, stored)).toEqual({ name: "an oak door", open: true });
  });

  it("a key the files removed goes, unless play changed it", () => {
    expect(merge3({ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 2 })).toEqual({ a: 1 });
    expect(merge3({ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 3 })).toEqual({ a: 1, b: 3 });
  });

  it("keys only the stored form has stay", () => {
    expect(merge3({ a: 1 }, { a: 2 }, { a: 1, state: { due: 5 } })).toEqual({ a: 2, state: { due: 5 } });
  });

  it("an array is one leaf: a keyword list edited on both sides keeps play's", () => {
    expect(merge3({ k: ["a"] }, { k: ["a", "b"] }, { k: ["c"] })).toEqual({ k: ["c"] });
    expect(merge3({ k: ["a"] }, { k: ["a", "b"] }, { k: ["a"] })).toEqual({ k: ["a", "b"] });
  });

  it("a branch the files removed is dropped whole, keeping only what play changed inside it", () => {
    const closure = { open: false, locked: false };
    expect(merge3({ c: { closure } }, {}, { c: { closure } })).toEqual({});
    expect(merge3({ c: { closure }, n: 1 }, { n: 2 }, { c: { closure: { open: true, locked: false } }, n: 1 })).toEqual({
      c: { closure: { open: true } },
      n: 2,
    });
  });

  it("an empty object the files add is added (a container facet with no lid)", () => {
    expect(merge3({ facets: {} }, { facets: { container: {} } }, { facets: { portable: true } })).toEqual({
      facets: { portable: true, container: {} },
    });
  });

  it("play replacing a branch with a leaf keeps the leaf", () => {
    expect(merge3({ a: { x: 1 } }, { a: { x: 2 } }, { a: "gone" })).toEqual({ a: "gone" });
  });

  it("keys named __proto__ and constructor are data, never the prototype", () => {
    const previous = JSON.parse('{"__proto__": {"x": 1}, "constructor": 1}') as unknown;
    const next = JSON.parse('{"__proto__": {"x": 2}, "constructor": 2}') as unknown;
    const merged = merge3(previous, next, previous) as Tree;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(canonicalJson(merged)).toBe('{"__proto__":{"x":2},"constructor":2}');
    expect(canonicalJson(merge3({}, next, {}))).toBe('{"__proto__":{"x":2},"constructor":2}');
  });

  // Trees in which a key decides whether it holds a branch (a, b) or a leaf (x, y, constructor),
  // as in a real record; small leaf domains make the three agree on a path often.
  const leaf = fc.constantFrom<unknown>(0, 1, "s", null, [0], [0, 1]);
  const tree = (depth: number): fc.Arbitrary<Tree> => {
    const keys: Record<string, fc.Arbitrary<unknown>> = { x: leaf, y: leaf, constructor: leaf };
    if (depth > 0) Object.assign(keys, { a: tree(depth - 1), b: tree(depth - 1) });
    return fc.record(keys, { requiredKeys: [] });
  };
  // A patch: leaves to set, "DEL" to remove; applied to the previous seed, it makes next and
  // stored forms that mostly agree with it, as edits do.
  const patch = (depth: number): fc.Arbitrary<Tree> => {
    const value = fc.oneof(leaf, fc.constant("DEL"));
    const keys: Record<string, fc.Arbitrary<unknown>> = { x: value, y: value };
    if (depth > 0) Object.assign(keys, { a: patch(depth - 1), b: fc.oneof(patch(depth - 1), fc.constant("DEL")) });
    return fc.record(keys, { requiredKeys: [] });
  };
  const triple = fc.oneof(
    fc.tuple(tree(2), tree(2), tree(2)),
    fc.tuple(tree(2), patch(2), patch(2)).map(([previous, p, q]) => [previous, applyPatch(previous, p), applyPatch(previous, q)] as const),
  );

  it("property: every leaf path of previous ∪ next follows the rule; stored-only leaves stay; nothing is invented", () => {
    fc.assert(
      fc.property(triple, ([previous, next, stored]) => {
        const merged = merge3(previous, next, stored);
        const authored = new Set([...leafPaths(previous), ...leafPaths(next)]);
        for (const key of authored) {
          const path = JSON.parse(key) as string[];
          const playChanged = canonicalOrAbsent(at(stored, path)) !== canonicalOrAbsent(at(previous, path));
          const expected = playChanged ? at(stored, path) : at(next, path);
          expect(canonicalOrAbsent(at(merged, path)), key).toBe(canonicalOrAbsent(expected));
        }
        for (const key of leafPaths(stored)) {
          if (authored.has(key)) continue;
          const path = JSON.parse(key) as string[];
          expect(canonicalOrAbsent(at(merged, path)), key).toBe(canonicalOrAbsent(at(stored, path)));
        }
        const known = new Set([...authored, ...leafPaths(stored)]);
        for (const key of leafPaths(merged)) expect(known.has(key), key).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("property (any JSON): unchanged files keep the stored form; an unchanged stored form takes the files'", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (previous, other) => {
        expect(canonicalOrAbsent(merge3(previous, previous, other))).toBe(canonicalJson(other));
        expect(canonicalOrAbsent(merge3(previous, other, previous))).toBe(canonicalJson(other));
        // Play and the files made the same change: that change.
        expect(canonicalOrAbsent(merge3(previous, other, other))).toBe(canonicalJson(other));
      }),
    );
  });

  it("property (any JSON): merging the same change twice changes nothing more", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (previous, next, stored) => {
        const once = merge3(previous, next, stored);
        expect(canonicalOrAbsent(merge3(previous, next, once))).toBe(canonicalOrAbsent(once));
      }),
    );
  });
});

function isBranch(value: unknown): value is Tree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Leaf paths (JSON arrays of keys) of a tree; `{}` is a branch with no leaves. */
function leafPaths(value: unknown, prefix: string[] = []): string[] {
  if (!isBranch(value)) return value === undefined ? [] : [JSON.stringify(prefix)];
  return Object.keys(value).flatMap((k) => leafPaths(value[k], [...prefix, k]));
}

function at(value: unknown, path: readonly string[]): unknown {
  let here = value;
  for (const key of path) here = isBranch(here) && Object.hasOwn(here, key) ? here[key] : undefined;
  return here;
}

function canonicalOrAbsent(value: unknown): string {
  return value === undefined ? "(absent)" : canonicalJson(value);
}

function applyPatch(base: Tree, p: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, change] of Object.entries(p)) {
    if (change === "DEL") delete out[key];
    else if (isBranch(change)) out[key] = applyPatch(isBranch(out[key]) ? out[key] : {}, change);
    else out[key] = change;
  }
  return out;
}

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (!isBranch(value)) return value;
  const out: Tree = {};
  for (const key of Object.keys(value).reverse()) {
    Object.defineProperty(out, key, { value: reverseKeys(value[key]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
