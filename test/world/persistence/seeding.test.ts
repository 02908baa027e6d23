/**
 * The seeding rule end to end (docs/world.md, "The store is the live world"): the world files
 * are edited between two runs on the same store. What the files changed follows the files (a
 * room's description, a new room and its exits); what play changed stays (a door opened, an
 * apple put in a basket).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { openSqliteStore } from "../../../src/store/sqlite-store.js";
import { loadWorld } from "../../../src/world/world-file.js";
import { makeTestWorld, TESTSHIRE, type TestWorld } from "../../support/transcript.js";

const worlds: TestWorld[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A world on the file store in `dataDir`, from the world files in `worldDir`. */
function boot(dataDir: string, worldDir: string): TestWorld {
  const w = makeTestWorld({ store: openSqliteStore({ dataDir }), definition: loadWorld(worldDir) });
  worlds.push(w);
  return w;
}

function stop(w: TestWorld): void {
  worlds.splice(worlds.indexOf(w), 1);
  w.close();
}

/** `text` with `from` replaced by `to`; fails if `from` is not there exactly once. */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

it("a restart on edited world files takes the files' changes and keeps the game's", async () => {
  const dataDir = tempDir("loom-seed-data-");
  const worldDir = tempDir("loom-seed-world-");
  const file = path.join(worldDir, "testshire.yaml");
  const original = fs.readFileSync(path.join(TESTSHIRE, "testshire.yaml"), "utf8");
  fs.writeFileSync(file, original);

  const first = boot(dataDir, worldDir);
  const alice = await first.join("Alice");
  first.run(alice, "get red apple");
  first.run(alice, "put red apple in basket");
  first.run(alice, "north");
  first.run(alice, "get key");
  first.run(alice, "south");
  first.run(alice, "unlock iron door");
  first.run(alice, "open iron door");
  stop(first);

  let edited = edit(original, "description: A plain hall with doors.", "description: A plain hall with doors, and a ladder to the attic.");
  edited = edit(edited, "      north: yard\n", "      north: yard\n      up: attic\n");
  edited = edit(
    edited,
    "  yard:\n",
    "  attic:\n    name: The Attic\n    description: Low beams and dust.\n    exits:\n      down: hall\n\n  yard:\n",
  );
  edited = edit(edited, "    description: Crisp.\n", "    description: Crisp and red.\n");
  fs.writeFileSync(file, edited);

  const second = boot(dataDir, worldDir);
  const back = await second.join("Alice", "line", "connect");
  const look = second.run(back, "look").Alice;
  expect(look).toEqual([
    "The Hall",
    "A plain hall with doors, and a ladder to the attic.",
    "Exits: north, east, up, in (closed).",
    "You see an oak chest, a green apple, a stone fountain and a wicker basket here.",
  ]);
  // The door opened in play stays open, on both sides.
  expect(second.world.thing("vault/west")!.exit!.door!.open).toBe(true);
  // The apple put in the basket in play stays there, and reads as the files now describe it.
  expect(second.run(back, "look in basket").Alice).toEqual(["In the wicker basket you see a red apple."]);
  expect(second.world.thing("red-apple")!.description).toBe("Crisp and red.");
  // The new room is there, and the ways to it and back.
  expect(second.run(back, "up").Alice?.slice(0, 3)).toEqual(["The Attic", "Low beams and dust.", "Exits: down."]);
  expect(second.run(back, "down").Alice?.[0]).toBe("The Hall");
  expect(second.run(back, "east").Alice?.[0]).toBe("The Vault");
});
