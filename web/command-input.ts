/**
 * The command line (`#command-form`, issue 9): Enter sends the line, the arrow keys walk the
 * history (kept across reloads, never a secret: history-store.ts), Tab completes the word
 * before the cursor from what is in view (completion.ts) and announces it
 * (`#completion-status`). While the server has echo off (a password prompt, hardening T9) the
 * field is masked and neither history nor completion touches it. A click in the output comes
 * back here.
 */
import { CommandHistory } from "./command-history.js";
import { Completer, describeCompletion, type CompletionSources } from "./completion.js";
import { loadHistory, mayRemember, saveHistory, type KeyValueStorage } from "./history-store.js";

/** The command line's elements. */
export interface CommandInputElements {
  readonly form: HTMLFormElement;
  readonly input: HTMLInputElement;
  /** The live region that announces a completion. */
  readonly completionStatus: HTMLElement;
  /** The output: clicking it goes back to typing. */
  readonly output: HTMLElement;
}

/** What the command line needs from the page. */
export interface CommandInputHost {
  /**
   * Sends one line as typed (`echo` false: typed at a password prompt). False when it could not
   * be sent: the line then stays in the field.
   */
  send(command: string, echo: boolean): boolean;
  /** What Tab can complete now: the words of the world in view. */
  completions(): CompletionSources;
}

/** The page's command line. */
export class CommandInput {
  readonly #el: CommandInputElements;
  readonly #host: CommandInputHost;
  readonly #storage: KeyValueStorage | undefined;
  readonly #history: CommandHistory;
  readonly #completer = new Completer();
  #echo = true;

  /** `storage` keeps the history across reloads (`undefined` where the browser forbids it). */
  constructor(elements: CommandInputElements, storage: KeyValueStorage | undefined, host: CommandInputHost) {
    this.#el = elements;
    this.#host = host;
    this.#storage = storage;
    this.#history = new CommandHistory({ entries: loadHistory(storage) });
    elements.form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (host.send(elements.input.value, this.#echo)) elements.input.value = "";
    });
    elements.input.addEventListener("keydown", (event) => this.#onKey(event));
    // Clicking the output (but not selecting text in it, nor a button) goes back to typing.
    elements.output.addEventListener("mouseup", (event) => {
      if (event.target instanceof Element && event.target.closest("button") !== null) return;
      if (window.getSelection()?.isCollapsed ?? true) elements.input.focus();
    });
  }

  /** Whether the server echoes: false at a password prompt. */
  get echo(): boolean {
    return this.#echo;
  }

  /** Echo off masks the input (a password); on restores it. */
  setEcho(on: boolean): void {
    this.#echo = on;
    const input = this.#el.input;
    input.type = on ? "text" : "password";
    input.autocomplete = on ? "off" : "current-password";
  }

  /** Puts the cursor in the command line. */
  focus(): void {
    this.#el.input.focus();
  }

  /**
   * A line went to the server (typed or clicked): Tab starts afresh, and the line is remembered
   * when it may be (history-store.ts); one that may not still takes its place in the history.
   */
  sent(command: string, echo: boolean): void {
    this.#completer.reset();
    if (mayRemember(command, echo)) {
      this.#history.push(command);
      saveHistory(this.#storage, this.#history.entries);
    } else {
      this.#history.push("");
    }
  }

  #onKey(event: KeyboardEvent): void {
    if (!this.#echo) return;
    const input = this.#el.input;
    if (event.key === "Tab") {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      this.#complete(event);
      return;
    }
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    const next = event.key === "ArrowUp" ? this.#history.up(input.value) : this.#history.down();
    event.preventDefault();
    if (next === undefined) return;
    input.value = next;
    input.setSelectionRange(next.length, next.length);
  }

  /** Tab: completes the word before the cursor; with nothing to complete Tab moves focus as usual. */
  #complete(event: KeyboardEvent): void {
    const input = this.#el.input;
    const cursor = input.selectionStart ?? input.value.length;
    if (cursor !== (input.selectionEnd ?? cursor)) return;
    const completion = this.#completer.complete(input.value, cursor, this.#host.completions(), event.shiftKey);
    if (completion === undefined) return;
    event.preventDefault();
    input.value = completion.value;
    input.setSelectionRange(completion.cursor, completion.cursor);
    this.#el.completionStatus.textContent = describeCompletion(completion);
  }
}
