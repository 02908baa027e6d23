/**
 * The built-in actions, in the order `help` lists them. A server registers these into the
 * registry it gives the world, and may register more (docs/world.md, "Adding an action").
 */
import type { Action } from "./action.js";
import { ADMIN_ACTIONS } from "./admin.js";
import { BUILDING_ACTIONS } from "./building.js";
import { pronouns } from "./character.js";
import { channel, channels, history, join, leave, post } from "./channels.js";
import { close, lock, open, unlock } from "./closures.js";
import { colour } from "./colour.js";
import { emote, reply, say, tell, whisper } from "./communication.js";
import { ignore, unignore } from "./ignoring.js";
import { who } from "./who.js";
import { inventory, look } from "./looking.js";
import { help, quit } from "./meta.js";
import { directions, go } from "./moving.js";
import { drop, get, give, put } from "./objects.js";

/** Every built-in action. */
export const BUILT_IN_ACTIONS: readonly Action[] = [
  look,
  go,
  directions,
  say,
  emote,
  tell,
  reply,
  whisper,
  who,
  channels,
  post,
  join,
  leave,
  history,
  ignore,
  unignore,
  get,
  drop,
  put,
  give,
  inventory,
  open,
  close,
  lock,
  unlock,
  pronouns,
  colour,
  help,
  quit,
  channel,
  ...ADMIN_ACTIONS,
  ...BUILDING_ACTIONS,
];
