/**
 * The world format's concepts, through `loadWorld`: what records each part of a file becomes
 * (rooms and areas, exits short and long, doors and their twins, containers and lids, copies,
 * characters, behaviours), and every cross-check with its file, key path and line.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  BUILT_IN_BEHAVIOUR_PARAMS,
  greetParams,
  wanderParams,
  type BehaviourSchemas,
} from "../../src/world/behaviours/params.js";
import type { ThingRecord } from "../../src/world/model/thing-record.js";
import { loadWorld, WorldFileError } from "../../src/world/world-file.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "loom-world-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `text` as `name` in the world directory; returns its path. */
function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

/** Loads the directory; the records by id, in order. */
function load(behaviours: BehaviourSchemas = BUILT_IN_BEHAVIOUR_PARAMS): Map<string, ThingRecord> {
  return new Map(loadWorld(dir, behaviours).records.map((record) => [record.id, record]));
}

/** The error lines loading the directory reports, with the directory's path cut to `<dir>`. */
function errors(behaviours: BehaviourSchemas = BUILT_IN_BEHAVIOUR_PARAMS): string[] {
  try {
    loadWorld(dir, behaviours);
  } catch (error) {
    expect(error).toBeInstanceOf(WorldFileError);
    return (error as WorldFileError).message.split("\n").map((line) => line.replaceAll(dir, "<dir>"));
  }
  throw new Error("expected a WorldFileError");
}

// Two rooms; `cellar` lies below `hall`. Tests append to it (line numbers below count from 1).
const rooms = `start: hall
rooms:
  hall:
    name: The Hall
    description: A hall.
    exits:
      north: yard
  yard:
    name: The Yard
    description: A yard.
    exits:
      south: hall
`;

describe("rooms and areas", () => {
  it("a room record has no location, keywords from its name and the file's name as area", () => {
    write("manor.yaml", rooms);
    expect(load().get("hall")).toEqual({
      id: "hall",
      location: null,
      name: "The Hall",
      keywords: ["hall"],
      description: "A hall.",
      facets: { room: { area: "Manor" } },
    });
  });

  it("a file's area applies to its rooms, and a room's own area wins", () => {
    write("manor.yaml", "area: Greystone Manor\n" + rooms.replace("    name: The Yard\n", "    name: The Yard\n    area: Outside\n"));
    const records = load();
    expect(records.get("hall")?.facets.room).toEqual({ area: "Greystone Manor" });
    expect(records.get("yard")?.facets.room).toEqual({ area: "Outside" });
  });

  it("orders rooms, then exits, then things and characters, file by file", () => {
    write("a.yaml", rooms + "things:\n  cup:\n    name: a cup\n    description: A cup.\n    location: hall\ncharacters:\n  bo:\n    name: Bo\n    description: Bo.\n    location: hall\n");
    write("b.yaml", "rooms:\n  loft:\n    name: Loft\n    description: A loft.\n    exits: { down: hall }\nthings:\n  hat:\n    name: a hat\n    description: A hat.\n    location: loft\n");
    expect([...load().keys()]).toEqual(["hall", "yard", "loft", "hall/north", "yard/south", "loft/down", "cup", "bo", "hat"]);
  });
});

describe("exits", () => {
  it("a short-form exit becomes an exit record in its room, answering to its abbreviation", () => {
    write("a.yaml", rooms);
    expect(load().get("hall/north")).toEqual({
      id: "hall/north",
      location: "hall",
      name: "north",
      keywords: ["north", "n"],
      description: "",
      facets: { exit: { direction: "north", to: "yard" } },
    });
  });

  it("a long-form exit carries its description", () => {
    write("a.yaml", rooms.replace("      north: yard\n", "      north:\n        to: yard\n        description: A muddy path.\n      gate: yard\n"));
    const records = load();
    expect(records.get("hall/north")).toMatchObject({ description: "A muddy path.", facets: { exit: { direction: "north", to: "yard" } } });
    expect(records.get("hall/gate")?.keywords).toEqual(["gate"]);
  });

  it("mistakes in either form are reported at their own key", () => {
    const file = "a.yaml";
    write(file, rooms.replace("      north: yard\n", "      north: 5\n      up: Yard\n      down: { description: Steps. }\n      in: { to: yard, wat: 1 }\n      out: { to: nowhere }\n"));
    expect(errors()).toEqual([
      `<dir>/${file}: rooms.hall.exits.north: must be a room id or a mapping (to, description, door) (line 7)`,
      `<dir>/${file}: rooms.hall.exits.up: ids use lowercase letters, digits, - and _ (and start with a letter or digit) (line 8)`,
      `<dir>/${file}: rooms.hall.exits.down.to: is required (line 9)`,
      `<dir>/${file}: rooms.hall.exits.in.wat: unknown key (line 10)`,
    ]);
    write(file, rooms.replace("      north: yard\n", "      north: { to: nowhere }\n"));
    expect(errors()).toEqual([`<dir>/${file}: rooms.hall.exits.north.to: no room named "nowhere" (line 7)`]);
  });
});

