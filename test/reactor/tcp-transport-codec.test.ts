/**
 * The TCP transport's output codec (issue 8, for MCCP2), over real sockets on port 0: one
 * encoded write per turn, a codec change ends a write, the old codec's end follows its last
 * output, the stream is ended before the FIN, a throwing codec costs only its connection, and
 * the output cap (hardening S1) still holds.
 */
import net from "node:net";
import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import {
  canEncodeOutput,
  reason,
  type DisconnectReason,
  type EncodingTransport,
  type OutputCodec,
  type Protocol,
  type Transport,
} from "../../src/reactor/interfaces.js";
import { Reactor } from "../../src/reactor/reactor.js";
import { Mccp2Compression } from "../../protocols/telnet/mccp2-stream.js";
import { defaultLimits, defaultMccp2Settings } from "../support/default-config.js";

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

/** Upper-cases what it encodes and ends with `<END>`: visible on the wire, and counted. */
class ShoutingCodec implements OutputCodec {
  encodes = 0;
  ends = 0;
  encode(data: Uint8Array): Uint8Array {
    this.encodes += 1;
    return Buffer.from(Buffer.from(data).toString("latin1").toUpperCase(), "latin1");
  }
  end(): Uint8Array {
    this.ends += 1;
    return Buffer.from("<END>");
  }
}

/** Runs `script` with the connection's transport on the client's first bytes. */
class ScriptedProtocol implements Protocol {
  transport: EncodingTransport | undefined;
  readonly lost: DisconnectReason[] = [];
  constructor(
    readonly script: (t: EncodingTransport) => void,
    readonly onLost?: (why: DisconnectReason) => void,
  ) {}
  connectionMade(transport: Transport): void {
    if (!canEncodeOutput(transport)) throw new Error("the TCP transport should encode output");
    this.transport = transport;
  }
  dataReceived(): void {
    this.script(this.transport!);
  }
  connectionLost(why: DisconnectReason): void {
    this.lost.push(why);
    this.onLost?.(why);
  }
}

async function serve(build: () => Protocol, maxOutputBytes?: number): Promise<number> {
  const reactor = new Reactor({ clock: new FakeClock(), logger: pino({ level: "silent" }), connectionRate: { perSecond: 2, burst: 20 }, outputPacingMs: defaultLimits.outputPacingMs });
  reactors.push(reactor);
  const port = await reactor.listenTCP(
    { buildProtocol: build },
    { name: "test", host: "127.0.0.1", port: 0, maxPerAddress: 10, maxTotal: 5000, maxOutputBytes: maxOutputBytes ?? 1 << 20, refusalLingerMs: 1000 },
  );
  return port.port;
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect({ port, host: "127.0.0.1" });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return socket;
}

/** Everything the client receives until the server closes. */
function untilClosed(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => {
    let got = "";
    socket.on("data", (d: Buffer) => (got += d.toString("latin1")));
    socket.on("close", () => resolve(got));
  });
}

/** Spies on socket writes made by the server (the client writes only "go\n"). */
function serverWrites(): () => string[] {
  const spy = vi.spyOn(net.Socket.prototype, "write");
  return () =>
    spy.mock.calls
      .map((call) => call[0])
      .filter((chunk): chunk is Uint8Array => chunk instanceof Uint8Array)
      .map((chunk) => Buffer.from(chunk).toString("latin1"))
      .filter((text) => text !== "go\n");
}

