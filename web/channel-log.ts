/**
 * The channels the player is in (`Comm.Channel.List`), the recent posts on each
 * (`Comm.Channel.Text`) and how many arrived since the player last opened that channel in the
 * Channels panel. Pure (test/web/channel-log.test.ts); panels/channels-panel.ts draws it.
 */
import type { ChannelEntry } from "./oob-messages.js";

/** Most posts kept per channel. */
export const MAX_CHANNEL_LINES = 50;

/** Most channels tracked (the list the server sends, plus channels posts arrive on). */
export const MAX_CHANNELS = 50;

/** One post. */
export interface ChannelPost {
  readonly talker: string;
  readonly text: string;
}

interface ChannelState {
  entry: ChannelEntry;
  readonly posts: ChannelPost[];
  unread: number;
}

/** Channels, their posts and unread counts. */
export class ChannelLog {
  readonly #channels = new Map<string, ChannelState>();
  /** The channel open in the panel, if any: its posts are read as they come. */
  #open: string | undefined;

  /** The channel list changed: channels left are dropped, new ones added, posts kept. */
  setList(entries: readonly ChannelEntry[]): void {
    const keep = new Set(entries.map((entry) => entry.name.toLowerCase()));
    for (const key of [...this.#channels.keys()]) if (!keep.has(key)) this.#channels.delete(key);
    for (const entry of entries.slice(0, MAX_CHANNELS)) {
      const key = entry.name.toLowerCase();
      const state = this.#channels.get(key);
      if (state === undefined) this.#channels.set(key, { entry, posts: [], unread: 0 });
      else state.entry = entry;
    }
    if (this.#open !== undefined && !this.#channels.has(this.#open)) this.#open = undefined;
  }

  /**
   * A post: kept (the oldest dropped past the cap), counted unread unless its channel is open or
   * `read` (the player's own post).
   */
  post(channel: string, talker: string, text: string, read = false): void {
    const key = channel.toLowerCase();
    let state = this.#channels.get(key);
    if (state === undefined) {
      if (this.#channels.size >= MAX_CHANNELS) return;
      state = { entry: { name: channel, caption: channel, command: channel }, posts: [], unread: 0 };
      this.#channels.set(key, state);
    }
    state.posts.push({ talker, text });
    if (state.posts.length > MAX_CHANNEL_LINES) state.posts.shift();
    if (this.#open !== key && !read) state.unread++;
  }

  /** Opens `channel` in the panel (its count goes to 0), or closes it with `undefined`. */
  open(channel: string | undefined): void {
    const key = channel?.toLowerCase();
    this.#open = key !== undefined && this.#channels.has(key) ? key : undefined;
    const state = this.#open === undefined ? undefined : this.#channels.get(this.#open);
    if (state !== undefined) state.unread = 0;
  }

  /** The open channel's name, if any. */
  get opened(): string | undefined {
    return this.#open === undefined ? undefined : this.#channels.get(this.#open)?.entry.name;
  }

  /** Every channel with its unread count, in list order. */
  get channels(): readonly { readonly entry: ChannelEntry; readonly unread: number }[] {
    return [...this.#channels.values()].map((state) => ({ entry: state.entry, unread: state.unread }));
  }

  /** The recent posts of `channel`, oldest first. */
  posts(channel: string): readonly ChannelPost[] {
    return this.#channels.get(channel.toLowerCase())?.posts ?? [];
  }
}
