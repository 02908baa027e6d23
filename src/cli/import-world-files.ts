/**
 * `loom world import <dir>` (src/cli/commands.ts): world files into the database. The files
 * are checked exactly as the server checks its own at boot (`loadWorld`: every problem with
 * its file, key and line, and nothing written), then brought in by the seeding rule
 * (`Store.seedWorld`, docs/world.md, "Persistence"): what the database lacks is inserted, what
 * the files changed is merged field by field keeping what play changed, the rest is kept.
 * Into an empty data directory, that is the whole world.
 */
import path from "node:path";
import type { SeedReport } from "../store/store.js";
import { loadWorld, WorldFileError } from "../world/world-file.js";
import type { WorldDefinition } from "../world/world-schema.js";
import { ExitStatus, shown, type CliIo } from "./cli-io.js";
import { openStore, readConfig } from "./cli-setup.js";
import type { CommandArgs } from "./command.js";

/** How many ids of each kind of outcome the summary lists before counting the rest. */
const LISTED_IDS = 20;

/** Runs `loom world import` with its parsed arguments. */
export function importWorldFiles({ positionals: [dir = ""], config }: CommandArgs, io: CliIo): ExitStatus {
  const settings = readConfig(io, "world import", config);
  if (settings === undefined) return ExitStatus.failed;
  const source = path.resolve(io.cwd, dir);
  let world: WorldDefinition;
  try {
    world = loadWorld(source);
  } catch (error) {
    if (!(error instanceof WorldFileError)) throw error;
    io.err(`loom world import: nothing imported; the world files do not load:\n${error.message}\n`);
    return ExitStatus.failed;
  }
  const store = openStore(io, "world import", settings.dataDir);
  if (store === undefined) return ExitStatus.failed;
  let report: SeedReport;
  const target = shown(io, store.file);
  try {
    report = store.seedWorld(world.records, store.maxSeq() + 1);
  } finally {
    store.close();
  }
  io.out(summary(io, world, report, source, target, settings.worldDir));
  return ExitStatus.ok;
}

function summary(io: CliIo, world: WorldDefinition, report: SeedReport, source: string, target: string, worldDir: string): string {
  const total = world.records.length;
  const kept = total - report.inserted.length - report.updated.length;
  const lines = [
    `Imported ${shown(io, source)} (${total} records, start room ${world.start}) into ${target}:`,
    `  inserted ${report.inserted.length}, updated ${report.updated.length}, kept ${kept}`,
  ];
  listed(lines, "Updated (merged field by field, keeping what play changed)", report.updated);
  listed(lines, "Kept as made in play (the files use an id the game already gave it)", report.conflicts);
  listed(lines, "In the database but no longer in these files (left in the world)", report.orphaned);
  if (path.resolve(source) !== path.resolve(worldDir)) {
    lines.push(`The server seeds from ${shown(io, worldDir)} at every start; set worldDir to ${shown(io, source)} to run this world.`);
  }
  return `${lines.join("\n")}\n`;
}

function listed(lines: string[], title: string, ids: readonly string[]): void {
  if (ids.length === 0) return;
  const more = ids.length > LISTED_IDS ? `, and ${ids.length - LISTED_IDS} more` : "";
  lines.push(`${title}: ${ids.slice(0, LISTED_IDS).join(", ")}${more}`);
}
