/**
 * MCCP2 through the telnet layer (mccp2.ts, telnet-protocol.ts), over a transport whose turns
 * the test ends: negotiation in the style of T1–T3, and hardening T10. What the client reads is
 * checked with a model MCCP2 client (mccp2-support.ts) that inflates with node:zlib.
 */
import fc from "fast-check";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import type { DisconnectReason, Protocol, Transport } from "../../../src/reactor/interfaces.js";
import { reason } from "../../../src/reactor/interfaces.js";
import { TelnetCommand as C, TelnetOptionCode as O } from "../../../protocols/telnet/constants.js";
import { MCCP2_START } from "../../../protocols/telnet/mccp2.js";
import { Mccp2Compression, Mccp2Stream, type Mccp2Streams } from "../../../protocols/telnet/mccp2-stream.js";
import { TelnetProtocol } from "../../../protocols/telnet/telnet-protocol.js";
import { count, scanTelnet } from "../../clients/support/telnet-scan.js";
import { FC_SEED, bytes, concat, cutsArbitrary, splitAt } from "../line/chunks.js";
import { FakeTransport } from "./fake-transport.js";
import { FailingDeflater, Mccp2Reader } from "./mccp2-support.js";
import { TurnTransport } from "./turn-transport.js";
import { defaultMccp2Settings, defaultTelnetLimits } from "../../support/default-config.js";

const { IAC, DO, DONT, WILL, WONT } = C;
const MCCP2 = O.MCCP2;

/** An upper protocol that only keeps its transport, so the test can write as the session would. */
class Upper implements Protocol {
  transport!: Transport;
  lost: DisconnectReason[] = [];
  connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  dataReceived(): void {}
  connectionLost(why: DisconnectReason): void {
    this.lost.push(why);
  }
}

function compression(): Mccp2Compression {
  const made = Mccp2Compression.create(defaultMccp2Settings);
  if (made instanceof Error) throw made;
  return made;
}

/** A telnet connection with MCCP2 offered, its first turn (the offers) flushed. */
function connect(streams: Mccp2Streams = compression()) {
  const upper = new Upper();
  const errors: string[] = [];
  const telnet = new TelnetProtocol(upper, { ...defaultTelnetLimits, mccp2: streams, onProtocolError: (message) => errors.push(message) });
  const lower = new TurnTransport();
  lower.connect(telnet);
  lower.flush();
  /** The client sends `IAC verb MCCP2`. */
  const client = (verb: number): void => telnet.dataReceived(Uint8Array.of(IAC, verb, MCCP2));
  /** The session writes a line of data. */
  const say = (text: string | Uint8Array): void => upper.transport.write(text);
  return { upper, telnet, lower, errors, client, say };
}

/** What the client makes of the whole wire, read in `pieces`. */
function read(pieces: readonly Uint8Array[]): Mccp2Reader {
  const reader = new Mccp2Reader();
  for (const piece of pieces) reader.feed(piece);
  return reader;
}

/** What the client should end up reading: everything written, start markers left out. */
function transcript(lower: TurnTransport): Buffer {
  return Buffer.from(concat(lower.written.filter((w) => !Buffer.from(w).equals(Buffer.from(MCCP2_START)))));
}

/** Index of the socket write that holds the start marker (the first, or the `nth`). */
function markerWrite(lower: TurnTransport, nth = 0): number {
  const found = lower.wire.flatMap((w, i) => (Buffer.from(w).includes(Buffer.from(MCCP2_START)) ? [i] : []));
  return found[nth] ?? -1;
}

