/**
 * The scrolling output area. Every piece of server or user text becomes a text node or an
 * element's `textContent`, never markup (hardening E11: `<img src=x onerror=…>` stays text).
 * Output is bounded (the oldest lines go first) and follows new text only while the reader is
 * at the bottom.
 */
import type { OutputMessage, Span } from "../src/session/messages.js";
import { isStyle } from "./server-frames.js";

/** How the output area behaves. */
export interface OutputViewOptions {
  /** Most lines kept; older ones are removed. Default 2000. */
  readonly maxLines?: number;
}

/** How close to the bottom (px) still counts as "at the bottom". */
const STICKY_SLACK_PX = 24;

/** Renders messages into one element (the page's `role="log"` area). */
export class OutputView {
  readonly #root: HTMLElement;
  readonly #maxLines: number;
  /** The last line, while it is a prompt still waiting for the user's answer. */
  #openPrompt: HTMLElement | undefined;
  /** A scroll to the bottom is queued for the next frame (or the frame's decision was not to). */
  #frameQueued = false;
  /** Whether the reader was at the bottom before this frame's first change. */
  #follow = true;

  constructor(root: HTMLElement, options: OutputViewOptions = {}) {
    this.#root = root;
    this.#maxLines = options.maxLines ?? 2000;
  }

  /** Appends one server message. A prompt stays open for the user's answer on the same line. */
  write(message: OutputMessage): void {
    const el = this.#newLine(message.kind === "prompt" ? "line prompt" : "line");
    for (const span of message.spans) el.append(renderSpan(span));
    this.#openPrompt = message.kind === "prompt" ? el : undefined;
    this.#commit(el);
  }

  /**
   * Shows what the user sent: after the open prompt if there is one, else on a line of its own.
   * `undefined` (echo off, a password) shows nothing but still closes the prompt.
   */
  echo(command: string | undefined): void {
    const prompt = this.#openPrompt;
    this.#openPrompt = undefined;
    if (command === undefined) return;
    const text = document.createElement("span");
    text.className = "echo";
    text.textContent = command;
    if (prompt !== undefined && prompt === this.#root.lastElementChild) {
      this.#beforeChange();
      prompt.append(text);
      return;
    }
    const el = this.#newLine("line echo");
    el.append(text);
    this.#commit(el);
  }

  /** A line from the page itself (connection notices), styled apart from the game's. */
  system(text: string): void {
    this.#openPrompt = undefined;
    const el = this.#newLine("line system");
    el.textContent = text;
    this.#commit(el);
  }

  /** Number of lines currently shown. */
  get lineCount(): number {
    return this.#root.childElementCount;
  }

  #newLine(className: string): HTMLElement {
    const el = document.createElement("div");
    el.className = className;
    return el;
  }

  #commit(el: HTMLElement): void {
    this.#beforeChange();
    this.#root.append(el);
    while (this.#root.childElementCount > this.#maxLines) this.#root.firstElementChild?.remove();
  }

  /**
   * Decides, once per frame and before the frame's first change, whether to follow the output:
   * only a reader already at the bottom is taken along. Measuring before any change keeps the
   * layout clean (no forced reflow per message in a burst), and scroll events are no guide: the
   * browser fires them for its own adjustments too, as old lines are dropped from the top.
   */
  #beforeChange(): void {
    if (this.#frameQueued) return;
    const root = this.#root;
    this.#follow = root.scrollHeight - root.scrollTop - root.clientHeight <= STICKY_SLACK_PX;
    this.#frameQueued = true;
    requestAnimationFrame(() => {
      this.#frameQueued = false;
      if (this.#follow) root.scrollTop = root.scrollHeight;
    });
  }
}

/** One span as a DOM node: a text node, or a `<span class="s-…">` with `textContent`. */
function renderSpan(span: Span): Node {
  if (typeof span === "string") return document.createTextNode(span);
  const el = document.createElement("span");
  el.textContent = span.text;
  if (isStyle(span.style)) el.className = `s-${span.style}`;
  return el;
}
