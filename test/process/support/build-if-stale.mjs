#!/usr/bin/env node
/**
 * Builds Loom as `npm run build` does (tsc → dist/, esbuild → dist/web/) unless the build is
 * already newer than every source it is made from. The process tests run it under `flock`, so
 * that two test workers (or a worker and an engineer's own `npm run build`) never write dist/
 * at the same time, and the second one finds the first one's build fresh and does nothing.
 *
 *   node test/process/support/build-if-stale.mjs
 *
 * Prints "fresh" or "built" on stdout; compiler errors go to stderr with a non-zero exit.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** What the build reads: tsc's inputs, the web client, and the two build descriptions. */
const SOURCES = ["src", "protocols", "bench", "web", "tsconfig.json", "tsconfig.build.json", "scripts/build-web.mjs"];
/** What the build writes that the process tests run. */
const OUTPUTS = ["dist/src/main.js", "dist/web/client.js", "dist/web/index.html"];

/**
 * Files that feed the build. Editors' swap and backup files do not: other engineers edit this
 * tree while the tests run, and their `.swp` files must not trigger a rebuild each time.
 */
const INPUT_FILE = /\.(ts|mts|mjs|js|json|html|css)$/;

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0; // a source that does not exist (bench/ may not) cannot make the build stale
  }
  if (!stat.isDirectory()) return INPUT_FILE.test(entry) ? stat.mtimeMs : 0;
  let newest = 0;
  for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

function oldestOutput() {
  let oldest = Infinity;
  for (const file of OUTPUTS) {
    try {
      oldest = Math.min(oldest, fs.statSync(path.join(root, file)).mtimeMs);
    } catch {
      return 0; // missing: build
    }
  }
  return oldest;
}

const newestSource = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
if (oldestOutput() > newestSource) {
  process.stdout.write("fresh\n");
} else {
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  // stdout of tsc carries its diagnostics; send them to stderr so the caller shows them.
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: ["ignore", 2, 2] });
  execFileSync(process.execPath, ["scripts/build-web.mjs"], { cwd: root, stdio: ["ignore", 2, 2] });
  process.stdout.write("built\n");
}
