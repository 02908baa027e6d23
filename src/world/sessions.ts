/**
 * The life of a connection as the world sees it: at the door (the login dialog, its timeout),
 * then playing a character (loaded from the store, placed in its room, announced), then gone
 * (announced, put away). Who plays whom is kept here and nowhere else.
 */
import type { Logger } from "pino";
import type { Clock, DelayedCall } from "../reactor/clock.js";
import type { DisconnectReason } from "../reactor/interfaces.js";
import { reason } from "../reactor/interfaces.js";
import { loomResumeAskSchema } from "../session/gmcp-packages.js";
import type { ClientCapabilities, Door, GatewayPort, OutputMessage, SessionId } from "../session/messages.js";
import { line, styled } from "../session/messages.js";
import type { PlayerRecord, Store } from "../store/store.js";
import type { WorldServices } from "./actions/action.js";
import { colourModeOf } from "./actions/colour.js";
import type { BehaviourRunner } from "./behaviours/runner.js";
import { characterName, characterStatus } from "./char-status.js";
import { commandsForRole } from "./command-words.js";
import type { Dispatcher } from "./dispatch.js";
import { LoginDialog } from "./login-dialog.js";
import type { LoginServices } from "./login-services.js";
import { characterId, type LiveWorld } from "./model/live-world.js";
import type { Thing } from "./model/thing.js";
import type { ThingRecord } from "./model/thing-record.js";
import { IdleTimeout, type IdleTimeoutSettings } from "./idle-timeout.js";
import { cameIn, itemList, wentOut } from "./room-contents.js";
import { Player } from "./seats.js";
import type { SessionResume } from "./session-resume.js";

/** A connection the world knows about: still at the door, or playing. */
type Seat =
  | { readonly kind: "login"; readonly door: Door; readonly dialog: LoginDialog; readonly timeout: DelayedCall }
  | { readonly kind: "playing"; readonly door: Door; readonly player: Player };

/** What the seats need from the world around them. */
export interface SessionsDeps {
  readonly gateway: GatewayPort;
  readonly clock: Clock;
  readonly store: Store;
  readonly log: Logger;
  readonly live: LiveWorld;
  readonly world: WorldServices;
  readonly runner: BehaviourRunner;
  readonly dispatcher: Dispatcher;
  readonly loginServices: LoginServices;
  /** Where new characters, and characters whose room is gone, appear. */
  readonly start: Thing;
  readonly loginTimeoutSeconds: number;
  /** Which resume tokens each connection was handed, to revoke them at `quit` (issue 9). */
  readonly resume: SessionResume;
  /** Hardening F8: how long a logged-in player may type nothing, and when they are warned. */
  readonly idle: IdleTimeoutSettings;
  readonly wallClock: () => number;
  /** A player has entered the world and been shown their room (services load what they keep per player). */
  readonly entered: (player: Player) => void;
  /** A player is leaving the world, before their character is put away. */
  readonly leaving: (player: Player) => void;
}

/** Every connection and every player online. */
export class Sessions {
  readonly #deps: SessionsDeps;
  readonly #seats = new Map<SessionId, Seat>();
  /** Half-closed while a password was being checked: closed once the dialog settles (issue 5 item 15). */
  readonly #closeWhenSettled = new Set<SessionId>();
  readonly #online = new Map<string, Player>();
  /** What each connection's client announced, from its door: `color` tells the player. */
  readonly #caps = new Map<SessionId, ClientCapabilities>();
  readonly #idle: IdleTimeout;

