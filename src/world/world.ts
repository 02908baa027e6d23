/**
 * The world: the WorldPort side of the Session <-> World boundary. It keeps who is playing
 * whom, runs login dialogs and commands, and narrates every event once per kind of observer
 * (actor, target, everyone else), handing each text to the gateway with its recipients.
 *
 * It imports nothing from protocols/, node:net or ws, and never formats bytes or ANSI.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { PasswordHasher } from "../accounts/passwords.js";
import { LoginGuard } from "../accounts/login-guard.js";
import type { Clock, DelayedCall } from "../reactor/clock.js";
import type { DisconnectReason } from "../reactor/interfaces.js";
import { reason } from "../reactor/interfaces.js";
import type { Door, GatewayPort, InboundMessage, OutputMessage, SessionId, Span, WorldPort } from "../session/messages.js";
import { chatter, line, styled } from "../session/messages.js";
import { sanitizeText } from "../session/sanitize.js";
import type { PlayerRecord, Store } from "../store/store.js";
import type { Command, WorldServices } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { LoginDialog, type LoginServices } from "./login-dialog.js";
import { Player, type Room, type Thing } from "./model.js";
import { buildRooms, placeThings, type WorldDefinition } from "./world-build.js";
import { arrivalSide, listing, sortExits } from "./text.js";
import { TellLimits, type TellAdmission } from "./tell-limits.js";

/** World settings. */
export interface WorldOptions {
  /** Seconds a connection may take to log in before it is closed (hardening F6). Default 60. */
  readonly loginTimeoutSeconds?: number;
  /** Login attempts per minute on one account from one address key (hardening A2). Default 5. */
  readonly failedLoginsPerMinute?: number;
  /** Login attempts per minute from one address key, across accounts (hardening A2). Default 20. */
  readonly failedLoginsPerAddressPerMinute?: number;
  /** Attempts on one account from addresses it was not used from before the backoff (issue 5 item 5). Default 10. */
  readonly accountFreeAttempts?: number;
  /** The longest backoff delay on one account, in seconds (issue 5 item 5). Default 300. */
  readonly accountBackoffMaxSeconds?: number;
  /** Characters one address may create per hour (hardening A3). Default 5. */
  readonly creationsPerHour?: number;
  /** Tells per second, sustained, per sender and per recipient (issue 5 item 9). Default 2. */
  readonly tellsPerSecond?: number;
  /** Tells at once before that rate applies, per sender and per recipient. Default 10. */
  readonly tellBurst?: number;
}

/** How many people a room description names before it says "and N others". */
const MAX_NAMED_PEOPLE = 20;

const DEFAULT_OPTIONS = { loginTimeoutSeconds: 60 } as const;

/** What the world is built from. */
export interface WorldDeps {
  readonly definition: WorldDefinition;
  readonly store: Store;
  readonly hasher: PasswordHasher;
  readonly gateway: GatewayPort;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Wall-clock milliseconds for stored timestamps. Default `Date.now`. */
  readonly wallClock?: () => number;
  readonly options?: WorldOptions;
}

/** A connection the world knows about: still at the door, or playing. */
type Seat =
  | { readonly kind: "login"; readonly door: Door; readonly peer: string; readonly dialog: LoginDialog; readonly timeout: DelayedCall }
  | { readonly kind: "playing"; readonly door: Door; readonly player: Player };

/** The shared world every door feeds. */
export class World implements WorldPort, WorldServices {
  readonly #deps: WorldDeps;
  readonly #log: Logger;
  readonly #rooms: ReadonlyMap<string, Room>;
  readonly #start: Room;
  /** Things held for players who are offline, by player key. */
  readonly #heldForOffline: Map<string, Set<Thing>>;
  readonly #seats = new Map<SessionId, Seat>();
  /** Half-closed while a password was being checked: closed once the dialog settles (issue 5 item 15). */
  readonly #closeWhenSettled = new Set<SessionId>();
  readonly #online = new Map<string, Player>();
  readonly #commands = new Map<string, Command>();
  readonly #loginServices: LoginServices;
  readonly #wallClock: () => number;
  readonly #tellLimits: TellLimits;

