/**
 * What builders build survives a restart and `kill -9` (issue 7, "Building"): a builder digs,
 * links, puts a door on, makes and describes things, sets a behaviour, renames, destroys and
 * unlinks on a file store; the store is closed (by an orderly stop, or as `kill -9` leaves it)
 * and a new world opens on the same directory, as a restarted server does, and everything is as
 * it was built — and what was destroyed stays destroyed, though the world files define it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/reactor/clock.js";
import { openSqliteStore } from "../../../src/store/sqlite-store.js";
import { makeTestWorld, type TestWorld } from "../../support/transcript.js";
import { joinAs } from "./builders.js";

const worlds: TestWorld[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-build-"));
  dirs.push(dir);
  return dir;
}

/** A world on the file store in `dataDir`. */
function boot(dataDir: string): TestWorld {
  const w = makeTestWorld({ store: openSqliteStore({ dataDir }), clock: new FakeClock() });
  worlds.push(w);
  return w;
}

/** Ends a world: an orderly stop, or only its store closed, as `kill -9` leaves it. */
function end(w: TestWorld, how: "stop" | "kill"): void {
  worlds.splice(worlds.indexOf(w), 1);
  if (how === "stop") w.close();
  else w.store.close();
}

/** A builder's session on a fresh world in `dataDir`; every command must be answered as building. */
async function build(dataDir: string): Promise<TestWorld> {
  const w = boot(dataDir);
  const alice = await joinAs(w, "Alice");
  const commands: [string, RegExp][] = [
    ["dig down The Cellar", /^You dig The Cellar \(cellar\)/],
    ["link archway garden", /^Archway now leads to The Garden/],
    ["set north door a wooden gate", /door is now a wooden gate\.$/],
    ["open gate", /^You open the wooden gate\.$/],
    ["set marta behaviour wander everySeconds=30", /behaviour wander is now/],
    ["make a blue vase", /^You make a blue vase \(blue-vase\)\.$/],
    ["describe vase Painted with herons.", /^You describe the blue vase/],
    ["set vase container closable", /container is now closable\.$/],
    ["down", /^The Cellar$/],
    ["drop vase", /^You drop a blue vase\.$/],
    ["describe here Cool, and smelling of apples.", /^You describe The Cellar/],
    ["up", /^The Hall$/],
    ["make a brass bell", /^You make a brass bell/],
    ["set bell keywords bell ringer", /keywords are now bell, ringer\.$/],
    ["rename here The Great Hall", /^You rename The Hall \(hall\) to The Great Hall\.$/],
    ["destroy fountain", /^You destroy the stone fountain\.$/],
    ["unlink in", /^You unlink the way in \(hall\/in\)/],
  ];
  for (const [command, answer] of commands) expect(w.run(alice, command).Alice?.[0], command).toMatch(answer);
  return w;
}

/** Checks, after the restart, everything `build` built. */
async function checkBuilt(w: TestWorld): Promise<void> {
  const bob = await w.join("Bob");
  expect(w.run(bob, "look").Bob).toEqual([
    "The Great Hall",
    "A plain hall with doors.",
    "Exits: north, east (closed), down, archway.",
    "You see an oak chest, a red apple, a green apple and a wicker basket here.",
  ]);
  // The dug room, its way back, and the thing made, described and dropped there.
  expect(w.run(bob, "down").Bob).toEqual(["The Cellar", "Cool, and smelling of apples.", "Exits: up.", "You see a blue vase here."]);
  expect(w.run(bob, "look vase").Bob).toEqual(["A blue vase", "Painted with herons.", "It is open.", "It is empty."]);
  expect(w.run(bob, "close vase").Bob).toEqual(["You close the blue vase."]);
  expect(w.run(bob, "up").Bob?.[0]).toBe("The Great Hall");
  // The door put on north is one door, open, on both sides.
  expect(w.world.thing("hall/north")?.exit?.door).toBe(w.world.thing("yard/south")?.exit?.door);
  expect(w.world.thing("yard/south")?.exit?.door).toMatchObject({ name: "a wooden gate", open: true });
  // The link.
  expect(w.run(bob, "archway").Bob?.[0]).toBe("The Garden");
  // Unlinked and destroyed stay so, though the world files define them; the cupboard's way out lost its door.
  expect(w.world.thing("fountain")).toBeUndefined();
  expect(w.world.thing("hall/in")).toBeUndefined();
  expect(w.world.thing("cupboard/out")?.exit).toEqual({ direction: "out", to: "hall" });
  // The builder's bell is in her hands, with its keywords.
  const alice = await w.join("Alice", "line", "connect");
  expect(w.run(alice, "inventory").Alice).toEqual(["You are carrying:", "  a brass bell"]);
  expect(w.world.thing("brass-bell")?.keywords).toEqual(["bell", "ringer"]);
  // The behaviour set on Marta runs again: a step after half of everySeconds (random() = 0), south through the gate.
  expect(w.world.thing("marta")?.behaviours.map((b) => b.name)).toEqual(["greet", "wander"]);
  w.advance(15_000);
  expect(w.world.thing("marta")?.location?.id).toBe("hall");
}

describe("what builders build, across a restart", () => {
  for (const how of ["stop", "kill"] as const) {
    it(`survives ${how === "stop" ? "an orderly stop" : "kill -9"}`, async () => {
      const dataDir = tempDir();
      end(await build(dataDir), how);
      await checkBuilt(boot(dataDir));
    });
  }

  it("a second boot still does not bring back what was destroyed, and new ids do not reuse a tombstone's", async () => {
    const dataDir = tempDir();
    end(await build(dataDir), "stop");
    end(boot(dataDir), "stop");
    const third = boot(dataDir);
    expect(third.world.thing("fountain")).toBeUndefined();
    const alice = await third.join("Alice", "line", "connect");
    expect(third.run(alice, "make a fountain").Alice).toEqual(["You make a fountain (fountain-2)."]);
    expect(third.run(alice, "link in cupboard").Alice).toEqual(["In now leads to A Cupboard (cupboard)."]);
    expect(third.world.thing("hall/in-2")?.exit?.to).toBe("cupboard");
  });
});
