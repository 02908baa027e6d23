/**
 * The mixed-play bench's world (issue 11, target 5): the shipped world (config/world/*.yaml,
 * copied so that the start room and everything else still load) plus one bench-only area, a
 * square grid of fields whose edges wrap round (a torus), so that every room has the same four
 * exits and players walking out and back in random directions keep the rooms balanced.
 *
 * Each room's name is `Grid Field RR-CC` with two-digit row and column: no name is a part of
 * another, and none occurs in any other text the server sends, so a client finds the answer to
 * its `look` or its walk by searching its byte stream for the room's name (mixed-players.ts).
 * The description is one short sentence without digits, so a look costs what a look costs —
 * the room's name, its prose, its exits and the list of who is there — and nothing more.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The four ways out of every field, and the way back from each. */
export const GRID_EXITS = ["north", "east", "south", "west"] as const;
export type GridExit = (typeof GRID_EXITS)[number];
const BACK: Readonly<Record<GridExit, GridExit>> = { north: "south", south: "north", east: "west", west: "east" };

/** The smallest and largest grid side: a torus needs three rows to have four distinct neighbours; names have two digits. */
export const MIN_GRID_SIDE = 3;
export const MAX_GRID_SIDE = 99;

/** The bench-only area's file in the world directory (after the shipped ones, in name order). */
const GRID_FILE = "zz-bench-grid.yaml";

/** A square torus of `side` × `side` rooms, numbered row-major from 0. */
export class GridWorld {
  readonly side: number;
  /** Every room's id and name, by room number. */
  readonly ids: readonly string[];
  readonly names: readonly string[];

  constructor(side: number) {
    if (!Number.isInteger(side) || side < MIN_GRID_SIDE || side > MAX_GRID_SIDE) {
      throw new RangeError(`a grid side must be an integer from ${MIN_GRID_SIDE} to ${MAX_GRID_SIDE} (got ${side})`);
    }
    this.side = side;
    const ids: string[] = [];
    const names: string[] = [];
    for (let room = 0; room < side * side; room++) {
      const [row, col] = [Math.floor(room / side), room % side].map((n) => String(n).padStart(2, "0"));
      ids.push(`grid-${row}-${col}`);
      names.push(`Grid Field ${row}-${col}`);
    }
    this.ids = ids;
    this.names = names;
  }

  /** How many rooms. */
  get rooms(): number {
    return this.side * this.side;
  }

  /** The room reached from `room` by `exit` (the edges wrap round). */
  neighbour(room: number, exit: GridExit): number {
    const n = this.side;
    const row = Math.floor(room / n);
    const col = room % n;
    switch (exit) {
      case "north":
        return ((row + n - 1) % n) * n + col;
      case "south":
        return ((row + 1) % n) * n + col;
      case "east":
        return row * n + ((col + 1) % n);
      case "west":
        return row * n + ((col + n - 1) % n);
      default: {
        const unreachable: never = exit;
        throw new Error(`unknown exit ${String(unreachable)}`);
      }
    }
  }

  /** The exit that undoes `exit`. */
  static back(exit: GridExit): GridExit {
    return BACK[exit];
  }

  /** The area as a world file (the format of src/world/world-schema.ts). */
  yaml(): string {
    const lines = [
      "# Written by the mixed-play bench (bench/lib/mixed-world.ts): a bench-only grid whose edges wrap.",
      "area: Bench Grid",
      "rooms:",
    ];
    for (let room = 0; room < this.rooms; room++) {
      lines.push(
        `  ${this.ids[room]}:`,
        `    name: ${this.names[room]}`,
        "    description: A trodden field of the bench grid; paths lead away on every side.",
        "    exits:",
        ...GRID_EXITS.map((exit) => `      ${exit}: ${this.ids[this.neighbour(room, exit)]}`),
      );
    }
    return `${lines.join("\n")}\n`;
  }
}

/**
 * Writes the world directory `dir`: every `*.yaml`/`*.yml` of `shippedDir` (config/world)
 * copied as it is, and the grid as one more file.
 */
export function writeMixedWorld(dir: string, shippedDir: string, grid: GridWorld): void {
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(shippedDir)) {
    if (file.endsWith(".yaml") || file.endsWith(".yml")) copyFileSync(path.join(shippedDir, file), path.join(dir, file));
  }
  writeFileSync(path.join(dir, GRID_FILE), grid.yaml());
}
