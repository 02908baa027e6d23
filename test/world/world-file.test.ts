import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findProjectRoot } from "../../src/config/project-root.js";
import type { ThingRecord } from "../../src/world/model/thing-record.js";
import { loadWorld, WorldFileError } from "../../src/world/world-file.js";
import { defaultKeywords, OppositeExits, type WorldDefinition } from "../../src/world/world-schema.js";

const shippedWorldDir = join(findProjectRoot(), "config", "world");

function byId(world: WorldDefinition): Map<string, ThingRecord> {
  return new Map(world.records.map((record) => [record.id, record]));
}

function roomsOf(world: WorldDefinition): ThingRecord[] {
  return world.records.filter((record) => record.facets.room !== undefined);
}

function exitsOf(world: WorldDefinition, room: string): ThingRecord[] {
  return world.records.filter((record) => record.location === room && record.facets.exit !== undefined);
}

/** Every room reachable from `from` by following exits (doors ignored), within `area` if given. */
function reachable(world: WorldDefinition, from: string, area?: string): Set<string> {
  const records = byId(world);
  const seen = new Set([from]);
  const queue = [from];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const exit of exitsOf(world, id)) {
      const target = exit.facets.exit?.to ?? "";
      if (area !== undefined && records.get(target)?.facets.room?.area !== area) continue;
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}

/** The room a thing is in, following containers and carriers. */
function roomOf(records: ReadonlyMap<string, ThingRecord>, id: string): string | undefined {
  let at = records.get(id);
  while (at !== undefined && at.facets.room === undefined) at = at.location === null ? undefined : records.get(at.location);
  return at?.id;
}

