/**
 * Issue 10, on the real process: `log.format` decides what stdout looks like. Tests read stdout
 * through a pipe, so the default (`auto`) must give JSON lines here, and `pretty` readable ones.
 */
import { afterEach, beforeAll, expect, it } from "vitest";
import { ensureBuilt, LoomProcess, makeTempDir, removeTempDir } from "./support/loom-process.js";

let proc: LoomProcess | undefined;
let dataDir: string | undefined;

beforeAll(() => ensureBuilt(), 120_000);

afterEach(async () => {
  await proc?.kill();
  proc = undefined;
  if (dataDir !== undefined) removeTempDir(dataDir);
  dataDir = undefined;
});

it("by default, with stdout a pipe (auto), every line is a JSON record", async () => {
  dataDir = makeTempDir("loom-logjson");
  proc = LoomProcess.spawn({ dataDir });
  await proc.ready();
  proc.signal("SIGTERM");
  expect((await proc.exited).code).toBe(0);
  const lines = proc.stdout.split("\n").filter((l) => l !== "");
  expect(lines.length).toBeGreaterThan(3);
  for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
  expect(proc.logs.map((r) => r.msg)).toEqual(expect.arrayContaining(["Loom is ready", "stopped"]));
}, 30_000);

it("LOOM_LOG_FORMAT=pretty writes readable lines: time, level, message, key=value, no colour in a pipe", async () => {
  dataDir = makeTempDir("loom-logpretty");
  proc = LoomProcess.spawn({ dataDir, env: { LOOM_LOG_FORMAT: "pretty" } });
  const [, telnetPort] = await proc.waitForStdout(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}Loom is ready {2}ports\.telnet=(\d+) ports\.line=\d+ ports\.http=\d+$/m, "the ready line");
  expect(Number(telnetPort)).toBeGreaterThan(0);
  expect(proc.stdout).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO {2}telnet listening {2}.*listener=telnet host=127\\.0\\.0\\.1 port=${telnetPort}`, "m"));
  proc.signal("SIGTERM");
  expect((await proc.exited).code).toBe(0);
  // The last lines survive the exit (synchronous writes), and nothing is JSON or coloured.
  expect(proc.stdout).toMatch(/ INFO {2}stopped\n$/);
  expect(proc.logs).toEqual([]);
  expect(proc.stdout).not.toContain("\u001b");
}, 30_000);
