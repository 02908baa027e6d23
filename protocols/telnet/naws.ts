/**
 * NAWS, negotiate about window size (RFC 1073). We ask DO NAWS; the client answers with
 * `IAC SB NAWS w1 w0 h1 h0 IAC SE` (16-bit big-endian width and height) now and on every resize.
 *
 * The numbers are the peer's, so they are sanitised (hardening T6): 0 means "unknown" (RFC 1073)
 * and becomes the default, and the rest is clamped so one client cannot make the server wrap text
 * at 3 columns or at 65,535. A 255 arrives escaped as `FF FF`; the parser has already unescaped it.
 *
 * Policy: we want the client's size; we have no window of our own to report. Nothing happens
 * when the option turns on: the client then sends its size by itself (RFC 1073).
 */
import { TelnetOptionCode } from "./constants.js";
import type { OptionHost, OptionModule } from "./options.js";

/** A terminal size in character cells. */
export interface WindowSize {
  readonly width: number;
  readonly height: number;
}

/** The size assumed until a client reports one, and for a reported 0 (RFC 1073: unknown). */
export const DEFAULT_WINDOW_SIZE: WindowSize = Object.freeze({ width: 80, height: 24 });

/** Bounds for reported sizes (hardening T6). */
export const WINDOW_SIZE_LIMITS = Object.freeze({
  minWidth: 20,
  maxWidth: 500,
  minHeight: 5,
  maxHeight: 200,
});

/**
 * Reads a NAWS payload (already unescaped): four bytes, width then height, big-endian.
 * Returns the sanitised size, or undefined when the payload is not four bytes.
 */
export function parseNaws(data: Uint8Array): WindowSize | undefined {
  if (data.length !== 4) return undefined;
  return sanitiseWindowSize((data[0]! << 8) | data[1]!, (data[2]! << 8) | data[3]!);
}

/**
 * A window size a peer reported, made safe (hardening T6): 0 means unknown and gives the
 * default, anything else is clamped to {@link WINDOW_SIZE_LIMITS}. Every door that hears a size
 * (telnet NAWS, the browser's caps frame) uses this one clamp.
 */
export function sanitiseWindowSize(width: number, height: number): WindowSize {
  return {
    width: sanitise(width, DEFAULT_WINDOW_SIZE.width, WINDOW_SIZE_LIMITS.minWidth, WINDOW_SIZE_LIMITS.maxWidth),
    height: sanitise(height, DEFAULT_WINDOW_SIZE.height, WINDOW_SIZE_LIMITS.minHeight, WINDOW_SIZE_LIMITS.maxHeight),
  };
}

function sanitise(value: number, fallback: number, min: number, max: number): number {
  if (value === 0) return fallback;
  return Math.min(max, Math.max(min, value));
}

/** The NAWS option's policy and the client's last reported window size. */
export class NawsOption implements OptionModule {
  /** {@link TelnetOptionCode.NAWS}. */
  readonly option = TelnetOptionCode.NAWS;
  /** Only clients have windows to report. */
  readonly acceptLocal = false;
  /** We always want the client's window size. */
  readonly acceptRemote = true;
  readonly #host: OptionHost;
  #size: WindowSize = DEFAULT_WINDOW_SIZE;
  #reported = false;

  /** `host` receives protocol errors and capability changes. */
  constructor(host: OptionHost) {
    this.#host = host;
  }

  /** Columns: the last reported width, sanitised, or 80. */
  get width(): number {
    return this.#size.width;
  }

  /** Rows: the last reported height, sanitised, or 24. */
  get height(): number {
    return this.#size.height;
  }

  /** True once the client reported a size. */
  get reported(): boolean {
    return this.#reported;
  }

  /** A size report. Announces a capability change when the size is new or changed. */
  onSubnegotiation(data: Uint8Array): void {
    const size = parseNaws(data);
    if (size === undefined) {
      this.#host.protocolError(`NAWS: expected 4 bytes of window size, got ${data.length}`);
      return;
    }
    const changed = !this.#reported || size.width !== this.#size.width || size.height !== this.#size.height;
    this.#size = size;
    this.#reported = true;
    if (changed) this.#host.capabilitiesChanged();
  }
}
