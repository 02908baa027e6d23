/**
 * The text held back while a resume is in flight (issue 9): a page that resumes its character
 * should not show the login greeting and prompt again. From the moment a connection sends
 * `Loom.Resume.Login` until it is answered, text is held; a resume that worked drops what came
 * up to the last prompt, one that failed (or the connection going) shows all of it. A server
 * that never answers does not leave the page blank: after {@link RESUME_ANSWER_MS} the page
 * gives up on the resume and shows the login form. Pure over a scheduler and a writer
 * (test/web/resume-hold.test.ts); client.ts drives it alongside resume-flow.ts.
 */
import type { OutputMessage } from "../src/session/messages.js";

/** How long a resume may take before the login form is shown anyway, ms. */
export const RESUME_ANSWER_MS = 5000;

/** Most text messages held while a resume is in flight; past it they show at once. */
export const MAX_HELD_MESSAGES = 200;

/** Runs `run` after `ms`; returns what cancels it. */
export type Schedule = (run: () => void, ms: number) => () => void;

/** `setTimeout`, as a {@link Schedule}. */
export const scheduleTimeout: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

/** One page's held text, across connections. */
export class ResumeHold {
  readonly #write: (message: OutputMessage) => void;
  readonly #schedule: Schedule;
  #held: OutputMessage[] | undefined;
  #cancelTimer: (() => void) | undefined;

  /** `write` shows a message in the output. */
  constructor(write: (message: OutputMessage) => void, schedule: Schedule = scheduleTimeout) {
    this.#write = write;
    this.#schedule = schedule;
  }

  /** A resume went out: hold text until {@link release}; `noAnswer` runs if none came in time. */
  start(noAnswer: () => void): void {
    this.#stopTimer();
    this.#held = [];
    this.#cancelTimer = this.#schedule(() => {
      this.#cancelTimer = undefined;
      noAnswer();
    }, RESUME_ANSWER_MS);
  }

  /** Shows one text message, or holds it while a resume is in flight (up to {@link MAX_HELD_MESSAGES}). */
  write(message: OutputMessage): void {
    if (this.#held !== undefined && this.#held.length < MAX_HELD_MESSAGES) this.#held.push(message);
    else this.#write(message);
  }

  /**
   * Stops holding (the resume was answered, or the connection went) and shows what was held;
   * `resumed`: without the login greeting and prompt. Nothing when nothing is held.
   */
  release(resumed: boolean): void {
    this.#stopTimer();
    const held = this.#held;
    this.#held = undefined;
    if (held === undefined) return;
    let start = 0;
    if (resumed) for (let i = 0; i < held.length; i++) if (held[i]?.kind === "prompt") start = i + 1;
    for (const message of held.slice(start)) this.#write(message);
  }

  #stopTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }
}