  constructor(deps: SessionsDeps) {
    this.#deps = deps;
    this.#idle = new IdleTimeout(
      {
        clock: deps.clock,
        warn: (player, message) => deps.gateway.send({ type: "deliver", message, to: [player.session] }),
        close: (player, message, why) => {
          deps.log.info({ session: player.session, player: player.key, idleSeconds: deps.idle.timeoutSeconds }, "idle timeout: disconnecting");
          this.kick(player, message, why);
        },
      },
      deps.idle,
    );
  }

  /** Everyone online, in the order they logged in. */
  online(): IterableIterator<Player> {
    return this.#online.values();
  }

  get onlineCount(): number {
    return this.#online.size;
  }

  /** The online player with this name (any case). */
  find(name: string): Player | undefined {
    return this.#online.get(name.toLowerCase());
  }

  /** The player a session plays, if it is past the login. */
  playerOf(session: SessionId): Player | undefined {
    const seat = this.#seats.get(session);
    return seat?.kind === "playing" ? seat.player : undefined;
  }

  /** Every session, at the door or playing. */
  sessions(): IterableIterator<SessionId> {
    return this.#seats.keys();
  }

  connected(session: SessionId, door: Door, peer: string, caps: ClientCapabilities): void {
    const { gateway, clock, loginTimeoutSeconds } = this.#deps;
    this.#caps.set(session, caps);
    const dialog = new LoginDialog(this.#deps.loginServices, {
      peer,
      send: (message) => gateway.send({ type: "deliver", message, to: [session] }),
      oob: (channel, data) => gateway.send({ type: "oob", channel, data, to: [session] }),
      echo: (on) => gateway.send({ type: "echo", session, on }),
      close: (why) => gateway.send({ type: "close", session, reason: why }),
      enter: (record, created, typedAhead, resumed) => {
        const player = this.#enter(session, door, record, created);
        if (player === undefined) return;
        if (resumed !== undefined) {
          // The new token goes after the welcome and the room (issue 9). A resume is checked
          // synchronously, so the session cannot have gone meanwhile.
          this.#deps.log.info({ session, player: player.key }, "resumed with a token");
          this.#deps.resume.resumed(session, resumed);
        }
        for (const text of typedAhead) this.#deps.dispatcher.run(player, text);
      },
      logError: (err, what) => this.#deps.log.error({ err, session }, what),
      settled: () => this.#settled(session),
    });
    const timeout = clock.callLater(loginTimeoutSeconds * 1000, () => {
      gateway.send({ type: "deliver", message: line(styled("error", "You took too long to log in. Goodbye.")), to: [session] });
      gateway.send({ type: "close", session, reason: reason("login-timeout", `no login within ${loginTimeoutSeconds} s`) });
    });
    this.#seats.set(session, { kind: "login", door, dialog, timeout });
    dialog.start();
  }

  /** The door learned more about the client (NAWS, TTYPE/MTTS). */
  capabilities(session: SessionId, caps: ClientCapabilities): void {
    if (this.#caps.has(session)) this.#caps.set(session, caps);
  }

  /** What the session's client announced, while it is connected. */
  client(session: SessionId): ClientCapabilities | undefined {
    return this.#caps.get(session);
  }

  line(session: SessionId, text: string): void {
    const seat = this.#seats.get(session);
    if (seat === undefined) return;
    if (seat.kind === "login") {
      seat.dialog.input(text);
      return;
    }
    // Any line, even an empty one, is the player at the keyboard (F8): only a number is
    // written here; the idle timer reads it when it fires.
    seat.player.lastActiveAt = this.#deps.clock.now();
    this.#deps.dispatcher.run(seat.player, text);
  }

  /**
   * Out-of-band messages about the connection itself, which the world does not route
   * elsewhere: issue 9's `Loom.Resume.Login` at the door and `Loom.Resume.Ask` once playing.
   * GMCP names are case-insensitive. Anything else is ignored.
   */
  oob(session: SessionId, channel: string, data: unknown): void {
    const seat = this.#seats.get(session);
    if (seat === undefined) return;
    switch (channel.toLowerCase()) {
      case "loom.resume.login":
        if (seat.kind === "login") seat.dialog.resume(data);
        return;
      case "loom.resume.ask":
        if (seat.kind !== "playing" || !loomResumeAskSchema.safeParse(data).success) return;
        try {
          this.#deps.resume.ask(session, seat.player.key);
        } catch (err) {
          this.#deps.log.error({ err, session }, "issuing a resume token failed");
        }
        return;
      default:
        return;
    }
  }

  /** The player typed `quit`: the resume tokens this connection was handed stop working (issue 9). */
  quitting(player: Player): void {
    try {
      this.#deps.resume.quit(player.session);
    } catch (err) {
      this.#deps.log.error({ err, session: player.session }, "revoking resume tokens at quit failed");
    }
  }

  /**
   * The client half-closed after its last line (issue 5 item 15), as a script piping commands
   * into `nc` does. Every line it sent has been run, except those held while a password is
   * checked: then the connection closes once the dialog settles.
   */
  inputEnded(session: SessionId): void {
    const seat = this.#seats.get(session);
    if (seat === undefined) return;
    if (seat.kind === "login" && seat.dialog.busy) {
      this.#closeWhenSettled.add(session);
      return;
    }
    this.#closeAnswered(session);
  }

  disconnected(session: SessionId, why: DisconnectReason): void {
    this.#closeWhenSettled.delete(session);
    this.#caps.delete(session);
    this.#deps.resume.forget(session);
    const seat = this.#seats.get(session);
    if (seat === undefined) return;
    this.#seats.delete(session);
    if (seat.kind === "login") {
      seat.timeout.cancel();
      return;
    }
    const player = seat.player;
    if (player.session !== session) return; // replaced by a newer connection
    const { store, log, live, runner, world, wallClock } = this.#deps;
    this.#online.delete(player.key);
    this.#idle.forget(player);
    this.#deps.leaving(player);
    const character = player.character;
    character.session = undefined;
    try {
      // Where the character stands was saved with each step; only the time is left to save.
      store.touchPlayer(player.key, wallClock());
    } catch (err) {
      log.error({ err, player: player.key }, "saving a departing player failed");
    }
    const room = character.location;
    if (room !== null) {
      const text = why.code === "quit" ? "{actor} {actor|have} left the world." : "{actor} {actor|fade} away.";
      world.pass({ kind: "depart", place: room, actor: character, phrase: { text, actor: "" }, oob: { others: [wentOut(character)] } }, "leave");
    }
    forEachWithin(character, (thing) => runner.stop(thing));
    live.unloadCharacter(character);
    log.info({ session, player: player.key, reason: why.code }, "player left");
  }

  /**
   * Puts a player out of the game from the world's side (an admin's kick, or a ban while they
   * play): they read `message`, their connection is closed with `why`, and they leave the
   * world at once, as on a dropped connection, instead of when the door reports the close (so
   * nothing they typed meanwhile runs, and a second kick finds them gone). The door's later
   * `disconnected` finds no seat and does nothing.
   */
  kick(player: Player, message: OutputMessage, why: DisconnectReason): void {
    const { gateway } = this.#deps;
    gateway.send({ type: "deliver", message, to: [player.session] });
    gateway.send({ type: "close", session: player.session, reason: why });
    this.disconnected(player.session, why);
  }

  /** Tells everyone the server is stopping and saves them (shutdown, hardening D4). */
  shutdown(): void {
    const { gateway, store, wallClock } = this.#deps;
    const to = [...this.#seats.keys()];
    if (to.length > 0) {
      gateway.send({ type: "deliver", message: line(styled("notice", "The server is shutting down now. Your character has been saved; see you soon.")), to });
    }
    const now = wallClock();
    store.transaction(() => {
      for (const player of this.#online.values()) store.touchPlayer(player.key, now);
    });
  }

  /** Seats a logged-in character in the world; undefined if the session went away meanwhile. */
  #enter(session: SessionId, door: Door, record: PlayerRecord, created: boolean): Player | undefined {
    const seat = this.#seats.get(session);
    if (seat === undefined || seat.kind !== "login") return undefined; // disconnected while the password was checked
    seat.timeout.cancel();
    const { gateway, world, live, log, runner, start, clock } = this.#deps;
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
      existing.lastActiveAt = clock.now();
      existing.character.session = session;
      this.#seats.set(session, { kind: "playing", door, player: existing });
      this.#welcome(existing, welcome);
      this.#idle.watch(existing);
      // The new connection is told what the old one knew (its channels, out of band).
      this.#deps.entered(existing);
      log.info({ session, player: record.key }, "player took over their connection");
      return existing;
    }

    const character = live.loadCharacter(record.key, () => newCharacter(record, start), start);
    character.session = session;
    const player = new Player({
      key: record.key,
      name: record.name,
      role: record.role,
      session,
      door,
      now: clock.now(),
      character,
      muted: record.muted,
      ignoring: this.#deps.store.ignoresOf(record.key),
    });
    this.#seats.set(session, { kind: "playing", door, player });
    this.#online.set(record.key, player);
    forEachWithin(character, (thing) => {
      if (thing.behaviours.length > 0) runner.start(thing);
    });
    const room = character.location;
    if (room !== null) {
      const text = created ? "{actor} {actor|arrive} in the world for the first time." : "{actor} {actor|appear}.";
      world.pass({ kind: "appear", place: room, actor: character, phrase: { text, actor: "" }, oob: { others: [cameIn(character)] } }, "arrive");
    }
    this.#welcome(player, welcome);
    this.#idle.watch(player);
    this.#deps.entered(player);
    log.info({ session, player: record.key, created }, "player entered");
    return player;
  }

  #welcome(player: Player, welcome: ReturnType<typeof line>): void {
    const { world } = this.#deps;
    // The colour choice goes first, so the welcome and the room are drawn in it (issue 8).
    world.colour(player.character, colourModeOf(player.character));
    world.narrator.tell(player.character, welcome);
    world.oob(player.character, "Char.Name", characterName(player));
    world.oob(player.character, "Char.Status", characterStatus(player));
    world.oob(player.character, "Loom.Commands", commandsForRole(world.actions(), player.role));
    world.showRoom(player.character);
    world.oob(player.character, "Char.Items.List", itemList(player.character, "inv"));
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
}

/** A new player's character: named as the account, "they" until the player chooses. */
function newCharacter(record: PlayerRecord, start: Thing): ThingRecord {
  return {
    id: characterId(record.key),
    location: record.room ?? start.id,
    name: record.name,
    keywords: [record.key],
    description: "",
    facets: { character: { pronouns: "they", player: record.key } },
  };
}

/** Calls `fn` on `thing` and everything inside it. */
function forEachWithin(thing: Thing, fn: (thing: Thing) => void): void {
  fn(thing);
  for (const inner of thing.contents) forEachWithin(inner, fn);
}
