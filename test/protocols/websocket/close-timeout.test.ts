/**
 * Issue 5 item 12: a WebSocket that ignored our close frame kept its socket for `ws`'s own
 * 30 s close timeout, past the login timeout that closed it (90 s in all with the defaults).
 * A raw client here completes the handshake and then never answers anything.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/reactor/clock.js";
import { startTestServer, stopTestServer, type TestServer } from "../../support/server-harness.js";

let server: TestServer | undefined;
const sockets = new Set<net.Socket>();

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await stopTestServer(server);
  server = undefined;
});

/** A WebSocket client that reads frames and answers none of them (not even a close). */
class DeafClient {
  readonly socket: net.Socket;
  /** Opcodes of the frames received, in order (0x1 text, 0x8 close, 0x9 ping). */
  readonly opcodes: number[] = [];
  closed = false;
  /** The handshake's status line, once received. */
  status: string | undefined;
  #buffer = Buffer.alloc(0);
  readonly #waiters = new Set<() => void>();

  constructor(port: number) {
    this.socket = net.connect(port, "127.0.0.1");
    sockets.add(this.socket);
    this.socket.on("error", () => {});
    this.socket.on("close", () => {
      this.closed = true;
      this.#wake();
    });
    this.socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
      this.#wake();
    });
    this.socket.write(
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
  }

  /** Resolves once `condition` holds, checked on every event from the socket. */
  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (!condition()) return;
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
      check();
    });
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }

  #parse(): void {
    if (this.status === undefined) {
      const end = this.#buffer.indexOf("\r\n\r\n");
      if (end === -1) return;
      this.status = this.#buffer.subarray(0, this.#buffer.indexOf("\r\n")).toString("latin1");
      this.#buffer = this.#buffer.subarray(end + 4);
    }
    // Server frames are unmasked: opcode, length (7 bits, or 126 + 16 bits, or 127 + 64 bits), payload.
    for (;;) {
      if (this.#buffer.length < 2) return;
      const short = this.#buffer[1]! & 0x7f;
      const header = short === 126 ? 4 : short === 127 ? 10 : 2;
      if (this.#buffer.length < header) return;
      const length = short === 126 ? this.#buffer.readUInt16BE(2) : short === 127 ? Number(this.#buffer.readBigUInt64BE(2)) : short;
      if (this.#buffer.length < header + length) return;
      this.opcodes.push(this.#buffer[0]! & 0x0f);
      this.#buffer = this.#buffer.subarray(header + length);
    }
  }
}

const LOGIN_TIMEOUT_S = 10;
const CLOSE_TIMEOUT_S = 2;

describe("issue 5 item 12: a WebSocket that ignores the close frame is gone right after loginTimeout + closeTimeout", () => {
  it("is terminated closeTimeout after its close frame, on the injected clock", async () => {
    const clock = new FakeClock();
    server = await startTestServer({
      clock,
      overrides: { limits: { loginTimeoutSeconds: LOGIN_TIMEOUT_S, webSocketCloseTimeoutSeconds: CLOSE_TIMEOUT_S } },
    });
    const client = new DeafClient(server.ports.http);
    // The login prompt arrives as a text frame.
    await client.until(() => client.opcodes.includes(0x1));
    expect(client.status).toMatch(/^HTTP\/1\.1 101 /);

    clock.advance(LOGIN_TIMEOUT_S * 1000);
    await client.until(() => client.opcodes.includes(0x8));
    // One millisecond short of the close timeout, the server still waits for the answer.
    clock.advance(CLOSE_TIMEOUT_S * 1000 - 1);
    await fetch(`http://127.0.0.1:${server.ports.http}/healthz`, { headers: { connection: "close" } });
    expect(client.closed).toBe(false);

    clock.advance(1);
    await client.until(() => client.closed);
    expect(client.closed).toBe(true);
  });
});
