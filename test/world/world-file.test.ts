import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findProjectRoot } from "../../src/config/project-root.js";
import { loadWorld, WorldFileError } from "../../src/world/world-file.js";
import { CompassExits, defaultKeywords, type WorldDefinition } from "../../src/world/world-schema.js";

const shippedWorldDir = join(findProjectRoot(), "config", "world");

/** Every room reachable from `from` by following exits. */
function reachable(world: WorldDefinition, from: string): Set<string> {
  const seen = new Set([from]);
  const queue = [from];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const target of world.rooms.get(id)?.exits.values() ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}

describe("the shipped starter world", () => {
  const world = loadWorld(shippedWorldDir);

  it("loads, with a start room, ten or more rooms, six portable things and two fixtures", () => {
    expect(world.rooms.has(world.start)).toBe(true);
    expect(world.rooms.size).toBeGreaterThanOrEqual(10);
    const things = [...world.things.values()];
    expect(things.filter((t) => t.portable).length).toBeGreaterThanOrEqual(6);
    expect(things.filter((t) => !t.portable).length).toBeGreaterThanOrEqual(2);
  });

  it("every room is reachable from the start", () => {
    const seen = reachable(world, world.start);
    expect([...world.rooms.keys()].filter((id) => !seen.has(id))).toEqual([]);
  });

  it("every room can get back to the start (no one-way traps)", () => {
    for (const id of world.rooms.keys()) expect(reachable(world, id).has(world.start), id).toBe(true);
  });

  it("compass exits have their opposite on the other side", () => {
    const opposite: Record<string, string> = {
      north: "south",
      south: "north",
      east: "west",
      west: "east",
      northeast: "southwest",
      southwest: "northeast",
      northwest: "southeast",
      southeast: "northwest",
      up: "down",
      down: "up",
    };
    const compass: readonly string[] = CompassExits;
    for (const room of world.rooms.values()) {
      for (const [exit, target] of room.exits) {
        const back = opposite[exit];
        if (back === undefined || !compass.includes(exit)) continue;
        expect(world.rooms.get(target)?.exits.get(back), `${room.id} ${exit} -> ${target} has no ${back}`).toBe(room.id);
      }
    }
  });

  it("the square welcomes new players and mentions help", () => {
    const square = world.rooms.get(world.start);
    expect(square?.description).toMatch(/welcome/i);
    expect(square?.description).toContain("help");
  });

  it("descriptions are prose of two to four sentences, trimmed", () => {
    for (const room of world.rooms.values()) {
      const sentences = room.description.split(/(?<=[.!?]["”]?)\s+(?=[A-Z"“])/).length;
      expect(sentences, room.id).toBeGreaterThanOrEqual(2);
      expect(sentences, room.id).toBeLessThanOrEqual(4);
      expect(room.description).toBe(room.description.trim());
    }
  });

  it("is spread over more than one file", () => {
    // Cross-file references (the square's exit to the inn) are part of what is being tested.
    expect(world.rooms.get("square")?.exits.get("east")).toBe("inn");
  });

  it("is frozen where it can be", () => {
    const lantern = world.things.get("lantern");
    expect(Object.isFrozen(lantern)).toBe(true);
    expect(Object.isFrozen(lantern?.keywords)).toBe(true);
    expect(Object.isFrozen(world.rooms.get("square"))).toBe(true);
  });
});

describe("defaultKeywords", () => {
  it("takes the words of the name minus articles", () => {
    expect(defaultKeywords("a brass lantern")).toEqual(["brass", "lantern"]);
    expect(defaultKeywords("An Iron Key")).toEqual(["iron", "key"]);
    expect(defaultKeywords("the heron's feather, grey")).toEqual(["heron's", "feather", "grey"]);
    expect(defaultKeywords("the")).toEqual(["the"]);
  });
});

