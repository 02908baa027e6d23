/**
 * Test harness for the WebSocket door: a real `http.Server` on 127.0.0.1 port 0 whose 'upgrade'
 * goes to a {@link WebSocketDoor}, a recording {@link FakeOpener}, a FakeClock for the pings,
 * and client helpers that await events (never time). Everything opened is closed by `close()`.
 */
import { EventEmitter, once } from "node:events";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import pino from "pino";
import WebSocket, { type ClientOptions } from "ws";
import { FakeClock, RealClock } from "../../../src/reactor/clock.js";
import type { DisconnectReason, PeerAddress } from "../../../src/reactor/interfaces.js";
import { TurnQueue } from "../../../src/reactor/turn-queue.js";
import type { RenderVariant, SessionEndpoint, SessionHandle, SessionOpener } from "../../../src/session/endpoint.js";
import type { ClientCapabilities, Door, OutputMessage } from "../../../src/session/messages.js";
import type { Renderer } from "../../../src/session/render.js";
import { terminalRenderers } from "../../../src/session/render.js";
import { webSocketRenderers } from "../../../protocols/websocket/render.js";
import { WebSocketDoor, type WebSocketDoorOptions } from "../../../protocols/websocket/websocket-door.js";
import { defaultLimits, defaultWebSocketDoorOptions } from "../../support/default-config.js";

/** Every variant's renderer, as the server registers them with the session hub. */
const renderers: Readonly<Record<RenderVariant, Renderer>> = { ...terminalRenderers, ...webSocketRenderers };

/** One session the fake opener opened, with everything the door told it. */
export interface FakeSession {
  readonly id: number;
  readonly door: Door;
  readonly peer: PeerAddress;
  readonly initialCaps: ClientCapabilities;
  readonly endpoint: SessionEndpoint;
  readonly lines: string[];
  readonly oob: { channel: string; data: unknown }[];
  readonly caps: ClientCapabilities[];
  readonly closed: DisconnectReason[];
  /** Renders `message` for the endpoint's variant and width (as the session hub will) and queues it. */
  send(message: OutputMessage): void;
}

/** Called for each line a session receives (the browser test answers through it). */
export type LineHook = (session: FakeSession, text: string) => void;

/** A SessionOpener that records everything and lets a test await it. */
export class FakeOpener implements SessionOpener {
  readonly sessions: FakeSession[] = [];
  readonly #changed = new EventEmitter();
  #nextId = 1;
  /** Runs for every line, after it is recorded. */
  onLine: LineHook | undefined;
  /** Runs for every new session, before `open` returns (a welcome banner). */
  onOpen: ((session: FakeSession) => void) | undefined;
  /** When set, `open` throws it (a failing session hub). */
  failOpen: Error | undefined;
  /** When set, `line` throws it (a failing command). */
  failLine: Error | undefined;

  constructor() {
    this.#changed.setMaxListeners(0);
  }

  open(door: Door, peer: PeerAddress, caps: ClientCapabilities, endpoint: SessionEndpoint): SessionHandle {
    if (this.failOpen !== undefined) throw this.failOpen;
    const changed = (): void => {
      this.#changed.emit("change");
    };
    const session: FakeSession = {
      id: this.#nextId++,
      door,
      peer,
      initialCaps: caps,
      endpoint,
      lines: [],
      oob: [],
      caps: [],
      closed: [],
      send: (message) => {
        endpoint.sendRendered(renderers[endpoint.variant](message, endpoint.width), message.kind);
      },
    };
    this.sessions.push(session);
    const handle: SessionHandle = {
      id: session.id,
      line: (text) => {
        session.lines.push(text);
        changed();
        if (this.failLine !== undefined) throw this.failLine;
        this.onLine?.(session, text);
      },
      oob: (channel, data) => {
        session.oob.push({ channel, data });
        changed();
      },
      capabilities: (c) => {
        session.caps.push(c);
        changed();
      },
      // WebSocket has no half-close: a ws connection never reports the end of its input.
      inputEnded: () => {},
      closed: (why) => {
        session.closed.push(why);
        changed();
      },
    };
    this.onOpen?.(session);
    changed();
    return handle;
  }

  /** Resolves with the probe's first truthy result, re-checking after every recorded event. */
  until<T>(probe: () => T | undefined | null | false): Promise<T> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const value = probe();
        if (value === undefined || value === null || value === false) return false;
        this.#changed.off("change", check);
        resolve(value);
        return true;
      };
      if (!check()) this.#changed.on("change", check);
    });
  }

  /** The n-th session (0-based), once it exists. */
  session(n = 0): Promise<FakeSession> {
    return this.until(() => this.sessions[n]);
  }
}

/** A running server with the door on it. */
export interface DoorHarness {
  readonly server: http.Server;
  readonly port: number;
  /** `ws://127.0.0.1:<port>/ws` */
  readonly url: string;
  readonly door: WebSocketDoor;
  /** Records the sessions, unless {@link DoorHarnessOptions.opener} opens them instead. */
  readonly opener: FakeOpener;
  readonly clock: FakeClock;
  readonly turns: TurnQueue;
  /** Opens a client on `path` (default `/ws`) and waits for the handshake; closed by `close()`. */
  connect(protocols?: string | string[], options?: ClientOptions, path?: string): Promise<ClientProbe>;
  /** Tries a handshake that the server should refuse; resolves with the HTTP status. */
  refusedStatus(path: string, options?: ClientOptions, protocols?: string[]): Promise<number>;
  /** Opens a raw TCP socket to the server; closed by `close()`. */
  rawSocket(): Promise<net.Socket>;
  close(): Promise<void>;
}

