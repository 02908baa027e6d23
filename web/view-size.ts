/**
 * The output area's size in characters, for the `caps` frame (the browser's NAWS): the server
 * wraps this page's text to the width (hardening E9), with `\n` the page shows as it is
 * (`.line` is `white-space: pre-wrap`). Whole cells only, rounded down, so a line the server
 * made exactly that wide still fits.
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
