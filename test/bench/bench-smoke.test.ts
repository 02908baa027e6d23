/**
 * The broadcast bench (bench/broadcast.ts) run for a few seconds inside `npm test`, so that it
 * cannot rot (issue 11): Loom and the plain Node peer with 20 clients, 2 senders, a 2-second
 * window; Twisted is left out (it may not be installed), and so is the Node peer when
 * ../shared/peers is not beside this checkout (a clone elsewhere has no peers); then, side by side, the capacity
 * scenario at 30 connections and a fan-out with 3 slow readers (Loom only). It asserts only that the bench ran and
 * wrote JSON of the shape its readers rely on — never a timing, which on a shared CI core
 * would make the test flaky and tell nothing.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureBuilt, makeTempDir, projectRoot, removeTempDir } from "../process/support/loom-process.js";

let dir: string | undefined;

beforeAll(() => {
  ensureBuilt();
  dir = makeTempDir("loom-bench-smoke");
}, 120_000);

afterAll(() => {
  if (dir !== undefined) removeTempDir(dir);
});

/** Runs a built bench script (`dist/bench/<script>`); resolves with its exit code and output (never rejects on a non-zero exit). */
function runScript(script: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join("dist", "bench", script), ...args], { cwd: projectRoot, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the broadcast bench (`npm run bench`). */
function runBench(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runScript("broadcast.js", args);
}

/** The peers the bench reads by default; the Node peer runs only when they are there. */
const nodePeer = fs.existsSync(path.resolve(projectRoot, "..", "shared", "peers", "node_chat.mjs"));
const servers = nodePeer ? ["loom", "node"] : ["loom"];

it(`npm run bench, 2 seconds of ${servers.join(" and ")}: it runs, exits 0 and writes parseable JSON with a Loom row that delivered`, async () => {
  const json = path.join(dir!, "bench.json");
  const run = await runBench(["--only", servers.join(","), "--clients", "20", "--senders", "2", "--rate", "2", "--seconds", "2", "--warmup", "1", "--drain", "2", "--no-pin", "--json", json]);
  const output = `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
  expect(run.code, output).toBe(0);
  const report = JSON.parse(fs.readFileSync(json, "utf8")) as Record<string, unknown>;
  expect(Object.keys(report)).toEqual(expect.arrayContaining(["machine", "options", "results"]));
  const results = report.results as Record<string, unknown>[];
  expect(Array.isArray(results)).toBe(true);
  expect(results.map((r) => r.kind)).toEqual(expect.arrayContaining(servers));
  const loom = results.find((r) => r.kind === "loom");
  expect(loom, output).not.toHaveProperty("skipped");
  expect(loom).toMatchObject({ clients: 20 });
  for (const key of ["achievedPerSecond", "deliveredPercent", "latencyP99Ms", "cpuMicrosPerDelivery"]) expect(loom, key).toHaveProperty(key);
  expect(loom!.achievedPerSecond as number, output).toBeGreaterThan(0);
  expect(loom!.deliveredPercent as number, output).toBeGreaterThan(0);
}, 90_000);

it("npm run bench:mixed, 3 seconds of 30 players on the three doors: it runs, exits 0 and writes parseable JSON in which commands were answered (issue 11, target 5)", async () => {
  const json = path.join(dir!, "mixed.json");
  const args = ["--players", "30", "--rooms", "9", "--seconds", "3", "--warmup", "1", "--drain", "2", "--interval", "1", "--mix", "look=1,walk=1,say=1,chat=1", "--no-pin", "--json", json];
  const run = await runScript("mixed-play.js", args);
  const output = `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
  expect(run.code, output).toBe(0);
  const report = JSON.parse(fs.readFileSync(json, "utf8")) as { result: Record<string, unknown> };
  const result = report.result;
  expect(result, output).toMatchObject({ players: 30, playersByDoor: { line: 10, telnet: 10, ws: 10 }, rooms: 9 });
  for (const key of ["eventLoopUtilisation", "loopDelayP99Ms", "serverCpuPercent", "rssEndMb", "generatorCpuPercent", "offeredMarkersPerSecond"]) expect(result, key).toHaveProperty(key);
  const all = result.all as { sent: number; answered: number; p99Ms: number };
  expect(all.sent, output).toBeGreaterThan(0);
  expect(all.answered, output).toBeGreaterThan(0);
  const kinds = result.kinds as Record<string, { sent: number; answered: number; unanswered: number }>;
  expect(Object.keys(kinds).sort()).toEqual(["chat", "look", "say", "walk"]);
  // Every command sent is accounted for: answered by the end of the drain, or counted as not.
  for (const [kind, k] of Object.entries(kinds)) expect(k.answered + k.unanswered, kind).toBe(k.sent);
  // Loom's own count, read from /metrics: it wrote to the sockets.
  expect(result.serverFlushesPerSecond, output).toBeGreaterThan(0);
}, 90_000);

// The two issue 11 additions, each at a size that takes a few seconds: they run side by side.
it.concurrent("the capacity scenario with 30 connections: it runs, exits 0, and reports the cap and every announcement in its JSON", async () => {
  const json = path.join(dir!, "capacity.json");
  const run = await runBench(["--scenario", "capacity", "--clients", "30", "--seconds", "2", "--drain", "2", "--no-pin", "--json", json]);
  const output = `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
  expect(run.code, output).toBe(0);
  const report = JSON.parse(fs.readFileSync(json, "utf8")) as { results: Record<string, unknown>[] };
  const loom = report.results.find((r) => r.kind === "loom");
  expect(loom, output).not.toHaveProperty("skipped");
  expect(loom).toMatchObject({ scenario: "capacity", clients: 30, connectionCap: { source: expect.any(String) } });
  const capacity = loom!.capacity as { connections: number; announcements: unknown[] };
  expect(capacity.connections).toBe(30);
  expect(capacity.announcements.length, output).toBeGreaterThan(0);
  expect(run.stdout).toContain("announcements sent");
}, 90_000);

it.concurrent("a fan-out with 3 slow readers: it runs, exits 0, and reports what became of them in its JSON", async () => {
  const json = path.join(dir!, "slow.json");
  const run = await runBench(["--only", "loom", "--clients", "20", "--senders", "2", "--rate", "2", "--slow-readers", "3", "--seconds", "1", "--warmup", "0", "--drain", "2", "--no-pin", "--json", json]);
  const output = `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
  expect(run.code, output).toBe(0);
  const report = JSON.parse(fs.readFileSync(json, "utf8")) as { results: Record<string, unknown>[] };
  const loom = report.results.find((r) => r.kind === "loom");
  expect(loom, output).not.toHaveProperty("skipped");
  // The slow readers are in no figure but their own: the room still has 20.
  expect(loom).toMatchObject({ clients: 20, slowReaders: { requested: 3, loggedIn: 3 } });
  expect(run.stdout).toContain("slow readers logged in");
}, 90_000);

it("npm run bench:write-floor, 20 connections × 5 rounds: it runs, exits 0, and writes JSON in which every byte was read and the writes cost something", async () => {
  const json = path.join(dir!, "write-floor.json");
  const args = ["--connections", "20", "--rounds", "5", "--pause", "1", "--no-pin", "--json", json];
  const run = await runScript("write-floor.js", args);
  const output = `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
  expect(run.code, output).toBe(0);
  const report = JSON.parse(fs.readFileSync(json, "utf8")) as { result: Record<string, unknown> };
  expect(report.result, output).toMatchObject({ connections: 20, bytesPerWrite: 80, writes: 100, allRead: true });
  // Unpinned there is no core to read: that figure is NaN, written as null.
  expect(report.result.coreMicrosPerWrite).toBeNull();
  expect(report.result.microsPerWrite as number, output).toBeGreaterThan(0);
  expect(run.stdout).toContain("CPU per write");
}, 90_000);
