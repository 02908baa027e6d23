/**
 * Pairing doors with the way back. A door is declared once, on one exit; the exit back
 * through the same doorway shares it (one door, open or shut from both sides), and each of
 * the two exits names the other as its `twin`. The way back of an exit from R to T is the
 * exit in T whose `to` is R; if T has several, the one in the opposite direction; if that
 * still leaves several or none, the door is one-sided (a trapdoor that only opens downward).
 */
import type { DoorRecord } from "./model/thing-record.js";
import { OppositeExits } from "./world-vocabulary.js";

/** One exit as the door pairing sees it. */
export interface DoorwayExit {
  /** `<room>/<direction>`. */
  readonly id: string;
  readonly room: string;
  readonly direction: string;
  readonly to: string;
  /** The door declared on this exit, if any. */
  readonly door?: DoorRecord;
}

/** The door an exit ends up with, and the exit that shares it. */
export interface SharedDoor {
  readonly door: DoorRecord;
  readonly twin?: string;
}


/**
 * Gives every exit with a declared door that door, and gives it also to the way back when
 * there is one. Exits are visited in the given order; a clash is reported at the later
 * declaration: a door declared on both sides, or two doors whose ways back are one exit.
 * `problem` is called with the exit whose declaration is at fault, and why. Returns exit id
 * -> its door and twin; exits with no door are absent.
 */
export function pairDoors<E extends DoorwayExit>(
  exits: readonly E[],
  problem: (exit: E, message: string) => void,
): Map<string, SharedDoor> {
  const byRoom = new Map<string, E[]>();
  for (const exit of exits) {
    const inRoom = byRoom.get(exit.room);
    if (inRoom === undefined) byRoom.set(exit.room, [exit]);
    else inRoom.push(exit);
  }
  const order = new Map(exits.map((exit, index) => [exit.id, index] as const));
  const doors = new Map<string, SharedDoor>();
  const owners = new Map<string, string>();
  const reportedPairs = new Set<string>();

  for (const exit of exits) {
    if (exit.door === undefined) continue;
    const twin = wayBack(exit, byRoom.get(exit.to) ?? []);
    if (twin === undefined) {
      if (!doors.has(exit.id)) doors.set(exit.id, { door: exit.door });
      continue;
    }
    if (twin.door !== undefined) {
      const pair = [exit.id, twin.id].sort().join(" ");
      if (reportedPairs.has(pair)) continue;
      reportedPairs.add(pair);
      const later = (order.get(twin.id) ?? 0) > (order.get(exit.id) ?? 0) ? twin : exit;
      const other = later === twin ? exit : twin;
      problem(later, `the way back (${other.id}) has a door too; declare the door once, on one side; the way back shares it`);
      continue;
    }
    const owner = owners.get(twin.id);
    if (owner !== undefined) {
      problem(exit, `the way back (${twin.id}) already shares the door of ${owner}; one doorway cannot have two doors`);
      continue;
    }
    owners.set(twin.id, exit.id);
    doors.set(exit.id, { door: exit.door, twin: twin.id });
    doors.set(twin.id, { door: exit.door, twin: exit.id });
  }
  return doors;
}

/** The exit back through the same doorway, among the exits of the destination room. */
function wayBack<E extends DoorwayExit>(exit: E, destinationExits: readonly E[]): E | undefined {
  const back = destinationExits.filter((candidate) => candidate.to === exit.room && candidate.id !== exit.id);
  if (back.length <= 1) return back[0];
  const opposite: string | undefined = Object.hasOwn(OppositeExits, exit.direction)
    ? OppositeExits[exit.direction as keyof typeof OppositeExits]
    : undefined;
  const facing = back.filter((candidate) => candidate.direction === opposite);
  return facing.length === 1 ? facing[0] : undefined;
}
