/**
 * The world: the WorldPort side of the Session <-> World boundary. It composes the parts —
 * the live world loaded from the store, the narrator, the action registry and dispatcher, the
 * behaviours, the sessions — and holds no feature logic of its own (docs/world.md). It
 * imports nothing from protocols/, node:net or ws, and knows no door.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { LoginGuard } from "../accounts/login-guard.js";
import { ResumeTokens } from "../accounts/resume-tokens.js";
import type { PasswordHasher } from "../accounts/passwords.js";
import type { Clock } from "../reactor/clock.js";
import { reason } from "../reactor/interfaces.js";
import type { ClientCapabilities, ColourMode, GatewayPort, InboundMessage, SessionId, WorldPort } from "../session/messages.js";
import { line } from "../session/messages.js";
import type { Store } from "../store/store.js";
import type { Action, WalkResult, WorldServices } from "./actions/action.js";
import { BUILT_IN_ACTIONS } from "./actions/index.js";
import { walk } from "./actions/moving.js";
import { ActionRegistry } from "./actions/registry.js";
import { BUILT_IN_BEHAVIOURS } from "./behaviours/index.js";
import { BehaviourRegistry, BehaviourRunner } from "./behaviours/runner.js";
import { BuildingService } from "./building/service.js";
import { takeCensus, type WorldCensus } from "./census.js";
import { Channels } from "./channels/channel-service.js";
import { commandsForRole } from "./command-words.js";
import { Ignores } from "./channels/ignores.js";
import { Dispatcher } from "./dispatch.js";
import { LiveWorld } from "./model/live-world.js";
import { Moderation } from "./moderation.js";
import type { Thing } from "./model/thing.js";
import type { ThingRecord } from "./model/thing-record.js";
import { Narrator, type WorldEvent } from "./narrator.js";
import { itemList, RoomLists } from "./room-contents.js";
import { describeRoom, roomInfo } from "./room-view.js";
import type { Player } from "./seats.js";
import { Sessions } from "./sessions.js";
import { SessionResume } from "./session-resume.js";
import { WHO_PAGE_SIZE } from "./actions/who.js";
import { TellLimits, type TellAdmission } from "./tell-limits.js";
import type { WorldDefinition } from "./world-schema.js";

/**
 * World settings: the operator's, from `limits` and `accounts` in the configuration. Every one
 * is required, so the defaults are written once, in config/default.yaml (issue 10); tests take
 * them from there too (test/support/default-config.ts).
 */
export interface WorldOptions {
  /** Seconds a connection may take to log in before it is closed (hardening F6). */
  readonly loginTimeoutSeconds: number;
  /** Seconds a logged-in player may type nothing before being disconnected (hardening F8); 0 is off. */
  readonly idleTimeoutSeconds: number;
  /** Seconds before that disconnection the player is warned; 0 sends no warning. */
  readonly idleWarningSeconds: number;
  /** Login attempts per minute on one account from one address key (hardening A2). */
  readonly failedLoginsPerMinute: number;
  /** Login attempts per minute from one address key, across accounts (hardening A2). */
  readonly failedLoginsPerAddressPerMinute: number;
  /** Attempts on one account from addresses it was not used from before the backoff (issue 5 item 5). */
  readonly accountFreeAttempts: number;
  /** The longest backoff delay on one account, in seconds (issue 5 item 5). */
  readonly accountBackoffMaxSeconds: number;
  /** Characters one address may create per hour (hardening A3). */
  readonly creationsPerHour: number;
  /** Seconds a resume token lives from its issue (issue 9, docs/web-client.md, "Resume tokens"). */
  readonly resumeTokenSeconds: number;
  /** Live resume tokens per character; one more drops the oldest (issue 9). */
  readonly maxResumeTokensPerPlayer: number;
  /** Tells per second, sustained, per sender and per recipient (issue 5 item 9). */
  readonly tellsPerSecond: number;
  /** Tells at once before that rate applies, per sender and per recipient. */
  readonly tellBurst: number;
  /** Channel posts per second, sustained, per sender (hardening F2). */
  readonly channelPostsPerSecond: number;
  /** Channel posts at once before that rate applies, per sender. */
  readonly channelBurst: number;
}