describe("TcpTransport output codec", () => {
  it("encodes a turn's output once, in one socket write", async () => {
    const codec = new ShoutingCodec();
    const port = await serve(
      () =>
        new ScriptedProtocol((t) => {
          t.setOutputCodec(codec);
          for (let i = 0; i < 50; i++) t.write(`line ${i}\r\n`);
          t.loseConnection(reason("quit", "done"));
        }),
    );
    const client = await connect(port);
    const writes = serverWrites();
    const received = untilClosed(client);
    client.write("go\n");
    const text = await received;
    expect(text).toBe(`${Array.from({ length: 50 }, (_, i) => `LINE ${i}\r\n`).join("")}<END>`);
    expect(codec.encodes).toBe(1);
    expect(codec.ends).toBe(1);
    expect(writes()).toHaveLength(1);
  });

  it("a codec change ends a write: the bytes before it go out as they were, as a write of their own", async () => {
    const codec = new ShoutingCodec();
    const port = await serve(
      () =>
        new ScriptedProtocol((t) => {
          t.write("plain ");
          t.write("MARK");
          t.setOutputCodec(codec);
          t.write("encoded");
        }),
    );
    const client = await connect(port);
    const writes = serverWrites();
    client.write("go\n");
    await vi.waitFor(() => expect(writes()).toEqual(["plain MARK", "ENCODED"]));
  });

  it("removing a codec appends its end after its last output; what follows is plain", async () => {
    const codec = new ShoutingCodec();
    const port = await serve(
      () =>
        new ScriptedProtocol((t) => {
          if (codec.encodes === 0) {
            t.setOutputCodec(codec);
            t.write("loud ");
            return;
          }
          t.write("last");
          t.setOutputCodec(undefined);
          t.write(" quiet");
        }),
    );
    const client = await connect(port);
    const writes = serverWrites();
    client.write("go\n");
    await vi.waitFor(() => expect(writes()).toEqual(["LOUD "]));
    client.write("go\n");
    await vi.waitFor(() => expect(writes()).toEqual(["LOUD ", "LAST<END>", " quiet"]));
    expect(codec.ends).toBe(1);
  });

  it("a codec that throws costs its connection (internal-error), nobody else's", async () => {
    const broken: OutputCodec = {
      encode: () => {
        throw new Error("codec broke");
      },
      end: () => new Uint8Array(0),
    };
    const lost: DisconnectReason[] = [];
    let first = true;
    const port = await serve(() => {
      const mine = first;
      first = false;
      return new ScriptedProtocol(
        (t) => {
          if (mine) t.setOutputCodec(broken);
          t.write("hello\r\n");
        },
        (why) => lost.push(why),
      );
    });
    const victim = await connect(port);
    const bystander = await connect(port);
    const victimClosed = untilClosed(victim);
    victim.write("go\n");
    expect(await victimClosed).toBe("");
    expect(lost.map((why) => why.code)).toEqual(["internal-error"]);
    expect(lost[0]?.message).toContain("codec broke");
    const heard = new Promise<string>((resolve) => bystander.once("data", (d: Buffer) => resolve(d.toString())));
    bystander.write("go\n");
    expect(await heard).toBe("hello\r\n");
  });

  it("S1: a turn's output counts before encoding: one turn over the cap is cut off, however well it would compress", async () => {
    const compression = Mccp2Compression.create(defaultMccp2Settings);
    if (compression instanceof Error) throw compression;
    const lost = new Promise<DisconnectReason>((resolve) => {
      void serve(
        () =>
          new ScriptedProtocol(
            (t) => {
              t.setOutputCodec(compression.openStream());
              for (let i = 0; i < 5; i++) t.write(Buffer.alloc(64 * 1024, 0x61));
            },
            resolve,
          ),
        256 * 1024,
      ).then(async (port) => (await connect(port)).write("go\n"));
    });
    expect((await lost).code).toBe("output-overflow");
  });

  it("S1: a compressed connection that stops reading is cut off once the compressed bytes held pass the cap", async () => {
    const compression = Mccp2Compression.create(defaultMccp2Settings);
    if (compression instanceof Error) throw compression;
    const lost = new Promise<DisconnectReason>((resolve) => {
      void serve(
        () =>
          new ScriptedProtocol(
            (t) => {
              t.setOutputCodec(compression.openStream());
              // Random bytes do not compress: 64 MiB in 64 KiB turns, far past cap and kernel buffers.
              const pump = (left: number): void => {
                if (left === 0 || !t.connected) return;
                t.write(randomBytes(64 * 1024));
                setImmediate(() => pump(left - 1));
              };
              pump(1024);
            },
            resolve,
          ),
        256 * 1024,
      ).then(async (port) => {
        const client = await connect(port);
        client.pause();
        client.write("go\n");
      });
    });
    expect((await lost).code).toBe("output-overflow");
  });
});
