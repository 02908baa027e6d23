/**
 * The connection's state as the player sees it (`#status`, a live region, and the *Reconnect*
 * button): connecting, connected, reconnecting with a countdown to the next try, or
 * disconnected for good. `data-state` on `#status` carries the state for the page and its
 * tests; the button shows only when there is something to reconnect.
 */

/** Where the page's connection stands. */
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "disconnected";

/** How often the countdown to the next try is redrawn, ms. */
const COUNTDOWN_TICK_MS = 1000;

/** The status line and the Reconnect button. */
export class ConnectionStatus {
  readonly #status: HTMLElement;
  readonly #reconnect: HTMLButtonElement;
  #state: ConnectionState | undefined;
  #countdown: ReturnType<typeof setInterval> | undefined;

  constructor(status: HTMLElement, reconnect: HTMLButtonElement) {
    this.#status = status;
    this.#reconnect = reconnect;
  }

  /** The state last shown. */
  get state(): ConnectionState | undefined {
    return this.#state;
  }

  /** Shows `state` with `text`, ending any countdown. */
  show(state: ConnectionState, text: string): void {
    this.#stopCountdown();
    this.#render(state, text);
  }

  /** Shows "Reconnecting in N s", counting down to the try `retryInMs` from now. */
  reconnectingIn(retryInMs: number): void {
    const until = Date.now() + retryInMs;
    const tick = (): void => {
      const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
      this.#render("reconnecting", "Reconnecting", ` in ${seconds} s`);
    };
    this.#stopCountdown();
    tick();
    this.#countdown = setInterval(tick, COUNTDOWN_TICK_MS);
  }

  /**
   * Shows the connection's state. `countdown` is shown but hidden from screen readers: the status
   * region would otherwise announce every second of a wait.
   */
  #render(state: ConnectionState, text: string, countdown = ""): void {
    const status = this.#status;
    this.#state = state;
    status.dataset["state"] = state;
    this.#reconnect.hidden = state !== "disconnected" && state !== "reconnecting";
    if (status.textContent === text + countdown) return;
    if (countdown === "") {
      status.textContent = text;
      return;
    }
    const seconds = document.createElement("span");
    seconds.setAttribute("aria-hidden", "true");
    seconds.textContent = countdown;
    if (status.firstChild?.textContent === text && status.childNodes.length === 2) status.lastChild?.replaceWith(seconds);
    else status.replaceChildren(text, seconds);
  }

  #stopCountdown(): void {
    if (this.#countdown !== undefined) clearInterval(this.#countdown);
    this.#countdown = undefined;
  }
}
