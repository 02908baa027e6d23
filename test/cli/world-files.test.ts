/**
 * `loom world export <dir>` and `loom world import <dir>` (src/cli/export-world-files.ts,
 * import-world-files.ts), run as the built command on real data directories: the world the
 * real server seeded and a player changed, exported, imported into a fresh data directory,
 * and exported again gives the same files; and that data directory boots.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { projectRoot } from "../process/support/loom-process.js";
import { processResources } from "../process/support/process-resources.js";
import { runLoom } from "./support/run-loom.js";

const { clients, spawn, tempDir } = processResources();

/** Every file in `dir`, name -> text. */
function filesIn(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((name) => [name, fs.readFileSync(path.join(dir, name), "utf8")]));
}

/** A data directory with the starter world in it, imported by the command itself. */
async function starterData(): Promise<string> {
  const dataDir = tempDir("loom-cli-data");
  const run = await runLoom(["world", "import", "config/world"], { dataDir });
  expect(run.status, run.stderr).toBe(0);
  return dataDir;
}

it("the world a server played in: export, import into a fresh data directory, export again, the same files; and it boots", async () => {
  // The real server seeds the starter world; a player opens the chest and takes the letter.
  const played = tempDir("loom-cli-played");
  const server = spawn({ dataDir: played });
  const name = uniqueName("reader");
  const client = await LineClient.connect((await server.ready()).line);
  clients.push(client);
  await client.expect("Your name:");
  client.send(`create ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);
  for (const [command, answer] of [
    ["west", "The Guild Library"],
    ["open chest", "You open the oak chest."],
    ["get letter from chest", "You take a folded letter from the oak chest."],
    ["quit", "Goodbye"],
  ] as const) {
    client.send(command);
    await client.expect(answer);
  }
  server.signal("SIGTERM");
  expect((await server.exited).code).toBe(0);

  const first = path.join(tempDir("loom-cli-out"), "world");
  const exported = await runLoom(["world", "export", first], { dataDir: played });
  expect(exported.stderr).toBe("");
  expect(exported.status).toBe(0);
  expect(exported.stdout).toBe(
    [
      `Exported the world in ${path.join(played, "loom.db")} to ${first}:`,
      "  shuttleford.yaml  8 rooms, 15 things, 2 characters",
      "  the-meadows.yaml  3 rooms, 4 things",
      "  the-river.yaml    6 rooms, 5 things",
      "Start room: square.",
      "",
    ].join("\n"),
  );
  const town = parse(fs.readFileSync(path.join(first, "shuttleford.yaml"), "utf8")) as { things: Record<string, Record<string, unknown>> };
  expect(town.things["chest"]?.["container"]).toEqual({ closable: true });
  expect(town.things["letter"]).toBeUndefined();

  const fresh = tempDir("loom-cli-fresh");
  const imported = await runLoom(["world", "import", first], { dataDir: fresh });
  expect(imported.stderr).toBe("");
  expect(imported.status).toBe(0);
  expect(imported.stdout).toBe(
    [
      `Imported ${first} (84 records, start room square) into ${path.join(fresh, "loom.db")}:`,
      "  inserted 84, updated 0, kept 0",
      `The server seeds from config/world at every start; set worldDir to ${first} to run this world.`,
      "",
    ].join("\n"),
  );

  const second = path.join(tempDir("loom-cli-out"), "world");
  expect(await runLoom(["world", "export", second], { dataDir: fresh })).toMatchObject({ status: 0, stderr: "" });
  expect(filesIn(second)).toEqual(filesIn(first));

  // The imported data directory boots with those files as its world, and finds nothing to seed.
  const config = path.join(tempDir("loom-cli-config"), "loom.yaml");
  fs.writeFileSync(config, `worldDir: ${JSON.stringify(first)}\n`);
  const booted = spawn({ dataDir: fresh, args: ["--config", config] });
  const visitor = await LineClient.connect((await booted.ready()).line);
  clients.push(visitor);
  await visitor.expect("Your name:");
  visitor.send(`create ${name} pw-${name}`);
  await visitor.expect("Town Square");
  visitor.send("west");
  await visitor.expect("The Guild Library");
  visitor.send("look in chest");
  await visitor.expect(/copper coins/);
  expect(booted.logs.some((r) => r.msg === "world files seeded into the store")).toBe(false);
}, 60_000);

describe("export", () => {
  it("refuses a directory with anything in it; --force replaces the world files there and keeps the rest", async () => {
    const dataDir = await starterData();
    const out = tempDir("loom-cli-out");
    fs.writeFileSync(path.join(out, "old.yaml"), "rooms: {}\n");
    fs.writeFileSync(path.join(out, "notes.txt"), "mine\n");

    const refused = await runLoom(["world", "export", out], { dataDir });
    expect(refused).toEqual({ status: 1, stdout: "", stderr: `loom world export: ${out} is not empty; use --force to replace the world files in it.\n` });
    expect(fs.readdirSync(out).sort()).toEqual(["notes.txt", "old.yaml"]);

    const forced = await runLoom(["world", "export", out, "--force"], { dataDir });
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain("Removed the old world files old.yaml.\n");
    expect(fs.readdirSync(out).sort()).toEqual(["notes.txt", "shuttleford.yaml", "the-meadows.yaml", "the-river.yaml"]);
  });

  it("fails when there is no database, or no such start room, and writes nothing", async () => {
    const empty = tempDir("loom-cli-empty");
    const out = path.join(tempDir("loom-cli-out"), "world");
    expect(await runLoom(["world", "export", out], { dataDir: empty })).toEqual({
      status: 1,
      stdout: "",
      stderr: `loom world export: there is no database in ${empty} (no loom.db); start the server once, or import a world.\n`,
    });
    const dataDir = await starterData();
    const run = await runLoom(["world", "export", out, "--start", "attic"], { dataDir });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`loom world export: the database ${path.join(dataDir, "loom.db")} has no room "attic" to start in; name one with --start <room id>.\n`);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("resolves <dir> against the working directory and shows paths as typed there", async () => {
    const dataDir = await starterData();
    const cwd = tempDir("loom-cli-cwd");
    fs.cpSync(path.join(projectRoot, "config"), path.join(cwd, "config"), { recursive: true });
    const run = await runLoom(["world", "export", "out"], { dataDir, cwd });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(`Exported the world in ${path.join(dataDir, "loom.db")} to out:`);
    expect(fs.readdirSync(path.join(cwd, "out"))).toHaveLength(3);
  });
});

describe("import", () => {
  it("a broken world file is reported with its file, key and line, and nothing is written", async () => {
    const world = tempDir("loom-cli-world");
    fs.writeFileSync(path.join(world, "hall.yaml"), ["start: hall", "rooms:", "  hall:", "    name: The Hall", "    description: Echoes.", "    exits:", "      north: nowhere", ""].join("\n"));
    const dataDir = tempDir("loom-cli-data");
    const run = await runLoom(["world", "import", world], { dataDir });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `loom world import: nothing imported; the world files do not load:\n${path.join(world, "hall.yaml")}: rooms.hall.exits.north: no room named "nowhere" (line 7)\n`,
    );
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("into a database that has the world: what the files changed is merged, the rest kept", async () => {
    const dataDir = await starterData();
    const world = tempDir("loom-cli-world");
    fs.cpSync(path.join(projectRoot, "config", "world"), world, { recursive: true });
    const inn = path.join(world, "inn.yaml");
    fs.writeFileSync(inn, fs.readFileSync(inn, "utf8").replace("name: a pewter mug", "name: a chipped pewter mug"));
    const run = await runLoom(["world", "import", world], { dataDir });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("  inserted 0, updated 1, kept 84\n");
    expect(run.stdout).toContain("Updated (merged field by field, keeping what play changed): mug\n");
  });
});
