/**
 * Channels (issue 7, "Talking"): named conversations that reach their members wherever they
 * stand and whichever door they came in by. The channels are loaded from the store at boot
 * (`chat` exists from the first migration, and every character is in it unless they leave);
 * each online player's memberships are loaded when they enter — a saved choice overrides a
 * channel's autojoin — and dropped when they leave, so the service holds members only for the
 * people playing. A post is saved to the channel's history (its newest {@link HISTORY_KEEP}
 * lines) before anyone reads it, then delivered as one message for every listening member
 * (rendered once, however many there are) and as one `Comm.Channel.Text` out-of-band message.
 *
 * What a stranger can make the server hold is bounded: history rows are trimmed as lines are
 * added; member sets hold online players only; the post allowances are at most
 * {@link ChannelOptions.maxKeys} buckets ({@link KeyedBuckets}, hardening F2 and F10); the
 * channels themselves are made only by admins, at most {@link MAX_CHANNELS}.
 */
import type { Clock } from "../../reactor/clock.js";
import { KeyedBuckets } from "../../reactor/token-bucket.js";
import { line, styled, type GatewayPort, type OutputMessage, type SessionId } from "../../session/messages.js";
import type { ChannelLine, ChannelRecord, Store } from "../../store/store.js";
import type { Player } from "../seats.js";
import { listEntry, postLine, type ChannelListEntry, type ChannelPlayer, type ChannelText } from "./channel-text.js";

/** Lines of history kept per channel; older ones are deleted as new ones are added. */
export const HISTORY_KEEP = 100;
/** Lines `history` shows. */
export const HISTORY_SHOWN = 20;
/** Most channels there may be: admins make them, but each costs every entering player a look. */
export const MAX_CHANNELS = 100;

/** Settings of the channel service. */
export interface ChannelOptions {
  /** Posts per second, sustained, per sender (hardening F2; `limits.channelPostsPerSecond`). */
  readonly postsPerSecond: number;
  /** Posts at once before that rate applies, per sender (`limits.channelBurst`). */
  readonly burst: number;
  /** Most senders' allowances kept at once. Default {@link CHANNEL_MAX_SENDERS}. */
  readonly maxKeys?: number;
}

/** Most senders' post allowances kept at once: a bound on memory, not a setting. */
export const CHANNEL_MAX_SENDERS = 10_000;

/** What the channel service is built from. */
export interface ChannelDeps {
  readonly store: Store;
  readonly gateway: GatewayPort;
  readonly clock: Clock;
  /** Wall-clock milliseconds, for the time of each history line. */
  readonly wallClock: () => number;
  /** The operator's rates (config/default.yaml holds their defaults). */
  readonly options: ChannelOptions;
}

/** A channel as `channels` lists it for one player. */
export interface ChannelSummary {
  readonly name: string;
  /** Whether the player is in it. */
  readonly member: boolean;
  /** How many online players are in it. */
  readonly listening: number;
}

/** A channel's recent lines, as `history` shows them. */
export interface ChannelHistory {
  /** Oldest first. */
  readonly lines: readonly ChannelLine[];
  /** Wall-clock milliseconds now: a line from before today (UTC) is shown with its date. */
  readonly now: number;
}

/** What {@link ChannelService.post} did. */
export type PostResult = "posted" | "no-such-channel" | "not-member" | "too-fast";
/** What {@link ChannelService.join} did. */
export type JoinResult = "joined" | "already" | "no-such-channel";
/** What {@link ChannelService.leave} did. */
export type LeaveResult = "left" | "not-member" | "no-such-channel";
/** What {@link ChannelService.create} did. */
export type CreateResult = "created" | "exists" | "too-many";
/** What {@link ChannelService.remove} did. */
export type RemoveResult = "removed" | "no-such-channel";