  constructor(deps: WorldDeps) {
    this.#deps = deps;
    this.#log = deps.logger;
    this.#rooms = buildRooms(deps.definition);
    this.#start = this.#rooms.get(deps.definition.start)!;
    this.#heldForOffline = placeThings(deps.definition, this.#rooms, deps.store.loadThingLocations());
    for (const command of COMMANDS) for (const name of command.names) this.#commands.set(name, command);
    const wallClock = (this.#wallClock = deps.wallClock ?? Date.now);
    const options = { ...DEFAULT_OPTIONS, ...deps.options };
    this.#tellLimits = new TellLimits(deps.clock, {
      ...(options.tellsPerSecond !== undefined ? { perSecond: options.tellsPerSecond } : {}),
      ...(options.tellBurst !== undefined ? { burst: options.tellBurst } : {}),
    });
    const decoyHash = deps.hasher.hash(randomUUID());
    decoyHash.catch(() => {}); // a failure surfaces where it is awaited
    this.#loginServices = {
      store: deps.store,
      hasher: deps.hasher,
      // Each limit's default lives in LoginGuard (the same as config/default.yaml).
      guard: new LoginGuard({
        clock: deps.clock,
        failedLoginsPerMinute: options.failedLoginsPerMinute,
        failedLoginsPerAddressPerMinute: options.failedLoginsPerAddressPerMinute,
        accountFreeAttempts: options.accountFreeAttempts,
        accountBackoffMaxSeconds: options.accountBackoffMaxSeconds,
        creationsPerHour: options.creationsPerHour,
      }),
      reservedNames: this.#reservedNames(),
      startRoom: this.#start.id,
      wallClock,
      decoyHash,
    };
  }

  /**
   * Words no new character may be called because the world reads them as commands: every
   * command name and alias, and every exit a room names ("in", "bridge", "gate"; issue 5 item 7).
   */
  #reservedNames(): ReadonlySet<string> {
    const words = new Set<string>(this.#commands.keys());
    for (const room of this.#rooms.values()) for (const exit of room.exits.keys()) words.add(exit);
    return words;
  }

  receive(message: InboundMessage): void {
    switch (message.type) {
      case "connected":
        this.#connected(message.session, message.door, message.peer);
        return;
      case "line":
        this.#line(message.session, message.text);
        return;
      case "oob":
        // No out-of-band packages are handled yet (GMCP comes with the telnet option set).
        return;
      case "caps":
        return;
      case "input-ended":
        this.#inputEnded(message.session);
        return;
      case "disconnected":
        this.#disconnected(message.session, message.reason);
        return;
      default: {
        const unreachable: never = message;
        throw new Error(`unknown inbound message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  // --- WorldServices: what commands may do -------------------------------------------------

  tell(player: Player, message: OutputMessage): void {
    this.#deps.gateway.send({ type: "deliver", message, to: [player.session] });
  }

  tellRoom(room: Room, message: OutputMessage, except?: Player): void {
    const to: SessionId[] = [];
    for (const p of room.players) if (p !== except) to.push(p.session);
    if (to.length > 0) this.#deps.gateway.send({ type: "deliver", message, to });
  }

  online(): Iterable<Player> {
    return this.#online.values();
  }

  onlineCount(): number {
    return this.#online.size;
  }

  admitTell(from: Player, to: Player): TellAdmission {
    return this.#tellLimits.admit(from.key, to.key);
  }

  findOnline(name: string): Player | undefined {
    return this.#online.get(name.toLowerCase());
  }

  commands(): readonly Command[] {
    return COMMANDS;
  }

  now(): number {
    return this.#deps.clock.now();
  }

  showRoom(player: Player): void {
    const room = player.room;
    const exits = sortExits(room.exits.keys());
    const spans: Span[] = [styled("title", room.name), `\n${room.description}`];
    spans.push("\nExits: ", exits.length === 0 ? styled("dim", "none") : styled("exit", exits.join(", ")), ".");
    const things = [...room.things].map((t) => t.name);
    if (things.length > 0) spans.push("\nYou see ", styled("thing", listing(things)), " here.");
    // Name at most a screenful of people: in a crowd of thousands, listing everyone on every
    // look (and every arrival) made logins quadratic in the bench (docs/benchmarks.md).
    const others: string[] = [];
    let more = 0;
    for (const p of room.players) {
      if (p === player) continue;
      if (others.length < MAX_NAMED_PEOPLE) others.push(p.name);
      else more++;
    }
    if (more > 0) {
      spans.push("\n", styled("name", others.join(", ")), ` and ${more} other${more === 1 ? "" : "s"} are here.`);
    } else if (others.length > 0) {
      spans.push("\n", styled("name", listing(others)), others.length === 1 ? " is here." : " are here.");
    }
    this.tell(player, { kind: "line", spans });
  }

  move(player: Player, exit: string): boolean {
    const destinationId = player.room.exits.get(exit);
    const destination = destinationId === undefined ? undefined : this.#rooms.get(destinationId);
    if (destination === undefined) return false;
    const from = player.room;
    this.#deps.store.savePlayerRoom(player.key, destination.id);
    from.players.delete(player);
    this.tellRoom(from, chatter(styled("name", player.name), ` leaves ${exit}.`));
    const side = arrivalSide(exit);
    this.tellRoom(destination, chatter(styled("name", player.name), side ? ` arrives from ${side}.` : " arrives."));
    destination.players.add(player);
    player.room = destination;
    this.showRoom(player);
    return true;
  }

  take(player: Player, thing: Thing): void {
    if (thing.place.kind !== "room") return;
    this.#deps.store.saveThingLocation(thing.id, { kind: "player", id: player.key });
    thing.place.room.things.delete(thing);
    thing.place = { kind: "carried", player };
    player.inventory.add(thing);
    this.tell(player, line("You pick up ", styled("thing", thing.name), "."));
    this.tellRoom(player.room, chatter(styled("name", player.name), " picks up ", styled("thing", thing.name), "."), player);
  }

  drop(player: Player, thing: Thing): void {
    if (!player.inventory.has(thing)) return;
    this.#deps.store.saveThingLocation(thing.id, { kind: "room", id: player.room.id });
    player.inventory.delete(thing);
    thing.place = { kind: "room", room: player.room };
    player.room.things.add(thing);
    this.tell(player, line("You drop ", styled("thing", thing.name), "."));
    this.tellRoom(player.room, chatter(styled("name", player.name), " drops ", styled("thing", thing.name), "."), player);
  }

  quit(player: Player): void {
    this.tell(player, line(`Goodbye, ${player.name}. Your place and your things are saved.`));
    this.#deps.gateway.send({ type: "close", session: player.session, reason: reason("quit", "the player quit") });
  }

  /** Tells everyone the server is stopping and saves them (shutdown, hardening D4). */
  shutdown(): void {
    const to = [...this.#seats.keys()];
    if (to.length > 0) {
      this.#deps.gateway.send({
        type: "deliver",
        message: line(styled("notice", "The server is shutting down now. Your character has been saved; see you soon.")),
        to,
      });
    }
    const now = this.#wallClock();
    this.#deps.store.transaction(() => {
      for (const player of this.#online.values()) {
        this.#deps.store.savePlayerRoom(player.key, player.room.id);
        this.#deps.store.touchPlayer(player.key, now);
      }
    });
  }

  /** Players online, for /metrics. */
  get playerCount(): number {
    return this.#online.size;
  }

  // --- Sessions ------------------------------------------------------------------------------

  #connected(session: SessionId, door: Door, peer: string): void {
    const timeoutSeconds = this.#deps.options?.loginTimeoutSeconds ?? DEFAULT_OPTIONS.loginTimeoutSeconds;
    const gateway = this.#deps.gateway;
    const dialog = new LoginDialog(this.#loginServices, {
      peer,
      send: (message) => gateway.send({ type: "deliver", message, to: [session] }),
      echo: (on) => {
        gateway.send({ type: "echo", session, on });
        // The client echoed neither the password nor its line end: move to a fresh line.
        if (on && door === "telnet") gateway.send({ type: "deliver", message: line(""), to: [session] });
      },
      close: (why) => gateway.send({ type: "close", session, reason: why }),
      enter: (record, created, typedAhead) => {
        const player = this.#enter(session, door, record, created);
        if (player !== undefined) for (const text of typedAhead) this.#run(player, text);
      },
      logError: (err, what) => this.#log.error({ err, session }, what),
      settled: () => this.#settled(session),
    });
    const timeout = this.#deps.clock.callLater(timeoutSeconds * 1000, () => {
      gateway.send({ type: "deliver", message: line(styled("error", "You took too long to log in. Goodbye.")), to: [session] });
      gateway.send({ type: "close", session, reason: reason("login-timeout", `no login within ${timeoutSeconds} s`) });
    });
    this.#seats.set(session, { kind: "login", door, peer, dialog, timeout });
    dialog.start();
  }

  #line(session: SessionId, text: string): void {
    const seat = this.#seats.get(session);
    if (seat === undefined) return;
    if (seat.kind === "login") {
      seat.dialog.input(text);
      return;
    }
    this.#run(seat.player, text);
  }

  /** Seats a logged-in character in the world; undefined if the session went away meanwhile. */
  #enter(session: SessionId, door: Door, record: PlayerRecord, created: boolean): Player | undefined {
    const seat = this.#seats.get(session);
    if (seat === undefined || seat.kind !== "login") return undefined; // disconnected while the password was checked
    seat.timeout.cancel();
    const gateway = this.#deps.gateway;
    const welcome = created
      ? line(styled("notice", `Welcome, ${record.name}.`), " Your character has been made. Type help to see what you can do.")
      : line(styled("notice", `Welcome, ${record.name}.`), " Type help if you need it.");

    const existing = this.#online.get(record.key);
    if (existing !== undefined) {
      // The same character from a new connection: the new one takes over, the old one is closed.
      const old = existing.session;
      gateway.send({ type: "deliver", message: line(styled("notice", "You have connected from somewhere else; closing this connection.")), to: [old] });
      this.#seats.delete(old);
      gateway.send({ type: "close", session: old, reason: reason("replaced", "the character logged in elsewhere") });
      existing.session = session;
      existing.door = door;
      existing.lastActiveAt = this.now();
      this.#seats.set(session, { kind: "playing", door, player: existing });
      this.tell(existing, welcome);
      this.showRoom(existing);
      this.#log.info({ session, player: record.key }, "player took over their connection");
      return existing;
    }

    const room = (record.room !== null ? this.#rooms.get(record.room) : undefined) ?? this.#start;
    const player = new Player({ key: record.key, name: record.name, role: record.role, room, session, door, now: this.now() });
    for (const thing of this.#heldForOffline.get(record.key) ?? []) {
      thing.place = { kind: "carried", player };
      player.inventory.add(thing);
    }
    this.#heldForOffline.delete(record.key);
    this.#seats.set(session, { kind: "playing", door, player });
    this.#online.set(record.key, player);
    this.tellRoom(room, chatter(styled("name", player.name), created ? " arrives in the world for the first time." : " appears."));
    room.players.add(player);
    this.tell(player, welcome);
    this.showRoom(player);
    this.#log.info({ session, player: record.key, created }, "player entered");
    return player;
  }

  /**
   * The client half-closed after its last line (issue 5 item 15), as a script piping commands
   * into `nc` does. Every line it sent has been run, except those held while a password is
   * checked: then the connection closes once the dialog settles (entered and the held lines run,
   * or back at the prompt). Answers are queued before the close, and the close flushes them.
   */
  #inputEnded(session: SessionId): void {
    const seat = this.#seats.get(session);
    if (seat === undefined) return;
    if (seat.kind === "login" && seat.dialog.busy) {
      this.#closeWhenSettled.add(session);
      return;
    }
    this.#closeAnswered(session);
  }

  #settled(session: SessionId): void {
    if (!this.#closeWhenSettled.has(session)) return;
    const seat = this.#seats.get(session);
    if (seat?.kind === "login" && seat.dialog.busy) return;
    this.#closeWhenSettled.delete(session);
    this.#closeAnswered(session);
  }

  #closeAnswered(session: SessionId): void {
    this.#deps.gateway.send({ type: "close", session, reason: reason("peer-closed", "the client finished sending; every line was answered") });
  }

  #disconnected(session: SessionId, why: DisconnectReason): void {
    this.#closeWhenSettled.delete(session);
    const seat = this.#seats.get(session);
    if (seat === undefined) return;
    this.#seats.delete(session);
    if (seat.kind === "login") {
      seat.timeout.cancel();
      return;
    }
    const player = seat.player;
    if (player.session !== session) return; // replaced by a newer connection
    this.#online.delete(player.key);
    player.room.players.delete(player);
    const things = new Set(player.inventory);
    for (const thing of things) thing.place = { kind: "offline", playerKey: player.key };
    this.#heldForOffline.set(player.key, things);
    try {
      this.#deps.store.transaction(() => {
        this.#deps.store.savePlayerRoom(player.key, player.room.id);
        this.#deps.store.touchPlayer(player.key, this.#wallClock());
      });
    } catch (err) {
      this.#log.error({ err, player: player.key }, "saving a departing player failed");
    }
    const how = why.code === "quit" ? " has left the world." : " fades away.";
    this.tellRoom(player.room, chatter(styled("name", player.name), how));
    this.#log.info({ session, player: player.key, reason: why.code }, "player left");
  }

  #run(player: Player, raw: string): void {
    const text = raw.trim();
    if (text === "") return;
    player.lastActiveAt = this.now();
    let verb: string;
    let args: string;
    const first = text[0]!;
    if (first === "'" || first === '"' || first === ":") {
      verb = first;
      args = text.slice(1).trim();
    } else {
      const space = text.search(/\s/);
      verb = (space < 0 ? text : text.slice(0, space)).toLowerCase();
      args = space < 0 ? "" : text.slice(space + 1).trim();
    }
    let command = this.#commands.get(verb);
    if (command === undefined && player.room.exits.has(verb)) {
      // Any exit a room names is a command in that room: "in", "bridge", "gate".
      command = this.#commands.get("go");
      args = verb;
    }
    if (command === undefined) {
      this.tell(player, line(`Unknown command "${sanitizeText(verb).slice(0, 30)}". Type help for the list.`));
      return;
    }
    try {
      command.run({ world: this, player, verb, args });
    } catch (err) {
      // A failing command costs only its own player a polite apology; everyone else plays on.
      this.#log.error({ err, player: player.key, verb }, "command failed");
      this.tell(player, line(styled("error", "Something went wrong running that command. It has been logged.")));
    }
  }
}