describe("doors", () => {
  const withDoor = (door: string, hallExits = "      north:\n        to: yard\n        door: " + door + "\n"): string =>
    rooms.replace("      north: yard\n", hallExits) + "things:\n  key:\n    name: a key\n    description: A key.\n    location: yard\n";

  it("a door gets its defaults and is shared with the way back, each side naming the other", () => {
    write("a.yaml", withDoor("{}"));
    const records = load();
    const door = { name: "a door", keywords: ["door"], open: false, locked: false };
    expect(records.get("hall/north")?.facets.exit).toEqual({ direction: "north", to: "yard", door, twin: "yard/south" });
    expect(records.get("yard/south")?.facets.exit).toEqual({ direction: "south", to: "hall", door, twin: "hall/north" });
    expect(records.get("yard/south")?.facets.exit?.door).toBe(records.get("hall/north")?.facets.exit?.door);
    expect(records.get("yard/south")?.keywords).toEqual(["south", "s", "door"]);
  });

  it("a named, locked door: keywords from its name plus door, and its key", () => {
    write("a.yaml", withDoor("{ name: a sluice gate, locked: true, key: key }"));
    expect(load().get("hall/north")?.facets.exit?.door).toEqual({ name: "a sluice gate", keywords: ["sluice", "gate", "door"], open: false, locked: true, key: "key" });
    write("a.yaml", withDoor("{ name: a heavy oak door, keywords: [Oak, oak, slab], closed: false, key: key }"));
    expect(load().get("hall/north")?.facets.exit?.door).toEqual({ name: "a heavy oak door", keywords: ["oak", "slab"], open: true, locked: false, key: "key" });
  });

  it("with several ways back, the twin is the one in the opposite direction", () => {
    const yardExits = "      south: hall\n      in: hall\n";
    write("a.yaml", withDoor("{}", "      north: yard\n      out:\n        to: yard\n        door: {}\n").replace("      south: hall\n", yardExits));
    const records = load();
    expect(records.get("hall/out")?.facets.exit?.twin).toBe("yard/in");
    expect(records.get("yard/in")?.facets.exit?.twin).toBe("hall/out");
    expect(records.get("yard/south")?.facets.exit?.door).toBeUndefined();
  });

  it("is one-sided when there is no way back, or several and none opposite", () => {
    write("a.yaml", withDoor("{}").replace("      south: hall\n", "      east: hall\n      west: hall\n"));
    const records = load();
    expect(records.get("hall/north")?.facets.exit).toEqual({ direction: "north", to: "yard", door: { name: "a door", keywords: ["door"], open: false, locked: false } });
    expect(records.get("yard/east")?.facets.exit?.door).toBeUndefined();
    write("a.yaml", withDoor("{}").replace("    exits:\n      south: hall\n", ""));
    expect(load().get("hall/north")?.facets.exit?.twin).toBeUndefined();
  });

  it("a door declared on both sides is an error at the second", () => {
    write("a.yaml", withDoor("{}").replace("      south: hall\n", "      south: { to: hall, door: {} }\n"));
    expect(errors()).toEqual([
      `<dir>/a.yaml: rooms.yard.exits.south.door: the way back (hall/north) has a door too; declare the door once, on one side; the way back shares it (line 14)`,
    ]);
  });

  it("two doors whose way back is one exit is an error", () => {
    write("a.yaml", withDoor("{}", "      north: { to: yard, door: {} }\n      up: { to: yard, door: {} }\n"));
    expect(errors()).toEqual([
      `<dir>/a.yaml: rooms.hall.exits.up.door: the way back (yard/south) already shares the door of hall/north; one doorway cannot have two doors (line 8)`,
    ]);
  });

  it("a locked door must be closed and have a key that is a thing", () => {
    write("a.yaml", withDoor("{ locked: true, closed: false }"));
    expect(errors()).toEqual([
      `<dir>/a.yaml: rooms.hall.exits.north.door.locked: a locked door must be closed: leave out "closed: false" (line 9)`,
      `<dir>/a.yaml: rooms.hall.exits.north.door.locked: a locked door needs a key: add "key: <thing id>" (line 9)`,
    ]);
    write("a.yaml", withDoor("{ locked: true, key: yard }"));
    expect(errors()).toEqual([`<dir>/a.yaml: rooms.hall.exits.north.door.key: no thing named "yard" (line 9)`]);
  });
});

