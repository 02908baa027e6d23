/**
 * `limits.maxConnections: auto`, the default (hardening F5, issue 11): the server boots with a
 * cap worked out from this process's file limit, logs it with where it came from, and /metrics
 * reports it. The expected number is computed here from /proc/self/limits by the rule in
 * src/reactor/connection-cap.ts (the pure function has its own tests with sample texts).
 */
import fs from "node:fs";
import { afterEach, expect, it } from "vitest";
import { captureLogs } from "../support/logs.js";
import { stopTestServer, startTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer | undefined;
afterEach(async () => {
  await stopTestServer(server);
  server = undefined;
});

/** What `auto` should pick in this process: the soft file limit less max(256, 5%), or 5,000 where it is unknown. */
function expectedCap(): { max: number; source: string } {
  let text: string | undefined;
  try {
    text = fs.readFileSync("/proc/self/limits", "utf8");
  } catch {
    return { max: 5000, source: "fallback" };
  }
  const soft = /^Max open files\s+(\d+)\s/m.exec(text)?.[1];
  if (soft === undefined) return { max: 5000, source: "fallback" };
  const limit = Number(soft);
  return { max: Math.min(1_000_000, limit - Math.min(Math.floor(limit / 2), Math.max(256, Math.ceil(limit / 20)))), source: "file-limit" };
}

it("F5: with maxConnections auto the server starts, logs the cap and its source, and /metrics reports it", async () => {
  const logs = captureLogs();
  server = await startTestServer({ logTo: logs.sink });
  expect(server.config.limits.maxConnections).toBe("auto");
  const { max, source } = expectedCap();
  const line = logs.records().find((r) => r.msg === "connection cap");
  expect(line).toMatchObject({ maxConnections: max, source });
  expect(line?.reason).toMatch(/^auto: /);
  const metrics = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
  expect(metrics).toContain("# TYPE loom_connections_max gauge");
  expect(metrics).toMatch(new RegExp(`^loom_connections_max ${max}$`, "m"));
});

it("F5: a number in the configuration is the cap, as given", async () => {
  const logs = captureLogs();
  server = await startTestServer({ logTo: logs.sink, overrides: { limits: { maxConnections: 123 } } });
  expect(logs.records().find((r) => r.msg === "connection cap")).toMatchObject({ maxConnections: 123, source: "config" });
  const metrics = await (await fetch(`http://127.0.0.1:${server.ports.http}/metrics`)).text();
  expect(metrics).toMatch(/^loom_connections_max 123$/m);
});