/** What the world is built from. */
export interface WorldDeps {
  readonly definition: WorldDefinition;
  readonly store: Store;
  readonly hasher: PasswordHasher;
  readonly gateway: GatewayPort;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Wall-clock milliseconds for stored timestamps and due times. Default `Date.now`. */
  readonly wallClock?: () => number;
  /** A number in [0, 1), for wanderers. Default `Math.random`; tests seed it. */
  readonly random?: () => number;
  /** The commands players can type. Default: the built-in actions. */
  readonly actions?: ActionRegistry;
  /** The behaviours things can carry. Default: the built-in behaviours. */
  readonly behaviours?: BehaviourRegistry;
  /** Stops the server the way SIGTERM does (an admin's `shutdown`). Default: nothing happens. */
  readonly requestShutdown?: () => void;
  readonly options: WorldOptions;
}

/** The shared world every door feeds. */
export class World implements WorldPort, WorldServices {
  readonly narrator: Narrator;
  readonly channels: Channels;
  readonly ignores: Ignores;
  readonly moderation: Moderation;
  readonly building: BuildingService;
  readonly #deps: WorldDeps;
  readonly #live: LiveWorld;
  readonly #actions: ActionRegistry;
  readonly #runner: BehaviourRunner;
  readonly #sessions: Sessions;
  readonly #tellLimits: TellLimits;
  /**
   * The room each character was last sent `Room.Info` (and who and what is there) for, and on
   * which connection, so a look does not resend it but a new connection to the same character
   * (a takeover, a resume) is sent it.
   */
  readonly #roomInfoSent = new WeakMap<Thing, { readonly room: Thing; readonly session: SessionId }>();