describe("things", () => {
  const thing = (fields: string): string => rooms + "things:\n  box:\n    name: a box\n    description: A box.\n    location: hall\n" + fields;

  it("fills in defaults: portable, keywords, no container, no behaviours", () => {
    write("a.yaml", thing(""));
    expect(load().get("box")).toEqual({ id: "box", location: "hall", name: "a box", keywords: ["box"], description: "A box.", facets: { portable: true } });
  });

  it("a fixture is not portable; a plural is kept", () => {
    write("a.yaml", thing("    portable: false\n    plural: boxen\n"));
    expect(load().get("box")).toMatchObject({ plural: "boxen", facets: {} });
  });

  it("containers: true or {} is always open; a lid when closable, closed, locked or keyed", () => {
    const facet = (container: string): unknown => {
      write("a.yaml", thing(`    container: ${container}\n`) + "  key:\n    name: a key\n    description: A key.\n    location: hall\n");
      return load().get("box")?.facets.container;
    };
    expect(facet("true")).toEqual({});
    expect(facet("{}")).toEqual({});
    expect(facet("false")).toBeUndefined();
    expect(facet("{ closable: true }")).toEqual({ closure: { open: true, locked: false } });
    expect(facet("{ closable: true, closed: true }")).toEqual({ closure: { open: false, locked: false } });
    expect(facet("{ locked: true, key: key }")).toEqual({ closure: { open: false, locked: true, key: "key" } });
    expect(facet("{ key: key }")).toEqual({ closure: { open: true, locked: false, key: "key" } });
  });

  it("container mistakes name their key", () => {
    write("a.yaml", thing("    container: { closable: false, closed: true }\n"));
    expect(errors()).toEqual([`<dir>/a.yaml: things.box.container.closable: a container that is not closable has no lid to close, lock or key (line 18)`]);
    write("a.yaml", thing("    container: { locked: true, closed: false }\n"));
    expect(errors()).toEqual([
      `<dir>/a.yaml: things.box.container.locked: a locked container must be closed: leave out "closed: false" (line 18)`,
      `<dir>/a.yaml: things.box.container.locked: a locked container needs a key: add "key: <thing id>" (line 18)`,
    ]);
    write("a.yaml", thing("    container: open\n"));
    expect(errors()).toEqual([`<dir>/a.yaml: things.box.container: must be true, false or a mapping (closable, closed, locked, key) (line 18)`]);
    write("a.yaml", thing("    container: { key: hall }\n"));
    expect(errors()).toEqual([`<dir>/a.yaml: things.box.container.key: no thing named "hall" (line 18)`]);
  });

  it("count makes copies right after the original, each naming it as template", () => {
    write("a.yaml", thing("    count: 3\n") + "  cup:\n    name: a cup\n    description: A cup.\n    location: hall\n");
    const records = load();
    expect([...records.keys()].slice(-4)).toEqual(["box", "box#2", "box#3", "cup"]);
    expect(records.get("box")?.template).toBeUndefined();
    expect(records.get("box#3")).toEqual({ ...records.get("box"), id: "box#3", template: "box" });
  });

  it("count is a whole number from 1 to 50", () => {
    for (const [count, message] of [
      ["0", "must be at least 1"],
      ["51", "must be at most 50"],
      ["1.5", "must be a whole number"],
    ]) {
      write("a.yaml", thing(`    count: ${count}\n`));
      expect(errors()).toEqual([`<dir>/a.yaml: things.box.count: ${message} (line 18)`]);
    }
  });

  it("a thing may be in a container or carried by a character, but not in a thing that is no container", () => {
    write(
      "a.yaml",
      thing("    container: true\n") +
        "  cup:\n    name: a cup\n    description: A cup.\n    location: box\n" +
        "  hat:\n    name: a hat\n    description: A hat.\n    location: bo\n" +
        "characters:\n  bo:\n    name: Bo\n    description: Bo.\n    location: hall\n",
    );
    const records = load();
    expect(records.get("cup")?.location).toBe("box");
    expect(records.get("hat")?.location).toBe("bo");
    write("a.yaml", thing("") + "  cup:\n    name: a cup\n    description: A cup.\n    location: box\n");
    expect(errors()).toEqual([`<dir>/a.yaml: things.cup.location: "box" is not a container (give it "container: true") (line 21)`]);
  });

  it("no thing may be inside itself, directly or round a chain", () => {
    write("a.yaml", thing("    container: true\n").replace("location: hall", "location: box"));
    expect(errors()).toEqual([`<dir>/a.yaml: things.box.location: a thing cannot be inside itself: box in box (line 17)`]);
    write(
      "a.yaml",
      thing("    container: true\n").replace("location: hall", "location: crate") +
        "  crate:\n    name: a crate\n    description: A crate.\n    location: box\n    container: true\n" +
        "  cup:\n    name: a cup\n    description: A cup.\n    location: crate\n",
    );
    expect(errors()).toEqual([`<dir>/a.yaml: things.box.location: a thing cannot be inside itself: box in crate in box (line 17)`]);
  });
});

