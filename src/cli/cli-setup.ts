/**
 * The two things most `loom` commands do first: read the configuration as the server does,
 * and open the database in its data directory. Each reports its own failure on stderr.
 */
import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "../config/load-config.js";
import type { Config } from "../config/schema.js";
import { LoomError } from "../errors.js";
import { openSqliteStore, type SqliteStore } from "../store/sqlite-store.js";
import type { CliIo } from "./cli-io.js";

/**
 * The file the server keeps its database in, inside the data directory: `openSqliteStore`'s
 * default, named here so that a command can tell "no database yet" from "an empty one"
 * (test/cli/ runs these commands on a data directory the real server made).
 */
export const DATABASE_FILE = "loom.db";

/**
 * The configuration as the server would load it: config/default.yaml, then `configFile`
 * (`--config`) or LOOM_CONFIG, then the LOOM_* variables. `undefined` after reporting a
 * problem on stderr.
 */
export function readConfig(io: CliIo, command: string, configFile: string | undefined): Config | undefined {
  try {
    return loadConfig({ argv: configFile === undefined ? [] : ["--config", configFile], env: io.env, cwd: io.cwd });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`loom ${command}: the configuration is not valid:\n${error.message}\n`);
    return undefined;
  }
}

/**
 * Opens the database in `dataDir`, which must exist: a command that reads the world or the
 * players should not make an empty database and then find nothing in it. `undefined` after
 * reporting why on stderr.
 */
export function openExistingStore(io: CliIo, command: string, dataDir: string): SqliteStore | undefined {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) {
    io.err(`loom ${command}: there is no database in ${dataDir} (no ${DATABASE_FILE}); start the server once, or import a world.\n`);
    return undefined;
  }
  return openStore(io, command, dataDir);
}

/** Opens (creating if needed) the database in `dataDir`. `undefined` after reporting why on stderr. */
export function openStore(io: CliIo, command: string, dataDir: string): SqliteStore | undefined {
  try {
    // A command is over in moments and has no event loop to keep free: no checkpointing thread.
    return openSqliteStore({ dataDir, fileName: DATABASE_FILE, checkpointer: false });
  } catch (error) {
    if (!(error instanceof LoomError)) throw error;
    io.err(`loom ${command}: cannot open the database in ${dataDir}: ${error.message}\n`);
    return undefined;
  }
}
