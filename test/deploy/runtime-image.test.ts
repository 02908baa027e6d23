/**
 * The runtime image, assembled outside Docker by the same steps: a directory laid out as the
 * runtime stage's COPY instructions lay out /app (read from the Dockerfile itself), with no
 * sources and no compiler in it. There, `loom --help` works three ways (bin/loom.mjs, `npx
 * loom`, and the PATH link the Dockerfile makes), and the Dockerfile's CMD starts the server,
 * which drains and exits 0 on SIGTERM (its STOPSIGNAL).
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { USAGE } from "../../src/cli/main.js";
import { ensureBuilt, makeTempDir, projectRoot, removeTempDir } from "../process/support/loom-process.js";
import { copyParts, envPairs, instructionsOf, parseDockerfile, type Stage } from "./dockerfile.js";

const dockerfile = parseDockerfile(fs.readFileSync(path.join(projectRoot, "Dockerfile"), "utf8"));
const runtime = dockerfile.stages.at(-1) as Stage;
/** npx comes with npm; without it, that one check is skipped. */
const hasNpx = spawnSync("npx", ["--version"], { encoding: "utf8" }).error === undefined;
let scratch: string;
let app: string;

beforeAll(() => {
  ensureBuilt();
  scratch = makeTempDir("loom-image");
  app = path.join(scratch, "app");
  fs.mkdirSync(app);
  // Each COPY of the runtime stage, from the build stage's /app (here: the built checkout) or
  // from the build context (the checkout). node_modules is linked, not copied: it is large,
  // and the image's is the same set minus the dev dependencies.
  for (const copy of instructionsOf(runtime, "COPY")) {
    const { sources, dest } = copyParts(copy);
    for (const source of sources) {
      const from = path.join(projectRoot, copy.flags.has("from") ? path.posix.relative("/app", source) : source);
      const to = path.resolve(app, dest);
      if (path.basename(from) === "node_modules") fs.symlinkSync(from, to);
      else fs.cpSync(from, to, { recursive: true });
    }
  }
}, 120_000);

afterAll(() => removeTempDir(scratch));

/** The image's environment: its ENV lines, the data directory in the scratch space, free ports. */
function imageEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("LOOM_")) env[key] = value;
  for (const line of instructionsOf(runtime, "ENV")) {
    for (const [key, value] of envPairs(line)) env[key] = value;
  }
  return {
    ...env,
    LOOM_DATA_DIR: path.join(scratch, "data"),
    LOOM_TELNET_PORT: "0",
    LOOM_LINE_PORT: "0",
    LOOM_HTTP_PORT: "0",
    LOOM_HOST: "127.0.0.1",
  };
}

it("is laid out as the Dockerfile says, with no sources to build from", () => {
  expect(fs.readdirSync(app).sort()).toEqual(["bin", "config", "dist", "node_modules", "package.json"]);
  expect(fs.existsSync(path.join(app, "src"))).toBe(false);
  expect(fs.existsSync(path.join(app, "dist", "src", "cli", "main.js"))).toBe(true);
});

it("runs `node bin/loom.mjs --help` there, without building", () => {
  const run = spawnSync(process.execPath, ["bin/loom.mjs", "--help"], { cwd: app, env: imageEnv(), encoding: "utf8" });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(`${USAGE}\n`);
});

it("runs `loom --help` through a link on PATH, as /usr/local/bin/loom in the image", () => {
  const onPath = path.join(scratch, "path-bin");
  fs.mkdirSync(onPath, { recursive: true });
  fs.symlinkSync(path.join(app, "bin", "loom.mjs"), path.join(onPath, "loom"));
  const env = imageEnv();
  const run = spawnSync("loom", ["--help"], { cwd: os.tmpdir(), env: { ...env, PATH: `${onPath}${path.delimiter}${env["PATH"] ?? ""}` }, encoding: "utf8" });
  expect(run.error).toBeUndefined();
  expect(run.status).toBe(0);
  expect(run.stdout).toBe(`${USAGE}\n`);
});

it.skipIf(!hasNpx)("runs `npx loom --help` in the app directory, offline", () => {
  // A cache of its own, and offline: npx links the package's own bin, it downloads nothing.
  const env = { ...imageEnv(), npm_config_cache: path.join(scratch, "npm-cache"), npm_config_offline: "true", npm_config_update_notifier: "false" };
  const run = spawnSync("npx", ["loom", "--help"], { cwd: app, env, encoding: "utf8", timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toBe(`${USAGE}\n`);
}, 60_000);

it("the Dockerfile's CMD starts the server there, and SIGTERM stops it with exit status 0", async () => {
  const cmd = instructionsOf(runtime, "CMD").at(-1)?.json ?? [];
  expect(cmd[0]).toBe("node");
  const child = spawn(process.execPath, cmd.slice(1), { cwd: app, env: imageEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Loom is ready" in 15 s\n${stdout}\n${stderr}`)), 15_000);
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('"msg":"Loom is ready"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => reject(new Error(`exited with ${String(code)} before it was ready\n${stdout}\n${stderr}`)));
    });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toContain('"msg":"stopped"');
    // It served the world from the image's own config/world, and kept its database in the data directory.
    expect(fs.existsSync(path.join(scratch, "data", "loom.db"))).toBe(true);
  } finally {
    child.kill("SIGKILL");
  }
}, 30_000);