/** Channels as actions see them (`world.channels`). Names are lowercase. */
export interface ChannelService {
  /** Whether there is a channel called `name`: the dispatcher's question for a verb nothing else answers. */
  has(name: string): boolean;
  /** Whether `player` is in the channel `name`. */
  isMember(player: Player, name: string): boolean;
  /** Every channel by name, with whether `player` is in it and how many online are. */
  summaries(player: Player): ChannelSummary[];
  /**
   * Posts `text` (already sanitised) on a channel `poster` is in: saved to its history, then
   * read by every online member but those who ignore the poster. Over the poster's allowance
   * (hardening F2) nothing is saved or sent.
   */
  post(poster: Player, name: string, text: string): PostResult;
  /** Puts `player` in a channel, saved. */
  join(player: Player, name: string): JoinResult;
  /** Takes `player` out of a channel, saved. */
  leave(player: Player, name: string): LeaveResult;
  /**
   * The newest {@link HISTORY_SHOWN} lines of a channel, oldest first, leaving out the lines of
   * anyone `reader` ignores, with the wall-clock time to date them against; undefined for no
   * such channel.
   */
  history(name: string, reader: Player): ChannelHistory | undefined;
  /** Makes a channel only those who join are in; its creator joins it. */
  create(name: string, creator: Player): CreateResult;
  /** Removes a channel with its history and memberships; its online members but `by` are told. */
  remove(name: string, by: Player): RemoveResult;
}

/** A channel and its online members. */
interface LiveChannel {
  readonly record: ChannelRecord;
  readonly listeners: Set<Player>;
}

/** The channel service: composed by the World, exposed to actions as `world.channels`. */
export class Channels implements ChannelService {
  readonly #deps: ChannelDeps;
  readonly #channels = new Map<string, LiveChannel>();
  readonly #posts: KeyedBuckets;

  constructor(deps: ChannelDeps) {
    this.#deps = deps;
    const options = deps.options;
    this.#posts = new KeyedBuckets(deps.clock, { perSecond: options.postsPerSecond, burst: options.burst }, options.maxKeys ?? CHANNEL_MAX_SENDERS);
    for (const record of deps.store.channels()) this.#channels.set(record.name, { record, listeners: new Set() });
  }

  // --- The world's side: players entering and leaving ----------------------------------------

  /** A player entered: they listen to the channels they chose, and to autojoin ones they never left. */
  entered(player: Player): void {
    const chosen = this.#deps.store.membershipsOf(player.key);
    for (const channel of this.#channels.values()) {
      if (chosen.get(channel.record.name) ?? channel.record.autojoin) channel.listeners.add(player);
    }
    this.#sendList(player);
  }

