/**
 * Moderation: what admins do to players and to the server (issue 7, "Admin") — kick, ban and
 * unban, mute and unmute, a change of role, an announcement, and a shutdown counted down. Each
 * change is stored before anyone is told (docs/world.md, "Persistence"), applied at once to a
 * player who is online, and logged with who did it, to whom and why.
 *
 * Policy lives here, so that it holds however the commands are worded: nobody kicks, bans or
 * mutes themselves, an admin is not banned without first being made a player, and the last
 * admin cannot be demoted. Each method answers with an outcome; the admin's own sentences are
 * the commands' (actions/admin.ts), what the target and everyone else read is written here.
 */
import type { Logger } from "pino";
import type { Clock, DelayedCall } from "../reactor/clock.js";
import { reason as disconnectReason, type DisconnectReason } from "../reactor/interfaces.js";
import { line, styled, type GatewayPort, type OutputMessage, type SessionId } from "../session/messages.js";
import { parseName } from "../accounts/names.js";
import type { PlayerRecord, Role, Store } from "../store/store.js";
import { characterStatus } from "./char-status.js";
import type { Player } from "./seats.js";

/** Longest reason an admin may give for a kick or a ban, in characters after sanitising. */
export const MAX_REASON_LENGTH = 200;
/** Longest announcement, in characters after sanitising: a few lines on an 80-column screen. */
export const MAX_ANNOUNCEMENT_LENGTH = 1000;
/** `shutdown` with no number counts this many seconds. */
export const DEFAULT_SHUTDOWN_SECONDS = 10;
/** The longest countdown `shutdown` takes: an hour. */
export const MAX_SHUTDOWN_SECONDS = 3600;
/**
 * Seconds left at which a countdown is told again, besides its start: often enough near the
 * end for players to find a place to stop, rarely enough in a long one not to nag.
 */
const SHUTDOWN_MARKS = [1800, 600, 300, 120, 60, 30, 10, 5] as const;

/** The seats moderation acts on (src/world/sessions.ts). */
export interface ModerationSeats {
  /** The online player with this name (any case). */
  find(name: string): Player | undefined;
  /** Everyone playing. */
  online(): Iterable<Player>;
  /** Every connection, at the door or playing. */
  sessions(): Iterable<SessionId>;
  /** Shows `message` to the player, closes their connection with `why` and takes them out of the world now. */
  kick(player: Player, message: OutputMessage, why: DisconnectReason): void;
}

/** What moderation is built from. */
export interface ModerationDeps {
  readonly store: Store;
  readonly gateway: GatewayPort;
  readonly seats: ModerationSeats;
  readonly clock: Clock;
  /** Wall-clock milliseconds, for the time a ban is stored with. */
  readonly wallClock: () => number;
  readonly log: Logger;
  /** Stops the server as SIGTERM does (server.ts); called once, when a countdown ends. */
  readonly requestShutdown: () => void;
  /** The command words a role may use (GMCP `Loom.Commands`, command-words.ts), sent on a role change. */
  readonly commandsFor: (role: Role) => readonly string[];
}

/** An account an admin named: as stored, and as playing if online. */
export interface Target {
  readonly record: PlayerRecord;
  readonly online: Player | undefined;
}

/** What {@link Moderation.kick} did: kicked, or refused because the admin named themselves. */
export type KickOutcome = "kicked" | "self";
/** What {@link Moderation.ban} did, or why not: themselves, an admin (demote first), banned already. */
export type BanOutcome = "banned" | "self" | "admin" | "already";
/** What {@link Moderation.unban} did, or that there was no ban. */
export type UnbanOutcome = "unbanned" | "not-banned";
/** What {@link Moderation.mute} did, or why not: themselves, muted already. */
export type MuteOutcome = "muted" | "self" | "already";
/** What {@link Moderation.unmute} did, or that there was no mute. */
export type UnmuteOutcome = "unmuted" | "not-muted";
/** What {@link Moderation.setRole} did, or why not: the same role, or the last admin. */
export type RoleOutcome = "changed" | "same" | "last-admin";
/** Whether {@link Moderation.shutdown} started a countdown, or one was under way already. */
export type ShutdownOutcome = "started" | "already";
/** Whether {@link Moderation.cancelShutdown} stopped a countdown, or there was none. */
export type CancelOutcome = "cancelled" | "none";

/** A countdown under way. */
interface Countdown {
  /** Clock time the server is asked to stop. */
  readonly deadline: number;
  /** The key of the admin who started it. */
  readonly by: string;
  /** The call for the next mark, or for the end. */
  readonly timer: DelayedCall;
}

