/**
 * One bounded output queue for every door (issue 8, "the doors share one plumbing"): what a
 * connection writes during a turn waits here, is handed to the kernel once at the end of the
 * turn through the {@link TurnQueue}, and is bounded together with what already sits below it
 * (the socket's buffer, `ws.bufferedAmount`), so a client that stops reading is cut off rather
 * than buffered forever (hardening S1, S2). The TCP transport and the WebSocket connection both
 * queue through it; what a flush does with the items (one `write`, corked frames) stays theirs.
 */
import type { Flushable, TurnQueue } from "./turn-queue.js";

/** Options of an {@link OutputQueue}. */
export interface OutputQueueOptions<Item> {
  /** Most bytes queued here plus {@link below}; one more and {@link OutputQueue.push} refuses. No default: each door passes its `maxOutputBytes`. */
  readonly maxBytes: number;
  /** Bytes of one item. */
  readonly sizeOf: (item: Item) => number;
  /**
   * Bytes already handed on but not yet taken by the client (the socket's or `ws`'s buffer).
   * Once it reads 0 it is not asked again until the owner says it wrote below
   * ({@link OutputQueue.wroteBelow}, which the owner must call after every such write): bytes
   * only get there by the owner's writes, and the kernel's draining only makes it smaller.
   */
  readonly below: () => number;
}

/**
 * Queued items past which a drained queue lets its array go rather than keep it: a reader who
 * fell far behind once does not hold a big array for the rest of its connection.
 */
export const KEPT_ITEMS = 64;

/** The queue of one connection. Not itself flushed: it schedules its owner, which {@link drain}s it. */
export class OutputQueue<Item> {
  readonly #owner: Flushable;
  readonly #turns: TurnQueue;
  readonly #options: OutputQueueOptions<Item>;
  /**
   * The queued items are the first {@link #count} of this array, which lives as long as the
   * connection: one array per flush, with its backing store, was the bulk of what survived each
   * young-generation collection at 8,000 players (issue 11, target 5), since every connection
   * flushed in the last 50 ms held one. Slots past the count are emptied, so nothing sent is kept.
   */
  #items: (Item | undefined)[] = [];
  #count = 0;
  #bytes = 0;
  /**
   * `below()` read 0 and nothing has been written below since. A healthy reader's socket buffer
   * is empty after every flush (the kernel took it all), so its backlog is then known without
   * touching the socket. Reading the socket's buffer for every message a reader is sent, twice
   * (the hub's chatter cap and this queue's cap), was 5–7% of the server's core under mixed
   * play (issue 11): every read is a cache miss into one of ten thousand sockets.
   */
  #belowEmpty = false;

  constructor(owner: Flushable, turns: TurnQueue, options: OutputQueueOptions<Item>) {
    this.#owner = owner;
    this.#turns = turns;
    this.#options = options;
  }

  /** Bytes waiting here for the end of the turn. */
  get queuedBytes(): number {
    return this.#bytes;
  }

  /** Output not yet taken by the client: what is below plus what waits here (the soft caps read it). */
  get backlogBytes(): number {
    return this.#belowBytes() + this.#bytes;
  }

  /**
   * Tells the queue that its owner handed bytes below it (a flush's write, or a write outside the
   * queue such as a ping). Every such write must be followed by this call, or the caps would not
   * see those bytes. It asks `below()` at once, while the socket just written to is still in the
   * CPU's cache: asked at the next message instead, a cold read, it cost nearly as much as before
   * (a healthy reader gets about one write per message under mixed play).
   */
  wroteBelow(): void {
    this.#belowEmpty = this.#options.below() === 0;
  }

  #belowBytes(): number {
    if (this.#belowEmpty) return 0;
    const below = this.#options.below();
    if (below === 0) this.#belowEmpty = true;
    return below;
  }

  /**
   * Queues `item` and asks for the owner's flush (at the end of the turn, or at the pacing tick
   * for a busy connection; see {@link TurnQueue}). False
   * when the backlog is then past `maxBytes`: the owner must cut the connection (the item is
   * queued until it {@link clear}s).
   */
  push(item: Item): boolean {
    this.#items[this.#count++] = item;
    this.#bytes += this.#options.sizeOf(item);
    if (this.backlogBytes > this.#options.maxBytes) return false;
    // Once per flush, unless the peer's input has come since: then the answer must not wait
    // behind chatter that is being paced (the turn queue moves the owner to this turn).
    if (this.#count === 1 || this.#owner.answerDue) this.#turns.schedule(this.#owner);
    return true;
  }

  /**
   * Hands everything queued to `use` — the first `count` items of `items`, oldest first, and
   * their size in bytes — then empties the queue and returns what `use` returned; undefined, and
   * `use` not called, when nothing is queued. `items` is the queue's own array, reused for the
   * next turn's output: `use` must be done with it when it returns, and must not look past `count`.
   */
  drain<R>(use: (items: readonly Item[], count: number, bytes: number) => R): R | undefined {
    const count = this.#count;
    if (count === 0) return undefined;
    const items = this.#items as readonly Item[];
    const bytes = this.#bytes;
    // Emptied before `use` runs, so anything `use` causes to be queued starts a queue of its own.
    // The stand-in is an empty array with no backing store, dead before the next collection:
    // what costs a young-generation collection is what survives it, not what was allocated.
    this.#items = [];
    this.#count = 0;
    this.#bytes = 0;
    try {
      return use(items, count, bytes);
    } finally {
      this.#keep(items as (Item | undefined)[], count);
    }
  }

  /** Drops everything queued (an overflow, an abort, a close). */
  clear(): void {
    this.#keep(this.#items, this.#count);
    this.#bytes = 0;
  }

  /** Empties `items`' first `count` slots and makes it the queue's array again, unless it grew past {@link KEPT_ITEMS}. */
  #keep(items: (Item | undefined)[], count: number): void {
    if (this.#count > 0 && items !== this.#items) return; // `use` queued more meanwhile: keep that array
    this.#count = 0;
    if (count > KEPT_ITEMS) {
      this.#items = [];
      return;
    }
    items.fill(undefined, 0, count);
    this.#items = items;
  }
}