describe("the shipped starter world", () => {
  const world = loadWorld(shippedWorldDir);
  const records = byId(world);
  const rooms = roomsOf(world);

  it("loads, with a start room and fifteen or more rooms", () => {
    expect(records.get(world.start)?.facets.room).toBeDefined();
    expect(rooms.length).toBeGreaterThanOrEqual(15);
  });

  it("keeps every room, name and exit the town had before", () => {
    const expected: Record<string, [name: string, exits: Record<string, string>]> = {
      square: ["Town Square", { north: "market", east: "inn", in: "inn", west: "library", south: "gate" }],
      market: ["Market Row", { south: "square", west: "garden" }],
      garden: ["The Weavers' Garden", { east: "market", south: "library" }],
      library: ["The Guild Library", { east: "square", out: "square", north: "garden" }],
      inn: ["The Drowsy Shuttle", { west: "square", out: "square", up: "upstairs" }],
      upstairs: ["A Room Upstairs", { down: "inn" }],
      gate: ["The South Gate", { north: "square", south: "road" }],
      road: ["Ford Road", { north: "gate", south: "riverbank" }],
      riverbank: ["The Riverbank", { north: "road", west: "mill", east: "bridge" }],
      mill: ["The Fulling Mill", { east: "riverbank", out: "riverbank" }],
      bridge: ["The Old Bridge", { west: "riverbank", east: "far-bank" }],
      "far-bank": ["The Far Bank", { west: "bridge" }],
    };
    expect(world.start).toBe("square");
    for (const [id, [name, exits]] of Object.entries(expected)) {
      expect(records.get(id)?.name, id).toBe(name);
      for (const [direction, to] of Object.entries(exits)) expect(records.get(`${id}/${direction}`)?.facets.exit?.to, `${id}/${direction}`).toBe(to);
    }
  });

  it("keeps every thing the town had before, where it was", () => {
    const expected: [id: string, name: string, location: string][] = [
      ["fountain", "a stone fountain", "square"],
      ["apple", "a red apple", "market"],
      ["trowel", "a gardener's trowel", "garden"],
      ["book", "a book of river songs", "library"],
      ["hearth", "a wide stone hearth", "inn"],
      ["lantern", "a brass lantern", "inn"],
      ["mug", "a pewter mug", "inn"],
      ["key", "an iron key", "upstairs"],
      ["noticeboard", "a notice board", "gate"],
      ["waterwheel", "the great waterwheel", "mill"],
      ["shuttle", "a wooden shuttle", "mill"],
      ["stone", "a smooth river stone", "riverbank"],
      ["feather", "a heron's feather", "far-bank"],
    ];
    for (const [id, name, location] of expected) expect(records.get(id), id).toMatchObject({ name, location });
  });

  it("puts the town, the river and the meadows in their areas", () => {
    const areaOf = (id: string): string | undefined => records.get(id)?.facets.room?.area;
    for (const id of ["square", "market", "garden", "library", "inn", "upstairs", "gate"]) expect(areaOf(id), id).toBe("Shuttleford");
    for (const id of ["riverbank", "mill", "bridge"]) expect(areaOf(id), id).toBe("The River");
    expect(new Set(rooms.map((room) => room.facets.room?.area)).size).toBeGreaterThanOrEqual(3);
  });

  it("every room is reachable from the start, and can get back to it", () => {
    const seen = reachable(world, world.start);
    expect(rooms.map((room) => room.id).filter((id) => !seen.has(id))).toEqual([]);
    for (const room of rooms) expect(reachable(world, room.id).has(world.start), room.id).toBe(true);
  });

  it("compass exits have their opposite on the other side", () => {
    for (const exit of world.records) {
      const facet = exit.facets.exit;
      if (facet === undefined || !Object.hasOwn(OppositeExits, facet.direction)) continue;
      if (facet.direction === "in" || facet.direction === "out") continue; // "in" may pair with "west"
      const back = OppositeExits[facet.direction as keyof typeof OppositeExits];
      expect(records.get(`${facet.to}/${back}`)?.facets.exit?.to, `${exit.id} has no way back ${back}`).toBe(exit.location);
    }
  });

  it("has a locked door whose key lies elsewhere, shared by both sides", () => {
    const locked = world.records.filter((record) => record.facets.exit?.door?.locked === true);
    expect(locked.length).toBeGreaterThanOrEqual(1);
    for (const exit of locked) {
      const { door, to, twin } = exit.facets.exit ?? { to: "" };
      const key = door?.key ?? "";
      expect(records.get(key)?.facets.portable, `${exit.id}'s key`).toBe(true);
      const keyRoom = roomOf(records, key);
      expect([exit.location, to]).not.toContain(keyRoom);
      expect(records.get(twin ?? "")?.facets.exit?.door).toBe(door);
    }
    expect(records.get("mill/west")?.facets.exit?.door).toMatchObject({ locked: true, key: "key" });
  });

  it("has a closed container with things in it", () => {
    const full = world.records.filter(
      (record) => record.facets.container !== undefined && world.records.some((inside) => inside.location === record.id),
    );
    expect(full.length).toBeGreaterThanOrEqual(1);
    expect(records.get("chest")?.facets.container?.closure).toEqual({ open: false, locked: false });
    const inChest = world.records.filter((record) => record.location === "chest");
    expect(inChest.map((record) => record.id)).toEqual(["coin", "coin#2", "letter"]);
    expect(inChest[1]).toMatchObject({ template: "coin", plural: "copper coins" });
  });

  it("has a greeter, a wanderer that has somewhere to wander, and a respawning thing", () => {
    const withBehaviour = (name: string): ThingRecord[] =>
      world.records.filter((record) => record.facets.behaviours?.some((behaviour) => behaviour.name === name));
    const [greeter] = withBehaviour("greet");
    expect(greeter).toMatchObject({ id: "marta", name: "Marta", location: "inn", facets: { character: { pronouns: "she" } } });
    expect(greeter?.facets.behaviours?.[0]?.params).toMatchObject({
      say: "Welcome to the Drowsy Shuttle, {name}! Sit by the fire and warm yourself.",
    });
    const [wanderer] = withBehaviour("wander");
    expect(wanderer).toMatchObject({ id: "cat", location: "market", facets: { character: { pronouns: "it" } } });
    expect(wanderer?.facets.behaviours?.[0]?.params).toMatchObject({ everySeconds: 90, area: "Shuttleford" });
    expect(reachable(world, "square", "Shuttleford").size).toBeGreaterThanOrEqual(5);
    const [respawning] = withBehaviour("respawn");
    expect(respawning).toMatchObject({ id: "apple", location: "market" });
  });

  it("the square welcomes new players and mentions help", () => {
    const square = records.get(world.start);
    expect(square?.description).toMatch(/welcome/i);
    expect(square?.description).toContain("help");
  });

  it("room descriptions are prose of two to four sentences, trimmed", () => {
    for (const room of rooms) {
      const sentences = room.description.split(/(?<=[.!?]["”]?)\s+(?=[A-Z"“])/).length;
      expect(sentences, room.id).toBeGreaterThanOrEqual(2);
      expect(sentences, room.id).toBeLessThanOrEqual(4);
      expect(room.description).toBe(room.description.trim());
    }
  });

  it("is spread over more than one file", () => {
    // Cross-file references (the square's exit to the inn) are part of what is being tested.
    expect(records.get("square/east")?.facets.exit?.to).toBe("inn");
  });

  it("is frozen all the way down", () => {
    expect(Object.isFrozen(world.records)).toBe(true);
    const lantern = records.get("lantern");
    expect(Object.isFrozen(lantern)).toBe(true);
    expect(Object.isFrozen(lantern?.keywords)).toBe(true);
    expect(Object.isFrozen(records.get("mill/west")?.facets.exit?.door)).toBe(true);
    expect(Object.isFrozen(records.get("apple")?.facets.behaviours?.[0]?.params)).toBe(true);
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

describe("loadWorld: files and errors", () => {
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

  it("reads .yml too, in name order, and ignores other files", () => {
    write("b.yml", "rooms:\n  market:\n    name: Market\n    description: A market.\n");
    write("a.yaml", "start: market\n");
    write("notes.txt", "not: [yaml");
    write("empty.yaml", "");
    expect(loadWorld(dir).records.map((record) => record.id)).toEqual(["market"]);
  });

  it("a bad exit target names the file, key path and line", () => {
    const file = write("town.yaml", minimal.replace("north: market", "north: markt"));
    const error = errorOf();
    expect(error.code).toBe("world-invalid");
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
    expect(errorOf().message).toBe(`${file}: things.lamp.location: no room, container or character named "attic" (line 17)`);
  });

  it("a room defined twice across files", () => {
    write("a.yaml", minimal);
    const second = write("b.yaml", "rooms:\n  market:\n    name: Another market\n    description: Again.\n");
    expect(errorOf().message).toBe(`${second}: rooms.market: room "market" is already defined in ${join(dir, "a.yaml")} (line 2)`);
  });

  it("a thing defined twice, a thing with a room's id and a character with a thing's id", () => {
    write("a.yaml", minimal + "things:\n  lamp:\n    name: a lamp\n    description: Bright.\n    location: square\n");
    const second = write(
      "b.yaml",
      "things:\n  lamp:\n    name: a lamp\n    description: Dim.\n    location: market\n  market:\n    name: a market\n    description: Odd.\n    location: market\n" +
        "characters:\n  lamp:\n    name: Lamp\n    description: A person.\n    location: square\n",
    );
    expect(errorOf().message.split("\n")).toEqual([
      `${second}: things.lamp: thing "lamp" is already defined in ${join(dir, "a.yaml")} (line 2)`,
      `${second}: things.market: "market" is already a room's id (in ${join(dir, "a.yaml")}) (line 6)`,
      `${second}: characters.lamp: "lamp" is already a thing's id (in ${join(dir, "a.yaml")}) (line 11)`,
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

  it("a start room that does not exist, or is not a room", () => {
    const file = write("a.yaml", minimal.replace("start: square", "start: lamp") + "things:\n  lamp:\n    name: a lamp\n    description: Bright.\n    location: square\n");
    expect(errorOf().message).toBe(`${file}: start: no room named "lamp" (line 1)`);
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
    const c = write("c.yaml", "characters: 7\n");
    const message = errorOf().message;
    expect(message).toContain(`${a}: wat: unknown key`);
    expect(message).toContain(`${b}: rooms: must be a mapping of room id to room`);
    expect(message).toContain(`${c}: characters: must be a mapping of character id to character`);
  });

  it("a top-level list is refused", () => {
    write("a.yaml", "- square\n");
    expect(errorOf().message).toBe(`${join(dir, "a.yaml")}: a world file must be a mapping (area, start, rooms, things, characters) (line 1)`);
  });

  it("an empty or missing directory is refused", () => {
    expect(errorOf().message).toBe(`${dir}: no world files (*.yaml or *.yml) in the directory`);
    expect(() => loadWorld(join(dir, "missing"))).toThrow(/missing: cannot read the world directory: no such directory/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
