/**
 * The one registry of live connections, whatever the door (issue 8, "The doors share one
 * plumbing"). The reactor owns it: TCP transports are added when accepted, WebSocket
 * connections when their handshake completes, and each leaves when it closes. Shutdown counts,
 * drains and aborts through it alone; a door finds its own connections here (the WebSocket
 * door's pings) instead of keeping a second list.
 */
import type { DisconnectReason } from "./interfaces.js";

/** A live connection, as the registry holds it. */
export interface LiveConnection {
  /** The door it came in by: the listener's name ("telnet", "line") or "websocket". */
  readonly door: string;
  /** Ends it now, without waiting for the peer: the end of the shutdown budget. Idempotent. */
  abort(why: DisconnectReason): void;
}

/** Every live connection, counted per door. */
export class ConnectionRegistry {
  readonly #live = new Set<LiveConnection>();
  readonly #perDoor = new Map<string, number>();
  /** Resolved, and forgotten, once the registry is empty (shutdown's drain). */
  #waiters: (() => void)[] = [];

  /** Adds a connection. Adding one twice changes nothing. */
  add(connection: LiveConnection): void {
    if (this.#live.has(connection)) return;
    this.#live.add(connection);
    this.#perDoor.set(connection.door, (this.#perDoor.get(connection.door) ?? 0) + 1);
  }

  /** Removes a connection that closed. Removing one twice changes nothing. */
  delete(connection: LiveConnection): void {
    if (!this.#live.delete(connection)) return;
    const left = (this.#perDoor.get(connection.door) ?? 1) - 1;
    if (left === 0) this.#perDoor.delete(connection.door);
    else this.#perDoor.set(connection.door, left);
    if (this.#live.size === 0) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Live connections, every door. */
  get size(): number {
    return this.#live.size;
  }

  /** Live connections of one door. */
  count(door: string): number {
    return this.#perDoor.get(door) ?? 0;
  }

  /** A snapshot of one door's connections (safe to close them while walking it). */
  ofDoor(door: string): LiveConnection[] {
    const out: LiveConnection[] = [];
    if (this.count(door) === 0) return out;
    for (const connection of this.#live) if (connection.door === door) out.push(connection);
    return out;
  }

  /** Aborts every connection still live. */
  abortAll(why: DisconnectReason): void {
    for (const connection of [...this.#live]) connection.abort(why);
  }

  /** Resolves once no connection is live: at once if none is. */
  whenEmpty(): Promise<void> {
    if (this.#live.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
