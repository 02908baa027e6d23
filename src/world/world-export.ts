/**
 * The live world back to world files (issue 7, "world export"): what the store holds (rooms,
 * exits, things and non-player characters; never players' characters or what they carry),
 * written in the shape `config/world/` is read in, so that `loadWorld` reads it back and
 * `store.seedWorld` can bring it into another database (docs/world.md, "The world files").
 *
 * One file per area, named by the area as a slug (`shuttleford.yaml`, `the-river.yaml`); a
 * thing or character goes in the file of the room it is in. The output is deterministic:
 * files in name order, and in each, rooms, things and characters by their `seq` in the store,
 * exits under their rooms. That order survives an import (the seeding gives each file's
 * records ascending seqs in the order written), so an export of a world, imported into an
 * empty database and exported again, gives the same bytes (test/world/world-export.test.ts).
 *
 * What the files cannot say is reported rather than guessed at: a respawn waiting to appear
 * (it is nowhere) is left out; a lock whose key a player carries is written without its lock;
 * an id the files do not allow (`coin#2`, `apple~57`) becomes one they do (`coin-2`,
 * `apple-57`), unless it is a `count` copy lying unchanged with its original, which folds back
 * into `count:`. Behaviour state is never written: the files author behaviours, not their state.
 *
 * The parts: world-export-plan.ts (which records, where, under which id),
 * world-export-entries.ts (each record as a builder would write it), world-export-yaml.ts
 * (the text).
 */
import type { StoredThing } from "../store/store.js";
import { BUILT_IN_BEHAVIOUR_PARAMS, type BehaviourSchemas } from "./behaviours/params.js";
import { entriesOfFile } from "./world-export-entries.js";
import { planExport, type ExportNote } from "./world-export-plan.js";
import { renderWorldFile } from "./world-export-yaml.js";

export type { ExportNote } from "./world-export-plan.js";

/** What {@link exportWorld} needs besides the things. */
export interface WorldExportOptions {
  /**
   * The id of the room new characters start in. The store does not keep it: it is the
   * configured world files' `start:`, as the server uses.
   */
  readonly start: string;
  /**
   * The parameter schemas of the behaviours the world knows, used to leave out parameters
   * that are at their defaults (`delaySeconds: 1`). Default: the built-in behaviours'.
   */
  readonly behaviours?: BehaviourSchemas;
}

/** One world file of an export. */
export interface ExportedFile {
  /** The file name: the area as a slug, then `.yaml`. */
  readonly name: string;
  /** The file's `area:`. */
  readonly area: string;
  /** The YAML text, ending with a newline. */
  readonly text: string;
  readonly rooms: number;
  /** Entries under `things:` (an entry with `count: 3` is one). */
  readonly things: number;
  readonly characters: number;
}

/** The result of {@link exportWorld}. */
export interface WorldExport {
  /** In name order, which is the order the world loader reads them in. */
  readonly files: readonly ExportedFile[];
  /**
   * The start room's id in the files; `undefined` when the store holds no room with the id
   * given as `start` (no file then sets `start:`, and the files will not load until one does).
   */
  readonly start: string | undefined;
  /** Store id -> file id, for each thing whose id is not a valid world-file id. In seq order. */
  readonly renamed: ReadonlyMap<string, string>;
  /** Things not written, and why. */
  readonly leftOut: readonly ExportNote[];
  /** Things written other than as the store holds them, and why. */
  readonly changed: readonly ExportNote[];
}

/**
 * Turns the store's world (`Store.loadWorldThings()`) into world files. Pure: it reads
 * nothing and writes nothing; the caller writes the files.
 */
export function exportWorld(stored: readonly StoredThing[], options: WorldExportOptions): WorldExport {
  const leftOut: ExportNote[] = [];
  const changed: ExportNote[] = [];
  const plan = planExport(stored, leftOut, changed);
  const startRoom = plan.placed.get(options.start);
  const start = startRoom?.kind === "room" ? plan.fileIds.get(options.start) : undefined;
  const context = { ...plan, behaviours: options.behaviours ?? BUILT_IN_BEHAVIOUR_PARAMS, declaredDoors: new Set<string>(), leftOut, changed };

  const files = plan.files.map((file): ExportedFile => {
    const content = entriesOfFile(file, context);
    const startsHere = start !== undefined && file.rooms.some((room) => room.record.id === options.start);
    return {
      name: file.name,
      area: file.area,
      text: renderWorldFile(startsHere ? { ...content, start } : content),
      rooms: Object.keys(content.rooms).length,
      things: Object.keys(content.things).length,
      characters: Object.keys(content.characters).length,
    };
  });
  const renamed = new Map([...plan.fileIds].filter(([id, fileId]) => id !== fileId));
  return { files, start, renamed, leftOut, changed };
}