  constructor(deps: WorldDeps) {
    this.#deps = deps;
    const log = deps.logger;
    const options = deps.options;
    const wallClock = deps.wallClock ?? Date.now;
    this.#live = LiveWorld.open(deps.store, deps.definition.records, log);
    const start = this.#live.get(deps.definition.start);
    if (start?.room === undefined) throw new Error(`the start room "${deps.definition.start}" is not in the world`);
    this.#actions = deps.actions ?? new ActionRegistry().register(...BUILT_IN_ACTIONS);
    const behaviours = deps.behaviours ?? new BehaviourRegistry().register(...BUILT_IN_BEHAVIOURS);
    this.#runner = new BehaviourRunner(
      behaviours,
      {
        world: this,
        clock: deps.clock,
        random: deps.random ?? Math.random,
        wallClock,
        create: (record, into) => this.#create(record, into),
        copyId: (template) => this.#live.copyId(template),
        saveState: (self, name, state) => {
          if (state === undefined) delete self.behaviourState[name];
          else self.behaviourState[name] = state;
          this.#live.save(self);
        },
        detach: (self, name) => {
          self.behaviours = self.behaviours.filter((b) => b.name !== name);
          delete self.behaviourState[name];
          this.#live.save(self);
          this.#runner.stopOne(self, name);
        },
      },
      log.child({ subsystem: "behaviours" }),
    );
    this.narrator = new Narrator(deps.gateway, this.#runner.hear);
    this.building = new BuildingService({
      live: this.#live,
      store: deps.store,
      runner: this.#runner,
      behaviours,
      move: (thing, into) => this.move(thing, into),
      create: (record, into) => this.#create(record, into),
      log: log.child({ subsystem: "building" }),
    });
    this.#tellLimits = new TellLimits(deps.clock, { perSecond: options.tellsPerSecond, burst: options.tellBurst });
    this.channels = new Channels({
      store: deps.store,
      gateway: deps.gateway,
      clock: deps.clock,
      wallClock,
      options: { postsPerSecond: options.channelPostsPerSecond, burst: options.channelBurst },
    });
    this.ignores = new Ignores(deps.store);
    const decoyHash = deps.hasher.hash(randomUUID());
    decoyHash.catch(() => {}); // a failure surfaces where it is awaited
    const resumeTokens = new ResumeTokens({
      store: deps.store,
      now: wallClock,
      lifetimeSeconds: options.resumeTokenSeconds,
      maxPerPlayer: options.maxResumeTokensPerPlayer,
    });
    this.#sessions = new Sessions({
      gateway: deps.gateway,
      clock: deps.clock,
      store: deps.store,
      log,
      live: this.#live,
      world: this,
      runner: this.#runner,
      dispatcher: new Dispatcher(this.#actions, this, log),
      start,
      loginTimeoutSeconds: options.loginTimeoutSeconds,
      resume: new SessionResume({ tokens: resumeTokens, gateway: deps.gateway, maxPerSession: options.maxResumeTokensPerPlayer }),
      idle: { timeoutSeconds: options.idleTimeoutSeconds, warningSeconds: options.idleWarningSeconds },
      wallClock,
      entered: (player) => this.#playerEntered(player),
      leaving: (player) => this.#playerLeaving(player),
      loginServices: {
        store: deps.store,
        hasher: deps.hasher,
        guard: new LoginGuard({
          clock: deps.clock,
          failedLoginsPerMinute: options.failedLoginsPerMinute,
          failedLoginsPerAddressPerMinute: options.failedLoginsPerAddressPerMinute,
          accountFreeAttempts: options.accountFreeAttempts,
          accountBackoffMaxSeconds: options.accountBackoffMaxSeconds,
          creationsPerHour: options.creationsPerHour,
        }),
        resume: resumeTokens,
        reservedNames: this.#reservedNames(),
        startRoom: start.id,
        wallClock,
        decoyHash,
      },
    });
    this.moderation = new Moderation({
      store: deps.store,
      gateway: deps.gateway,
      seats: this.#sessions,
      clock: deps.clock,
      wallClock,
      log: log.child({ subsystem: "moderation" }),
      requestShutdown: deps.requestShutdown ?? (() => {}),
      commandsFor: (role) => commandsForRole(this.#actions.all(), role),
    });
    for (const thing of this.#live.all()) if (thing.behaviours.length > 0) this.#runner.start(thing);
  }

  /**
   * Words no new character may be called because the world reads them as commands or names:
   * every command name and alias, every exit a room names ("in", "bridge", "gate"; issue 5
   * item 7), and the words of the world's own characters ("marta").
   */
  #reservedNames(): ReadonlySet<string> {
    const words = new Set<string>(this.#actions.names());
    for (const thing of this.#live.all()) {
      if (thing.exit !== undefined) words.add(thing.exit.direction);
      if (thing.character !== undefined) for (const word of thing.keywords) words.add(word);
    }
    return words;
  }

  receive(message: InboundMessage): void {
    switch (message.type) {
      case "connected":
        this.#sessions.connected(message.session, message.door, message.peer, message.caps);
        return;
      case "line":
        this.#sessions.line(message.session, message.text);
        return;
      case "oob":
        // The doors answer GMCP's Core.Hello, Supports and Ping themselves
        // (protocols/gmcp/gmcp-core.ts); of the rest, Comm.Channel.Players and IRE's
        // Char.Items.Inv ask for something Loom has (Core.KeepAlive… ask for nothing it keeps;
        // Char.Items.Room is not answered: it would walk a crowded room on demand, and the room's
        // list comes on entering it anyway), and the sessions take Loom.Resume.* (issue 9).
        if (message.channel === "Comm.Channel.Players") this.#channelPlayers(message.session);
        else if (message.channel.toLowerCase() === "char.items.inv") this.#inventory(message.session);
        else this.#sessions.oob(message.session, message.channel, message.data);
        return;
      case "caps":
        // Capabilities shape rendering, which is the door's and the hub's; the world keeps them
        // only to tell a player what their client announced (`color`).
        this.#sessions.capabilities(message.session, message.caps);
        return;
      case "input-ended":
        this.#sessions.inputEnded(message.session);
        return;
      case "disconnected":
        this.#sessions.disconnected(message.session, message.reason);
        return;
      default: {
        const unreachable: never = message;
        throw new Error(`unknown inbound message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  // --- WorldServices: what actions and behaviours may do -------------------------------------

  narrate(event: WorldEvent): void {
    this.narrator.narrate(event);
  }

  move(thing: Thing, into: Thing): void {
    const from = thing.location;
    if (thing.behaviours.length === 0) {
      this.#live.move(thing, into);
      return;
    }
    // What the move sets off (a respawn's waiting copy) commits with it: a kill between the
    // two can neither lose the copy nor make two.
    this.#deps.store.transaction(() => {
      this.#live.move(thing, into);
      this.#runner.moved(thing, from);
    });
  }

  save(thing: Thing): void {
    this.#live.save(thing);
  }

  walk(character: Thing, exit: Thing): WalkResult {
    return walk(this, character, exit);
  }

  showRoom(character: Thing): void {
    const room = character.location;
    const session = character.session;
    if (room === null || session === undefined) return;
    const sent = this.#roomInfoSent.get(character);
    // Entering (or seeing it anew on another connection): the lists are filled by the walk
    // that describes the room, not by one of their own (issue 11).
    const lists = sent?.room !== room || sent.session !== session ? new RoomLists() : undefined;
    this.narrator.tell(character, describeRoom(room, character, lists));
    if (lists !== undefined) {
      this.#roomInfoSent.set(character, { room, session });
      this.oob(character, "Room.Info", roomInfo(room, (id) => this.#live.get(id)));
      this.oob(character, "Room.Players", lists.players);
      this.oob(character, "Char.Items.List", lists.itemList);
    }
  }

  oob(character: Thing, channel: string, data: unknown): void {
    if (character.session !== undefined) this.#deps.gateway.send({ type: "oob", channel, data, to: [character.session] });
  }

  colour(character: Thing, mode: ColourMode): void {
    if (character.session !== undefined) this.#deps.gateway.send({ type: "colour", session: character.session, mode });
  }

  client(player: Player): ClientCapabilities | undefined {
    return this.#sessions.client(player.session);
  }

  thing(id: string): Thing | undefined {
    return this.#live.get(id);
  }

  online(): Iterable<Player> {
    return this.#sessions.online();
  }

  onlineCount(): number {
    return this.#sessions.onlineCount;
  }

  findOnline(name: string): Player | undefined {
    return this.#sessions.find(name);
  }

  admitTell(from: Player, to: Player): TellAdmission {
    return this.#tellLimits.admit(from.key, to.key);
  }

  quit(player: Player): void {
    this.#sessions.quitting(player);
    this.narrator.tell(player.character, line(`Goodbye, ${player.name}. Your place and your things are saved.`));
    this.#deps.gateway.send({ type: "close", session: player.session, reason: reason("quit", "the player quit") });
  }

  actions(): readonly Action[] {
    return this.#actions.all();
  }

  now(): number {
    return this.#deps.clock.now();
  }

  // --- Lifecycle -----------------------------------------------------------------------------

  /** Tells everyone the server is stopping, saves them and stops every behaviour (shutdown, hardening D4). */
  shutdown(): void {
    this.moderation.stop();
    this.#runner.stop();
    this.#sessions.shutdown();
  }

  /** Players online, for /metrics. */
  get playerCount(): number {
    return this.#sessions.onlineCount;
  }

  /** How big the world is now, for MUD listings (MSSP; census.ts). One pass over the loaded things. */
  census(): WorldCensus {
    return takeCensus(this.#live.all());
  }

  /**
   * Answers a client's `Comm.Channel.Players` with who is online and in which channels: the
   * first page of them, as `who` shows (the answer never grows with the crowd). The doors'
   * GMCP limits bound how often a client can ask.
   */
  #channelPlayers(session: SessionId): void {
    const player = this.#sessions.playerOf(session);
    if (player !== undefined) this.oob(player.character, "Comm.Channel.Players", this.channels.players(this.online(), WHO_PAGE_SIZE));
  }

  /**
   * Answers IRE's `Char.Items.Inv` with `Char.Items.List` of what the player carries: the first
   * 100 things, from one walk of their hands that stops there. The doors' GMCP limits bound how
   * often a client can ask.
   */
  #inventory(session: SessionId): void {
    const player = this.#sessions.playerOf(session);
    if (player !== undefined) this.oob(player.character, "Char.Items.List", itemList(player.character, "inv"));
  }

  /** A player entered the world: each service that keeps something per player takes it up. */
  #playerEntered(player: Player): void {
    this.channels.entered(player);
  }

  /** A player is leaving the world: each service lets go of what it kept for them. */
  #playerLeaving(player: Player): void {
    this.channels.left(player);
  }

  #create(record: Omit<ThingRecord, "location">, into: Thing | null): Thing {
    const thing = this.#live.create(record, into);
    if (thing.behaviours.length > 0) this.#runner.start(thing);
    return thing;
  }
}
