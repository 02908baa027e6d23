/**
 * The live world as loaded from the store (src/world/model/live-world.ts): a stored row this
 * build cannot read is left out and logged, and the rest of the world loads and plays.
 */
import { afterEach, expect, it } from "vitest";
import { openMemoryStore } from "../../../src/store/sqlite-store.js";
import type { ThingRecord } from "../../../src/world/model/thing-record.js";
import { makeTestWorld, type TestWorld } from "../../support/transcript.js";

let tw: TestWorld | undefined;
afterEach(() => {
  tw?.close();
  tw = undefined;
});

it("a stored thing with no facets (a row edited by hand) is left out; the world boots and plays", async () => {
  const store = openMemoryStore();
  const broken = { id: "broken", location: "hall", name: "a broken thing", keywords: ["broken"], description: "?" } as unknown as ThingRecord;
  store.saveThing(broken, 1);
  tw = makeTestWorld({ store });
  expect(tw.world.thing("broken")).toBeUndefined();
  expect(tw.world.thing("hall")?.room).toBeDefined();
  const alice = await tw.join("Alice");
  expect(tw.run(alice, "look").Alice?.[0]).toBe("The Hall");
  // Left in the store as it was, for an operator to mend.
  expect(store.loadWorldThings().some((t) => t.record.id === "broken")).toBe(true);
});