/** The admins' powers over players and the server. */
export class Moderation {
  readonly #deps: ModerationDeps;
  #countdown: Countdown | undefined = undefined;

  constructor(deps: ModerationDeps) {
    this.#deps = deps;
  }

  /** The account `name` names, or undefined for a name no character has. */
  account(name: string): Target | undefined {
    const parsed = parseName(name);
    if (!parsed.ok) return undefined;
    const record = this.#deps.store.findPlayer(parsed.key);
    if (record === undefined) return undefined;
    return { record, online: this.#deps.seats.find(parsed.key) };
  }

  /** Puts an online player out of the game; they read why. `why` is sanitised and bounded. */
  kick(by: Player, target: Player, why: string): KickOutcome {
    if (target === by) return "self";
    this.#deps.log.warn({ admin: by.key, target: target.key, reason: why }, "kick");
    this.#deps.seats.kick(target, line(styled("error", withReason("An admin has kicked you out of the game", why))), disconnectReason("kicked", "kicked by an admin"));
    return "kicked";
  }

  /** Bans an account, online or not; an online player is put out of the game too. */
  ban(by: Player, target: Target, why: string): BanOutcome {
    const { record, online } = target;
    if (record.key === by.key) return "self";
    if (record.role === "admin") return "admin";
    if (record.ban !== null) return "already";
    this.#deps.store.setBan(record.key, { reason: why, by: by.name, at: this.#deps.wallClock() });
    this.#deps.log.warn({ admin: by.key, target: record.key, reason: why, online: online !== undefined }, "ban");
    if (online !== undefined) {
      this.#deps.seats.kick(online, line(styled("error", withReason("An admin has banned you", why))), disconnectReason("kicked", "banned by an admin"));
    }
    return "banned";
  }

  /** Lifts an account's ban. */
  unban(by: Player, target: Target): UnbanOutcome {
    const { record } = target;
    if (record.ban === null) return "not-banned";
    this.#deps.store.setBan(record.key, null);
    this.#deps.log.info({ admin: by.key, target: record.key, bannedBy: record.ban.by }, "unban");
    return "unbanned";
  }

  /** Mutes an account, and the player at once if online (the talking commands check `Player.muted`). */
  mute(by: Player, target: Target): MuteOutcome {
    const { record, online } = target;
    if (record.key === by.key) return "self";
    if (record.muted) return "already";
    this.#deps.store.setMuted(record.key, true);
    this.#deps.log.info({ admin: by.key, target: record.key }, "mute");
    if (online !== undefined) {
      online.muted = true;
      this.#tell(online, line(styled("notice", "An admin has muted you.")));
    }
    return "muted";
  }

  /** Lifts a mute. */
  unmute(by: Player, target: Target): UnmuteOutcome {
    const { record, online } = target;
    if (!record.muted) return "not-muted";
    this.#deps.store.setMuted(record.key, false);
    this.#deps.log.info({ admin: by.key, target: record.key }, "unmute");
    if (online !== undefined) {
      online.muted = false;
      if (online !== by) this.#tell(online, line(styled("notice", "You may speak again.")));
    }
    return "unmuted";
  }

  /**
   * Gives an account a role, at once if they are online (their commands and `help` follow it,
   * and their client is sent the new `Char.Status` and `Loom.Commands`). The last admin stays one.
   */
  setRole(by: Player, target: Target, role: Role): RoleOutcome {
    const { record, online } = target;
    if (record.role === role) return "same";
    if (record.role === "admin" && this.#deps.store.countAdmins() <= 1) return "last-admin";
    this.#deps.store.setRole(record.key, role);
    this.#deps.log.warn({ admin: by.key, target: record.key, from: record.role, to: role }, "role changed");
    if (online !== undefined) {
      online.role = role;
      if (online !== by) this.#tell(online, line(styled("notice", `An admin has made you ${withArticle(role)}.`)));
      this.#deps.gateway.send({ type: "oob", channel: "Char.Status", data: characterStatus(online), to: [online.session] });
      this.#deps.gateway.send({ type: "oob", channel: "Loom.Commands", data: this.#deps.commandsFor(role), to: [online.session] });
    }
    return "changed";
  }

  /**
   * `[Announcement] <text>` to everyone playing, whichever door they came by: one message,
   * rendered once per variant however many read it. Not to connections still at the login
   * prompt, whose screen the dialog owns. `text` is sanitised and bounded.
   */
  announce(by: Player, text: string): void {
    const to = Array.from(this.#deps.seats.online(), (p) => p.session);
    this.#deps.log.info({ admin: by.key, text, readers: to.length }, "announcement");
    this.#deps.gateway.send({ type: "deliver", message: line(styled("notice", `[Announcement] ${text}`)), to });
  }

  /**
   * Counts `seconds` down, telling every connection at the start and as each of 30 and 10
   * minutes, 5, 2 and 1 minute, 30, 10 and 5 seconds left passes, then asks the server to
   * stop (the same drain as SIGTERM, which tells everyone it is stopping). With 0, it asks at
   * once — on the clock's next turn, not inside the command that asked.
   */
  shutdown(by: Player, seconds: number): ShutdownOutcome {
    if (this.#countdown !== undefined) return "already";
    const { clock, log } = this.#deps;
    log.warn({ admin: by.key, seconds }, "shutdown countdown started");
    if (seconds > 0) this.#tellEveryone(`[Shutdown] The server will shut down in ${duration(seconds)}.`);
    this.#countdown = this.#arm(clock.now() + seconds * 1000, by.key);
    return "started";
  }

  /** Stops a countdown, telling everyone. */
  cancelShutdown(by: Player): CancelOutcome {
    const countdown = this.#countdown;
    if (countdown === undefined) return "none";
    countdown.timer.cancel();
    this.#countdown = undefined;
    this.#deps.log.warn({ admin: by.key, startedBy: countdown.by, secondsLeft: this.#secondsLeft(countdown) }, "shutdown cancelled");
    this.#tellEveryone("[Shutdown] The shutdown has been cancelled.");
    return "cancelled";
  }

  /** Whole seconds left of the countdown under way, if there is one. */
  shutdownSecondsLeft(): number | undefined {
    return this.#countdown === undefined ? undefined : this.#secondsLeft(this.#countdown);
  }

  /** Stops any countdown without a word: the server is stopping anyway. Idempotent. */
  stop(): void {
    this.#countdown?.timer.cancel();
    this.#countdown = undefined;
  }

  /** A countdown to `deadline`, its timer armed for the next mark, or for the end. */
  #arm(deadline: number, by: string): Countdown {
    const { clock } = this.#deps;
    const left = deadline - clock.now();
    const mark = SHUTDOWN_MARKS.find((seconds) => seconds * 1000 < left);
    const timer = clock.callLater(left - (mark ?? 0) * 1000, () => {
      if (mark !== undefined) {
        this.#tellEveryone(`[Shutdown] The server will shut down in ${duration(mark)}.`);
        this.#countdown = this.#arm(deadline, by);
        return;
      }
      this.#countdown = undefined;
      this.#deps.log.warn({ startedBy: by }, "shutdown countdown over: stopping the server");
      this.#deps.requestShutdown();
    });
    return { deadline, by, timer };
  }

  #secondsLeft(countdown: Countdown): number {
    return Math.max(0, Math.ceil((countdown.deadline - this.#deps.clock.now()) / 1000));
  }

  /** One notice to every connection, at the door or playing: they are all about to be closed. */
  #tellEveryone(text: string): void {
    const to = [...this.#deps.seats.sessions()];
    if (to.length > 0) this.#deps.gateway.send({ type: "deliver", message: line(styled("notice", text)), to });
  }

  #tell(player: Player, message: OutputMessage): void {
    this.#deps.gateway.send({ type: "deliver", message, to: [player.session] });
  }
}

/**
 * A sentence with an optional reason after a colon: "An admin has banned you: spamming." A
 * reason that ends a sentence gets no second stop; no reason, no colon.
 */
export function withReason(head: string, why: string): string {
  if (why === "") return `${head}.`;
  return /[.!?]$/.test(why) ? `${head}: ${why}` : `${head}: ${why}.`;
}

/** "a player", "a builder", "an admin". */
export function withArticle(role: Role): string {
  return role === "admin" ? "an admin" : `a ${role}`;
}

/** "10 seconds", "1 minute", "1 minute and 30 seconds", "1 hour". */
export function duration(seconds: number): string {
  const unit = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (seconds < 60) return unit(seconds, "second");
  if (seconds >= 3600 && seconds % 3600 === 0) return unit(seconds / 3600, "hour");
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? unit(minutes, "minute") : `${unit(minutes, "minute")} and ${unit(rest, "second")}`;
}
