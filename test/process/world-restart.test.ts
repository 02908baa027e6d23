/**
 * The world's changes survive `kill -9` of the real process (docs/world.md, "Persistence";
 * hardening D1): a door unlocked and opened with its key, and a thing put in a container, are
 * saved before the player is told, so a server killed the moment the answer arrives comes
 * back with the door open and the thing where it was put. Starter world: the iron key lies
 * upstairs in the inn, and opens the sluice door in the west wall of the fulling mill.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { uniqueName } from "../support/names.js";
import { login, play, wrapped } from "./support/line-play.js";
import { processResources } from "./support/process-resources.js";

const { clients, spawn, tempDir } = processResources();

it("a door unlocked and opened, and a shuttle put in the chest, are so after kill -9", async () => {
  const dataDir = tempDir("loom-world-restart");
  const name = uniqueName("sluice");
  const password = "the-door-stays-open";

  const first = spawn({ dataDir });
  const player = await login((await first.ready()).line, "create", name, password, clients);
  await play(player, [
    ["east", "The Drowsy Shuttle"],
    ["up", "A Room Upstairs"],
    ["get key", "You pick up an iron key."],
    ["down", "The Drowsy Shuttle"],
    ["west", "Town Square"],
    ["south", "The South Gate"],
    ["south", "Ford Road"],
    ["south", "The Riverbank"],
    ["west", "The Fulling Mill"],
    ["west", "The low sluice door is closed."],
    ["unlock door", "You unlock the low sluice door with an iron key."],
    ["open door", "You open the low sluice door."],
    ["get shuttle", "You pick up a wooden shuttle."],
    ["east", "The Riverbank"],
    ["north", "Ford Road"],
    ["north", "The South Gate"],
    ["north", "Town Square"],
    ["west", "The Guild Library"],
    ["open chest", "You open the oak chest."],
    ["put shuttle in chest", "You put a wooden shuttle in the oak chest."],
  ]);
  // The acknowledgement is all the player has: pull the plug the moment it arrives.
  first.signal("SIGKILL");
  expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
  expect(first.logs.map((r) => r.msg)).not.toContain("shutting down");
  await player.closed;

  const second = spawn({ dataDir });
  const back = await login((await second.ready()).line, "connect", name, password, clients);
  expect(back.text.slice(back.text.lastIndexOf(`Welcome, ${name}.`))).toContain("The Guild Library");
  await play(back, [
    ["look in chest", "In the oak chest you see two copper coins, a folded letter and a wooden shuttle."],
    ["inventory", "You are carrying: an iron key"],
    ["east", "Town Square"],
    ["south", "The South Gate"],
    ["south", "Ford Road"],
    ["south", "The Riverbank"],
    ["west", "The Fulling Mill"],
  ]);
  const mill = await back.expect("Exits:");
  expect(mill.slice(mill.lastIndexOf("The Fulling Mill"))).toMatch(wrapped("Exits: east, west, out."));
  // Open from both sides: through to the race, and back.
  await play(back, [
    ["look west", "The low sluice door is open. The way west leads to The Old Mill Race."],
    ["west", "The Old Mill Race"],
    ["east", "The Fulling Mill"],
  ]);
  expect(first.stdout + second.stdout).not.toContain(password);
}, 60_000);

/** Two rooms and a cat that walks between them every few seconds: the smallest world with an NPC that moves. */
const CAT_WORLD = `
area: Yardside
start: hall
rooms:
  hall:
    name: The Hall
    description: A plain hall.
    exits: { north: yard }
  yard:
    name: The Yard
    description: A cobbled yard.
    exits: { south: hall }
characters:
  cat:
    name: a grey cat
    pronouns: it
    description: It goes where it likes.
    location: yard
    behaviours:
      wander: { everySeconds: 5, leaves: pad off, arrives: pad in }
`;

it("a wandering NPC's step is saved before it is seen: after kill -9 the cat is where it was seen arriving", async () => {
  const dataDir = tempDir("loom-npc-restart");
  const worldDir = tempDir("loom-npc-world");
  fs.writeFileSync(path.join(worldDir, "yardside.yaml"), CAT_WORLD);
  const config = path.join(worldDir, "..", `${path.basename(worldDir)}.yaml`);
  fs.writeFileSync(config, `worldDir: ${JSON.stringify(worldDir)}\n`);
  try {
    const proc = spawn({ dataDir, env: { LOOM_CONFIG: config } });
    const player = await login((await proc.ready()).line, "create", uniqueName("catwatch"), "watching-the-cat", clients);
    // The cat steps every 2.5 to 7.5 s; from the yard its only way is south, into the hall.
    await player.expect("A grey cat pads in from the north.", 15_000);
    proc.signal("SIGKILL");
    expect(await proc.exited).toEqual({ code: null, signal: "SIGKILL" });

    const db = new Database(path.join(dataDir, "loom.db"), { readonly: true });
    try {
      const location = db.prepare<[], string | null>("SELECT location FROM things WHERE id = 'cat'").pluck().get();
      expect(location).toBe("hall");
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(config, { force: true });
  }
}, 30_000);
