/**
 * GMCP on telnet option 201, through a whole TelnetProtocol on an in-memory transport: the codec
 * (fed whole, byte by byte and randomly split), negotiation (hardening T1-T3 for option 201),
 * Core.Supports gating of what the session sends, Core.Ping, and the bounds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeGmcp, type GmcpMessage } from "../../../protocols/gmcp/gmcp-message.js";
import { TelnetCommand as C, TelnetOptionCode as O } from "../../../protocols/telnet/constants.js";
import { TelnetParser } from "../../../protocols/telnet/parser.js";
import { TelnetProtocol, type TelnetProtocolOptions, type TerminalCapabilities } from "../../../protocols/telnet/telnet-protocol.js";
import { FakeClock } from "../../../src/reactor/clock.js";
import { GMCP_STATE_REQUEST } from "../../../src/session/gmcp-packages.js";
import type { Protocol, Transport } from "../../../src/reactor/interfaces.js";
import { bytes, chunksOf, concat, cutsArbitrary, everyChunkSize, FC_SEED, splitAt } from "../line/chunks.js";
import { FakeTransport } from "./fake-transport.js";
import { defaultTelnetLimits } from "../../support/default-config.js";

const { IAC, SB, SE } = C;
const GMCP = O.GMCP;

/** `IAC SB GMCP <text> IAC SE`, 0xFF in `text` bytes doubled. */
function gmcp(...parts: ReadonlyArray<string | readonly number[]>): Uint8Array {
  const payload = bytes(...parts);
  const escaped: number[] = [];
  for (const byte of payload) escaped.push(...(byte === IAC ? [IAC, IAC] : [byte]));
  return bytes([IAC, SB, GMCP], escaped, [IAC, SE]);
}

const DO_GMCP = [IAC, C.DO, GMCP];

/** An upper protocol that records the text it is given. */
class Upper implements Protocol {
  transport: Transport | undefined;
  text = "";
  readonly #decoder = new TextDecoder();
  connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  dataReceived(data: Uint8Array): void {
    this.text += this.#decoder.decode(data, { stream: true });
  }
  connectionLost(): void {}
}

function connect(options: Partial<TelnetProtocolOptions> = {}) {
  const upper = new Upper();
  const clock = new FakeClock();
  const errors: string[] = [];
  const oob: GmcpMessage[] = [];
  const caps: TerminalCapabilities[] = [];
  const telnet = new TelnetProtocol(upper, {
    ...defaultTelnetLimits,
    clock,
    onProtocolError: (message) => errors.push(message),
    onOob: (name, data) => oob.push({ name, data }),
    onCapabilities: (c) => caps.push(c),
    ...options,
  });
  const lower = new FakeTransport();
  lower.connect(telnet);
  return { upper, telnet, lower, clock, errors, oob, caps };
}

/** What the server wrote, read back with the real parser: negotiations and GMCP messages. */
function readBack(lower: FakeTransport) {
  const events = new TelnetParser({ maxSubnegotiationBytes: 1 << 20 }).feed(lower.value());
  const negotiations: Array<[string, number]> = [];
  const messages: GmcpMessage[] = [];
  for (const event of events) {
    if (event.type === "negotiate") negotiations.push([event.verb, event.option]);
    if (event.type === "subnegotiation" && event.option === GMCP) {
      const decoded = decodeGmcp(event.data);
      if (!decoded.ok) throw new Error(`server sent a bad GMCP message: ${decoded.detail}`);
      messages.push(decoded.message);
    }
  }
  return { negotiations, messages, names: messages.map((m) => m.name) };
}

function containsGmcp(lower: FakeTransport): boolean {
  return Buffer.from(lower.value()).includes(Buffer.from([IAC, SB, GMCP]));
}

const ROOM = { num: 3, id: "square", name: "Town Square", area: "Shuttleford", environment: "", exits: { n: 4, in: 7 } };
const TEXT = { channel: "chat", talker: "Bob", text: "hi" };