describe("MCCP2 negotiation", () => {
  it("offers WILL MCCP2 at connect when the door compresses", () => {
    const { lower } = connect();
    expect(count(scanTelnet(lower.wireBytes()).negotiations, WILL, MCCP2)).toBe(1);
  });

  it("T2: without compression configured, it is not offered and DO MCCP2 gets exactly one WONT", () => {
    const lower = new TurnTransport();
    const telnet = new TelnetProtocol(new Upper(), defaultTelnetLimits);
    lower.connect(telnet);
    telnet.dataReceived(Uint8Array.of(IAC, DO, MCCP2));
    lower.flush();
    const scanned = scanTelnet(lower.wireBytes());
    expect(count(scanned.negotiations, WILL, MCCP2)).toBe(0);
    expect(count(scanned.negotiations, WONT, MCCP2)).toBe(1);
    expect(markerWrite(lower)).toBe(-1);
  });

  it("is neither offered nor accepted over a transport that cannot encode its output", () => {
    const lower = new FakeTransport();
    const telnet = new TelnetProtocol(new Upper(), { ...defaultTelnetLimits, mccp2: compression() });
    lower.connect(telnet);
    telnet.dataReceived(Uint8Array.of(IAC, DO, MCCP2));
    const scanned = scanTelnet(lower.value());
    expect(count(scanned.negotiations, WILL, MCCP2)).toBe(0);
    expect(count(scanned.negotiations, WONT, MCCP2)).toBe(1);
    expect(scanned.subnegotiations.filter((s) => s.option === MCCP2)).toEqual([]);
  });

  it("T1: DO in answer to our WILL starts compression and draws no further WILL", () => {
    const { lower, client, telnet } = connect();
    client(DO);
    lower.flush();
    client(DO); // a repeat changes nothing (RFC 1143)
    lower.flush();
    const reader = read(lower.wire);
    expect(count(scanTelnet(reader.meant).negotiations, WILL, MCCP2)).toBe(1);
    expect(reader.starts).toBe(1);
    expect(telnet.mccp2?.active).toBe(true);
  });

  it("refuses the client's WILL MCCP2 with one DONT: compression toward the server is MCCP3's", () => {
    const { lower, telnet } = connect();
    telnet.dataReceived(Uint8Array.of(IAC, WILL, MCCP2));
    lower.flush();
    expect(count(scanTelnet(lower.wireBytes()).negotiations, DONT, MCCP2)).toBe(1);
    expect(markerWrite(lower)).toBe(-1);
  });

  it("T3: a client flapping DO/DONT 10,000 times gets at most one reply per change, within the reply cap, and every stream it was sent is whole", () => {
    const { lower, client, telnet, errors, say } = connect();
    client(DO);
    lower.flush();
    const flaps = new Uint8Array(10_000 * 6);
    for (let i = 0; i < 10_000; i++) flaps.set([IAC, DONT, MCCP2, IAC, DO, MCCP2], i * 6);
    telnet.dataReceived(flaps);
    telnet.dataReceived(Uint8Array.of(IAC, DONT, MCCP2));
    say("after the flapping\r\n");
    lower.flush();
    const reader = read(lower.wire);
    const scanned = scanTelnet(reader.meant);
    // The offer, then 32 peer-started answers at most (options.ts DEFAULT_MAX_REPLIES_PER_OPTION).
    const replies = count(scanned.negotiations, WILL, MCCP2) + count(scanned.negotiations, WONT, MCCP2);
    expect(replies).toBeLessThanOrEqual(1 + 32);
    expect(reader.starts).toBeGreaterThan(1);
    // Past the cap the peer's requests are ignored, so the last state may be either.
    expect(reader.ends).toBe(reader.starts - (reader.compressing ? 1 : 0));
    expect(reader.meant).toEqual(transcript(lower));
    expect(errors.some((e) => e.includes("MCCP2"))).toBe(true);
  });
});

