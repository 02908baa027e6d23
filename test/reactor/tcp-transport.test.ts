/**
 * The TCP transport and the reactor's listeners over real sockets on port 0: one write per
 * connection per turn, bounded output for a client that stops reading (hardening S1), one
 * connectionLost with the first reason, and the per-address cap (F3).
 */
import net from "node:net";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import type { DisconnectReason, Protocol, Transport } from "../../src/reactor/interfaces.js";
import { reason } from "../../src/reactor/interfaces.js";
import { Reactor } from "../../src/reactor/reactor.js";
import { defaultLimits } from "../support/default-config.js";

const reactors: Reactor[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of sockets.splice(0)) s.destroy();
  for (const r of reactors.splice(0)) {
    r.abortAll();
    await r.stopListening();
  }
});

/** A protocol whose behaviour each test supplies. */
class ScriptedProtocol implements Protocol {
  transport: Transport | undefined;
  lost: DisconnectReason[] = [];
  constructor(readonly onData: (t: Transport, data: Uint8Array) => void = () => {}, readonly onLost?: (why: DisconnectReason) => void) {}
  connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  dataReceived(data: Uint8Array): void {
    this.onData(this.transport!, data);
  }
  connectionLost(why: DisconnectReason): void {
    this.lost.push(why);
    this.onLost?.(why);
  }
}

async function listen(build: () => Protocol, limits: { maxPerAddress?: number; maxOutputBytes?: number } = {}) {
  const reactor = new Reactor({ clock: new FakeClock(), logger: pino({ level: "silent" }), connectionRate: { perSecond: 2, burst: 20 }, outputPacingMs: defaultLimits.outputPacingMs });
  reactors.push(reactor);
  const port = await reactor.listenTCP({ buildProtocol: build }, { name: "test", host: "127.0.0.1", port: 0, maxPerAddress: 10, maxTotal: 5000, maxOutputBytes: 1 << 20, refusalLingerMs: 1000, ...limits });
  return { reactor, port: port.port };
}

function connect(port: number, localAddress = "127.0.0.1"): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: "127.0.0.1", localAddress });
    sockets.push(s);
    s.once("connect", () => resolve(s));
    s.once("error", reject);
  });
}

function readUntil(socket: net.Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    let got = "";
    socket.on("data", (d: Buffer) => {
      got += d.toString();
      if (got.includes(text)) resolve(got);
    });
  });
}

describe("TcpTransport", () => {
  it("coalesces every write of one turn into a single socket write", async () => {
    const { port } = await listen(
      () =>
        new ScriptedProtocol((t) => {
          for (let i = 0; i < 100; i++) t.write(`line ${i}\r\n`);
          t.write("END\r\n");
        }),
    );
    const client = await connect(port);
    const write = vi.spyOn(net.Socket.prototype, "write");
    const done = readUntil(client, "END");
    client.write("go\n");
    const text = await done;
    // The client's own write is one call; the server answered 101 writes with one.
    const serverWrites = write.mock.calls.filter((c) => Buffer.isBuffer(c[0]) && c[0].toString().startsWith("line 0"));
    expect(serverWrites).toHaveLength(1);
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(101);
  });

  it("S1: cuts off a client that stops reading once its queue passes the cap, and says why", async () => {
    const lost = new Promise<DisconnectReason>((resolve) => {
      void listen(
        () =>
          new ScriptedProtocol(
            (t) => {
              // Far more than the cap plus what the kernel buffers: 64 MiB in 64 KiB writes.
              const chunk = Buffer.alloc(64 * 1024, 0x61);
              const pump = (left: number): void => {
                if (left === 0 || !t.connected) return;
                t.write(chunk);
                setImmediate(() => pump(left - 1));
              };
              pump(1024);
            },
            resolve,
          ),
        { maxOutputBytes: 256 * 1024 },
      ).then(async ({ port }) => {
        const client = await connect(port);
        client.pause(); // never reads again
        client.write("go\n");
      });
    });
    const why = await lost;
    expect(why.code).toBe("output-overflow");
  });

  it("calls connectionLost once, with the first reason given", async () => {
    let protocol: ScriptedProtocol | undefined;
    const lost = new Promise<void>((resolve) => {
      void listen(() => {
        protocol = new ScriptedProtocol(
          (t) => {
            t.write("bye\r\n");
            t.loseConnection(reason("quit", "first"));
            t.loseConnection(reason("shutdown", "second"));
            t.write("after close is dropped");
          },
          () => resolve(),
        );
        return protocol;
      }).then(async ({ port }) => {
        const client = await connect(port);
        client.write("x\n");
      });
    });
    await lost;
    expect(protocol!.lost).toEqual([reason("quit", "first")]);
  });
});

describe("Reactor connection caps", () => {
  it("F3: refuses connections past the per-address cap with a message; other addresses are unaffected", async () => {
    const { port, reactor } = await listen(() => new ScriptedProtocol(), { maxPerAddress: 3 });
    for (let i = 0; i < 3; i++) await connect(port, "127.0.0.2");
    const refused = await connect(port, "127.0.0.2");
    const message = await new Promise<string>((resolve) => {
      let got = "";
      refused.on("data", (d: Buffer) => (got += d.toString()));
      refused.on("close", () => resolve(got));
    });
    expect(message).toContain("Too many connections from your address");
    const other = await connect(port, "127.0.0.3");
    expect(other.destroyed).toBe(false);
    expect(reactor.stats.refused).toBe(1);
  });
});
