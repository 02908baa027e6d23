/**
 * The scrolling output area. Every piece of server or user text becomes a text node or an
 * element's `textContent`, never markup (hardening E11: `<img src=x onerror=…>` stays text).
 * Exits and the names of people in view become buttons (links.ts) whose `data-command` the
 * page sends when clicked. Output is bounded (the oldest lines go first) and follows new text
 * only while the reader is at the bottom; otherwise a "New messages" button offers the way back.
 * Whether the reader is "at the bottom" is remembered from their scrolling (output-follow.ts),
 * so the output getting shorter (panels opened on a phone, its keyboard) does not count.
 */
import type { OutputMessage, Span } from "../src/session/messages.js";
import { exitParts, nameParts, type ListPart } from "./links.js";
import { OutputFollow } from "./output-follow.js";
import { isStyle } from "./server-frames.js";

/** How the output area behaves. */
export interface OutputViewOptions {
  /** Most lines kept; older ones are removed. Default 2000. */
  readonly maxLines?: number;
  /** Whether a person or creature called `name` is in view (their name becomes a button). */
  readonly isPresent?: (name: string) => boolean;
}

/** How close to the bottom (px) still counts as "at the bottom". */
const STICKY_SLACK_PX = 24;

/** How many of the newest lines {@link OutputView.relinkNames} looks at. */
const RELINK_LINES = 30;

/** Renders messages into one element (the page's `role="log"` area). */
export class OutputView {
  readonly #root: HTMLElement;
  readonly #newMessages: HTMLElement | undefined;
  readonly #maxLines: number;
  readonly #isPresent: (name: string) => boolean;
  /** The last line, while it is a prompt still waiting for the user's answer. */
  #openPrompt: HTMLElement | undefined;
  /** A frame is queued to follow (or mark) this frame's new text. */
  #frameQueued = false;
  readonly #follow = new OutputFollow(() => performance.now());
  /** Where the page last scrolled to itself, until the scroll event for it comes. */
  #ownScrollTop: number | undefined;

  /** `newMessages`: the button shown while new output arrives below a reader who scrolled up. */
  constructor(root: HTMLElement, newMessages?: HTMLElement, options: OutputViewOptions = {}) {
    this.#root = root;
    this.#newMessages = newMessages;
    this.#maxLines = options.maxLines ?? 2000;
    this.#isPresent = options.isPresent ?? (() => false);
    root.addEventListener("scroll", () => {
      const atEnd = this.#atBottom();
      const ours = this.#root.scrollTop === this.#ownScrollTop;
      this.#ownScrollTop = undefined;
      this.#follow.scrolled(atEnd, ours);
      if (atEnd) this.#showNewMessages(false);
    }, { passive: true });
    // The player's own ways of scrolling, so their scroll is told from the browser's (output-follow.ts).
    // Not a tap or click: one on an exit in the output is followed by the new room's text, which
    // must still scroll into view. A pointer on the output itself, not a line in it, is on its scrollbar.
    const playerInput = (): void => this.#follow.playerInput();
    for (const type of ["wheel", "touchmove", "keydown"] as const) root.addEventListener(type, playerInput, { passive: true });
    root.addEventListener("pointerdown", (event) => {
      if (event.target === root) this.#follow.pointer(true);
    }, { passive: true });
    for (const type of ["pointerup", "pointercancel"] as const) window.addEventListener(type, () => this.#follow.pointer(false), { passive: true });
    // Shorter (panels opened, a phone's keyboard) or taller: a reader at the end stays there.
    new ResizeObserver(() => {
      if (this.#follow.resized()) this.scrollToEnd();
    }).observe(root);
    newMessages?.addEventListener("click", () => this.scrollToEnd());
  }

  /** Appends one server message. A prompt stays open for the user's answer on the same line. */
  write(message: OutputMessage): void {
    const el = this.#newLine(message.kind === "prompt" ? "line prompt" : "line");
    for (const span of message.spans) el.append(this.#renderSpan(span));
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
  system(text: string, className = "system"): void {
    this.#openPrompt = undefined;
    const el = this.#newLine(`line ${className}`);
    el.textContent = text;
    this.#commit(el);
  }

  /**
   * Turns names in the newest lines into buttons (or back) after the people in view changed:
   * the room's text and its `Room.Players` arrive in either order.
   */
  relinkNames(): void {
    const lines = this.#root.children;
    for (let i = Math.max(0, lines.length - RELINK_LINES); i < lines.length; i++) {
      for (const span of lines[i]?.querySelectorAll<HTMLElement>("span.s-name") ?? []) {
        const parts = nameParts(span.textContent ?? "", this.#isPresent);
        const linked = parts.filter((part) => part.command !== undefined).length;
        if (linked === span.querySelectorAll("button").length) continue;
        span.replaceChildren(...parts.map((part) => partNode(part, "name-link")));
      }
    }
  }

  /** Scrolls to the newest line and hides the "New messages" button. */
  scrollToEnd(): void {
    this.#follow.jumpedToEnd();
    this.#scrollToBottom();
    this.#showNewMessages(false);
  }

  /** Number of lines currently shown. */
  get lineCount(): number {
    return this.#root.childElementCount;
  }

  #renderSpan(span: Span): Node {
    if (typeof span === "string") return document.createTextNode(span);
    const el = document.createElement("span");
    if (isStyle(span.style)) el.className = `s-${span.style}`;
    if (span.style === "exit") el.append(...exitParts(span.text).map((part) => partNode(part, "exit-link")));
    else if (span.style === "name") el.append(...nameParts(span.text, this.#isPresent).map((part) => partNode(part, "name-link")));
    else el.textContent = span.text;
    return el;
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

  /** Scrolls to the end, noting where, so its scroll event is known for the page's own. */
  #scrollToBottom(): void {
    const root = this.#root;
    const before = root.scrollTop;
    root.scrollTop = root.scrollHeight;
    // No move, no scroll event: nothing to wait for.
    this.#ownScrollTop = root.scrollTop === before ? this.#ownScrollTop : root.scrollTop;
  }

  #atBottom(): boolean {
    const root = this.#root;
    return root.scrollHeight - root.scrollTop - root.clientHeight <= STICKY_SLACK_PX;
  }

  #showNewMessages(show: boolean): void {
    const button = this.#newMessages;
    if (button !== undefined && button.hidden === show) button.hidden = !show;
  }

  /**
   * Queues, once per frame, following the new text: a following reader is taken to the end, any
   * other shown "New messages". Nothing is measured per message (no forced reflow in a burst);
   * the follow state is remembered from the reader's scrolling (output-follow.ts).
   */
  #beforeChange(): void {
    this.#follow.changed();
    if (this.#frameQueued) return;
    this.#frameQueued = true;
    requestAnimationFrame(() => {
      this.#frameQueued = false;
      const action = this.#follow.frame(this.#atBottom());
      if (action === "end") this.#scrollToBottom();
      else if (action === "mark") this.#showNewMessages(true);
    });
  }
}

/**
 * A piece of a listed span: a button sending its command, or plain text. Out of the Tab order
 * (`tabindex=-1`): a long log would otherwise put hundreds of stops between the output and the
 * command line; the keyboard has the same exits and people in the panels, and the command line.
 */
function partNode(part: ListPart, className: string): Node {
  if (part.command === undefined) return document.createTextNode(part.text);
  const button = document.createElement("button");
  button.type = "button";
  button.tabIndex = -1;
  button.className = className;
  button.dataset["command"] = part.command;
  button.textContent = part.text;
  return button;
}
