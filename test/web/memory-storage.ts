/** A Web Storage in a Map, for the page's pure storage modules (what localStorage is, minus the browser). */
import type { KeyValueStorage } from "../../web/history-store.js";

/** A `KeyValueStorage` over a Map; `map` shows what was stored. */
export class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

