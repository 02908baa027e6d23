#!/usr/bin/env node
/**
 * `loom`, the operator's command line (package.json "bin": `npx loom --help` in a checkout or
 * in the Docker image, where it is also linked as /usr/local/bin/loom). It runs the compiled
 * CLI, dist/src/cli/main.js (src/cli/), in this process, so that `loom start` is the server
 * process itself and receives SIGTERM directly.
 *
 * In a checkout (the sources beside dist/ and TypeScript installed), a dist/ that is missing or
 * older than the sources is built first, as `npm run build` does; it takes a few seconds. The
 * image has no sources, so it runs dist/ as it is.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The compiled CLI, relative to the root: tsconfig.build.json emits src/cli/main.ts there (test/deploy checks). */
const CLI = "dist/src/cli/main.js";
const cli = path.join(root, ...CLI.split("/"));

/** What the build reads (as test/process/support/build-if-stale.mjs): tsc's inputs and the web client. */
const SOURCES = ["src", "protocols", "bench", "web", "tsconfig.json", "tsconfig.build.json", "scripts/build-web.mjs"];
/** What the build writes that loom runs: the CLI (and so the server) and the browser client. */
const OUTPUTS = ["dist/src/cli/main.js", "dist/src/main.js", "dist/web/client.js", "dist/web/index.html"];
/** Files that feed the build; editors' swap and backup files do not. */
const INPUT_FILE = /\.(ts|mts|mjs|js|json|html|css)$/;
const TSC = path.join(root, "node_modules", "typescript", "bin", "tsc");
const FLOCK = "/usr/bin/flock";

function newestMtime(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
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
      return 0;
    }
  }
  return oldest;
}

/**
 * Builds as `npm run build` does. Each step runs under the lock the process tests build under
 * (test/process/support/loom-process.ts, `ensureBuilt`), when flock is there, so that loom and a
 * test run never write dist/ at the same time.
 */
function build() {
  const lock = path.join(os.tmpdir(), `loom-build-${createHash("sha1").update(root).digest("hex").slice(0, 12)}.lock`);
  for (const step of [[TSC, "-p", "tsconfig.build.json"], ["scripts/build-web.mjs"]]) {
    const [file, args] = fs.existsSync(FLOCK) ? [FLOCK, [lock, process.execPath, ...step]] : [process.execPath, step];
    execFileSync(file, args, { cwd: root, stdio: ["ignore", 2, 2] });
  }
}

const checkout = fs.existsSync(path.join(root, "src")) && fs.existsSync(TSC);
if (checkout && oldestOutput() <= Math.max(...SOURCES.map((source) => newestMtime(path.join(root, source))))) {
  process.stderr.write("loom: building Loom first (dist/ is missing or older than the sources)...\n");
  try {
    build();
  } catch {
    process.stderr.write("loom: the build failed (see above); fix it, or run `npm run build` to see it again.\n");
    process.exit(1);
  }
}
if (!fs.existsSync(cli)) {
  process.stderr.write(`loom: ${path.relative(process.cwd(), cli) || cli} is missing: run \`npm install\` and \`npm run build\` first.\n`);
  process.exit(1);
}
const { runCli } = await import(pathToFileURL(cli).href);
process.exitCode = await runCli(process.argv.slice(2));
