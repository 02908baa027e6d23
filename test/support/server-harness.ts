/**
 * Starts a whole Loom in-process on port 0 with a fresh data directory and a silent logger,
 * and cleans it all up afterwards.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DestinationStream } from "pino";
import { createLogger } from "../../src/logging.js";
import { loadConfig } from "../../src/config/load-config.js";
import type { Config, ConfigOverrides } from "../../src/config/schema.js";
import type { HashBackend } from "../../src/accounts/passwords.js";
import type { Clock } from "../../src/reactor/clock.js";
import { startServer, type RunningServer } from "../../src/server.js";

/** A server under test. */
export interface TestServer extends RunningServer {
  readonly dataDir: string;
  readonly config: Config;
}

/** Starts a server on 127.0.0.1 with every port 0. `env` adds or overrides LOOM_* settings. */
export async function startTestServer(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    clock?: Clock;
    /** Replaces argon2id, e.g. to hold hashes until the test releases them. */
    hashBackend?: HashBackend;
    overrides?: ConfigOverrides;
    /** Receives every log line at trace level (default: logs are dropped). */
    logTo?: DestinationStream;
    /** Wall-clock milliseconds for the server (stored times: resume tokens' expiry). Default `Date.now`. */
    wallClock?: () => number;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "loom-test-"));
  const config = loadConfig({
    argv: [],
    env: {
      LOOM_HOST: "127.0.0.1",
      LOOM_TELNET_PORT: "0",
      LOOM_LINE_PORT: "0",
      LOOM_HTTP_PORT: "0",
      LOOM_DATA_DIR: dataDir,
      LOOM_LOG_LEVEL: "silent",
      ...options.env,
    },
    // Every test client comes from 127.0.0.1: lift the per-address account limits, which have
    // tests of their own, unless a test sets them.
    overrides: {
      ...options.overrides,
      // Merged key by key, so a test that sets one limit keeps the others lifted.
      accounts: {
        creationsPerHour: 10_000,
        failedLoginsPerMinute: 10_000,
        failedLoginsPerAddressPerMinute: 10_000,
        accountFreeAttempts: 10_000,
        maxQueuedHashesPerAddress: 1000,
        ...options.overrides?.accounts,
      },
      limits: { maxConnectionsPerAddress: 1000, newConnectionBurst: 100_000, newConnectionsPerSecond: 100_000, ...options.overrides?.limits },
    },
  });
  const server = await startServer(config, {
    logger: options.logTo !== undefined ? createLogger("trace", options.logTo) : createLogger("silent"),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.hashBackend !== undefined ? { hashBackend: options.hashBackend } : {}),
    ...(options.wallClock !== undefined ? { wallClock: options.wallClock } : {}),
  });
  return { ...server, dataDir, config, stop: server.stop };
}

/** Removes a test data directory. */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Stops a server a test may have started and removes its data directory; nothing if none. */
export async function stopTestServer(server: TestServer | undefined): Promise<void> {
  if (server === undefined) return;
  await server.stop();
  removeDir(server.dataDir);
}
