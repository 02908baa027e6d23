/**
 * scripts/check-install.mjs, the install guard the Dockerfile runs after `npm ci` and after
 * `npm prune --omit=dev` (issue 10: npm can exit 0 with nothing installed). It is run for real:
 * on this checkout, and on copies of the project whose node_modules is empty, missing, or holds
 * an addon built with Node 24.19's ObjectWrap cleanup hook (nodejs/node#65446).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { makeTempDir, projectRoot, removeTempDir } from "../process/support/loom-process.js";

const SCRIPT = path.join("scripts", "check-install.mjs");
const packageJson = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> };
const dependencies = Object.keys(packageJson.dependencies);
const scratch: string[] = [];

afterEach(() => {
  for (const dir of scratch.splice(0)) removeTempDir(dir);
});

/** Runs the guard as the Dockerfile does: `node scripts/check-install.mjs <mode>` in the root. */
function check(root: string, mode: string) {
  return spawnSync(process.execPath, [SCRIPT, mode], { cwd: root, encoding: "utf8", timeout: 30_000 });
}

/** A copy of the project's package.json and the guard, with `node_modules` as `setUp` leaves it. */
function project(setUp: (nodeModules: string) => void): string {
  const root = makeTempDir("loom-install");
  scratch.push(root);
  fs.mkdirSync(path.join(root, "scripts"));
  fs.copyFileSync(path.join(projectRoot, "package.json"), path.join(root, "package.json"));
  fs.copyFileSync(path.join(projectRoot, SCRIPT), path.join(root, SCRIPT));
  setUp(path.join(root, "node_modules"));
  return root;
}

it("passes on this checkout under this Node, for the build and the runtime set", () => {
  const build = check(projectRoot, "build");
  expect(build.stderr).toBe("");
  expect(build.status).toBe(0);
  expect(build.stdout).toBe(`check-install (build): ok on Node ${process.version} (${["tsc", "esbuild", ...dependencies].join(", ")})\n`);
  const runtime = check(projectRoot, "runtime");
  expect(runtime.status).toBe(0);
  expect(runtime.stdout).toContain(`(${dependencies.join(", ")})`);
});

it("an npm ci that exited 0 with nothing installed (an empty node_modules) fails, naming what is missing", () => {
  const root = project((nodeModules) => fs.mkdirSync(nodeModules));
  const run = check(root, "build");
  expect(run.status).toBe(1);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines[0]).toBe("check-install (build): the install is not usable, although npm may have exited 0:");
  expect(lines).toContain("  - node_modules/.bin/tsc is missing or not executable (npm run build needs it)");
  expect(lines).toContain("  - node_modules/.bin/esbuild is missing or not executable (npm run build needs it)");
  for (const name of dependencies) expect(lines.some((line) => line.startsWith(`  - ${name} does not load on Node ${process.version}: Cannot find module '${name}'`)), name).toBe(true);
  // The runtime set does not need the build tools.
  expect(check(root, "runtime").stderr).not.toContain(".bin/tsc");
});

it("no node_modules at all fails and says so first", () => {
  const run = check(project(() => undefined), "runtime");
  expect(run.status).toBe(1);
  expect(run.stderr.split("\n")[1]).toBe("  - node_modules/ does not exist: nothing was installed");
});

it("an addon carrying ObjectWrap's cleanup hook fails (it would abort the server in GC on Node 24.19+)", () => {
  const root = project((nodeModules) => {
    fs.mkdirSync(nodeModules);
    // Every package as installed, except better-sqlite3: a copy whose addon also holds the
    // hook's symbol name (an ELF shared object still loads with bytes after its end).
    for (const entry of fs.readdirSync(path.join(projectRoot, "node_modules"))) {
      if (entry !== "better-sqlite3") fs.symlinkSync(path.join(projectRoot, "node_modules", entry), path.join(nodeModules, entry));
    }
    const from = path.join(projectRoot, "node_modules", "better-sqlite3");
    const to = path.join(nodeModules, "better-sqlite3");
    fs.cpSync(path.join(from, "package.json"), path.join(to, "package.json"));
    fs.cpSync(path.join(from, "lib"), path.join(to, "lib"), { recursive: true });
    const addon = path.join("build", "Release", "better_sqlite3.node");
    fs.cpSync(path.join(from, addon), path.join(to, addon));
    fs.appendFileSync(path.join(to, addon), "_ZN4node28RemoveEnvironmentCleanupHookEPN2v87IsolateEPFvPvES3_\0");
  });
  const run = check(root, "runtime");
  expect(run.status).toBe(1);
  expect(run.stderr).toContain(`  - ${path.join("node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node")} was compiled against Node 24.19+'s node_object_wrap.h`);
  // Everything else loaded.
  expect(run.stderr.trimEnd().split("\n")).toHaveLength(2);
});

it("a mode other than build or runtime is a usage error, status 2", () => {
  const run = check(projectRoot, "everything");
  expect(run.status).toBe(2);
  expect(run.stderr).toBe("usage: node scripts/check-install.mjs build|runtime\n");
});
