/**
 * The page's WebSocket to `ws(s)://<host>/ws` offering `loom.v1.json`, and reconnecting with
 * backoff when it drops (issue 9): a phone changing networks or a server restart (close 1001,
 * or no close frame at all) is retried after 1 s, 2 s, 4 s… up to 30 s, with jitter
 * (backoff.ts). A close the server meant (1000 with a reason: quit, logged in elsewhere, idle,
 * banned) is not retried: coming back on its own would undo it (two pages taking a character
 * from each other forever). The Reconnect button connects at once in either case.
 */
import { LOOM_JSON_SUBPROTOCOL, type CapsFrame } from "../protocols/websocket/wire.js";
import { backoffDelay } from "./backoff.js";

/** What the connection tells its owner. */
export interface ConnectionEvents {
  /** A socket opened; `reconnected` is false for the page's first one. */
  open(reconnected: boolean): void;
  /** A text frame; `json` when the server took `loom.v1.json` (else plain text lines). */
  message(data: string, json: boolean): void;
  /** The socket closed with `why`; `retryInMs` is when the next try is, `undefined` for none. */
  closed(why: string, retryInMs: number | undefined): void;
}

/** Close code of a deliberate close by the server (RFC 6455 §7.4.1: normal closure). */
const NORMAL_CLOSURE = 1000;

/** One page's connection, across reconnects. */
export class Connection {
  readonly #events: ConnectionEvents;
  readonly #url: string;
  #socket: WebSocket | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Failed tries since the last socket that opened. */
  #attempt = 0;
  #everOpened = false;

  constructor(url: string, events: ConnectionEvents) {
    this.#url = url;
    this.#events = events;
  }

  /** The URL of the page's own server: `wss:` under https, same host (the origin allow-list holds). */
  static urlFor(loc: Location): string {
    return `${loc.protocol === "https:" ? "wss:" : "ws:"}//${loc.host}/ws`;
  }

  /** The subprotocol the server chose ("" before the socket opens). */
  get protocol(): string {
    return this.#socket?.protocol ?? "";
  }

  /** Opens a new socket now (closing any previous one, cancelling a scheduled retry). */
  connect(): void {
    this.#cancelRetry();
    const old = this.#socket;
    this.#socket = undefined;
    old?.close();
    const socket = new WebSocket(this.#url, [LOOM_JSON_SUBPROTOCOL]);
    this.#socket = socket;
    socket.addEventListener("open", () => {
      if (socket !== this.#socket) return;
      const reconnected = this.#everOpened;
      this.#everOpened = true;
      this.#attempt = 0;
      this.#events.open(reconnected);
    });
    socket.addEventListener("message", (event: MessageEvent<unknown>) => {
      if (socket !== this.#socket || typeof event.data !== "string") return;
      this.#events.message(event.data, socket.protocol === LOOM_JSON_SUBPROTOCOL);
    });
    socket.addEventListener("close", (event) => {
      if (socket !== this.#socket) return;
      this.#socket = undefined;
      const why = event.reason !== "" ? event.reason : event.code === 1001 ? "the server is going away" : event.wasClean ? "closed" : "connection lost";
      const deliberate = event.code === NORMAL_CLOSURE && event.reason !== "";
      if (deliberate) {
        this.#events.closed(why, undefined);
        return;
      }
      const delay = backoffDelay(this.#attempt, Math.random);
      this.#attempt++;
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        this.connect();
      }, delay);
      this.#events.closed(why, delay);
    });
  }

  /** Sends a command line (or a JSON frame already encoded). False when not connected. */
  send(text: string): boolean {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(text);
    return true;
  }

  /** Sends an out-of-band message (`{"t":"oob",…}`); only under `loom.v1.json`. */
  sendOob(channel: string, data: unknown): boolean {
    if (this.protocol !== LOOM_JSON_SUBPROTOCOL) return false;
    return this.send(JSON.stringify({ t: "oob", channel, data }));
  }

  /** Sends the view's size in characters (`{"t":"caps"}`, the browser's NAWS); only under `loom.v1.json`. */
  sendCaps(size: { readonly width: number; readonly height: number }): boolean {
    if (this.protocol !== LOOM_JSON_SUBPROTOCOL) return false;
    const frame: CapsFrame = { t: "caps", width: size.width, height: size.height };
    return this.send(JSON.stringify(frame));
  }

  /** Drops the connection for good (no retry): the page is going away. */
  stop(): void {
    this.#cancelRetry();
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close();
  }

  #cancelRetry(): void {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }
}
