/**
 * Port 0 on the real process: the kernel picks three free ports, the "Loom is ready" line
 * names them (tests and operators rely on it), and each one answers as its door should.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { LineClient, TelnetClient } from "../support/clients.js";
import { ensureBuilt, LoomProcess, makeTempDir, removeTempDir, type Ports } from "./support/loom-process.js";

let proc: LoomProcess;
let dataDir: string;
let ports: Ports;

beforeAll(async () => {
  ensureBuilt();
  dataDir = makeTempDir("loom-port0");
  proc = LoomProcess.spawn({ dataDir });
  ports = await proc.ready();
}, 120_000);

afterAll(async () => {
  if (proc !== undefined) {
    proc.signal("SIGTERM");
    await proc.exited;
  }
  if (dataDir !== undefined) removeTempDir(dataDir);
});

it("the ready line reports three distinct, non-zero ports, matching each listener's own line", () => {
  const values = [ports.telnet, ports.line, ports.http];
  for (const port of values) {
    expect(Number.isInteger(port)).toBe(true);
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  }
  expect(new Set(values).size).toBe(3);
  for (const listener of ["telnet", "line", "http"] as const) {
    expect(proc.logs).toContainEqual(
      expect.objectContaining({ msg: `${listener} listening`, listener, host: "127.0.0.1", port: ports[listener] }),
    );
  }
  // Listening is logged before ready, so a test that waits for "ready" finds every port open.
  const readyAt = proc.logs.findIndex((r) => r.msg === "Loom is ready");
  for (const listener of ["telnet", "line", "http"]) {
    expect(proc.logs.findIndex((r) => r.msg === `${listener} listening`)).toBeLessThan(readyAt);
  }
});

it("the line port answers with the welcome", async () => {
  const client = await LineClient.connect(ports.line);
  try {
    await client.expect("Your name:");
    expect(client.text).toContain("Welcome to Loom.");
  } finally {
    client.close();
  }
});

it("the telnet port answers with negotiation and the welcome", async () => {
  const client = await TelnetClient.connect(ports.telnet);
  try {
    await client.expect("Your name:");
    expect(client.negotiations.length).toBeGreaterThan(0);
  } finally {
    client.close();
  }
});

it("the HTTP port answers /healthz and /readyz", async () => {
  const health = await fetch(`http://127.0.0.1:${ports.http}/healthz`);
  expect(health.status).toBe(200);
  await health.body?.cancel();
  const ready = await fetch(`http://127.0.0.1:${ports.http}/readyz`);
  expect(ready.status).toBe(200);
  await ready.body?.cancel();
});