describe("MCCP2 compression (hardening T10)", () => {
  it("T10: starts only after DO: until then every byte is plain, and a DONT to the offer never starts it", () => {
    const { lower, client, say } = connect();
    say("Your name: ");
    lower.flush();
    client(DONT);
    say("still plain\r\n");
    lower.flush();
    expect(markerWrite(lower)).toBe(-1);
    expect(Buffer.from(lower.wireBytes())).toEqual(Buffer.from(concat(lower.written)));
    expect(read(lower.wire).starts).toBe(0);
  });

  it("T10: the marker goes out uncompressed as the end of its socket write; the rest of that turn follows, compressed", () => {
    const { lower, client, say } = connect();
    say("before DO\r\n");
    client(DO);
    say("after DO\r\n");
    lower.flush();
    const at = markerWrite(lower);
    const marked = lower.wire[at]!;
    expect(Array.from(marked.subarray(-MCCP2_START.length))).toEqual([IAC, C.SB, MCCP2, IAC, C.SE]);
    expect(Buffer.from(marked).toString("latin1")).toContain("before DO\r\n");
    const next = lower.wire[at + 1]!;
    expect(Buffer.from(next).toString("latin1")).not.toContain("after DO");
    expect(zlib.inflateSync(next, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString()).toBe("after DO\r\n");
    expect(lower.wire).toHaveLength(at + 2);
  });

  it("T10: every byte after the marker inflates to exactly the plain transcript, read whole and byte by byte", () => {
    const { lower } = session();
    const whole = read([lower.wireBytes()]);
    expect(whole.starts).toBe(1);
    expect(whole.meant).toEqual(transcript(lower));
    const bytewise = read(splitAt(lower.wireBytes(), [...lower.wireBytes().keys()]));
    expect(bytewise.meant).toEqual(transcript(lower));
  });

  it("T10: property: for any session and any cuts of the wire, the inflated stream equals the plain transcript", () => {
    const turn = fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.uint8Array({ maxLength: 40 })), { maxLength: 6 });
    fc.assert(
      fc.property(fc.array(turn, { minLength: 1, maxLength: 12 }), fc.nat({ max: 12 }), cutsArbitrary, (turns, doAt, cuts) => {
        const { lower, client, say } = connect();
        turns.forEach((writes, i) => {
          if (i === doAt) client(DO);
          for (const w of writes) say(w);
          lower.flush();
        });
        const wire = lower.wireBytes();
        expect(read(splitAt(wire, cuts)).meant).toEqual(transcript(lower));
      }),
      { seed: FC_SEED, numRuns: 200 },
    );
  });

  it("T10: DONT mid-stream ends the stream with Z_FINISH, with the WONT inside it, and output goes on plain", () => {
    const { lower, client, say, telnet } = connect();
    client(DO);
    say("compressed\r\n");
    lower.flush();
    client(DONT);
    say("last words in the stream\r\n");
    lower.flush();
    say("plain again\r\n");
    lower.flush();
    // The last write is plain bytes, exactly as written.
    expect(Buffer.from(lower.wire.at(-1)!).toString()).toBe("plain again\r\n");
    const reader = read(lower.wire);
    expect(reader.starts).toBe(1);
    expect(reader.ends).toBe(1);
    expect(reader.compressing).toBe(false);
    expect(reader.meant).toEqual(transcript(lower));
    // The WONT went inside the stream: on the wire, nothing after the marker shows it plainly.
    const afterMarker = Buffer.from(concat(lower.wire.slice(markerWrite(lower) + 1, -1)));
    expect(afterMarker.includes(Buffer.from([IAC, WONT, MCCP2]))).toBe(false);
    expect(count(scanTelnet(reader.meant).negotiations, WONT, MCCP2)).toBe(1);
    expect(telnet.mccp2?.active).toBe(false);
  });

  it("starts again after DO follows DONT: a new marker and a new stream", () => {
    const { lower, client, say } = connect();
    client(DO);
    say("one\r\n");
    lower.flush();
    client(DONT);
    lower.flush();
    client(DO);
    say("two\r\n");
    lower.flush();
    const reader = read(lower.wire);
    expect([reader.starts, reader.ends, reader.compressing]).toEqual([2, 1, true]);
    expect(reader.meant).toEqual(transcript(lower));
  });

  it("closing the connection ends the stream before the FIN: the client sees it whole", () => {
    const { lower, client, say, upper } = connect();
    client(DO);
    say("Goodbye.\r\n");
    upper.transport.loseConnection(reason("quit", "bye"));
    const reader = read(lower.wire);
    expect([reader.starts, reader.ends]).toEqual([1, 1]);
    expect(reader.meant).toEqual(transcript(lower));
  });

  it("T5 holds inside the stream: 0xFF in data is doubled before it is compressed", () => {
    const { lower, client, say } = connect();
    client(DO);
    say(Uint8Array.of(0x41, 0xff, 0x42));
    lower.flush();
    const meant = read(lower.wire).meant;
    expect(meant.subarray(-4)).toEqual(Buffer.from([0x41, 0xff, 0xff, 0x42]));
  });

  it("a compressor failure ends the stream cleanly, output goes on uncompressed, and the failure is reported", () => {
    const streams: Mccp2Streams = { openStream: (onError) => new Mccp2Stream(new FailingDeflater(2), onError) };
    const { lower, client, say, errors, telnet } = connect(streams);
    client(DO);
    say("first turn\r\n");
    lower.flush();
    say("the turn that fails\r\n");
    lower.flush();
    say("after it\r\n");
    lower.flush();
    const reader = read(lower.wire);
    expect([reader.starts, reader.ends, reader.compressing]).toEqual([1, 1, false]);
    expect(reader.meant).toEqual(transcript(lower));
    expect(Buffer.from(lower.wire.at(-1)!).toString()).toBe("after it\r\n");
    expect(errors.filter((e) => e.includes("simulated zlib failure"))).toHaveLength(1);
    expect(telnet.mccp2?.active).toBe(false);
  });

  it("a compressor that cannot be made: DO gets WONT, nothing is compressed, and the reason is reported", () => {
    const streams: Mccp2Streams = {
      openStream: () => {
        throw new Error("out of memory");
      },
    };
    const { lower, client, say, errors } = connect(streams);
    client(DO);
    say("plain\r\n");
    lower.flush();
    expect(markerWrite(lower)).toBe(-1);
    expect(count(scanTelnet(lower.wireBytes()).negotiations, WONT, MCCP2)).toBe(1);
    expect(errors).toEqual(["MCCP2 not started: out of memory"]);
  });

  it("reports what it did: active, and bytes in and out", () => {
    const { lower, client, say, telnet } = connect();
    client(DO);
    for (let i = 0; i < 20; i++) say("The Town Square\r\nA fountain splashes in the middle of the square.\r\n");
    lower.flush();
    const status = telnet.mccp2!;
    expect(status.active).toBe(true);
    expect(status.bytesIn).toBeGreaterThan(20 * 60);
    expect(status.bytesOut).toBeLessThan(status.bytesIn / 5);
    expect(status.bytesOut).toBe(concat(lower.wire.slice(markerWrite(lower) + 1)).length);
  });
});

/** A short session: login prompt plain, DO, then turns of text, negotiation and 0xFF data. */
function session() {
  const c = connect();
  c.say("Your name: ");
  c.lower.flush();
  c.client(DO);
  c.say("Welcome, Alice.\r\n");
  c.lower.flush();
  c.telnet.setEcho(false); // WILL ECHO, inside the stream
  c.say("Password: ");
  c.lower.flush();
  c.telnet.setEcho(true);
  c.say(bytes("The Town Square\r\n", [0xff], "odd byte\r\n"));
  c.lower.flush();
  for (let i = 0; i < 30; i++) {
    c.say(`Bob says, "line ${i}"\r\n`);
    if (i % 7 === 0) c.lower.flush();
  }
  c.lower.flush();
  return c;
}