describe("GMCP negotiation (option 201)", () => {
  it("T8: offers WILL GMCP at connect, without waiting", () => {
    const { upper, lower } = connect();
    expect(upper.transport).toBeDefined();
    expect(readBack(lower).negotiations).toContainEqual(["WILL", GMCP]);
  });

  it("T1: DO GMCP answering our offer gets no reply, nor does a repeated DO", () => {
    const { telnet, lower } = connect();
    lower.clear();
    telnet.dataReceived(Uint8Array.of(...DO_GMCP, ...DO_GMCP));
    expect(lower.writes).toEqual([]);
    expect(telnet.gmcp.enabled).toBe(true);
  });

  it("T2: refuses a client's own WILL GMCP with exactly one DONT", () => {
    const { telnet, lower } = connect();
    lower.clear();
    telnet.dataReceived(Uint8Array.of(IAC, C.WILL, GMCP));
    expect(readBack(lower).negotiations).toEqual([["DONT", GMCP]]);
  });

  it("DONT GMCP turns it off (nothing more is sent); a later DO turns it back on, with WILL", () => {
    const { telnet, lower } = connect();
    telnet.dataReceived(Uint8Array.of(...DO_GMCP));
    lower.clear();
    telnet.dataReceived(Uint8Array.of(IAC, C.DONT, GMCP));
    expect(readBack(lower).negotiations).toEqual([["WONT", GMCP]]);
    expect(telnet.gmcp.enabled).toBe(false);
    expect(telnet.sendGmcp("Comm.Channel.Text", TEXT)).toBe(false);
    expect(containsGmcp(lower)).toBe(false);
    lower.clear();
    telnet.dataReceived(Uint8Array.of(...DO_GMCP));
    expect(readBack(lower).negotiations).toEqual([["WILL", GMCP]]);
    expect(telnet.sendGmcp("Comm.Channel.Text", TEXT)).toBe(true);
  });

  it("a client that refuses GMCP gets no SB GMCP byte, whatever the session sends", () => {
    const { telnet, lower } = connect();
    telnet.dataReceived(Uint8Array.of(IAC, C.DONT, GMCP));
    telnet.dataReceived(gmcp('Core.Supports.Set ["Room 1","Char 1"]'));
    for (const name of ["Room.Info", "Char.Name", "Comm.Channel.Text", "Comm.Channel.List"]) {
      expect(telnet.sendGmcp(name, name === "Room.Info" ? ROOM : TEXT)).toBe(false);
    }
    telnet.dataReceived(gmcp("Core.Ping"));
    expect(containsGmcp(lower)).toBe(false);
    expect(telnet.gmcp.supports).toEqual([]);
  });

  it("ignores GMCP sent before the client agreed (RFC 855)", () => {
    const { telnet, oob } = connect();
    telnet.dataReceived(bytes(gmcp('Core.Supports.Set ["Room 1"]'), gmcp("Char.Items.Inv")));
    telnet.dataReceived(Uint8Array.of(...DO_GMCP));
    expect(telnet.gmcp.supports).toEqual([]);
    expect(oob).toEqual([]);
  });

  it("T3: a client flapping DO/DONT GMCP 10,000 times gets a bounded number of replies", () => {
    const { telnet, lower, errors } = connect();
    lower.clear();
    const flap = new Uint8Array(60_000);
    for (let i = 0; i < flap.length; i += 6) flap.set([IAC, C.DO, GMCP, IAC, C.DONT, GMCP], i);
    telnet.dataReceived(flap);
    expect(lower.value().length).toBeLessThanOrEqual(32 * 3 + 3);
    expect(errors).toHaveLength(1);
  });
});

