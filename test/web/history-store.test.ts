/** web/history-store.ts: the history kept across reloads, and the secrets never kept. */
import { describe, expect, it } from "vitest";
import { MemoryStorage } from "./memory-storage.js";
import { HISTORY_KEY, loadHistory, MAX_STORED_HISTORY, MAX_STORED_LINE, mayRemember, saveHistory, type KeyValueStorage } from "../../web/history-store.js";

/** A Storage that throws as a browser does when storage is forbidden or full. */
const throwing: KeyValueStorage = {
  getItem: () => {
    throw new Error("SecurityError");
  },
  setItem: () => {
    throw new Error("QuotaExceededError");
  },
  removeItem: () => {
    throw new Error("SecurityError");
  },
};

describe("mayRemember", () => {
  it("never remembers a line typed with echo off (a password)", () => {
    expect(mayRemember("hunter2", false)).toBe(false);
  });

  it("never remembers connect/create lines, whatever their case or spacing", () => {
    for (const line of ["connect Alice pw", "  CREATE Bob secret", "Connect x y"]) expect(mayRemember(line, true)).toBe(false);
  });

  it("remembers ordinary commands, not blank ones, not ones over the line limit", () => {
    expect(mayRemember("say connect later", true)).toBe(true);
    expect(mayRemember("   ", true)).toBe(false);
    expect(mayRemember("x".repeat(MAX_STORED_LINE), true)).toBe(true);
    expect(mayRemember("x".repeat(MAX_STORED_LINE + 1), true)).toBe(false);
  });
});

describe("loadHistory / saveHistory", () => {
  it("round-trips under loom.history", () => {
    const storage = new MemoryStorage();
    saveHistory(storage, ["look", "north"]);
    expect(JSON.parse(storage.map.get(HISTORY_KEY) ?? "")).toEqual(["look", "north"]);
    expect(loadHistory(storage)).toEqual(["look", "north"]);
  });

  it("keeps the newest MAX_STORED_HISTORY lines, at the limit and one past", () => {
    const storage = new MemoryStorage();
    const lines = Array.from({ length: MAX_STORED_HISTORY + 1 }, (_, i) => `say ${i}`);
    saveHistory(storage, lines.slice(1));
    expect(loadHistory(storage)).toHaveLength(MAX_STORED_HISTORY);
    saveHistory(storage, lines);
    const loaded = loadHistory(storage);
    expect(loaded).toHaveLength(MAX_STORED_HISTORY);
    expect(loaded[0]).toBe("say 1");
  });

  it("skips what it cannot read: not JSON, not an array, non-strings, stored secrets", () => {
    const storage = new MemoryStorage();
    for (const raw of ["{", '"look"', "{}", "null"]) {
      storage.map.set(HISTORY_KEY, raw);
      expect(loadHistory(storage)).toEqual([]);
    }
    storage.map.set(HISTORY_KEY, JSON.stringify(["look", 3, null, "connect Alice pw", "north"]));
    expect(loadHistory(storage)).toEqual(["look", "north"]);
  });

  it("never throws when storage is missing, forbidden or full", () => {
    expect(loadHistory(undefined)).toEqual([]);
    expect(loadHistory(throwing)).toEqual([]);
    expect(() => saveHistory(throwing, ["look"])).not.toThrow();
    expect(() => saveHistory(undefined, ["look"])).not.toThrow();
  });
});
