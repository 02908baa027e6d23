/**
 * The broadcast bench (bench/broadcast.ts) run for a few seconds inside `npm test`, so that it
 * cannot rot (issue 11): Loom and the plain Node peer with 20 clients, 2 senders, a 2-second
 * window; Twisted is left out (it may not be installed), and so is the Node peer when
 * ../shared/peers is not beside this checkout (a clone elsewhere has no peers). It asserts only that the bench ran and
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

/** Runs the built bench; resolves with its exit code and output (never rejects on a non-zero exit). */
function runBench(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join("dist", "bench", "broadcast.js"), ...args], { cwd: projectRoot, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === "number" ? err.code : null;
      resolve({ code, stdout, stderr });
    });
  });
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