describe("GMCP codec", () => {
  // Mudlet at connect (its Core.Supports.Set as of 4.17), then a game.
  const stream = bytes(
    DO_GMCP,
    gmcp('Core.Hello {"client":"Mudlet","version":"4.17.2"}'),
    gmcp('Core.Supports.Set ["Char 1", "Char.Skills 1", "Char.Items 1", "Room 1", "IRE.Rift 1", "IRE.Composer 1", "External.Discord 1", "Client.Media 1"]'),
    "look\r\n",
    gmcp('Char.Items.Contents {"s":"a', [0xff], 'b"}'),
    gmcp("Comm.Channel.Players {"),
    "say ",
    [IAC, IAC],
    "\r\n",
    gmcp("Core.Ping 42"),
    gmcp("External.Discord.Hello"),
    "north\r\n",
  );

  function run(chunks: readonly Uint8Array[]) {
    const c = connect();
    for (const chunk of chunks) c.telnet.dataReceived(chunk);
    return {
      text: c.upper.text,
      oob: c.oob,
      errors: c.errors,
      written: Array.from(c.lower.value()),
      hello: c.telnet.gmcp.hello,
      supports: c.telnet.gmcp.supports,
      rejected: c.telnet.gmcp.rejected,
      client: c.telnet.capabilities.client,
    };
  }

  const whole = run([stream]);

  it("reads Mudlet's connect, game text, IAC IAC inside JSON and a malformed message, fed whole", () => {
    expect(whole.text).toBe("look\r\nsay \uFFFD\r\nnorth\r\n");
    expect(whole.hello).toEqual({ client: "Mudlet", version: "4.17.2" });
    expect(whole.client).toBe("Mudlet 4.17.2");
    expect(whole.supports).toEqual([
      "Char 1",
      "Char.Skills 1",
      "Char.Items 1",
      "Room 1",
      "IRE.Rift 1",
      "IRE.Composer 1",
      "External.Discord 1",
      "Client.Media 1",
    ]);
    // The doubled 0xFF is one byte of the JSON string (not UTF-8, so U+FFFD), not the frame's end.
    expect(whole.oob).toEqual([
      { name: "Char.Items.Contents", data: { s: "a\uFFFDb" } },
      { name: "External.Discord.Hello", data: undefined },
    ]);
    expect(whole.errors).toEqual(["GMCP: Comm.Channel.Players: the body is not JSON"]);
    expect(whole.rejected).toBe(1);
  });

  it("gives the same result at every chunk size down to one byte", () => {
    for (const size of everyChunkSize(stream)) expect(run(chunksOf(stream, size)), `chunks of ${size}`).toEqual(whole);
  });

  it("gives the same result under random splits (fast-check, fixed seed)", () => {
    fc.assert(
      fc.property(cutsArbitrary, (cuts) => {
        expect(run(splitAt(stream, cuts))).toEqual(whole);
      }),
      { seed: FC_SEED, numRuns: 200 },
    );
  });

  it("T4: an oversized GMCP message is reported once and dropped; the connection carries on", () => {
    const limit = 64;
    const { telnet, upper, oob, errors } = connect({ maxSubnegotiationBytes: limit });
    telnet.dataReceived(Uint8Array.of(...DO_GMCP));
    const atLimit = `Comm.Test "${"x".repeat(limit - 12)}"`;
    expect(atLimit).toHaveLength(limit);
    telnet.dataReceived(gmcp(atLimit));
    expect(oob).toHaveLength(1);
    telnet.dataReceived(bytes(gmcp(`Comm.Test "${"x".repeat(limit - 11)}"`), "look\r\n"));
    expect(oob).toHaveLength(1);
    expect(errors).toEqual(["GMCP: subnegotiation over the size limit; discarded"]);
    expect(upper.text).toBe("look\r\n");
  });

  it("a GMCP message cut off by another telnet command is dropped, and the command still counts", () => {
    const { telnet, oob, errors } = connect();
    telnet.dataReceived(bytes(DO_GMCP, [IAC, SB, GMCP], 'Core.Supports.Set ["Room 1"]', [IAC, C.WONT, O.NAWS]));
    expect(telnet.gmcp.supports).toEqual([]);
    expect(oob).toEqual([]);
    expect(errors).toEqual(["GMCP: subnegotiation not ended by IAC SE; discarded"]);
  });

  it("property: never throws, stays connected, and everything it writes is well-formed GMCP", () => {
    const piece = fc.oneof(
      fc.constantFrom(
        Uint8Array.from(DO_GMCP),
        Uint8Array.of(IAC, C.DONT, GMCP),
        gmcp('Core.Supports.Set ["Room 1"]'),
        gmcp('Core.Supports.Remove ["Room"]'),
        gmcp("Core.Ping"),
        gmcp('Core.Hello {"client":"x"}'),
        gmcp("Core.Hello {"),
        Uint8Array.of(IAC, SB, GMCP),
        Uint8Array.of(IAC, SE),
      ),
      fc.uint8Array({ maxLength: 12 }).map((b) => gmcp(Array.from(b))),
      fc.uint8Array({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 17 }), (pieces, size) => {
        const { telnet, lower } = connect({ maxSubnegotiationBytes: 48 });
        for (const chunk of chunksOf(concat(pieces), size)) {
          expect(() => telnet.dataReceived(chunk)).not.toThrow();
          telnet.sendGmcp("Room.Info", ROOM);
          telnet.sendGmcp("Comm.Channel.Text", TEXT);
        }
        expect(lower.connected).toBe(true);
        expect(() => readBack(lower)).not.toThrow();
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});

describe("GMCP state for a client that refuses it (issue 11 target 3)", () => {
  const NAME = { name: "Al", fullname: "Al" };

  it("keeps what the session sends while the offer is pending, and replays it on DO", () => {
    const { telnet, lower, oob } = connect();
    telnet.sendGmcp("Room.Info", ROOM);
    telnet.sendGmcp("Comm.Channel.List", []);
    lower.clear();
    telnet.dataReceived(Uint8Array.of(...DO_GMCP));
    expect(readBack(lower).names).toEqual(["Comm.Channel.List"]);
    telnet.dataReceived(gmcp('Core.Supports.Set ["Room 1"]'));
    expect(readBack(lower).names).toEqual(["Comm.Channel.List", "Room.Info"]);
    expect(oob).toEqual([]);
  });

  it("keeps nothing once the client refused, and asks the session afresh (Loom.State.Ask) if it agrees later", () => {
    const { telnet, lower, oob } = connect();
    telnet.sendGmcp("Char.Name", { name: "Old", fullname: "Old" });
    telnet.dataReceived(Uint8Array.of(IAC, C.DONT, GMCP));
    telnet.sendGmcp("Room.Info", ROOM);
    telnet.sendGmcp("Comm.Channel.List", []);
    expect(oob).toEqual([]);
    lower.clear();
    telnet.dataReceived(bytes(DO_GMCP, gmcp('Core.Supports.Set ["Room 1", "Char 1"]')));
    // Nothing kept was replayed: the session was asked, once, for the state as it is now.
    expect(readBack(lower)).toMatchObject({ negotiations: [["WILL", GMCP]], messages: [] });
    expect(oob).toEqual([{ name: GMCP_STATE_REQUEST, data: undefined }]);
    // Its answer goes out, and is kept for the client's next Core.Supports change.
    expect(telnet.sendGmcp("Char.Name", NAME)).toBe(true);
    expect(telnet.sendGmcp("Loom.Commands", ["look"])).toBe(false);
    telnet.dataReceived(gmcp('Core.Supports.Add ["Loom 1"]'));
    expect(readBack(lower).messages).toEqual([
      { name: "Char.Name", data: NAME },
      { name: "Loom.Commands", data: ["look"] },
    ]);
  });

  it("turning GMCP off drops what was kept; turning it on again asks the session", () => {
    const { telnet, lower, oob } = connect();
    telnet.dataReceived(bytes(DO_GMCP, gmcp('Core.Supports.Set ["Room 1"]')));
    telnet.sendGmcp("Room.Info", ROOM);
    telnet.dataReceived(Uint8Array.of(IAC, C.DONT, GMCP));
    lower.clear();
    telnet.dataReceived(bytes(DO_GMCP, gmcp('Core.Supports.Set ["Room 1"]')));
    expect(readBack(lower).messages).toEqual([]);
    expect(oob).toEqual([{ name: GMCP_STATE_REQUEST, data: undefined }]);
  });
});

describe("GMCP to and from the session", () => {
  function agreed(options: Partial<TelnetProtocolOptions> = {}) {
    const c = connect(options);
    c.telnet.dataReceived(Uint8Array.of(...DO_GMCP));
    c.lower.clear();
    return c;
  }

  it("sends Comm.Channel.* to any GMCP client; Room.* and Char.* once listed in Core.Supports", () => {
    const { telnet, lower } = agreed();
    expect(telnet.sendGmcp("Room.Info", ROOM)).toBe(false);
    expect(telnet.sendGmcp("Char.Name", { name: "Al", fullname: "Al" })).toBe(false);
    expect(telnet.sendGmcp("Comm.Channel.Text", TEXT)).toBe(true);
    // The exact bytes: IAC SB 201, name, space, JSON, IAC SE.
    expect(Array.from(lower.value())).toEqual(Array.from(bytes([IAC, SB, GMCP], 'Comm.Channel.Text {"channel":"chat","talker":"Bob","text":"hi"}', [IAC, SE])));
    lower.clear();
    telnet.dataReceived(gmcp('Core.Supports.Set ["Room 1", "Char 1"]'));
    // Both were held back and still describe the character: they go now, in the order made.
    expect(readBack(lower).messages).toEqual([
      { name: "Room.Info", data: ROOM },
      { name: "Char.Name", data: { name: "Al", fullname: "Al" } },
    ]);
    expect(telnet.sendGmcp("Char.Name", { name: "Al", fullname: "Al" })).toBe(true);
    telnet.dataReceived(gmcp('Core.Supports.Remove ["Char"]'));
    expect(telnet.sendGmcp("Char.Status", {})).toBe(false);
    expect(readBack(lower).names).toEqual(["Room.Info", "Char.Name", "Char.Name"]);
  });

  it("answers Core.Ping with IAC SB GMCP Core.Ping IAC SE, and a flood of them within the reply budget", () => {
    const { telnet, lower, clock, errors } = agreed({ gmcp: { replyBurst: 5, repliesPerSecond: 1 } });
    telnet.dataReceived(gmcp("Core.Ping"));
    expect(Array.from(lower.value())).toEqual(Array.from(bytes([IAC, SB, GMCP], "Core.Ping", [IAC, SE])));
    const flood = concat(Array.from({ length: 10_000 }, () => gmcp("Core.Ping 12")));
    telnet.dataReceived(flood);
    expect(readBack(lower).names).toEqual(Array(5).fill("Core.Ping"));
    expect(errors.length).toBe(10_000 - 4);
    expect(telnet.gmcp.rejected).toBe(10_000 - 4);
    clock.advance(1000);
    telnet.dataReceived(bytes(gmcp("Core.Ping"), gmcp("Core.Ping")));
    expect(readBack(lower).names).toHaveLength(6);
  });

  it("passes other packages to the session, within the message budget", () => {
    const { telnet, oob, errors } = agreed({ gmcp: { messageBurst: 3, messagesPerSecond: 1 } });
    telnet.dataReceived(concat(Array.from({ length: 100 }, (_, i) => gmcp(`Char.Items.Contents ${i}`))));
    expect(oob).toEqual([0, 1, 2].map((i) => ({ name: "Char.Items.Contents", data: i })));
    expect(errors).toHaveLength(97);
  });

  it("Core.Hello becomes the client's name in the capabilities, over TTYPE's", () => {
    const { telnet, caps } = agreed();
    telnet.dataReceived(bytes([IAC, C.WILL, O.TTYPE, IAC, SB, O.TTYPE, 0], "MUDLET", [IAC, SE]));
    expect(telnet.capabilities.client).toBe("MUDLET");
    telnet.dataReceived(gmcp('Core.Hello {"client":"Mudlet","version":"4.17.2"}'));
    expect(telnet.capabilities.client).toBe("Mudlet 4.17.2");
    expect(caps.at(-1)?.client).toBe("Mudlet 4.17.2");
  });

  it("counts and reports bad Core payloads without acting on them", () => {
    const { telnet, lower, errors } = agreed();
    telnet.dataReceived(bytes(gmcp('Core.Supports.Set "Room 1"'), gmcp("Core.Hello []"), gmcp('Core.Ping "x"'), gmcp("Core")));
    expect(telnet.gmcp.rejected).toBe(4);
    expect(errors).toHaveLength(4);
    expect(errors.every((e) => e.startsWith("GMCP: "))).toBe(true);
    expect(telnet.gmcp.supports).toEqual([]);
    expect(telnet.gmcp.hello).toBeUndefined();
    expect(lower.writes).toEqual([]);
  });
});
