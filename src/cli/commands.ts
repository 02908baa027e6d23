/**
 * The commands of `loom`: their words, arguments, options and help. Only the table is loaded
 * up front; each command's work lives in its own module, imported when it runs, so that
 * `loom --help` or a usage error does not load the server, zod and SQLite (0.45 s of module
 * loading before this split, 0.1 s after, on the 2-core test machine with Node 20).
 */
import { Roles } from "../store/store.js";
import { ExitStatus } from "./cli-io.js";
import { COMMON_OPTIONS_HELP, type Command } from "./command.js";

/** `loom start`. */
export const startCommand: Command = {
  words: ["start"],
  positionals: [],
  options: {},
  summary: "run the server (what `npm start` runs)",
  help: [
    "Usage: loom start [--config <file>]",
    "",
    "Runs the server: the telnet, raw line and HTTP/WebSocket doors, the world from the world",
    "directory (worldDir), the database in the data directory (dataDir, LOOM_DATA_DIR). `npm start`",
    "builds Loom and then runs this. Ctrl-C or SIGTERM stops it in order: players are told,",
    "everything is saved, and it exits.",
    "",
    "Options:",
    COMMON_OPTIONS_HELP,
  ].join("\n"),
  async run({ config }, io) {
    const { runServerProcess } = await import("./run-server.js");
    // The process is the server's from here: it exits when the server stops.
    await runServerProcess(config === undefined ? [] : ["--config", config], io.env);
    return ExitStatus.ok;
  },
};

/** `loom role`. */
export const roleCommand: Command = {
  words: ["role"],
  positionals: ["<name>", "<player|builder|admin>"],
  options: {},
  summary: "give a player the role player, builder or admin",
  help: [
    "Usage: loom role <name> <player|builder|admin> [--config <file>]",
    "",
    "Gives the player <name> a role: player (plays), builder (also builds the world from inside",
    "the game), or admin (also moderates: kick, ban, mute, announce, role, shutdown). This is how",
    "the first admin is made: create the character in the game, stop the server, run",
    "`loom role <name> admin`, and start the server again.",
    "",
    "It opens the database in the configured data directory (dataDir, LOOM_DATA_DIR) itself, so",
    "the server should be stopped. A name with no account fails with exit status 1.",
    "",
    "Options:",
    COMMON_OPTIONS_HELP,
  ].join("\n"),
  check({ positionals: [, role = ""] }) {
    return Roles.some((r) => r === role.toLowerCase()) ? undefined : `"${role}" is not a role: say player, builder or admin`;
  },
  async run(args, io) {
    const { setRole } = await import("./set-role.js");
    return setRole(args, io);
  },
};

/** `loom world export`. */
export const worldExportCommand: Command = {
  words: ["world", "export"],
  positionals: ["<dir>"],
  options: { force: { type: "boolean" }, start: { type: "string" } },
  summary: "write the live world as world files, one per area",
  help: [
    "Usage: loom world export <dir> [--force] [--start <room>] [--config <file>]",
    "",
    "Writes the live world in the database (rooms, exits, things and characters as play has",
    "left them; never players' characters or what they carry) to <dir> as world files, one per",
    "area (shuttleford.yaml, the-river.yaml...), in the shape config/world/ is written in. The",
    "files are loaded back as the server would load them before the command succeeds.",
    "",
    "What the files cannot hold is reported: a respawn still waiting to appear is left out, a",
    "lock whose key a player carries is written without it, and ids the files do not allow",
    "(coin#2, apple~57) become ids they do (coin-2, apple-57).",
    "",
    "Options:",
    "  --force               write into <dir> even if it is not empty, replacing the world files",
    "                        (*.yaml, *.yml) in it",
    "  --start <room>        the room new characters start in (default: the start room of the",
    "                        configured world files, as the server uses)",
    COMMON_OPTIONS_HELP,
  ].join("\n"),
  async run(args, io) {
    const { exportWorldFiles } = await import("./export-world-files.js");
    return exportWorldFiles(args, io);
  },
};

/** `loom world import`. */
export const worldImportCommand: Command = {
  words: ["world", "import"],
  positionals: ["<dir>"],
  options: {},
  summary: "check world files and bring them into the database",
  help: [
    "Usage: loom world import <dir> [--config <file>]",
    "",
    "Checks the world files in <dir> as the server checks its own at start (a mistake is",
    "reported with its file, key and line, and nothing is written), then brings them into the",
    "database in the configured data directory (dataDir, LOOM_DATA_DIR) by the seeding rule",
    "(docs/world.md, \"Persistence\"): things the database lacks are inserted, things whose files",
    "changed are merged field by field, keeping what play changed, and the rest is kept. Into",
    "an empty data directory, that is the whole world. The server should be stopped.",
    "",
    "The server seeds from its own world directory (worldDir) at every start: to run an",
    "imported world, set worldDir to <dir> in a --config file.",
    "",
    "Options:",
    COMMON_OPTIONS_HELP,
  ].join("\n"),
  async run(args, io) {
    const { importWorldFiles } = await import("./import-world-files.js");
    return importWorldFiles(args, io);
  },
};

/** `loom backup`. */
export const backupCommand: Command = {
  words: ["backup"],
  positionals: ["<file>"],
  options: { force: { type: "boolean" } },
  summary: "copy the database to <file>, while the server runs",
  help: [
    "Usage: loom backup <file> [--force] [--config <file>]",
    "",
    "Copies the database in the configured data directory (dataDir, LOOM_DATA_DIR) to <file> with",
    "SQLite's online backup: the server may go on running and writing, and the copy is the",
    "database as of one moment. The live database is only read: nothing is migrated or changed.",
    "",
    "The copy is written beside <file> under a temporary name, checked with SQLite's",
    "integrity_check, and only then renamed to <file>, readable by its owner only (it holds",
    "password hashes). It is one self-contained file: copy it anywhere. The command reports its",
    "pages, bytes, seconds and schema version. Restore it with `loom restore <file>`.",
    "",
    "Options:",
    "  --force               replace <file> if it exists (default: refuse)",
    COMMON_OPTIONS_HELP,
  ].join("\n"),
  async run(args, io) {
    const { runBackup } = await import("./backup.js");
    return runBackup(args, io);
  },
};

/** `loom restore`. */
export const restoreCommand: Command = {
  words: ["restore"],
  positionals: ["<file>"],
  options: { force: { type: "boolean" } },
  summary: "make a backup the database, with the server stopped",
  help: [
    "Usage: loom restore <file> [--force] [--config <file>]",
    "",
    "Makes the backup <file> (from `loom backup`) the database in the configured data directory",
    "(dataDir, LOOM_DATA_DIR). Stop the server first. The backup is copied in and checked (a Loom",
    "database, integrity_check, a schema version this Loom can run) before anything in the data",
    "directory is touched; <file> itself is only read. A backup from an older Loom is migrated by",
    "the server when it next starts; one from a newer Loom is refused.",
    "",
    "A data directory that already holds a database is refused, unless --force: then the database",
    "there is moved aside, never deleted, to loom-before-restore-<UTC time>.db (with its -wal",
    "and -shm), and a server still running on it is refused.",
    "",
    "Options:",
    "  --force               move a database already in the data directory aside",
    "                        (default: refuse)",
    COMMON_OPTIONS_HELP,
  ].join("\n"),
  async run(args, io) {
    const { runRestore } = await import("./restore.js");
    return runRestore(args, io);
  },
};

/** Every command, in the order `loom --help` lists them. */
export const COMMANDS: readonly Command[] = [startCommand, roleCommand, worldExportCommand, worldImportCommand, backupCommand, restoreCommand];
