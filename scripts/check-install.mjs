#!/usr/bin/env node
/**
 * Checks that an install really produced what the next step needs, and fails right there if
 * not. npm can print "Exit handler never called!" and exit 0 with nothing installed (issue
 * 10): the Docker build then failed two steps later with `tsc: not found`, far from its cause.
 * The Dockerfile runs this after `npm ci` and after `npm prune --omit=dev`; .ci/run runs it
 * after each install and after rebuilding the native addons for another Node.
 *
 *   node scripts/check-install.mjs build     # after npm ci: the runtime set, tsc and esbuild
 *   node scripts/check-install.mjs runtime   # after npm prune --omit=dev: the runtime set
 *
 * "The runtime set" is every package.json dependency, each loaded by this Node, with the
 * native addons used once: better-sqlite3 loads its binding only when a database is opened,
 * so requiring it alone would pass an addon built for another Node ABI. A loaded addon must
 * also not carry Node 24.19's ObjectWrap cleanup hook (see OBJECT_WRAP_HOOK). Paths are taken
 * from this file's location, as in build-web.mjs. Prints one line and exits 0 when all is
 * there; otherwise one line per problem on stderr and exit status 1 (2 for a wrong argument).
 */
import { accessSync, constants, existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** What `npm run build` runs besides node: tsc (its script) and esbuild (scripts/build-web.mjs). */
const BUILD_TOOLS = ["tsc", "esbuild"];
/**
 * From Node 24.19 on, node_object_wrap.h (compiled into every addon built on node::ObjectWrap,
 * as better-sqlite3 12 is) removes a cleanup hook in the wrapper's destructor, and Node aborts
 * the process ("Assertion failed: (env) != nullptr") when V8 frees such an object outside
 * JavaScript, in an idle-time GC: a running server dies at random (nodejs/node#65446). An
 * addon that imports this symbol was built against those headers; the Dockerfile and .ci/run
 * build better-sqlite3 against headers with the two calls taken out, as before 24.19.
 */
const OBJECT_WRAP_HOOK = "RemoveEnvironmentCleanupHook";

const mode = process.argv[2];
if (mode !== "build" && mode !== "runtime") {
  console.error("usage: node scripts/check-install.mjs build|runtime");
  process.exit(2);
}

const packageJson = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const dependencies = Object.keys(packageJson.dependencies ?? {});
const require = createRequire(path.join(root, "package.json"));
const problems = [];
/** An error's message on one line: enough to tell "not found" from "wrong NODE_MODULE_VERSION". */
const reason = (error) => String(error instanceof Error ? error.message : error).replace(/\s+/g, " ").slice(0, 300);

if (!existsSync(path.join(root, "node_modules"))) problems.push("node_modules/ does not exist: nothing was installed");
if (mode === "build") {
  for (const tool of BUILD_TOOLS) {
    try {
      accessSync(path.join(root, "node_modules", ".bin", tool), constants.X_OK);
    } catch {
      problems.push(`node_modules/.bin/${tool} is missing or not executable (npm run build needs it)`);
    }
  }
}
for (const name of dependencies) {
  try {
    const loaded = require(name);
    if (name === "better-sqlite3") new loaded(":memory:").close();
  } catch (error) {
    problems.push(`${name} does not load on Node ${process.version}: ${reason(error)}`);
  }
}

// The addons this process loaded from node_modules (the report lists every shared object, by
// its real path).
const report = /** @type {{ sharedObjects?: string[] }} */ (process.report.getReport());
const installed = path.join(root, "node_modules");
const nodeModules = (existsSync(installed) ? realpathSync(installed) : installed) + path.sep;
for (const addon of (report.sharedObjects ?? []).filter((file) => file.startsWith(nodeModules) && file.endsWith(".node"))) {
  if (readFileSync(addon).includes(OBJECT_WRAP_HOOK)) {
    problems.push(`${path.relative(root, addon)} was compiled against Node 24.19+'s node_object_wrap.h and will abort the process in GC (nodejs/node#65446); rebuild it with npm_config_nodedir pointing at headers without ObjectWrap's cleanup hook`);
  }
}

if (problems.length > 0) {
  console.error(`check-install (${mode}): the install is not usable, although npm may have exited 0:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
const checked = [...(mode === "build" ? BUILD_TOOLS : []), ...dependencies];
console.log(`check-install (${mode}): ok on Node ${process.version} (${checked.join(", ")})`);
