/**
 * What a test file of real processes holds, registered once: the servers it spawns, the line
 * clients it connects and the temporary directories it makes, all released in afterEach
 * (clients closed, processes killed and awaited, directories removed) so a failing test
 * leaks nothing into the next. Call {@link processResources} at the top of the file.
 */
import { afterEach, beforeAll } from "vitest";
import type { LineClient } from "../../support/clients.js";
import { ensureBuilt, LoomProcess, makeTempDir, removeTempDir, type SpawnOptions } from "./loom-process.js";

/** Options for {@link processResources}. */
export interface ProcessResourcesOptions {
  /**
   * Build dist/ before the file's tests (`ensureBuilt` in beforeAll). Default true; false for a
   * file that only spawns servers in some describe blocks and builds there itself.
   */
  readonly build?: boolean;
  /** Runs on each temporary directory just before it is removed, e.g. to give back a mode a test took away. */
  readonly beforeRemove?: (dir: string) => void;
}

/** The resources of one test file, each released after every test. */
export interface ProcessResources {
  /** Spawned servers, killed after each test; push one spawned elsewhere, or use {@link ProcessResources.spawn}. */
  readonly procs: LoomProcess[];
  /** Connected clients, closed after each test (line-play's `login` pushes here). */
  readonly clients: LineClient[];
  /** `LoomProcess.spawn(options)`, killed after the test. */
  spawn(options: SpawnOptions): LoomProcess;
  /** A fresh temporary directory named `prefix-…`, removed after the test. */
  tempDir(prefix: string): string;
}

/** Registers the hooks that release a test file's processes, clients and directories; see the module comment. */
export function processResources(options: ProcessResourcesOptions = {}): ProcessResources {
  const procs: LoomProcess[] = [];
  const clients: LineClient[] = [];
  const dirs: string[] = [];

  if (options.build ?? true) beforeAll(() => ensureBuilt(), 120_000);

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(procs.splice(0).map((p) => p.kill()));
    for (const dir of dirs.splice(0)) {
      options.beforeRemove?.(dir);
      removeTempDir(dir);
    }
  });

  return {
    procs,
    clients,
    spawn(spawnOptions) {
      const server = LoomProcess.spawn(spawnOptions);
      procs.push(server);
      return server;
    },
    tempDir(prefix) {
      const dir = makeTempDir(prefix);
      dirs.push(dir);
      return dir;
    },
  };
}