/** What {@link startDoorHarness} builds. */
export interface DoorHarnessOptions {
  /** Replaces single options of the door; the rest are the shipped defaults (config/default.yaml). */
  readonly door?: Partial<WebSocketDoorOptions>;
  /** Opens the door's sessions instead of the recording FakeOpener (a real SessionHub). */
  readonly opener?: SessionOpener;
  /** Plain HTTP requests (default: 404). */
  readonly onRequest?: http.RequestListener;
}

/** Starts a server on 127.0.0.1 port 0 with a WebSocket door on it. */
export async function startDoorHarness(options: DoorHarnessOptions = {}): Promise<DoorHarness> {
  const opener = new FakeOpener();
  const clock = new FakeClock();
  const turns = new TurnQueue({ pacingMs: defaultLimits.outputPacingMs, clock: new RealClock() });
  const door = new WebSocketDoor(options.opener ?? opener, { ...defaultWebSocketDoorOptions, ...options.door }, { clock, turns, logger: pino({ level: "silent" }) });
  const server = http.createServer(
    options.onRequest ??
      ((_req, res) => {
        res.writeHead(404).end();
      }),
  );
  const serverSockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    serverSockets.add(socket);
    socket.on("close", () => serverSockets.delete(socket));
  });
  server.on("upgrade", (req, socket, head) => door.handleUpgrade(req, socket, head));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const url = `ws://127.0.0.1:${port}/ws`;
  const clients = new Set<WebSocket>();
  const raws = new Set<net.Socket>();

  const track = (ws: WebSocket): WebSocket => {
    clients.add(ws);
    ws.on("error", () => {});
    return ws;
  };

  return {
    server,
    port,
    url,
    door,
    opener,
    clock,
    turns,
    async connect(protocols = [], clientOptions = {}, path = "/ws") {
      const ws = track(new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols, clientOptions));
      const probe = new ClientProbe(ws);
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
        ws.once("error", reject);
      });
      return probe;
    },
    refusedStatus(path, clientOptions = {}, protocols = []) {
      const ws = track(new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols, clientOptions));
      return new Promise<number>((resolve, reject) => {
        ws.once("unexpected-response", (req, res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        ws.once("open", () => reject(new Error("the handshake was accepted")));
      });
    },
    async rawSocket() {
      const socket = net.connect(port, "127.0.0.1");
      raws.add(socket);
      socket.on("error", () => {});
      await once(socket, "connect");
      return socket;
    },
    async close() {
      for (const ws of clients) ws.terminate();
      for (const socket of raws) socket.destroy();
      for (const socket of serverSockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A client socket and everything it received, awaitable in order. */
export class ClientProbe {
  readonly ws: WebSocket;
  /** Text frames received, in order. */
  readonly texts: string[] = [];
  /** Binary frames received, decoded as UTF-8, in order (only the mudstandards.org modes send them). */
  readonly binaries: string[] = [];
  /** The kind of every frame received, in order: "text" or "binary". */
  readonly kinds: ("text" | "binary")[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #read = 0;
  #readBinary = 0;
  readonly #arrived = new EventEmitter();

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      this.kinds.push(isBinary ? "binary" : "text");
      if (isBinary) this.binaries.push(data.toString("utf8"));
      else this.texts.push(data.toString("utf8"));
      this.#arrived.emit("message");
    });
    this.closed = new Promise((resolve) => {
      ws.once("close", (code, reason) => resolve({ code, reason: reason.toString("utf8") }));
    });
  }

  /** The next text frame not yet taken. */
  async next(): Promise<string> {
    while (this.texts.length <= this.#read) {
      const closed = await Promise.race([once(this.#arrived, "message").then(() => false), this.closed.then(() => true)]);
      if (closed && this.texts.length <= this.#read) throw new Error("the socket closed before the next frame");
    }
    return this.texts[this.#read++] as string;
  }

  /** Binary frames received so far. */
  get binaryFrames(): number {
    return this.binaries.length;
  }

  /** The next binary frame not yet taken, decoded as UTF-8. */
  async nextBinary(): Promise<string> {
    while (this.binaries.length <= this.#readBinary) {
      const closed = await Promise.race([once(this.#arrived, "message").then(() => false), this.closed.then(() => true)]);
      if (closed && this.binaries.length <= this.#readBinary) throw new Error("the socket closed before the next binary frame");
    }
    return this.binaries[this.#readBinary++] as string;
  }

  /** The next text frame, parsed as JSON. */
  async nextJson(): Promise<unknown> {
    return JSON.parse(await this.next()) as unknown;
  }
}

/** The opening handshake a raw TCP client sends for `/ws`. */
export function rawHandshake(port: number, extraHeaders = ""): string {
  return (
    "GET /ws HTTP/1.1\r\n" +
    `Host: 127.0.0.1:${port}\r\n` +
    "Upgrade: websocket\r\n" +
    "Connection: Upgrade\r\n" +
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
    "Sec-WebSocket-Version: 13\r\n" +
    extraHeaders +
    "\r\n"
  );
}

/** Resolves after the current turn's I/O and TurnQueue flush (one `setImmediate` later). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
