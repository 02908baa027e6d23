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

/**
 * The per-turn allowance of one connection. Both must be positive integers. No defaults here:
 * they come from the config (`limits.inputLinesPerTurn`, `limits.inputBytesPerTurn` in
 * config/default.yaml), the one place defaults live (issue 10).
 */
export interface InputBudgetOptions {
  /** Lines (commands, refusals of long lines) handled per turn. */
  readonly linesPerTurn: number;
  /** Bytes (or, for WebSocket text, UTF-16 units) looked at per turn. */
  readonly bytesPerTurn: number;
}

/** Schedules a callback for the check phase of this loop pass. Injectable for tests. */
export type Defer = (fn: () => void) => void;

/**
 * The reactor's turn counter and its "on the next turn" list, shared by every connection.
 * One `setImmediate` per turn at most, and only while some connection is reading.
 */
export class InputTurns {
  readonly #defer: Defer;
  readonly #report: ((err: unknown) => void) | undefined;
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
      } catch (err) {
        // A connection's own failure, and our bug: reported (issue 10: no silent catch). The
        // others still resume.
        this.#report?.(err);
      }
    }
  };

  /** `defer` runs a callback at the end of this loop pass; `setImmediate` unless a test steps turns itself. */
  /** `report` is told of a resumed connection that threw; the reactor logs it. */
  constructor(defer: Defer = (fn) => void setImmediate(fn), report?: (err: unknown) => void) {
    this.#defer = defer;
    this.#report = report;
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

  constructor(turns: InputTurns, options: InputBudgetOptions) {
    this.#turns = turns;
    this.#lines = positiveInteger(options.linesPerTurn, "linesPerTurn");
    this.#bytes = positiveInteger(options.bytesPerTurn, "bytesPerTurn");
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
