/**
 * The output area's size in characters, for the `caps` frame (the browser's NAWS): the server
 * wraps this page's text to the width (hardening E9), with `\n` the page shows as it is
 * (`.line` is `white-space: pre-wrap`). Whole cells only, rounded down, so a line the server
 * made exactly that wide still fits. {@link ViewSizeReporter} reports it on each connection and
 * after each resize, once the view has settled.
 */

/** Columns and rows of text that fit. */
export interface ViewSize {
  readonly width: number;
  readonly height: number;
}

/**
 * Measures `output` in character cells. `probe` is a hidden element in the output's font holding
 * exactly ten characters. Never less than 1x1.
 */
export function measureViewSize(output: HTMLElement, probe: HTMLElement): ViewSize {
  const cell = probe.getBoundingClientRect();
  const charWidth = cell.width / Math.max(1, probe.textContent?.length ?? 1);
  const style = getComputedStyle(output);
  const lineHeight = parseFloat(style.lineHeight) || cell.height || 16;
  const innerWidth = output.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const innerHeight = output.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return {
    width: Math.max(1, Math.floor(innerWidth / (charWidth || 8))),
    height: Math.max(1, Math.floor(innerHeight / lineHeight)),
  };
}

/** How long the view must stay still before a new size is reported, ms. */
const RESIZE_SETTLE_MS = 150;

/** Sends a size to the server; false when it could not (not connected, or an older server). */
export type SendViewSize = (size: ViewSize) => boolean;

/** Reports the output's size when it changed: the browser's NAWS. */
export class ViewSizeReporter {
  readonly #output: HTMLElement;
  readonly #probe: HTMLElement;
  readonly #send: SendViewSize;
  #last: ViewSize | undefined;
  #settleTimer: ReturnType<typeof setTimeout> | undefined;

  /** Watches `output` from now on; `probe` as for {@link measureViewSize}. */
  constructor(output: HTMLElement, probe: HTMLElement, send: SendViewSize) {
    this.#output = output;
    this.#probe = probe;
    this.#send = send;
    new ResizeObserver(() => this.#changedSoon()).observe(output);
  }

  /** A new connection: the server knows no size yet, so the next report is sent whatever it is. */
  forget(): void {
    this.#last = undefined;
  }

  /** Reports the view size in characters, when it changed since the last size sent. */
  report(): void {
    const size = measureViewSize(this.#output, this.#probe);
    if (this.#last?.width === size.width && this.#last.height === size.height) return;
    if (this.#send(size)) this.#last = size;
  }

  #changedSoon(): void {
    if (this.#settleTimer !== undefined) clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => {
      this.#settleTimer = undefined;
      this.report();
    }, RESIZE_SETTLE_MS);
  }
}
