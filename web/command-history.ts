/**
 * Command history for the input line, shell style: Up walks back, Down walks forward, and
 * walking past the newest entry gives back what was being typed. Lines typed with echo off
 * (passwords) are never offered to it.
 */

/** The history's bounds. */
export interface CommandHistoryOptions {
  /** Most entries kept; the oldest go first. Default 200. */
  readonly maxEntries?: number;
  /** Entries to start with, oldest first (the stored history, history-store.ts). Default none. */
  readonly entries?: readonly string[];
}

/** The entries typed so far and a cursor into them. */
export class CommandHistory {
  readonly #max: number;
  #entries: string[] = [];
  /** Index into #entries while browsing; #entries.length when not browsing. */
  #cursor = 0;
  #draft = "";

  constructor(options: CommandHistoryOptions = {}) {
    this.#max = options.maxEntries ?? 200;
    this.#entries = (options.entries ?? []).slice(-this.#max);
    this.#cursor = this.#entries.length;
  }

  /** Records a sent command (blank lines and repeats of the newest entry are skipped) and stops browsing. */
  push(command: string): void {
    if (command.trim() !== "" && this.#entries[this.#entries.length - 1] !== command) {
      this.#entries.push(command);
      if (this.#entries.length > this.#max) this.#entries.shift();
    }
    this.#cursor = this.#entries.length;
    this.#draft = "";
  }

  /** The previous entry, or `undefined` at the oldest. `current` is kept as the draft when browsing starts. */
  up(current: string): string | undefined {
    if (this.#cursor === 0) return undefined;
    if (this.#cursor === this.#entries.length) this.#draft = current;
    this.#cursor--;
    return this.#entries[this.#cursor];
  }

  /** The next entry, the draft past the newest, or `undefined` when not browsing. */
  down(): string | undefined {
    if (this.#cursor >= this.#entries.length) return undefined;
    this.#cursor++;
    return this.#cursor === this.#entries.length ? this.#draft : this.#entries[this.#cursor];
  }

  /** The entries, oldest first (for storing them). */
  get entries(): readonly string[] {
    return this.#entries;
  }

  /** Number of entries kept. */
  get size(): number {
    return this.#entries.length;
  }
}
