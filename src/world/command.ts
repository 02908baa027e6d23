/**
 * What a command is, and what it may ask of the world. Commands are small functions over a
 * {@link CommandContext}; they never see sessions, doors or bytes, only players and messages.
 */
import type { OutputMessage } from "../session/messages.js";
import type { Player, Room, Thing } from "./model.js";
import type { TellAdmission } from "./tell-limits.js";

/** The world as commands see it. */
export interface WorldServices {
  /** Sends one message to one player. */
  tell(player: Player, message: OutputMessage): void;
  /** Sends one message to everyone in `room` except `except`. Rendered once, whatever the crowd. */
  tellRoom(room: Room, message: OutputMessage, except?: Player): void;
  /** Everyone online, in the order they logged in. Iterate lazily: there may be thousands. */
  online(): Iterable<Player>;
  /** How many are online, without walking them. */
  onlineCount(): number;
  /** Whether a tell from `from` to `to` is within both players' tell allowances (issue 5 item 9). */
  admitTell(from: Player, to: Player): TellAdmission;
  /** The online player with this name (any case), if any. */
  findOnline(name: string): Player | undefined;
  /** Sends the player a description of the room they stand in. */
  showRoom(player: Player): void;
  /** Moves a player through an exit of their room, announcing it; false if there is no such exit. */
  move(player: Player, exit: string): boolean;
  /** Moves a thing from the player's room into their hands and saves it. */
  take(player: Player, thing: Thing): void;
  /** Moves a thing from the player's hands to the floor of their room and saves it. */
  drop(player: Player, thing: Thing): void;
  /** Ends the player's session: they are saved and leave the world. */
  quit(player: Player): void;
  /** Every command, for help. */
  commands(): readonly Command[];
  /** Clock time in milliseconds. */
  now(): number;
}

/** One command invocation. */
export interface CommandContext {
  readonly world: WorldServices;
  readonly player: Player;
  /** The word the player typed, lowercase ("l", "look"). */
  readonly verb: string;
  /** Everything after the verb, trimmed. */
  readonly args: string;
}

/** A command players can type. */
export interface Command {
  /** The primary name first, then aliases. */
  readonly names: readonly string[];
  /** How to type it: "say <text>". */
  readonly usage: string;
  /** One line for the command list. */
  readonly summary: string;
  /** A paragraph for `help <command>`. */
  readonly help: string;
  run(ctx: CommandContext): void;
}
