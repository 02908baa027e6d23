/**
 * `loom --help`, each command's `--help`, and usage errors (src/cli/main.ts, command.ts), on
 * the built command run as a child process: help on stdout with exit status 0; a mistake in
 * the arguments on stderr, with the usage, and exit status 2 (issue 7: "Bad arguments get a
 * usage message and exit 2").
 */
import { beforeAll, describe, expect, it } from "vitest";
import { COMMANDS, USAGE } from "../../src/cli/main.js";
import { ensureBuilt } from "../process/support/loom-process.js";
import { runLoom } from "./support/run-loom.js";

beforeAll(() => ensureBuilt(), 120_000);

describe("help", () => {
  it("loom --help prints the usage on stdout and exits 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const run = await runLoom([flag]);
      expect(run).toEqual({ status: 0, stdout: `${USAGE}\n`, stderr: "" });
    }
  });

  it("lists every command with its arguments", () => {
    expect(USAGE).toContain("  loom start  ");
    expect(USAGE).toContain("  loom role <name> <player|builder|admin>  ");
    expect(USAGE).toContain("  loom world export <dir>  ");
    expect(USAGE).toContain("  loom world import <dir>  ");
  });

  it("loom <command> --help prints that command's help, starting with its usage", async () => {
    for (const command of COMMANDS) {
      const run = await runLoom([...command.words, "--help"]);
      expect(run.status, command.words.join(" ")).toBe(0);
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(`${command.help}\n`);
      expect(run.stdout.startsWith(`Usage: loom ${command.words.join(" ")}`)).toBe(true);
      expect(run.stdout).toContain("--config <file>");
    }
  });

  it("loom world --help lists export and import", async () => {
    const run = await runLoom(["world", "--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: loom world <export\|import> <dir>/);
    expect(run.stdout).toContain("loom world export <dir>");
    expect(run.stdout).toContain("loom world import <dir>");
  });
});

describe("bad arguments: usage on stderr, exit status 2, nothing done", () => {
  const cases: readonly (readonly [args: readonly string[], problem: string, usage: string])[] = [
    [[], "loom: no command given", "Usage: loom <command> [options]"],
    [["frobnicate"], 'loom: unknown command "frobnicate"', "Usage: loom <command> [options]"],
    [["--config", "x.yaml", "start"], 'loom: unknown option "--config" (options come after the command)', "Usage: loom <command> [options]"],
    [["start", "now"], 'loom start: unexpected argument "now"', "Usage: loom start [--config <file>]"],
    [["start", "--port", "4000"], "loom start: unknown option '--port'", "Usage: loom start [--config <file>]"],
    [["role"], "loom role: missing <name> <player|builder|admin>", "Usage: loom role <name> <player|builder|admin>"],
    [["role", "alice"], "loom role: missing <player|builder|admin>", "Usage: loom role <name> <player|builder|admin>"],
    [["role", "alice", "wizard"], 'loom role: "wizard" is not a role: say player, builder or admin', "Usage: loom role"],
    [["role", "alice", "admin", "now"], 'loom role: unexpected argument "now"', "Usage: loom role"],
    [["world"], "loom world: say export or import", "Usage: loom world <export|import> <dir>"],
    [["world", "delete", "x"], 'loom world: unknown command "world delete": say export or import', "Usage: loom world"],
    [["world", "export"], "loom world export: missing <dir>", "Usage: loom world export <dir> [--force]"],
    [["world", "export", "a", "b"], 'loom world export: unexpected argument "b"', "Usage: loom world export"],
    [["world", "export", "--bogus", "a"], "loom world export: unknown option '--bogus'", "Usage: loom world export"],
    [["world", "export", "a", "--start"], "loom world export: option '--start <value>' argument missing", "Usage: loom world export"],
    [["world", "import", "a", "--force"], "loom world import: unknown option '--force'", "Usage: loom world import <dir>"],
    [["world", "import", "--config"], "loom world import: option '-c, --config <value>' argument missing", "Usage: loom world import"],
  ];

  it.each(cases)("loom %j", async (args, problem, usage) => {
    const run = await runLoom(args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    const [first, second, third] = run.stderr.split("\n");
    expect(first).toBe(problem);
    expect(second?.startsWith(usage), second).toBe(true);
    expect(third).toMatch(/^Run `loom( [a-z ]+)? --help` for (more|the commands)\.$/);
  });
});

describe("configuration", () => {
  it("a bad setting stops a command with the server's own message, exit status 1", async () => {
    const run = await runLoom(["role", "alice", "admin"], { env: { LOOM_TELNET_PORT: "abc" } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('loom role: the configuration is not valid:\nconfig: telnet.port: must be an integer from 0 to 65535 (from LOOM_TELNET_PORT="abc")');
  });
});
