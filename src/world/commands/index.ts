/**
 * The command table, in the order `help` lists it.
 */
import type { Command } from "../command.js";
import { emote, say, tell, who } from "./communication.js";
import { inventory, look } from "./looking.js";
import { help, quit } from "./meta.js";
import { directions, go } from "./movement.js";
import { drop, get } from "./objects.js";

/** Every command players can type. */
export const COMMANDS: readonly Command[] = [look, go, directions, say, emote, tell, who, get, drop, inventory, help, quit];
