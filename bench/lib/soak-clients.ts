/**
 * One text client for the soak, over any of Loom's three doors: the raw line door, the telnet
 * door (refusing every option Loom offers, so the stream stays plain and uncompressed), and the
 * WebSocket door in plain-text mode (no subprotocol: one text frame per server message).
 *
 * The client hands every received chunk to `onText` as a latin1 string (markers and the
 * server's English are ASCII; nothing here needs the other bytes) and reports its end once.
 */
import net from "node:net";
import WebSocket from "ws";
import { spelledIndex } from "./load.js";

/** The doors a soak client can use. */
export const DOORS = ["line", "telnet", "ws"] as const;
/** One of {@link DOORS}. */
export type SoakDoor = (typeof DOORS)[number];

/** Where and how to connect. */
export interface ClientTarget {
  readonly door: SoakDoor;
  /** The door's port (for `ws`, the HTTP port; the path is /ws). */
  readonly port: number;
  /** The source address to bind (127.x.y.z). */
  readonly localAddress: string;
}

/** What a client tells its owner. */
export interface ClientEvents {
  /** Connected (for ws: the upgrade succeeded). */
  onOpen(): void;
  /** Bytes from the server, as latin1 text. */
  onText(text: string): void;
  /** The connection is over; `why` says who ended it. Called once. */
  onClose(why: string): void;
}

/** A connected text client. */
export interface TextClient {
  readonly door: SoakDoor;
  /** Sends one command (a line; for ws, one frame). False when the client has closed. */
  send(command: string): boolean;
  /** Stops reading (the peer's output queues up in the kernel and then on the server). */
  pause(): void;
  /** Reads again. */
  resume(): void;
  /** Ends the connection now. Idempotent. */
  destroy(): void;
  /** Whether the connection has closed. */
  readonly closed: boolean;
}

const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;

/** Opens a client; every outcome (open, data, close) arrives through `events`. */
export function openClient(target: ClientTarget, events: ClientEvents): TextClient {
  return target.door === "ws" ? openWs(target, events) : openTcp(target, events);
}

function openTcp(target: ClientTarget, events: ClientEvents): TextClient {
  let closed = false;
  const socket = net.connect({ host: "127.0.0.1", port: target.port, localAddress: target.localAddress, noDelay: true });
  const telnet = target.door === "telnet";
  // Telnet: the command byte of an `IAC <cmd> <option>` cut off at the end of a read.
  let pendingCommand = -1;
  let pendingIac = false;
  const answered = new Set<number>();
  const refuse = (command: number, option: number): void => {
    if (command !== DO && command !== WILL) return;
    const key = command * 256 + option;
    if (answered.has(key)) return; // one refusal per offer: no negotiation loop (RFC 1143)
    answered.add(key);
    socket.write(Buffer.from([IAC, command === DO ? WONT : DONT, option]));
  };
  socket.once("connect", () => events.onOpen());
  socket.on("data", (chunk: Buffer) => {
    if (telnet) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (pendingCommand >= 0) {
          refuse(pendingCommand, b);
          pendingCommand = -1;
        } else if (pendingIac) {
          pendingIac = false;
          if (b >= WILL && b <= DONT) pendingCommand = b;
        } else if (b === IAC) {
          pendingIac = true;
        }
      }
    }
    events.onText(chunk.toString("latin1"));
  });
  socket.on("error", () => {
    // 'close' follows with the reason below
  });
  socket.once("close", (hadError) => {
    closed = true;
    events.onClose(hadError ? "error" : "closed by the server");
  });
  return {
    door: target.door,
    send: (command) => {
      if (closed || socket.destroyed) return false;
      socket.write(`${command}\r\n`);
      return true;
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    destroy: () => socket.destroy(),
    get closed() {
      return closed;
    },
  };
}

function openWs(target: ClientTarget, events: ClientEvents): TextClient {
  let closed = false;
  const ws = new WebSocket(`ws://127.0.0.1:${target.port}/ws`, { localAddress: target.localAddress, perMessageDeflate: false });
  let why = "closed by the server";
  ws.once("open", () => events.onOpen());
  ws.on("message", (data: WebSocket.RawData) => {
    const text = Array.isArray(data) ? Buffer.concat(data).toString("latin1") : Buffer.from(data as ArrayBuffer).toString("latin1");
    events.onText(text);
  });
  ws.on("unexpected-response", (_req, res) => {
    why = `upgrade refused (${res.statusCode})`;
    ws.terminate();
  });
  ws.on("error", (err) => {
    if (why === "closed by the server") why = `error: ${err.message}`;
  });
  ws.once("close", (code) => {
    closed = true;
    events.onClose(why === "closed by the server" ? `closed by the server (${code})` : why);
  });
  return {
    door: "ws",
    send: (command) => {
      if (closed || ws.readyState !== WebSocket.OPEN) return false;
      ws.send(command);
      return true;
    },
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    destroy: () => ws.terminate(),
    get closed() {
      return closed;
    },
  };
}

/** The reply words that mean a login or creation was refused (so the caller stops waiting). */
export const LOGIN_REFUSED = /Too many|is taken|was taken|went wrong|try again|full right now|do not match|reserved|Names are|busy/i;

/** The name of soak character `index` with `prefix`: letters from an alphabet with no look-alikes. */
export function soakName(prefix: string, index: number): string {
  return `${prefix}${spelledIndex(index)}`;
}

/** Loom's display form of a name: first letter capital, the rest lowercase. */
export function displayName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();
}
