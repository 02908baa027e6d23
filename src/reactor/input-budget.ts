/**
 * How much input one connection may have handled per reactor turn (issue 5 item 3).
 *
 * Every line a peer sends is framed, decoded and dispatched before the session's command rate
 * limit can drop it, so a limit on commands alone does not bound the work: one client streaming
 * `\n` cost 92% of a core, and 64 KiB WebSocket frames of `\n` made another player's `say` take
 * 2.6 s. So each connection gets a budget of lines and bytes per turn. A door that has spent it
 * stops reading from that connection (the transport's `pauseProducing`, as in Twisted), keeps
 * the unread rest of the chunk it already holds, and carries on at the next turn. Meanwhile the
 * kernel holds the peer's bytes and TCP flow control slows the peer down; everyone else's input
 * is read in the same turn as before.
 *
 * A *turn* is one pass of the event loop: the poll phase that hands out I/O, then the check
 * phase (`setImmediate`). {@link InputTurns} numbers them, lazily, with one `setImmediate` for
 * every connection; {@link InputBudget} is one connection's allowance.
 */

/** Default for {@link InputBudgetOptions.linesPerTurn}: far above anyone typing, and about one tick's worth of a paste. */
export const DEFAULT_INPUT_LINES_PER_TURN = 32;
/** Default for {@link InputBudgetOptions.bytesPerTurn}: 64 KiB, one socket read. */
export const DEFAULT_INPUT_BYTES_PER_TURN = 65536;

/** The per-turn allowance of one connection. Both must be positive integers. */
export interface InputBudgetOptions {
  /** Lines (commands, refusals of long lines) handled per turn. Default {@link DEFAULT_INPUT_LINES_PER_TURN}. */
  readonly linesPerTurn?: number;
  /** Bytes (or, for WebSocket text, UTF-16 units) looked at per turn. Default {@link DEFAULT_INPUT_BYTES_PER_TURN}. */
  readonly bytesPerTurn?: number;
}

/** Schedules a callback for the check phase of this loop pass. Injectable for tests. */
export type Defer = (fn: () => void) => void;

/**
 * The reactor's turn counter and its "on the next turn" list, shared by every connection.
 * One `setImmediate` per turn at most, and only while some connection is reading.
 */
export class InputTurns {
  readonly #defer: Defer;
  #turn = 0;
  #armed = false;
  #waiting: (() => void)[] = [];
  readonly #advance = (): void => {
    this.#armed = false;
    this.#turn += 1;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const fn of waiting) {
      try {
        fn();
      } catch {
        // A connection's own failure; its transport reports it. The others still resume.
      }
    }
  };

  /** `defer` runs a callback at the end of this loop pass; `setImmediate` unless a test steps turns itself. */
  constructor(defer: Defer = (fn) => void setImmediate(fn)) {
    this.#defer = defer;
  }

  /**
   * The number of the turn in progress. Reading it guarantees that the turn ends: the counter
   * moves on at the next check phase, before any callback given to {@link callNextTurn} runs.
   */
  get current(): number {
    this.#arm();
    return this.#turn;
  }

  /** Runs `fn` at the start of the next turn (once, in the order asked). */
  callNextTurn(fn: () => void): void {
    this.#waiting.push(fn);
    this.#arm();
  }

  #arm(): void {
    if (this.#armed) return;
    this.#armed = true;
    this.#defer(this.#advance);
  }
}

/** One connection's allowance of lines and bytes in the current turn. */
export class InputBudget {
  readonly #turns: InputTurns;
  readonly #lines: number;
  readonly #bytes: number;
  #turn = -1;
  #linesLeft = 0;
  #bytesLeft = 0;

  constructor(turns: InputTurns, options: InputBudgetOptions = {}) {
    this.#turns = turns;
    this.#lines = positiveInteger(options.linesPerTurn ?? DEFAULT_INPUT_LINES_PER_TURN, "linesPerTurn");
    this.#bytes = positiveInteger(options.bytesPerTurn ?? DEFAULT_INPUT_BYTES_PER_TURN, "bytesPerTurn");
  }

  /** Lines that may still be handled this turn (0 when spent). */
  get linesLeft(): number {
    this.#refresh();
    return this.#linesLeft;
  }

  /** Bytes that may still be looked at this turn (0 when spent). */
  get bytesLeft(): number {
    this.#refresh();
    return this.#bytesLeft;
  }

  /** True while both lines and bytes remain this turn. */
  get available(): boolean {
    this.#refresh();
    return this.#linesLeft > 0 && this.#bytesLeft > 0;
  }

  /** Records work done this turn. Overspending is clamped: the next turn starts afresh anyway. */
  spend(lines: number, bytes: number): void {
    this.#refresh();
    this.#linesLeft = Math.max(0, this.#linesLeft - lines);
    this.#bytesLeft = Math.max(0, this.#bytesLeft - bytes);
  }

  /** Runs `fn` at the next turn, when the budget is full again. */
  callNextTurn(fn: () => void): void {
    this.#turns.callNextTurn(fn);
  }

  #refresh(): void {
    const turn = this.#turns.current;
    if (turn === this.#turn) return;
    this.#turn = turn;
    this.#linesLeft = this.#lines;
    this.#bytesLeft = this.#bytes;
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`InputBudget: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
