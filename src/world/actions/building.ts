/**
 * The builders' commands (issue 7, "Building"), for role builder or admin; the dispatcher
 * refuses everyone else ("Only builders may use dig."). Registered with the built-ins.
 */
import type { Action } from "./action.js";
import { dig, link, teleport, unlink } from "./building-rooms.js";
import { examine } from "./building-examine.js";
import { set } from "./building-set.js";
import { describe, destroy, make, rename } from "./building-things.js";

/** Every building command, in the order `help` lists them. */
export const BUILDING_ACTIONS: readonly Action[] = [dig, link, unlink, make, destroy, describe, rename, set, examine, teleport];
