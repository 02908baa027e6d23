/**
 * A builder's session over real sockets (issue 7, "What must be shown"): an operator makes a
 * builder with `loom role` on the stopped server's data directory; the builder digs two rooms,
 * links them, makes a thing, describes it and leaves it there; the real process is killed with
 * -9 and started again, and a walk finds it all. Then the operator exports the world with
 * `loom world export`, imports it into a fresh data directory with `loom world import`, and a
 * server started there on the exported files has it too.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { runLoom } from "../cli/support/run-loom.js";
import { uniqueName } from "../support/names.js";
import { login, play } from "./support/line-play.js";
import { processResources } from "./support/process-resources.js";

const { clients, spawn, tempDir } = processResources();


it("a builder digs, links, makes and describes; it survives kill -9, and an export imported elsewhere", async () => {
  const dataDir = tempDir("loom-builder");
  const name = uniqueName("mason");
  const password = "stone-upon-stone";

  // The account, then the role, given by the operator while the server is stopped.
  const first = spawn({ dataDir });
  const newcomer = await login((await first.ready()).line, "create", name, password, clients);
  await play(newcomer, [["dig up The Bell Loft", "Only builders may use dig."]]);
  first.signal("SIGTERM");
  expect((await first.exited).code).toBe(0);
  const promoted = await runLoom(["role", name, "builder"], { dataDir });
  expect(promoted.status, promoted.stderr).toBe(0);

  const second = spawn({ dataDir });
  const builder = await login((await second.ready()).line, "connect", name, password, clients);
  await play(builder, [
    ["dig up The Bell Loft", "You dig The Bell Loft (bell-loft): up leads there, and down leads back."],
    ["dig down The Crypt", "You dig The Crypt (crypt): down leads there, and up leads back."],
    ["up", "The Bell Loft"],
    ["link trapdoor crypt", "Trapdoor now leads to The Crypt (crypt)."],
    ["make a brass bell", "You make a brass bell (brass-bell)."],
    ["describe bell A bell as big as a barrel, green with age.", "bell"],
    ["drop bell", "You drop a brass bell."],
  ]);
  second.signal("SIGKILL");
  expect(await second.exited).toEqual({ code: null, signal: "SIGKILL" });

  const third = spawn({ dataDir });
  const back = await login((await third.ready()).line, "connect", name, password, clients);
  expect(back.text.slice(back.text.lastIndexOf(`Welcome, ${name}.`))).toContain("The Bell Loft");
  await play(back, [
    ["look", "You see a brass bell here."],
    ["look bell", "A bell as big as a barrel, green with age."],
    ["trapdoor", "The Crypt"],
    ["up", "Town Square"],
  ]);
  third.signal("SIGTERM");
  expect((await third.exited).code).toBe(0);

  // Export, import into a fresh data directory, and serve it from the exported files.
  const exported = tempDir("loom-export");
  const exportRun = await runLoom(["world", "export", exported, "--force"], { dataDir });
  expect(exportRun.status, exportRun.stderr).toBe(0);
  const files = fs.readdirSync(exported).join(" ");
  expect(files).toMatch(/\.yaml/);
  expect(fs.readdirSync(exported).map((f) => fs.readFileSync(path.join(exported, f), "utf8")).join("\n")).toContain("a brass bell");
  const elsewhere = tempDir("loom-elsewhere");
  const config = path.join(tempDir("loom-config"), "loom.yaml");
  fs.writeFileSync(config, `worldDir: ${JSON.stringify(exported)}\n`);
  const importRun = await runLoom(["world", "import", exported], { dataDir: elsewhere, env: { LOOM_CONFIG: config } });
  expect(importRun.status, importRun.stderr).toBe(0);

  const fourth = spawn({ dataDir: elsewhere, env: { LOOM_CONFIG: config } });
  const visitor = await login((await fourth.ready()).line, "create", uniqueName("pilgrim"), "walking-the-world", clients);
  await play(visitor, [
    ["up", "The Bell Loft"],
    ["look bell", "A bell as big as a barrel, green with age."],
    ["trapdoor", "The Crypt"],
  ]);
}, 90_000);
