/**
 * The worked examples of docs/world.md run here: a new action (knock) and a new behaviour
 * (chime), each registered into a world the way a server would. The doc quotes the two files
 * whole; a test checks the quotes have not drifted from the code that runs.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUILT_IN_ACTIONS } from "../../../src/world/actions/index.js";
import { ActionRegistry } from "../../../src/world/actions/registry.js";
import { BUILT_IN_BEHAVIOURS } from "../../../src/world/behaviours/index.js";
import { BehaviourRegistry } from "../../../src/world/behaviours/runner.js";
import { definitionOf, makeTestWorld, TESTSHIRE, type TestWorld } from "../../support/transcript.js";
import { chime } from "./chime.js";
import { knock } from "./knock.js";

let tw: TestWorld | undefined;
afterEach(() => {
  tw?.close();
  tw = undefined;
});

function worldWithExamples(): TestWorld {
  const base = definitionOf(TESTSHIRE);
  const clock = {
    id: "clock",
    location: "hall",
    name: "a brass clock",
    keywords: ["clock", "brass"],
    description: "It ticks.",
    facets: { behaviours: [{ name: "chime", params: { everySeconds: 3600 } }] },
  };
  return makeTestWorld({
    definition: { start: base.start, records: [...base.records, clock] },
    deps: {
      actions: new ActionRegistry().register(...BUILT_IN_ACTIONS, knock),
      behaviours: new BehaviourRegistry().register(...BUILT_IN_BEHAVIOURS, chime),
    },
  });
}

describe("docs/world.md worked examples", () => {
  it("knock: the room sees who knocked, the other side of the door hears a knock", async () => {
    tw = worldWithExamples();
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    const carol = await tw.join("Carol");
    tw.run(bob, "unlock iron door");
    // Carol waits in the vault: she needs the door open to get there, then closed again.
    tw.run(carol, "north");
    tw.run(carol, "get key");
    tw.run(carol, "south");
    tw.run(carol, "unlock iron door");
    tw.run(carol, "open iron door");
    tw.run(carol, "east");
    tw.run(carol, "close door");
    expect(tw.run(alice, "knock on iron door")).toEqual({
      Alice: ["You knock on the iron door."],
      Bob: ["Alice knocks on the iron door."],
      Carol: ["Someone knocks on the iron door."],
    });
    expect(tw.run(alice, "knock on fountain")).toEqual({ Alice: ["There is no door like that here."], Bob: [], Carol: [] });
  });

  it("chime: the clock sounds on the world's clock, and its parameters are checked", async () => {
    tw = worldWithExamples();
    await tw.join("Alice");
    expect(tw.advance(3_599_000)).toEqual({ Alice: [] });
    expect(tw.advance(1000)).toEqual({ Alice: ["The brass clock chimes."] });
    expect(chime.params.safeParse({ everySeconds: 0 }).success).toBe(false);
  });

  it("docs/world.md quotes both example files exactly", () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, "../../../docs/world.md"), "utf8");
    for (const file of ["knock.ts", "chime.ts"]) {
      const code = fs.readFileSync(path.resolve(import.meta.dirname, file), "utf8");
      expect(doc, `docs/world.md should quote test/world/examples/${file}`).toContain(code.trim());
    }
  });
});
