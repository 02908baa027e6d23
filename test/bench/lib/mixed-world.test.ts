/**
 * The mixed-play bench's world and command mix (bench/lib/mixed-world.ts, mixed-mix.ts): the
 * grid it writes must load through Loom's own world loader beside the shipped world, its edges
 * must wrap so that every walk out has a walk back, and no room's name may hide inside another's
 * (players find their answers by searching for it). The mix must parse strictly.
 */
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { COMMAND_KINDS, DEFAULT_MIX, parseMix, pickKind, seededRandom } from "../../../bench/lib/mixed-mix.js";
import { GRID_EXITS, GridWorld, writeMixedWorld } from "../../../bench/lib/mixed-world.js";
import { loadWorld } from "../../../src/world/world-file.js";
import { makeTempDir, projectRoot, removeTempDir } from "../../process/support/loom-process.js";

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) removeTempDir(dir);
  dir = undefined;
});

describe("the bench grid", () => {
  it("loads through Loom's world loader with the shipped world, every grid room with four exits", () => {
    dir = makeTempDir("loom-mixed-world");
    const grid = new GridWorld(4);
    writeMixedWorld(dir, path.join(projectRoot, "config", "world"), grid);
    const world = loadWorld(dir);
    expect(world.start).toBe("square");
    const byId = new Map(world.records.map((r) => [r.id, r]));
    grid.ids.forEach((id, room) => {
      expect(byId.get(id)?.name, id).toBe(grid.names[room]);
      for (const exit of GRID_EXITS) expect(byId.has(`${id}/${exit}`), `${id}/${exit}`).toBe(true);
    });
    expect(byId.has("square")).toBe(true);
  });

  it("wraps at the edges: every exit has its way back, and the four neighbours are distinct", () => {
    for (const side of [3, 14]) {
      const grid = new GridWorld(side);
      for (let room = 0; room < grid.rooms; room++) {
        const reached = GRID_EXITS.map((exit) => grid.neighbour(room, exit));
        expect(new Set(reached).size).toBe(4);
        for (const exit of GRID_EXITS) expect(grid.neighbour(grid.neighbour(room, exit), GridWorld.back(exit))).toBe(room);
      }
    }
  });

  it("names no room inside another room's name", () => {
    const grid = new GridWorld(12);
    for (const a of grid.names) for (const b of grid.names) if (a !== b) expect(b.includes(a)).toBe(false);
  });

  it("refuses a side below 3 or above 99", () => {
    expect(() => new GridWorld(2)).toThrow(RangeError);
    expect(() => new GridWorld(100)).toThrow(RangeError);
    expect(new GridWorld(99).rooms).toBe(9801);
  });
});

describe("the command mix", () => {
  it("normalises the default to shares summing to 1", () => {
    const mix = parseMix(DEFAULT_MIX);
    if (typeof mix === "string") throw new Error(mix);
    expect(COMMAND_KINDS.reduce((s, k) => s + mix[k], 0)).toBeCloseTo(1, 10);
    expect(mix.chat).toBeCloseTo(0.001, 10);
  });

  it("refuses unknown kinds, repeats, negative or missing weights and all zeros", () => {
    for (const bad of ["dance=1", "look=1,look=2", "say=-1", "say=", "look=0,say=0", "look"]) expect(typeof parseMix(bad), bad).toBe("string");
  });

  it("picks kinds in proportion to their shares, and never one weighing 0", () => {
    const mix = parseMix("look=1,say=3");
    if (typeof mix === "string") throw new Error(mix);
    const random = seededRandom(7);
    const counts = { look: 0, walk: 0, say: 0, chat: 0 };
    for (let i = 0; i < 40_000; i++) counts[pickKind(mix, random())]++;
    expect(counts.walk + counts.chat).toBe(0);
    expect(counts.say / counts.look).toBeGreaterThan(2.8);
    expect(counts.say / counts.look).toBeLessThan(3.2);
    expect(pickKind(mix, 0.9999999999)).toBe("say");
  });
});
