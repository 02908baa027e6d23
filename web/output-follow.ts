/**
 * Whether the output follows new text (issue 9: "scrollback that does not jump while the player
 * reads back, and a 'new messages' marker to return to the end"). Pure: the page reports what
 * happened (a scroll and whether it ended at the end, the player's hands on a scroll control,
 * new text, a frame, a resize) and this says what to do (test/web/output-follow.test.ts).
 *
 * "Following" is remembered, not measured from the layout at each frame: the output can be
 * short of its end without the player having scrolled. Opening the panels at 360 px shrinks
 * `#output` from 652 to 302 px, as does a phone's keyboard, and the scroll position stays where
 * it was (regression: the page then acted as if the player had scrolled up, new lines stayed
 * out of view and "New messages" showed). So only a scroll stops following, and only one the
 * player (or a script, find-in-page) made: the browser's own adjustments while new text settles
 * (scroll anchoring as the oldest lines go from the top) do not count. A resize while following
 * goes back to the end.
 */

/** What to do in the frame after new text. */
export type FrameAction = "end" | "mark" | "none";

/**
 * How long after the player's last wheel turn, touch or key a scroll is still theirs, ms: a
 * flicked touch scroll or a held key keeps scrolling for a while after the input event.
 */
export const PLAYER_SCROLL_MS = 1000;

/** One output area's follow state. */
export class OutputFollow {
  readonly #now: () => number;
  #following = true;
  /** Text was added or removed since the last frame: scroll events may be the browser's doing. */
  #changed = false;
  /** When the player last turned a wheel, touched, or pressed a key in the output. */
  #playerAt = Number.NEGATIVE_INFINITY;
  /** A pointer is down on the output (dragging its scrollbar). */
  #held = false;

  /** `now`: a clock in ms (`performance.now` in the page). */
  constructor(now: () => number) {
    this.#now = now;
  }

  /** Whether new text scrolls into view. */
  get following(): boolean {
    return this.#following;
  }

  /** The player turned a wheel, touched, or pressed a key on the output. */
  playerInput(): void {
    this.#playerAt = this.#now();
  }

  /** A pointer went down on the output (`true`) or up anywhere (`false`): a scrollbar drag is the player's. */
  pointer(held: boolean): void {
    // A release ends a drag of ours (its last scroll events may come after it); one elsewhere is no scrolling.
    if (!held && this.#held) this.#playerAt = this.#now();
    this.#held = held;
  }

  /** Text was added or removed; a frame is queued. */
  changed(): void {
    this.#changed = true;
  }

  /**
   * A scroll event; `atEnd` as measured now; `ours`: the page's own scroll to the end, the
   * position still the one it set. At the end: following again. Short of it: the player stopped
   * following, unless the scroll is ours (text came in after it, before the event) or the
   * browser settling new text while the player's hands are off the controls.
   */
  scrolled(atEnd: boolean, ours = false): void {
    if (atEnd) {
      this.#following = true;
      return;
    }
    if (ours) return;
    const player = this.#held || this.#now() - this.#playerAt <= PLAYER_SCROLL_MS;
    if (this.#changed && !player) return;
    this.#following = false;
  }

  /** The frame after new text: go to the `end`, show the `mark` ("New messages"), or `none`. */
  frame(atEnd: boolean): FrameAction {
    this.#changed = false;
    if (this.#following) return "end";
    return atEnd ? "none" : "mark";
  }

  /** The output changed size: whether to go back to the end (it was following). */
  resized(): boolean {
    return this.#following;
  }

  /** The page went to the end ("New messages" clicked). */
  jumpedToEnd(): void {
    this.#following = true;
  }
}
