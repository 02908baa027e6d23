/**
 * When the page asks for, uses and forgets its resume token (issue 9): on every new connection
 * with a live token it sends `Loom.Resume.Login` at the login prompt instead of a name and
 * password; once logged in without one it sends `Loom.Resume.Ask` (once per connection: a
 * successful resume brings a fresh token unasked); `Loom.Resume.Token` replaces the stored
 * token; `Loom.Resume.Failed` and `quit` forget it. Pure over a send function and a store
 * (test/web/resume-flow.test.ts); connection.ts and client.ts drive it.
 */
import type { ResumeStore } from "./resume-store.js";

/** Sends one out-of-band message to the server. */
export type OobSender = (channel: string, data: unknown) => void;

/** How the login prompt of a new connection is met. */
export type ResumeAttempt = "resuming" | "login";

/** One page's resume state; a new connection starts with {@link opened}. */
export class ResumeFlow {
  readonly #store: ResumeStore;
  readonly #send: OobSender;
  readonly #now: () => number;
  /** A `Loom.Resume.Login` is in flight on this connection. */
  #pending = false;
  /** This connection already has (or asked for) a token. */
  #asked = false;

  constructor(store: ResumeStore, send: OobSender, now: () => number) {
    this.#store = store;
    this.#send = send;
    this.#now = now;
  }

  /**
   * A connection opened: resumes with the stored token if there is a live one. `first` runs
   * before `Loom.Resume.Login` goes out, told which it will be: the page lays itself out for it
   * (no login form while resuming) and sends its `caps` there, because a resume logs in at once
   * and the server describes the room at the width it has by then (regression: after a drop the
   * description came unwrapped, the width arriving just after it).
   */
  opened(first: (attempt: ResumeAttempt) => void = () => {}): ResumeAttempt {
    this.#asked = false;
    const token = this.#store.current(this.#now());
    this.#pending = token !== undefined;
    const attempt: ResumeAttempt = token === undefined ? "login" : "resuming";
    first(attempt);
    if (token !== undefined) this.#send("Loom.Resume.Login", { token: token.token });
    return attempt;
  }

  /** Whether a resume is in flight (the login form waits for its answer). */
  get pending(): boolean {
    return this.#pending;
  }

  /** The character is in (`Char.Name`): asks for a token unless a resume brings one. */
  loggedIn(): void {
    const resumed = this.#pending;
    this.#pending = false;
    if (resumed || this.#asked) return;
    this.#asked = true;
    this.#send("Loom.Resume.Ask", {});
  }

  /** `Loom.Resume.Token`: keeps it (the one used is spent). */
  token(token: string, expiresAt: number): void {
    this.#asked = true;
    this.#store.save({ token, expiresAt });
  }

  /**
   * No answer in time (a server without resume ignores the message): the login form takes over,
   * and the token is kept for the next connection.
   */
  gaveUp(): void {
    this.#pending = false;
  }

  /** `Loom.Resume.Failed`: forgets the token; the login form takes over. */
  failed(): void {
    this.#pending = false;
    this.#store.clear();
  }

  /** The player typed `quit`: the server revokes the token, and the page forgets it. */
  quit(): void {
    this.#pending = false;
    this.#store.clear();
  }
}
