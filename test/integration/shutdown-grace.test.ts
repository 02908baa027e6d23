/**
 * Issue 8, "the doors share one plumbing": shutdown waits on the Clock, not on `Date.now` and
 * `setTimeout`. A peer that never answers our close frame holds its socket until the grace
 * period (hardening D4) has passed on the server's Clock, and not a millisecond longer; a
 * server whose connections drain stops at once, leaving no timer behind.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import { drainWithin } from "../../src/server.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer | undefined;
const sockets = new Set<net.Socket>();

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await stopTestServer(server);
  server = undefined;
});

/** Lets pending I/O callbacks and promise jobs run, without waiting on any wall-clock time. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A raw WebSocket handshake on `/ws` whose peer then never reads or answers anything. */
function silentWebSocket(port: number): Promise<{ socket: net.Socket; received: () => Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    sockets.add(socket);
    let data = Buffer.alloc(0);
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      const first = data.length === 0;
      data = Buffer.concat([data, chunk]);
      if (first) {
        if (data.toString("latin1").startsWith("HTTP/1.1 101")) resolve({ socket, received: () => data });
        else reject(new Error(`no upgrade: ${data.toString("latin1")}`));
      }
    });
    socket.on("connect", () => {
      socket.write(
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      );
    });
  });
}

describe("shutdown grace on the Clock", () => {
  it("drainWithin resolves as soon as every drain has, and cancels its grace timer", async () => {
    const clock = new FakeClock();
    await drainWithin(clock, 10_000, [Promise.resolve(), Promise.resolve()]);
    expect(clock.pendingCount).toBe(0);
  });

  it("drainWithin with a drain that never comes resolves at the grace period on the Clock, not before", async () => {
    const clock = new FakeClock();
    let done = false;
    const drained = drainWithin(clock, 10_000, [new Promise<void>(() => {})]).then(() => {
      done = true;
    });
    clock.advance(9_999);
    await settle();
    expect(done).toBe(false);
    clock.advance(1);
    await drained;
    expect(done).toBe(true);
    expect(clock.pendingCount).toBe(0);
  });

  it("a WebSocket peer that ignores the close frame holds stop() until the grace period has passed on the server's Clock", async () => {
    const clock = new FakeClock();
    // The close timeout is longer than the grace period, so only the grace can end the wait.
    server = await startTestServer({ clock, overrides: { limits: { webSocketCloseTimeoutSeconds: 300 }, shutdown: { graceSeconds: 10 } } });
    const peer = await silentWebSocket(server.ports.http);
    const before = peer.received().length;
    let stopped = false;
    const stopping = server.stop().then(() => {
      stopped = true;
    });
    // The server's close frame (opcode 8) arrives; the peer never answers it.
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (peer.received().subarray(before).includes(0x88)) resolve();
        else peer.socket.once("data", check);
      };
      check();
    });
    clock.advance(9_999);
    await settle();
    expect(stopped).toBe(false);
    const closed = new Promise<void>((resolve) => peer.socket.once("close", () => resolve()));
    clock.advance(1);
    await stopping;
    expect(stopped).toBe(true);
    // The grace period over, the server destroyed the socket it was holding.
    await closed;
  });
});
