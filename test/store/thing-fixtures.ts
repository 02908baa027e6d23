/** Records and assertions shared by the things and seeding tests. */
import { expect } from "vitest";
import { StoreError, type StoreErrorCode } from "../../src/store/store-error.js";
import type { ThingRecord } from "../../src/world/model/thing-record.js";

/** A plain portable thing in `location`. */
export function thing(id: string, location: string | null, extra: Partial<ThingRecord> = {}): ThingRecord {
  return { id, location, name: `a ${id}`, keywords: [id], description: `A plain ${id}.`, facets: { portable: true }, ...extra };
}

/** A room in the area "Shuttleford". */
export function room(id: string): ThingRecord {
  return { id, location: null, name: id, keywords: [id], description: `The ${id}.`, facets: { room: { area: "Shuttleford" } } };
}

/** The StoreError `fn` throws; fails the test if it throws anything else or nothing. */
export function storeError(fn: () => unknown, code: StoreErrorCode): StoreError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StoreError);
  expect((caught as StoreError).code).toBe(code);
  return caught as StoreError;
}
