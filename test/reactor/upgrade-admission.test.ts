/**
 * Issue 8, "the doors share one plumbing": a WebSocket upgrade is admitted by the reactor, not
 * by the door or by server.ts. Past its address's rate of new connections (hardening F4) it is
 * answered as the reactor answers every refusal (the cap's words, a linger on the Clock),
 * counted under the upgrade's door, and never reaches `onUpgrade`.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logging.js";
import { FakeClock } from "../../src/reactor/clock.js";
import { Reactor } from "../../src/reactor/reactor.js";
import { defaultLimits } from "../support/default-config.js";

const sockets = new Set<net.Socket>();
let reactor: Reactor | undefined;

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  reactor?.abortAll();
  await reactor?.stopListening();
  reactor = undefined;
});

/** Sends an upgrade request and resolves with everything the server wrote until it closed. */
function upgrade(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    sockets.add(socket);
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(text));
    socket.on("connect", () =>
      socket.write("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"),
    );
    // The server may linger; the test's side closes once the answer is in.
    socket.on("data", () => {
      if (text.includes("\r\n\r\n") && /Content-Length: (\d+)/.test(text)) {
        const length = Number(/Content-Length: (\d+)/.exec(text)?.[1]);
        if (text.length >= text.indexOf("\r\n\r\n") + 4 + length) socket.end();
      }
    });
  });
}

describe("issue 8: the reactor admits WebSocket upgrades (hardening F4)", () => {
  it("an upgrade past the burst is refused 429 with the rate's words, counted under the door, never handed on", async () => {
    const clock = new FakeClock();
    reactor = new Reactor({ clock, logger: createLogger("silent"), connectionRate: { burst: 1, perSecond: 1 }, outputPacingMs: defaultLimits.outputPacingMs });
    const handed: string[] = [];
    const port = await reactor.listenHTTP({
      host: "127.0.0.1",
      port: 0,
      onRequest: (_req, res) => res.end(),
      onUpgrade: (req, socket) => {
        handed.push(req.url ?? "");
        socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      },
      upgradeDoor: "websocket",
      maxPerAddress: 10,
      maxTotal: 5000,
      refusalLingerMs: 1000,
    });
    expect(await upgrade(port.port)).toMatch(/^HTTP\/1\.1 404/);
    const refused = await upgrade(port.port);
    expect(refused).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(refused).toContain("Too many new connections from your address; please wait a moment.");
    expect(handed).toEqual(["/ws"]);
    expect(reactor.stats.refusedByDoor).toEqual({ websocket: { busy: 0, address: 0, rate: 1 } });
    // A second later the bucket has a token again.
    clock.advance(1000);
    expect(await upgrade(port.port)).toMatch(/^HTTP\/1\.1 404/);
    expect(handed).toHaveLength(2);
  });
});
