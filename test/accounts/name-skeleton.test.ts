import { describe, expect, it } from "vitest";
import { nameSkeleton } from "../../src/accounts/name-skeleton.js";
import Database from "better-sqlite3";
import { MIGRATIONS, runMigrations } from "../../src/store/migrations.js";
import { openMemoryStore } from "../../src/store/sqlite-store.js";

/** Pairs that read alike: each is refused when the other exists. */
const LOOKALIKES: readonly (readonly [string, string])[] = [
  ["Mary", "Rnary"],
  ["Wendy", "Vvendy"],
  ["Dave", "Clave"],
  ["Alice", "Aiice"],
  ["Alice", "AIice"],
  ["Lisa", "Iisa"],
  ["Emma", "Ernrna"],
  ["Wilma", "Vvilrna"],
];

describe("issue 5 item 7: confusables of an existing name are refused", () => {
  it.each(LOOKALIKES)("%s and %s have one skeleton", (a, b) => {
    expect(nameSkeleton(a)).toBe(nameSkeleton(b));
  });

  it("different names keep different skeletons", () => {
    for (const [a, b] of [
      ["Mary", "Mark"],
      ["Alice", "Alicia"],
      ["Dave", "Dove"],
      ["Bob", "Rob"],
    ] as const) {
      expect(nameSkeleton(a)).not.toBe(nameSkeleton(b));
    }
  });

  it.each(LOOKALIKES)("the store refuses %s's look-alike %s, either way round", (a, b) => {
    for (const [first, second] of [
      [a, b],
      [b, a],
    ] as const) {
      const store = openMemoryStore();
      try {
        store.createPlayer({ key: first.toLowerCase(), name: first, passwordHash: "$argon2id$x", room: "r", now: 1 });
        expect(store.findLookalike(second)?.key).toBe(first.toLowerCase());
        let code: string | undefined;
        try {
          const lower = second.toLowerCase();
          store.createPlayer({ key: lower, name: lower.charAt(0).toUpperCase() + lower.slice(1), passwordHash: "$argon2id$y", room: "r", now: 2 });
        } catch (err) {
          code = (err as { code?: string }).code;
        }
        expect(code).toBe(lower(second) === lower(first) ? "name-taken" : "name-confusable");
        expect(store.findPlayer(second.toLowerCase())?.name ?? first).toBe(first);
      } finally {
        store.close();
      }
    }
  });

  it("the look-alike lookup is an index search, and existing rows are backfilled by the migration", () => {
    const db = new Database(":memory:");
    try {
      runMigrations(db, MIGRATIONS.slice(0, 1));
      db.prepare("INSERT INTO players (key, name, password_hash, created_at) VALUES ('mary', 'Mary', 'h', 1)").run();
      runMigrations(db, MIGRATIONS);
      expect(db.prepare("SELECT skeleton FROM players WHERE key = 'mary'").pluck().get()).toBe("mary");
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT key FROM players WHERE skeleton = ? LIMIT 1").all("mary") as { detail: string }[];
      expect(plan.map((row) => row.detail).join(" ")).toContain("USING INDEX players_by_skeleton");
    } finally {
      db.close();
    }
  });
});

function lower(s: string): string {
  return s.toLowerCase();
}