describe("characters", () => {
  const character = (fields: string): string => rooms + "characters:\n  bo:\n    name: Bo\n    description: Bo the tall.\n" + fields;

  it("fills in defaults: pronouns they, keywords from the name; never portable", () => {
    write("a.yaml", character("    location: hall\n"));
    expect(load().get("bo")).toEqual({
      id: "bo",
      location: "hall",
      name: "Bo",
      keywords: ["bo"],
      description: "Bo the tall.",
      facets: { character: { pronouns: "they" } },
    });
  });

  it("pronouns and keywords as given; bad pronouns name their key", () => {
    write("a.yaml", character("    location: hall\n    pronouns: she\n    keywords: [bo, tall]\n"));
    expect(load().get("bo")).toMatchObject({ keywords: ["bo", "tall"], facets: { character: { pronouns: "she" } } });
    write("a.yaml", character("    location: hall\n    pronouns: xe\n"));
    expect(errors()).toEqual([`<dir>/a.yaml: characters.bo.pronouns: must be one of he, she, they, it (line 18)`]);
  });

  it("starts in a room, not in a thing or nowhere", () => {
    write("a.yaml", character("    location: cellar\n"));
    expect(errors()).toEqual([`<dir>/a.yaml: characters.bo.location: no room named "cellar" (line 17)`]);
    write("a.yaml", character("    location: hall\n") + "  al:\n    name: Al\n    description: Al.\n    location: bo\n");
    expect(errors()).toEqual([`<dir>/a.yaml: characters.al.location: "bo" is a character, not a room; characters start in rooms (line 21)`]);
  });
});

describe("behaviours", () => {
  const withBehaviours = (behaviours: string): string =>
    rooms + "characters:\n  bo:\n    name: Bo\n    description: Bo.\n    location: hall\n    behaviours:\n" + behaviours;

  it("attaches behaviours in order, with their parameters parsed and defaults applied", () => {
    write("a.yaml", withBehaviours('      greet: { say: "Hello, {name}." }\n      wander: { everySeconds: 60 }\n'));
    expect(load().get("bo")?.facets.behaviours).toEqual([
      { name: "greet", params: greetParams.parse({ say: "Hello, {name}." }) },
      { name: "wander", params: wanderParams.parse({ everySeconds: 60 }) },
    ]);
    expect(greetParams.parse({ say: "Hi." })).toHaveProperty("delaySeconds", 1);
  });

  it("an empty mapping attaches none", () => {
    write("a.yaml", withBehaviours("      {}\n"));
    expect(load().get("bo")?.facets.behaviours).toBeUndefined();
  });

  it("an unknown behaviour lists the known ones", () => {
    write("a.yaml", withBehaviours("      dance: { steps: 3 }\n"));
    expect(errors()).toEqual([`<dir>/a.yaml: characters.bo.behaviours.dance: unknown behaviour "dance"; known: greet, respawn, wander (line 19)`]);
  });

  it("bad parameters are reported at behaviours.<name>.<param> with their line", () => {
    write(
      "a.yaml",
      rooms +
        "things:\n  pie:\n    name: a pie\n    description: A pie.\n    location: hall\n    behaviours:\n      respawn:\n        afterSeconds: 0\n        colour: red\n" +
        "characters:\n  bo:\n    name: Bo\n    description: Bo.\n    location: hall\n    behaviours:\n      greet:\n",
    );
    expect(errors()).toEqual([
      `<dir>/a.yaml: things.pie.behaviours.respawn.afterSeconds: Too small: expected number to be >=1 (line 20)`,
      `<dir>/a.yaml: things.pie.behaviours.respawn.colour: unknown key (line 21)`,
      `<dir>/a.yaml: characters.bo.behaviours.greet.say: is required (line 28)`,
    ]);
  });

  it("checks against the behaviours the world is given", () => {
    write("a.yaml", withBehaviours("      glow: { lumens: 40 }\n"));
    const glow: BehaviourSchemas = new Map([["glow", z.strictObject({ lumens: z.number() })]]);
    expect(load(glow).get("bo")?.facets.behaviours).toEqual([{ name: "glow", params: { lumens: 40 } }]);
    expect(errors(new Map())).toEqual([`<dir>/a.yaml: characters.bo.behaviours.glow: unknown behaviour "glow"; known: (none) (line 19)`]);
  });
});
