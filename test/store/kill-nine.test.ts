/**
 * Hardening D1: what the store acknowledged survives `kill -9`. A child process opens the real
 * store module (bundled from the TypeScript source with esbuild, since Node 20 cannot run .ts),
 * commits, says "ok", and is SIGKILLed the moment the test reads that. The test then reopens
 * the same file and finds everything the child acknowledged.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { room, thing } from "./thing-fixtures.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PLAYERS = 50;
const HALL = room("hall");
const LAMP = thing("lamp", "hall");

// The child: one transaction per player (each acknowledged separately), a room and a lamp
// saved, the lamp then moved into p7's character, then "ok" — and it stays alive, holding the
// database open, until it is killed.
const CHILD = `
import { openSqliteStore } from "./src/store/sqlite-store.ts";
const store = openSqliteStore({ dataDir: process.argv[2] });
for (let i = 0; i < ${PLAYERS}; i++) {
  store.createPlayer({ key: "p" + i, name: "P" + i, passwordHash: "$argon2id$stub", room: "hall", now: i });
}
store.saveThing(${JSON.stringify(HALL)}, 1);
store.saveThing(${JSON.stringify(LAMP)}, 2);
store.moveThing("lamp", "player:p7", 3);
process.stdout.write("ok\\n");
setInterval(() => {}, 1 << 30);
`;

/** Bundles the child with the store module inlined; better-sqlite3 (native) stays external, by absolute URL. */
function bundleChild(outFile: string): void {
  const betterSqlite = pathToFileURL(createRequire(import.meta.url).resolve("better-sqlite3")).href;
  esbuild.buildSync({
    stdin: { contents: CHILD, resolveDir: root, loader: "ts", sourcefile: "kill-nine-child.ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: outFile,
    alias: { "better-sqlite3": betterSqlite },
    external: [betterSqlite],
    logLevel: "silent",
  });
}

describe("D1: kill -9", () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-kill9-"));
  });
  afterEach(() => {
    // Only if the test failed before killing it.
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    child = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("everything acknowledged before SIGKILL is there after reopening", async () => {
    const script = path.join(dir, "child.mjs");
    const dataDir = path.join(dir, "data");
    bundleChild(script);

    const proc = spawn(process.execPath, [script, dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    let stderr = "";
    proc.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.on("exit", (code, signal) => resolve({ code, signal })),
    );

    const acknowledged = await new Promise<boolean>((resolve) => {
      let out = "";
      proc.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        if (out.includes("ok\n")) {
          proc.kill("SIGKILL");
          resolve(true);
        }
      });
      proc.on("exit", () => resolve(false));
    });
    expect(acknowledged, `child failed before acknowledging:\n${stderr}`).toBe(true);
    expect(await exited).toEqual({ code: null, signal: "SIGKILL" });

    // The commits are still in the write-ahead log: nobody checkpointed or closed cleanly.
    expect(fs.statSync(path.join(dataDir, "loom.db-wal")).size).toBeGreaterThan(0);

    const store = openSqliteStore({ dataDir });
    try {
      for (let i = 0; i < PLAYERS; i++) expect(store.findPlayer(`p${i}`)?.name).toBe(`P${i}`);
      expect(store.loadWorldThings().map((t) => t.record)).toEqual([HALL]);
      // The move's location and seq both: the last write before "ok" was not lost.
      expect(store.loadHeld("player:p7").map(({ record, seq }) => ({ record, seq }))).toEqual([
        { record: { ...LAMP, location: "player:p7" }, seq: 3 },
      ]);
    } finally {
      store.close();
    }
  });
});
