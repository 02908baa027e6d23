/**
 * `loom world export <dir>` (src/cli/commands.ts): the live world in the database, written as
 * world files (src/world/world-export.ts), then read back with the server's own loader, so
 * that a file the server would refuse is never left behind as if it were good.
 */
import fs from "node:fs";
import path from "node:path";
import { loadWorld, WorldFileError } from "../world/world-file.js";
import { exportWorld, type WorldExport } from "../world/world-export.js";
import { ExitStatus, shown, type CliIo } from "./cli-io.js";
import { openExistingStore, readConfig } from "./cli-setup.js";
import type { CommandArgs } from "./command.js";

/** How many renamed, left-out or changed things the summary lists by id before counting the rest. */
const LISTED_NOTES = 20;

/** World files, as the loader finds them (world-file.ts): `*.yaml` and `*.yml`, not hidden. */
const WORLD_FILE = /^[^.].*\.ya?ml$/i;

/** Runs `loom world export` with its parsed arguments. */
export function exportWorldFiles({ positionals: [dir = ""], options, config }: CommandArgs, io: CliIo): ExitStatus {
  const settings = readConfig(io, "world export", config);
  if (settings === undefined) return ExitStatus.failed;
  const target = path.resolve(io.cwd, dir);
  const replaced = replaceableFiles(io, target, options["force"] === true);
  if (replaced === undefined) return ExitStatus.failed;
  const start = typeof options["start"] === "string" ? options["start"] : configuredStart(io, settings.worldDir);
  if (start === undefined) return ExitStatus.failed;

  const store = openExistingStore(io, "world export", settings.dataDir);
  if (store === undefined) return ExitStatus.failed;
  let exported: WorldExport;
  const source = shown(io, store.file);
  try {
    exported = exportWorld(store.loadWorldThings(), { start });
  } finally {
    store.close();
  }
  if (exported.files.length === 0) {
    io.err(`loom world export: the database ${source} holds no rooms: there is no world to export.\n`);
    return ExitStatus.failed;
  }
  if (exported.start === undefined) {
    io.err(`loom world export: the database ${source} has no room "${start}" to start in; name one with --start <room id>.\n`);
    return ExitStatus.failed;
  }

  fs.mkdirSync(target, { recursive: true });
  for (const name of replaced) fs.rmSync(path.join(target, name));
  for (const file of exported.files) fs.writeFileSync(path.join(target, file.name), file.text);
  try {
    loadWorld(target);
  } catch (error) {
    if (!(error instanceof WorldFileError)) throw error;
    io.err(`loom world export: the files written to ${shown(io, target)} do not load; this is a bug in the export:\n${error.message}\n`);
    return ExitStatus.failed;
  }
  io.out(summary(io, exported, source, target, replaced));
  return ExitStatus.ok;
}

/**
 * The world files `--force` replaces in `dir`: none when it is missing or empty. Without
 * `--force`, a directory with anything in it is refused (`undefined`, reported).
 */
function replaceableFiles(io: CliIo, dir: string, force: boolean): string[] | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return [];
    io.err(`loom world export: cannot write into ${shown(io, dir)}: ${code === "ENOTDIR" ? "it is not a directory" : String(error)}\n`);
    return undefined;
  }
  if (names.length > 0 && !force) {
    io.err(`loom world export: ${shown(io, dir)} is not empty; use --force to replace the world files in it.\n`);
    return undefined;
  }
  return names.filter((name) => WORLD_FILE.test(name) && fs.statSync(path.join(dir, name)).isFile()).sort();
}

/** The start room of the configured world files, as the server takes it; `undefined` after saying why not. */
function configuredStart(io: CliIo, worldDir: string): string | undefined {
  try {
    return loadWorld(worldDir).start;
  } catch (error) {
    if (!(error instanceof WorldFileError)) throw error;
    io.err(
      `loom world export: the start room comes from the world files in ${shown(io, worldDir)}, which do not load:\n` +
        `${error.message}\nName the start room with --start <room id>.\n`,
    );
    return undefined;
  }
}

function summary(io: CliIo, exported: WorldExport, source: string, target: string, replaced: readonly string[]): string {
  const width = Math.max(...exported.files.map((file) => file.name.length));
  const lines = [`Exported the world in ${source} to ${shown(io, target)}:`];
  for (const file of exported.files) {
    const counts = [plural(file.rooms, "room"), plural(file.things, "thing"), plural(file.characters, "character")].filter((c) => c !== "");
    lines.push(`  ${file.name.padEnd(width)}  ${counts.join(", ")}`);
  }
  lines.push(`Start room: ${exported.start ?? ""}.`);
  const unwritten = replaced.filter((name) => !exported.files.some((file) => file.name === name));
  if (unwritten.length > 0) lines.push(`Removed the old world files ${unwritten.join(", ")}.`);
  listed(lines, "Renamed (ids the files do not allow)", [...exported.renamed].map(([from, to]) => `${from} -> ${to}`));
  listed(lines, "Left out", exported.leftOut.map((note) => `${note.id}: ${note.why}`));
  listed(lines, "Written differently", exported.changed.map((note) => `${note.id}: ${note.why}`));
  return `${lines.join("\n")}\n`;
}

function listed(lines: string[], title: string, items: readonly string[]): void {
  if (items.length === 0) return;
  lines.push(`${title}: ${items.length}`);
  for (const item of items.slice(0, LISTED_NOTES)) lines.push(`  ${item}`);
  if (items.length > LISTED_NOTES) lines.push(`  ... and ${items.length - LISTED_NOTES} more`);
}

/** "3 rooms", "1 thing"; "" for none. */
function plural(n: number, noun: string): string {
  return n === 0 ? "" : `${n} ${noun}${n === 1 ? "" : "s"}`;
}
