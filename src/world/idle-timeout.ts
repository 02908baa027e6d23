/**
 * Hardening F8: a logged-in player who types nothing for `limits.idleTimeoutSeconds` is warned
 * `limits.idleWarningSeconds` before the end, then disconnected with a reason they read. Off by
 * default (0): a chat server's lurkers are usually welcome, and the operator decides.
 *
 * Cost at 10,000 sessions: an input line only writes a number (`Player.lastActiveAt`, read off
 * the Clock); no timer is touched per line. Each watched player has one timer, set for the
 * earliest moment they could be due a warning; when it fires it reads `lastActiveAt` and, if
 * they did something meanwhile, sets itself again for the new moment. So an active player costs
 * one wake-up per idle period (every 29 minutes with the example settings), an idle one two
 * (warn, close). A sweep over every player on a repeating call was the alternative: one timer
 * in all, but 10,000 comparisons per tick whether anyone is idle or not, and a warning late by
 * up to a tick; the lazy timer is exact and does work only when someone could be due.
 */
import type { Clock, DelayedCall } from "../reactor/clock.js";
import { reason, type DisconnectReason } from "../reactor/interfaces.js";
import { line, styled, type OutputMessage } from "../session/messages.js";
import { duration } from "./moderation.js";
import type { Player } from "./seats.js";

/** The two settings, as configured (`limits.idleTimeoutSeconds`, `limits.idleWarningSeconds`). */
export interface IdleTimeoutSettings {
  /** Seconds without input before a player is disconnected; 0 turns the timeout off. */
  readonly timeoutSeconds: number;
  /** Seconds before that moment the player is warned; 0 sends no warning. Less than the timeout. */
  readonly warningSeconds: number;
}

/** What the timeout does to a player, supplied by the seats. */
export interface IdleTimeoutHost {
  readonly clock: Clock;
  /** Tells the player something (the warning). */
  warn(player: Player, message: OutputMessage): void;
  /** Puts the player out: they read `message`, their connection closes with `why`. */
  close(player: Player, message: OutputMessage, why: DisconnectReason): void;
}

/** The idle timers of every player online. */
export class IdleTimeout {
  readonly #host: IdleTimeoutHost;
  readonly #timeoutMs: number;
  readonly #warningMs: number;
  /** Each watched player's one timer, and the idle stretch (its `lastActiveAt`) already warned about. */
  readonly #timers = new Map<Player, { call: DelayedCall; warnedFor: number | undefined }>();

  constructor(host: IdleTimeoutHost, settings: IdleTimeoutSettings) {
    this.#host = host;
    this.#timeoutMs = settings.timeoutSeconds * 1000;
    // A warning as long as the timeout itself would come at login; the schema refuses it, and
    // this keeps the arithmetic sound whatever a direct caller passes.
    this.#warningMs = Math.min(settings.warningSeconds, settings.timeoutSeconds) * 1000;
  }

  /** Whether the timeout is on. */
  get enabled(): boolean {
    return this.#timeoutMs > 0;
  }

  /** Starts watching a player who has just entered (or taken over their connection). Idempotent. */
  watch(player: Player): void {
    if (!this.enabled || this.#timers.has(player)) return;
    this.#schedule(player, undefined);
  }

  /** Stops watching a player who left. Idempotent. */
  forget(player: Player): void {
    this.#timers.get(player)?.call.cancel();
    this.#timers.delete(player);
  }

  /**
   * Sets the player's one timer for the next moment something may be due in their current idle
   * stretch: the warning, or (once warned, or with no warning) the close.
   */
  #schedule(player: Player, warnedFor: number | undefined): void {
    const warned = warnedFor === player.lastActiveAt || this.#warningMs === 0;
    const dueAt = player.lastActiveAt + (warned ? this.#timeoutMs : this.#timeoutMs - this.#warningMs);
    const call = this.#host.clock.callLater(Math.max(0, dueAt - this.#host.clock.now()), () => this.#due(player));
    this.#timers.set(player, { call, warnedFor });
  }

  #due(player: Player): void {
    const entry = this.#timers.get(player);
    if (entry === undefined) return;
    const idleFor = this.#host.clock.now() - player.lastActiveAt;
    if (idleFor >= this.#timeoutMs) {
      this.#timers.delete(player);
      const idle = duration(Math.round(this.#timeoutMs / 1000));
      this.#host.close(player, line(styled("notice", `Disconnected after ${idle} idle.`)), reason("idle-timeout", `no input for ${idle}`));
      return;
    }
    if (this.#warningMs > 0 && idleFor >= this.#timeoutMs - this.#warningMs && entry.warnedFor !== player.lastActiveAt) {
      const so = duration(Math.round(idleFor / 1000));
      const left = duration(Math.round((this.#timeoutMs - idleFor) / 1000));
      this.#host.warn(player, line(styled("notice", `You have been idle for ${so}; you will be disconnected in ${left} unless you do something.`)));
      this.#schedule(player, player.lastActiveAt);
      return;
    }
    // Not due yet (they typed something since the timer was set): wait for the new moment.
    this.#schedule(player, entry.warnedFor);
  }
}
