/**
 * Hardening D5, on the real process: a bad setting, a YAML alias bomb, or a broken world
 * file stops boot with a non-zero exit and one clear stderr line naming where the problem is,
 * before anything listens.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, LoomProcess, makeTempDir, removeTempDir, type Exit } from "./support/loom-process.js";

let proc: LoomProcess | undefined;
let dir: string | undefined;

beforeAll(() => ensureBuilt(), 120_000);

afterEach(async () => {
  await proc?.kill();
  proc = undefined;
  if (dir !== undefined) removeTempDir(dir);
  dir = undefined;
});

/** "Billion laughs": nine levels of nine aliases, 9^9 strings if expanded; a few hundred bytes on disk. */
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ..."bcdefghi".split("").map((name, i) => {
    const prev = "abcdefghi"[i]!;
    return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`;
  }),
  "",
].join("\n");

/** Runs the process to its exit; it must not get as far as listening. */
async function bootFails(options: { env?: Record<string, string>; args?: string[] }): Promise<{ exit: Exit; stderr: string }> {
  dir ??= makeTempDir("loom-d5");
  proc = LoomProcess.spawn({ dataDir: path.join(dir, "data"), ...options });
  const exit = await proc.exited;
  expect(proc.logs.map((r) => r.msg)).not.toContain("Loom is ready");
  return { exit, stderr: proc.stderr };
}

function write(name: string, text: string): string {
  dir ??= makeTempDir("loom-d5");
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe("D5: boot stops with a clear message", () => {
  it("a bad environment value names the key and the variable", async () => {
    const { exit, stderr } = await bootFails({ env: { LOOM_TELNET_PORT: "abc" } });
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(stderr).toContain("telnet.port");
    expect(stderr).toContain('LOOM_TELNET_PORT="abc"');
    // A message for a person, not a stack trace.
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("a config file that is an alias bomb is refused, not expanded, naming the file", async () => {
    const file = write("bomb.yaml", ALIAS_BOMB);
    const { exit, stderr } = await bootFails({ args: ["--config", file] });
    expect(exit.code).not.toBe(0);
    expect(exit.signal).toBeNull(); // refused, not killed by the kernel for memory
    expect(stderr).toMatch(/alias/i);
    expect(stderr).toContain(file);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("a config file that does not exist is named", async () => {
    dir = makeTempDir("loom-d5");
    const missing = path.join(dir, "no-such-config.yaml");
    const { exit, stderr } = await bootFails({ args: ["--config", missing] });
    expect(exit.code).not.toBe(0);
    expect(stderr).toContain(missing);
    expect(stderr).toMatch(/no such file/i);
  });

  it("a world exit to a missing room names the world file and the key path", async () => {
    const world = write(
      "world/town.yaml",
      ["start: square", "rooms:", "  square:", "    name: Town Square", "    description: A square.", "    exits:", "      north: nowhere", ""].join("\n"),
    );
    const config = write("loom.yaml", `worldDir: ${JSON.stringify(path.dirname(world))}\n`);
    const { exit, stderr } = await bootFails({ args: ["--config", config] });
    expect(exit.code).not.toBe(0);
    expect(stderr).toContain(world);
    expect(stderr).toContain("rooms.square.exits.north");
    expect(stderr).toContain("nowhere");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("an alias bomb in a world file is refused, naming the file", async () => {
    const bomb = write("world/bomb.yaml", ALIAS_BOMB);
    const config = write("loom.yaml", `worldDir: ${JSON.stringify(path.dirname(bomb))}\n`);
    const { exit, stderr } = await bootFails({ args: ["--config", config] });
    expect(exit.code).not.toBe(0);
    expect(exit.signal).toBeNull();
    expect(stderr).toContain(bomb);
    expect(stderr).toMatch(/alias/i);
  });
});
