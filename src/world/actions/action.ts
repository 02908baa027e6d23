/**
 * What an action is, and what it may ask of the world (docs/world.md, "Adding an action").
 * An action declares its names, its grammar and who may use it, and registers into the
 * {@link ActionRegistry} the world is given; it changes the world through
 * {@link WorldServices} and tells people what happened by narrating events. It never sees
 * sessions, doors or bytes.
 */
import type { ClientCapabilities, ColourMode, OutputMessage, Span } from "../../session/messages.js";
import type { Role } from "../../store/store.js";
import type { Building } from "../building/service.js";
import type { Passage } from "../crowd-news.js";
import type { ChannelService } from "../channels/channel-service.js";
import type { IgnoreService } from "../channels/ignores.js";
import type { Thing } from "../model/thing.js";
import type { Moderation } from "../moderation.js";
import type { Narrator, WorldEvent } from "../narrator.js";
import type { PhraseValues } from "../phrase.js";
import type { Slots } from "../parser/grammar.js";
import type { ResolveScope } from "../parser/resolve.js";
import type { Player } from "../seats.js";
import type { TellAdmission } from "../tell-limits.js";

/** A command players can type. */
export interface Action {
  /** The primary name first, then aliases: ["get", "take"]. */
  readonly names: readonly string[];
  /**
   * What may follow the verb, most specific first: ["get <things> from <container>",
   * "get <things>"]. The first that fits is used; see parser/grammar.ts. `<text>` slots are
   * raw text; every other slot names things and is resolved by the action.
   */
  readonly syntax: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** A paragraph for `help <command>`. */
  readonly help: string;
  /** The weakest role that may use it. Default `"player"`. */
  readonly role?: Role;
  /** How `help` shows it, when not by its first syntax: "north, south, ... (or n, s, ...)". */
  readonly usage?: string;
  run(ctx: ActionContext): void;
}

/** Where an exit led, or why it did not. */
export type WalkResult =
  | { readonly kind: "moved"; readonly to: Thing }
  | { readonly kind: "closed"; readonly exit: Thing }
  | { readonly kind: "nowhere" };

/** The world as actions see it. */
export interface WorldServices {
  readonly narrator: Narrator;
  /** Tells everyone concerned about an event, once per kind of observer. */
  narrate(event: WorldEvent): void;
  /**
   * Tells a place that a character came in (`arrive`: logged in, walked in, was brought) or
   * went out: narrated now in a quiet room, gathered into one summary a second in a crowded
   * one (crowd-news.ts, docs/crowds.md), so one more arrival costs O(1) in a crowd of 5,000.
   */
  pass(event: WorldEvent, way: Passage): void;
  /** Moves a thing (and what it holds) into another: saved before it returns. Tells nobody. */
  move(thing: Thing, into: Thing): void;
  /** Saves a thing whose state changed (a door opened: both its sides). */
  save(thing: Thing): void;
  /** Walks a character through an exit of its room, narrating the leaving and the arrival. */
  walk(character: Thing, exit: Thing): WalkResult;
  /** Describes the character's room to its player (and sends the room's out-of-band data). */
  showRoom(character: Thing): void;
  /** A loaded thing by id. */
  thing(id: string): Thing | undefined;
  /** Sends out-of-band data (GMCP package, JSON payload) to a character's player, if any. */
  oob(character: Thing, channel: string, data: unknown): void;
  /**
   * Tells a character's player's connection their colour choice (`color`, issue 8), if anyone
   * plays it. The world only passes the choice on: what it means is the door's.
   */
  colour(character: Thing, mode: ColourMode): void;
  /** What the player's client announced about itself (its door's capabilities), if known. */
  client(player: Player): ClientCapabilities | undefined;
  /** Everyone online, in the order they logged in. Iterate lazily: there may be thousands. */
  online(): Iterable<Player>;
  /** How many are online, without walking them. */
  onlineCount(): number;
  /** The online player with this name (any case), if any. */
  findOnline(name: string): Player | undefined;
  /** Whether a tell from `from` to `to` is within both players' tell allowances (issue 5 item 9). */
  admitTell(from: Player, to: Player): TellAdmission;
  /** Ends the player's session: they are saved and leave the world. */
  quit(player: Player): void;
  /** Every action, for help. */
  actions(): readonly Action[];
  /** Clock time in milliseconds. */
  now(): number;
  /** The channels, their members online and their history (issue 7, "Talking"). */
  readonly channels: ChannelService;
  /** Who each player ignores, saved as it changes (issue 7, "Talking"). */
  readonly ignores: IgnoreService;
  /** What admins do to players and to the server: kick, ban, mute, role, announce, shutdown (issue 7). */
  readonly moderation: Moderation;
  /** What builders do to the world: make and destroy things, doors, behaviours (issue 7, "Building"). */
  readonly building: Building;
}

/** One invocation of an action. */
export interface ActionContext {
  readonly world: WorldServices;
  /** Who typed the command. */
  readonly player: Player;
  /** The character they play (`player.character`). */
  readonly actor: Thing;
  /** The word typed, lowercase ("l", "look"). */
  readonly verb: string;
  /** Everything after the verb, trimmed. */
  readonly args: string;
  /** The syntax line that fitted. */
  readonly syntax: string;
  /** Slot values by name, as typed. */
  readonly slots: Slots;
  /** Sends one line to the actor. */
  reply(...spans: Span[]): void;
  /** Sends one whole message to the actor. */
  send(message: OutputMessage): void;
  /**
   * Sends the actor one line made from a phrase template (phrase.ts), rendered for the actor,
   * with the actor as `{actor}`: `ctx.phrase("{thing.the} is locked.", { thing })`.
   */
  phrase(template: string, values?: Omit<PhraseValues, "actor">): void;
  /**
   * The one thing slot `slot` names in `scope`, or undefined after telling the actor why not:
   * `notFound` when nothing answers; the numbered "which one?" question when different things
   * do (the answer runs the command again); a refusal of `all`.
   */
  one(slot: string, scope: Omit<ResolveScope, "many">, notFound: string): Thing | undefined;
  /** As {@link one}, but `all`, `all.coin` and `2.coin` may name several things. */
  many(slot: string, scope: Omit<ResolveScope, "many">, notFound: string): readonly Thing[] | undefined;
}
