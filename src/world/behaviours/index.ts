/**
 * The built-in behaviours. A server registers these into the registry it gives the world, and
 * may register more (docs/world.md, "Adding a behaviour").
 */
import type { Behaviour } from "./behaviour.js";
import { greet } from "./greet.js";
import { respawn } from "./respawn.js";
import { wander } from "./wander.js";

/** Every built-in behaviour. */
export const BUILT_IN_BEHAVIOURS: readonly Behaviour[] = [greet, wander, respawn];
