/**
 * The world: the WorldPort side of the Session <-> World boundary. It composes the parts —
 * the live world loaded from the store, the narrator, the action registry and dispatcher, the
 * behaviours, the sessions — and holds no feature logic of its own (docs/world.md). It
 * imports nothing from protocols/, node:net or ws, and knows no door.
 */
import type { Logger } from "pino";
import type { PasswordHasher } from "../accounts/passwords.js";
import type { Clock } from "../reactor/clock.js";
import { reason } from "../reactor/interfaces.js";
import type { ClientCapabilities, ColourMode, GatewayPort, InboundMessage, WorldPort } from "../session/messages.js";
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
import { ClientRequests } from "./client-requests.js";
import { commandsForRole } from "./command-words.js";
import { CrowdNews, type Passage } from "./crowd-news.js";
import { Ignores } from "./channels/ignores.js";
import { Dispatcher } from "./dispatch.js";
import { loginServices } from "./login-services.js";
import { LiveWorld } from "./model/live-world.js";
import { Moderation } from "./moderation.js";
import type { Thing } from "./model/thing.js";
import type { ThingRecord } from "./model/thing-record.js";
import { Narrator, type WorldEvent } from "./narrator.js";
import { RoomDisplay } from "./room-display.js";
import type { Player } from "./seats.js";
import { Sessions } from "./sessions.js";
import { SessionResume } from "./session-resume.js";
import { TellLimits, type TellAdmission } from "./tell-limits.js";
import type { WorldOptions } from "./world-options.js";
import type { WorldDefinition } from "./world-schema.js";

export type { WorldOptions } from "./world-options.js";

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
  readonly #rooms: RoomDisplay;
  readonly #crowds: CrowdNews;
  readonly #requests: ClientRequests;

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
    this.#rooms = new RoomDisplay(this);
    this.#crowds = new CrowdNews({ clock: deps.clock, narrator: this.narrator, crowdThreshold: options.crowdThreshold });
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
    const login = loginServices({
      store: deps.store,
      hasher: deps.hasher,
      clock: deps.clock,
      wallClock,
      options,
      commandNames: this.#actions.names(),
      things: this.#live.all(),
      startRoom: start.id,
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
      resume: new SessionResume({ tokens: login.resume, gateway: deps.gateway, maxPerSession: options.maxResumeTokensPerPlayer }),
      idle: { timeoutSeconds: options.idleTimeoutSeconds, warningSeconds: options.idleWarningSeconds },
      wallClock,
      entered: (player) => this.#playerEntered(player),
      leaving: (player) => this.#playerLeaving(player),
      loginServices: login,
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
    this.#requests = new ClientRequests({ playerOf: (session) => this.#sessions.playerOf(session), world: this, channels: this.channels });
    for (const thing of this.#live.all()) if (thing.behaviours.length > 0) this.#runner.start(thing);
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
        // Requests for data the world has are answered (client-requests.ts); the sessions take
        // the rest, Loom.Resume.* (issue 9).
        if (!this.#requests.answer(message.session, message.channel)) this.#sessions.oob(message.session, message.channel, message.data);
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

  pass(event: WorldEvent, way: Passage): void {
    this.#crowds.pass(event, way);
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
    this.#rooms.show(character);
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
    this.#crowds.stop();
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
