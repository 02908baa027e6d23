/**
 * Hardening D4, on the real process: SIGTERM with a player on each door. Everyone is told,
 * the listeners close before anyone is told (so nobody new slips in), the WebSocket closes
 * with 1001 "going away", and the process exits 0 well inside the shutdown budget.
 */
import { afterEach, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { LineClient, TelnetClient, WsClient, type TextClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { ensureBuilt, LoomProcess, makeTempDir, removeTempDir, tryConnect } from "./support/loom-process.js";

let proc: LoomProcess | undefined;
let dataDir: string | undefined;
const clients: TextClient[] = [];

beforeAll(() => ensureBuilt(), 120_000);

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await proc?.kill();
  proc = undefined;
  if (dataDir !== undefined) removeTempDir(dataDir);
  dataDir = undefined;
});

it("SIGTERM with a player on each door: told, refused, 1001, exit 0 inside the budget", async () => {
  // The budget the process runs with: the shipped default, as an operator gets it.
  const graceSeconds = loadConfig({ argv: [], env: {} }).shutdown.graceSeconds;
  dataDir = makeTempDir("loom-d4");
  proc = LoomProcess.spawn({ dataDir });
  const ports = await proc.ready();

  const line = await LineClient.connect(ports.line);
  const telnet = await TelnetClient.connect(ports.telnet);
  const web = await WsClient.connect(ports.http, { json: true });
  clients.push(line, telnet, web);
  const passwords: string[] = [];
  for (const [client, name] of [
    [line, uniqueName("dline")],
    [telnet, uniqueName("dtel")],
    [web, uniqueName("dweb")],
  ] as const) {
    await client.expect("Your name:");
    passwords.push(`pw-${name}`);
    client.send(`create ${name} pw-${name}`);
    await client.expect(`Welcome, ${name}.`);
  }
  for (const c of clients) c.mark();

  const signalledAt = performance.now();
  proc.signal("SIGTERM");

  // Everyone is told, on every door.
  await Promise.all(clients.map((c) => c.expect("shutting down", graceSeconds * 1000)));
  // The listeners were closed before the notice went out: nobody can come in now.
  expect(await tryConnect(ports.line)).toBe("ECONNREFUSED");
  expect(await tryConnect(ports.telnet)).toBe("ECONNREFUSED");
  expect(await tryConnect(ports.http)).toBe("ECONNREFUSED");

  await Promise.all(clients.map((c) => c.closed));
  expect(web.closeCode).toBe(1001);

  const exit = await proc.exited;
  const elapsedMs = performance.now() - signalledAt;
  expect(exit, proc.stderr).toEqual({ code: 0, signal: null });
  // "Well within": with three idle players, draining takes milliseconds; half the budget
  // leaves room for a loaded CI machine and still catches a drain that waits out the clock.
  expect(elapsedMs).toBeLessThan((graceSeconds * 1000) / 2);

  const messages = proc.logs.map((r) => r.msg);
  expect(proc.logs).toContainEqual(expect.objectContaining({ msg: "signal received", signal: "SIGTERM" }));
  expect(messages).toContain("shutting down");
  expect(messages.at(-1)).toBe("stopped");
  expect(proc.stderr).toBe("");
  // A4, at the default log level: three logins, no password in any line.
  for (const password of passwords) expect(proc.stdout).not.toContain(password);
});

// An operator running `npm start` in a terminal stops it with Ctrl-C.
it.each(["SIGTERM", "SIGINT"] as const)("an idle server stops in order on %s", async (signal) => {
  dataDir = makeTempDir("loom-d4-idle");
  proc = LoomProcess.spawn({ dataDir });
  await proc.ready();
  proc.signal(signal);
  expect(await proc.exited).toEqual({ code: 0, signal: null });
  expect(proc.logs).toContainEqual(expect.objectContaining({ msg: "signal received", signal }));
  expect(proc.logs.map((r) => r.msg).at(-1), JSON.stringify(proc.logs.slice(-4))).toBe("stopped");
});
