/**
 * A room's `environment` (issue 8, GMCP `Room.Info`): one optional word in the world files, kept
 * on the room's facet, sent in `Room.Info` ("" when the room has none), and written back by a
 * world export.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { roomInfoSchema } from "../../src/session/gmcp-packages.js";
import { openMemoryStore } from "../../src/store/sqlite-store.js";
import { exportWorld } from "../../src/world/world-export.js";
import { loadWorld, WorldFileError } from "../../src/world/world-file.js";
import { makeTestWorld, type TestWorld } from "../support/transcript.js";

const WORLD = `area: Shuttleford
start: square
rooms:
  square:
    name: Town Square
    environment: urban
    description: A square.
    exits:
      north: market
  market:
    name: Market Row
    description: A market.
    exits:
      south: square
`;

let dir: string;
const worlds: TestWorld[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "loom-environment-"));
});

afterEach(() => {
  for (const tw of worlds.splice(0)) tw.close();
  rmSync(dir, { recursive: true, force: true });
});

function load(text: string) {
  writeFileSync(join(dir, "town.yaml"), text);
  return loadWorld(dir);
}

describe("a room's environment", () => {
  it("is kept on the room's facet when the file gives one, and absent when not", () => {
    const rooms = new Map(load(WORLD).records.map((r) => [r.id, r.facets.room]));
    expect(rooms.get("square")).toEqual({ area: "Shuttleford", environment: "urban" });
    expect(rooms.get("market")).toEqual({ area: "Shuttleford" });
  });

  it("must be one word of at most 32 characters", () => {
    for (const bad of ['"two words"', '""', "forest!", "9lives", `a${"b".repeat(32)}`, "[urban]"]) {
      let error: unknown;
      try {
        load(WORLD.replace("environment: urban", `environment: ${bad}`));
      } catch (caught) {
        error = caught;
      }
      expect(error, bad).toBeInstanceOf(WorldFileError);
      expect((error as WorldFileError).issues[0]?.path).toEqual(["rooms", "square", "environment"]);
    }
    expect(load(WORLD.replace("environment: urban", `environment: Natural-${"x".repeat(24)}`)).records[0]?.facets.room?.environment).toHaveLength(32);
  });

  it("is in Room.Info: the room's word, or empty", async () => {
    const tw = makeTestWorld({ definition: load(WORLD) });
    worlds.push(tw);
    const alice = await tw.join("Alice");
    const first = tw.gateway.oobFor(alice.session).filter((o) => o.channel === "Room.Info");
    expect(first.map((o) => roomInfoSchema.parse(o.data))).toMatchObject([{ id: "square", environment: "urban" }]);
    const from = tw.gateway.sent.length;
    tw.run(alice, "north");
    const next = tw.gateway.oobFor(alice.session, from).filter((o) => o.channel === "Room.Info");
    expect(next.map((o) => roomInfoSchema.parse(o.data))).toMatchObject([{ id: "market", environment: "" }]);
  });

  it("survives a world export: written for the room that has one, left out for the other", () => {
    const world = load(WORLD);
    const store = openMemoryStore();
    try {
      store.seedWorld(world.records, store.maxSeq() + 1);
      const exported = exportWorld(store.loadWorldThings(), { start: "square" });
      const text = exported.files.map((f) => f.text).join("\n");
      expect(text.match(/environment: urban/g)).toHaveLength(1);
      expect(text.match(/environment:/g)).toHaveLength(1);
      rmSync(join(dir, "town.yaml"));
      for (const file of exported.files) writeFileSync(join(dir, file.name), file.text);
      expect(loadWorld(dir).records.filter((r) => r.facets.room !== undefined).map((r) => r.facets.room)).toEqual([
        { area: "Shuttleford", environment: "urban" },
        { area: "Shuttleford" },
      ]);
    } finally {
      store.close();
    }
  });
});
