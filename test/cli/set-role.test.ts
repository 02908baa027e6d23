/**
 * `loom role <name> <role>` (src/cli/set-role.ts) on the data directory of a stopped server:
 * the way the first admin is made (issue 7). The account is made the way a player makes it,
 * by the real server over the line door; the role is read back from the database.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { processResources } from "../process/support/process-resources.js";
import { runLoom } from "./support/run-loom.js";

const { clients, spawn, tempDir } = processResources();

function roleIn(dataDir: string, key: string): string | undefined {
  const store = openSqliteStore({ dataDir });
  try {
    return store.findPlayer(key)?.role;
  } finally {
    store.close();
  }
}

it("makes the first admin on the data directory of a stopped server that made the account", async () => {
  const dataDir = tempDir("loom-cli-role");
  const name = uniqueName("boss");
  const server = spawn({ dataDir });
  const client = await LineClient.connect((await server.ready()).line);
  clients.push(client);
  await client.expect("Your name:");
  client.send(`create ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);
  client.send("quit");
  await client.closed;
  server.signal("SIGTERM");
  expect((await server.exited).code).toBe(0);

  expect(await runLoom(["role", name, "admin"], { dataDir })).toEqual({
    status: 0,
    stdout: `${name} is now an admin (was a player).\n`,
    stderr: "",
  });
  expect(roleIn(dataDir, name.toLowerCase())).toBe("admin");
  // Any case of the name; the same role again changes nothing.
  expect(await runLoom(["role", name.toUpperCase(), "ADMIN"], { dataDir })).toEqual({ status: 0, stdout: `${name} is already an admin.\n`, stderr: "" });
  expect(await runLoom(["role", name, "builder"], { dataDir })).toMatchObject({ status: 0, stdout: `${name} is now a builder (was an admin).\n` });
  expect(roleIn(dataDir, name.toLowerCase())).toBe("builder");
});

it("an unknown name fails with exit status 1 and a message, and changes nothing", async () => {
  const dataDir = tempDir("loom-cli-role");
  const store = openSqliteStore({ dataDir });
  store.createPlayer({ key: "alice", name: "Alice", passwordHash: "not-a-real-hash", room: "square", now: 0 });
  store.close();
  const run = await runLoom(["role", "bob", "admin"], { dataDir });
  expect(run.status).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toBe(`loom role: no player is named "bob" in ${path.join(dataDir, "loom.db")}.\n`);
  expect(roleIn(dataDir, "alice")).toBe("player");
});

it("a data directory with no database fails, and no database is made", async () => {
  const dataDir = tempDir("loom-cli-role");
  const run = await runLoom(["role", "alice", "admin"], { dataDir });
  expect(run.status).toBe(1);
  expect(run.stderr).toBe(`loom role: there is no database in ${dataDir} (no loom.db); start the server once, or import a world.\n`);
  expect(fs.readdirSync(dataDir)).toEqual([]);
});

it("finds the data directory through --config and LOOM_CONFIG, as the server does", async () => {
  const dataDir = tempDir("loom-cli-role");
  const store = openSqliteStore({ dataDir });
  store.createPlayer({ key: "alice", name: "Alice", passwordHash: "not-a-real-hash", room: "square", now: 0 });
  store.close();
  const configDir = tempDir("loom-cli-config");
  const configFile = path.join(configDir, "loom.yaml");
  fs.writeFileSync(configFile, `dataDir: ${JSON.stringify(dataDir)}\n`);

  expect(await runLoom(["role", "alice", "builder", "--config", configFile])).toMatchObject({ status: 0, stdout: "Alice is now a builder (was a player).\n" });
  expect(await runLoom(["role", "alice", "admin"], { env: { LOOM_CONFIG: configFile } })).toMatchObject({ status: 0, stdout: "Alice is now an admin (was a builder).\n" });
  expect(roleIn(dataDir, "alice")).toBe("admin");
});