  /** A player is leaving: nothing is kept for them. */
  left(player: Player): void {
    for (const channel of this.#channels.values()) channel.listeners.delete(player);
  }

  // --- ChannelService ------------------------------------------------------------------------

  has(name: string): boolean {
    return this.#channels.has(name);
  }

  isMember(player: Player, name: string): boolean {
    return this.#channels.get(name)?.listeners.has(player) ?? false;
  }

  summaries(player: Player): ChannelSummary[] {
    return this.#sorted().map((c) => ({ name: c.record.name, member: c.listeners.has(player), listening: c.listeners.size }));
  }

  post(poster: Player, name: string, text: string): PostResult {
    const channel = this.#channels.get(name);
    if (channel === undefined) return "no-such-channel";
    if (!channel.listeners.has(poster)) return "not-member";
    if (!this.#posts.take(poster.key)) return "too-fast";
    const { store, gateway, wallClock } = this.#deps;
    store.appendChannelLine({ channel: name, at: wallClock(), sender: poster.name, text }, HISTORY_KEEP);
    // One text for every other member, however many: the hub renders it once per variant.
    const others: SessionId[] = [];
    for (const listener of channel.listeners) {
      if (listener !== poster && !listener.ignoring.has(poster.key)) others.push(listener.session);
    }
    gateway.send({ type: "deliver", message: postLine(name, "You", text, "essential"), to: [poster.session] });
    if (others.length > 0) gateway.send({ type: "deliver", message: postLine(name, poster.name, text, "chatter"), to: others });
    const data: ChannelText = { channel: name, talker: poster.name, text };
    gateway.send({ type: "oob", channel: "Comm.Channel.Text", data, to: [poster.session, ...others] });
    return "posted";
  }

  /**
   * GMCP `Comm.Channel.Players`: who is online and in which channels, for the first `max` people
   * online (in login order). Capped like `who`'s page, so an answer never grows with the crowd:
   * O(max × channels), whatever the number online.
   */
  players(online: Iterable<Player>, max: number): ChannelPlayer[] {
    const channels = this.#sorted();
    const out: ChannelPlayer[] = [];
    for (const player of online) {
      if (out.length >= max) break;
      out.push({ name: player.name, channels: channels.filter((c) => c.listeners.has(player)).map((c) => c.record.name) });
    }
    return out;
  }

  join(player: Player, name: string): JoinResult {
    const channel = this.#channels.get(name);
    if (channel === undefined) return "no-such-channel";
    if (channel.listeners.has(player)) return "already";
    this.#deps.store.setMembership(name, player.key, true);
    channel.listeners.add(player);
    this.#sendList(player);
    return "joined";
  }

  leave(player: Player, name: string): LeaveResult {
    const channel = this.#channels.get(name);
    if (channel === undefined) return "no-such-channel";
    if (!channel.listeners.has(player)) return "not-member";
    this.#deps.store.setMembership(name, player.key, false);
    channel.listeners.delete(player);
    this.#sendList(player);
    return "left";
  }

  history(name: string, reader: Player): ChannelHistory | undefined {
    if (!this.#channels.has(name)) return undefined;
    const { store, wallClock } = this.#deps;
    const now = wallClock();
    if (reader.ignoring.size === 0) return { lines: store.channelHistory(name, HISTORY_SHOWN), now };
    // Names are their keys with a capital (accounts/names.ts), so the sender's key is its lowercase.
    const kept = store.channelHistory(name, HISTORY_KEEP).filter((l) => !reader.ignoring.has(l.sender.toLowerCase()));
    return { lines: kept.slice(-HISTORY_SHOWN), now };
  }

  create(name: string, creator: Player): CreateResult {
    if (this.#channels.has(name)) return "exists";
    if (this.#channels.size >= MAX_CHANNELS) return "too-many";
    const { store, wallClock } = this.#deps;
    const record = store.transaction(() => {
      const made = store.createChannel({ name, autojoin: false, now: wallClock() });
      store.setMembership(name, creator.key, true);
      return made;
    });
    this.#channels.set(name, { record, listeners: new Set([creator]) });
    this.#sendList(creator);
    return "created";
  }

  remove(name: string, by: Player): RemoveResult {
    const channel = this.#channels.get(name);
    if (channel === undefined) return "no-such-channel";
    this.#deps.store.removeChannel(name);
    this.#channels.delete(name);
    const told = [...channel.listeners].filter((p) => p !== by);
    if (told.length > 0) {
      const notice: OutputMessage = line(styled("notice", `The ${name} channel has been removed; you are no longer in it.`));
      this.#deps.gateway.send({ type: "deliver", message: notice, to: told.map((p) => p.session) });
    }
    for (const member of channel.listeners) this.#sendList(member);
    return "removed";
  }

  // --- Internals -----------------------------------------------------------------------------

  #sorted(): LiveChannel[] {
    return [...this.#channels.values()].sort((a, b) => (a.record.name < b.record.name ? -1 : 1));
  }

  /** GMCP `Comm.Channel.List`: the channels the player is in, sent when they enter and when that changes. */
  #sendList(player: Player): void {
    const data: ChannelListEntry[] = this.#sorted()
      .filter((c) => c.listeners.has(player))
      .map((c) => listEntry(c.record.name));
    this.#deps.gateway.send({ type: "oob", channel: "Comm.Channel.List", data, to: [player.session] });
  }
}