describe("loadWorld on broken worlds", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "loom-world-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string): string {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  }

  function errorOf(): WorldFileError {
    try {
      loadWorld(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(WorldFileError);
      return error as WorldFileError;
    }
    throw new Error("expected a WorldFileError");
  }

  const minimal = `start: square
rooms:
  square:
    name: Square
    description: A square.
    exits:
      north: market
  market:
    name: Market
    description: A market.
    exits:
      south: square
`;

  it("loads a minimal world and fills in defaults", () => {
    write("a.yaml", minimal + "things:\n  lamp:\n    name: a brass lamp\n    description: Bright.\n    location: square\n");
    const world = loadWorld(dir);
    expect(world.start).toBe("square");
    expect(world.rooms.get("square")?.exits).toEqual(new Map([["north", "market"]]));
    expect(world.things.get("lamp")).toEqual({
      id: "lamp",
      name: "a brass lamp",
      keywords: ["brass", "lamp"],
      description: "Bright.",
      location: "square",
      portable: true,
    });
  });

  it("reads .yml too, in name order, and ignores other files", () => {
    write("b.yml", "rooms:\n  market:\n    name: Market\n    description: A market.\n");
    write("a.yaml", "start: market\n");
    write("notes.txt", "not: [yaml");
    expect(loadWorld(dir).rooms.has("market")).toBe(true);
  });

  it("a bad exit target names the file, key path and line", () => {
    const file = write("town.yaml", minimal.replace("north: market", "north: markt"));
    const error = errorOf();
    expect(error.message).toBe(`${file}: rooms.square.exits.north: no room named "markt" (line 7)`);
    expect(error.issues[0]).toMatchObject({ file, path: ["rooms", "square", "exits", "north"], line: 7 });
  });

  it("names the file relative to the working directory when it is inside it", () => {
    const nested = join(dir, "w");
    mkdirSync(nested);
    writeFileSync(join(nested, "x.yaml"), "start: nowhere\n");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(() => loadWorld(nested)).toThrow(/^w\/x\.yaml: start: no room named "nowhere"/);
    } finally {
      process.chdir(cwd);
    }
  });

  it("a thing in no room", () => {
    const file = write("a.yaml", minimal + "things:\n  lamp:\n    name: a lamp\n    description: Bright.\n    location: attic\n");
    expect(errorOf().message).toBe(`${file}: things.lamp.location: no room named "attic" (line 17)`);
  });

  it("a room defined twice across files", () => {
    write("a.yaml", minimal);
    const second = write("b.yaml", "rooms:\n  market:\n    name: Another market\n    description: Again.\n");
    expect(errorOf().message).toBe(`${second}: rooms.market: room "market" is already defined in ${join(dir, "a.yaml")} (line 2)`);
  });

  it("a thing defined twice, and a thing with a room's id", () => {
    write("a.yaml", minimal + "things:\n  lamp:\n    name: a lamp\n    description: Bright.\n    location: square\n");
    const second = write(
      "b.yaml",
      "things:\n  lamp:\n    name: a lamp\n    description: Dim.\n    location: market\n  market:\n    name: a market\n    description: Odd.\n    location: market\n",
    );
    const lines = errorOf().message.split("\n");
    expect(lines).toEqual([
      `${second}: things.lamp: thing "lamp" is already defined in ${join(dir, "a.yaml")} (line 2)`,
      `${second}: things.market: "market" is already a room's id (in ${join(dir, "a.yaml")}) (line 6)`,
    ]);
  });

  it("no start room", () => {
    write("a.yaml", minimal.replace("start: square\n", ""));
    expect(errorOf().message).toBe(`${dir}: start: no world file sets the start room; exactly one must`);
  });

  it("two start rooms", () => {
    write("a.yaml", minimal);
    const second = write("b.yaml", "start: market\n");
    expect(errorOf().message).toBe(
      `${second}: start: the start room is already set to "square" in ${join(dir, "a.yaml")}; exactly one file may set it (line 1)`,
    );
  });

  it("a start room that does not exist", () => {
    const file = write("a.yaml", minimal.replace("start: square", "start: plaza"));
    expect(errorOf().message).toBe(`${file}: start: no room named "plaza" (line 1)`);
  });

  it("an unknown key, with its full path and line", () => {
    const file = write("a.yaml", minimal.replace("    description: A market.\n", "    description: A market.\n    smell: fish\n"));
    expect(errorOf().message).toBe(`${file}: rooms.market.smell: unknown key (line 11)`);
  });

  it("bad ids, abbreviated exits and missing fields each name their key", () => {
    const file = write(
      "a.yaml",
      "start: square\nrooms:\n  Square:\n    name: S\n    description: S.\n  square:\n    name: S\n    description: S.\n    exits: { n: square }\n  cellar:\n    description: Dark.\n",
    );
    const lines = errorOf().message.split("\n");
    expect(lines).toContain(`${file}: rooms.Square: bad key: ids use lowercase letters, digits, - and _ (and start with a letter or digit) (line 3)`);
    expect(lines).toContain(`${file}: rooms.square.exits.n: bad key: "n" is an abbreviation; write "north" (players may still type "n") (line 9)`);
    expect(lines).toContain(`${file}: rooms.cellar.name: is required (line 10)`);
  });

  it("a YAML syntax error names the file and line", () => {
    const file = write("a.yaml", "start: square\nrooms:\n  square: [\n    name: Square\n");
    expect(errorOf().message).toMatch(new RegExp(`^${escape(file)}: invalid YAML: .+ \\(line \\d+, column \\d+\\)$`));
  });

  it("a duplicate key in one file is a syntax error with a line", () => {
    const file = write("a.yaml", minimal + "rooms:\n  cellar:\n    name: C\n    description: C.\n");
    expect(errorOf().message).toBe(`${file}: invalid YAML: Map keys must be unique (line 13, column 1)`);
  });

  it("refuses an alias bomb (billion laughs) quickly", () => {
    const lines = ["start: square", 'x0: &x0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++) lines.push(`x${i}: &x${i} [${Array(9).fill(`*x${i - 1}`).join(",")}]`);
    const file = write("bomb.yaml", lines.join("\n") + "\n");
    const started = performance.now();
    const message = errorOf().message;
    expect(message).toMatch(new RegExp(`^${escape(file)}: refused: .*alias bomb`));
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("reports problems in every file, not just the first", () => {
    const a = write("a.yaml", "start: square\nwat: 1\n");
    const b = write("b.yaml", "rooms: [1, 2]\n");
    const message = errorOf().message;
    expect(message).toContain(`${a}: wat: unknown key`);
    expect(message).toContain(`${b}: rooms: must be a mapping of room id to room`);
  });

  it("a top-level list is refused", () => {
    write("a.yaml", "- square\n");
    expect(errorOf().message).toBe(`${join(dir, "a.yaml")}: a world file must be a mapping (start, rooms, things) (line 1)`);
  });

  it("an empty or missing directory is refused", () => {
    expect(errorOf().message).toBe(`${dir}: no world files (*.yaml or *.yml) in the directory`);
    expect(() => loadWorld(join(dir, "missing"))).toThrow(/missing: cannot read the world directory: no such directory/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
