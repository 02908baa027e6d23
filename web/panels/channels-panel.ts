/**
 * The Channels panel (`#panel-channels`): one row per channel the player is in, with the
 * number of posts since they last opened it (`.unread`); opening a channel shows its recent
 * posts and clears the count. Draws a ChannelLog (channel-log.ts). Rows are toggle buttons
 * (`aria-pressed`), updated in place so a focused row keeps the focus while posts arrive; an
 * open channel's posts are appended, so its log region announces only the new one.
 */
import type { ChannelLog, ChannelPost } from "../channel-log.js";

/** The panel's elements. */
export interface ChannelsPanelElements {
  readonly list: HTMLElement;
  readonly empty: HTMLElement;
  readonly lines: HTMLElement;
}

interface Row {
  readonly button: HTMLButtonElement;
  readonly count: HTMLElement;
  readonly spoken: HTMLElement;
  readonly caption: HTMLElement;
}

/** Draws the Channels panel and handles its clicks. */
export class ChannelsPanel {
  readonly #el: ChannelsPanelElements;
  readonly #log: ChannelLog;
  #rows = new Map<string, Row>();
  /** The channel whose posts `lines` holds. */
  #shown: string | undefined;

  constructor(elements: ChannelsPanelElements, log: ChannelLog) {
    this.#el = elements;
    this.#log = log;
    elements.list.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest<HTMLElement>("button[data-channel]") : null;
      const name = button?.dataset["channel"];
      if (name === undefined) return;
      this.#log.open(this.#log.opened?.toLowerCase() === name.toLowerCase() ? undefined : name);
      this.show();
    });
  }

  /** A post arrived on `channel` (already in the log): appends it if that channel is open. */
  posted(channel: string, post: ChannelPost): void {
    if (this.#shown !== undefined && this.#shown.toLowerCase() === channel.toLowerCase()) {
      const lines = this.#el.lines;
      lines.append(postLine(post));
      // The log keeps the newest posts; so does the view.
      while (lines.childElementCount > this.#log.posts(channel).length) lines.firstElementChild?.remove();
      lines.scrollTop = lines.scrollHeight;
    }
    this.show();
  }

  /** Redraws the rows' counts (rebuilding them when the channels changed) and the open channel. */
  show(): void {
    const opened = this.#log.opened;
    const channels = this.#log.channels;
    const names = channels.map(({ entry }) => entry.name);
    if (names.join("\n") !== [...this.#rows.keys()].join("\n")) this.#rebuild(names);
    for (const { entry, unread } of channels) {
      const row = this.#rows.get(entry.name);
      if (row === undefined) continue;
      row.caption.textContent = entry.caption;
      row.button.setAttribute("aria-pressed", String(opened === entry.name));
      row.count.textContent = String(unread);
      row.count.hidden = unread === 0;
      row.spoken.textContent = unread === 0 ? "" : " unread";
    }
    this.#el.empty.hidden = channels.length > 0;
    if (opened !== this.#shown) this.#showPosts(opened);
  }

  #rebuild(names: readonly string[]): void {
    const rows = new Map<string, Row>();
    const items = names.map((name) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "channel";
      button.dataset["channel"] = name;
      const caption = document.createElement("span");
      const count = document.createElement("span");
      count.className = "unread";
      // Read as "Chat 3 unread"; the bare number is for the eye.
      const spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      button.append(caption, " ", count, spoken);
      rows.set(name, { button, count, spoken, caption });
      const li = document.createElement("li");
      li.append(button);
      return li;
    });
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset["channel"] : undefined;
    this.#rows = rows;
    this.#el.list.replaceChildren(...items);
    if (focused !== undefined) rows.get(focused)?.button.focus();
  }

  #showPosts(opened: string | undefined): void {
    this.#shown = opened;
    const lines = this.#el.lines;
    lines.hidden = opened === undefined;
    lines.replaceChildren(...(opened === undefined ? [] : this.#log.posts(opened).map(postLine)));
    if (opened !== undefined) {
      lines.setAttribute("aria-label", `Messages on ${opened}`);
      lines.scrollTop = lines.scrollHeight;
    }
  }
}

/** One post as a line: the talker's name, then what they said. */
function postLine(post: ChannelPost): HTMLElement {
  const line = document.createElement("p");
  line.className = "channel-line";
  const talker = document.createElement("span");
  talker.className = "s-name";
  talker.textContent = post.talker;
  line.append(talker, `: ${post.text}`);
  return line;
}
