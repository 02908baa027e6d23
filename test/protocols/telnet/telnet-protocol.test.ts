import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DisconnectReason, Protocol, Transport } from "../../../src/reactor/interfaces.js";
import { TelnetCommand as C, TelnetOptionCode as O, TtypeQualifier } from "../../../protocols/telnet/constants.js";
import {
  TelnetProtocol,
  type TelnetProtocolOptions,
  type TerminalCapabilities,
} from "../../../protocols/telnet/telnet-protocol.js";
import { FC_SEED, bytes, chunksOf, concat } from "../line/chunks.js";
import { FakeTransport } from "./fake-transport.js";
import { defaultTelnetLimits } from "../../support/default-config.js";

const { IAC, SB, SE } = C;

/** An upper protocol that records what it is given and can write a prompt on connect. */
class RecordingProtocol implements Protocol {
  transport: Transport | undefined;
  readonly received: Uint8Array[] = [];
  readonly lost: DisconnectReason[] = [];
  readonly #greeting: string | undefined;
  constructor(greeting?: string) {
    this.#greeting = greeting;
  }
  connectionMade(transport: Transport): void {
    this.transport = transport;
    if (this.#greeting !== undefined) transport.write(this.#greeting);
  }
  dataReceived(data: Uint8Array): void {
    this.received.push(data.slice());
  }
  connectionLost(reason: DisconnectReason): void {
    this.lost.push(reason);
  }
  get text(): string {
    return new TextDecoder().decode(concat(this.received));
  }
}

function connect(options: Partial<TelnetProtocolOptions> = {}, greeting?: string) {
  const upper = new RecordingProtocol(greeting);
  const errors: string[] = [];
  const caps: TerminalCapabilities[] = [];
  const telnet = new TelnetProtocol(upper, {
    ...defaultTelnetLimits,
    onProtocolError: (message) => errors.push(message),
    onCapabilities: (c) => caps.push(c),
    ...options,
  });
  const lower = new FakeTransport();
  lower.connect(telnet);
  return { upper, telnet, lower, errors, caps };
}

// No WILL SGA: offering it unasked puts BSD telnets in character mode (telnet-protocol.ts).
const OPENING = [IAC, C.DO, O.NAWS, IAC, C.DO, O.TTYPE, IAC, C.WILL, O.EOR, IAC, C.WILL, O.CHARSET, IAC, C.WILL, O.GMCP];

function written(lower: FakeTransport): number[] {
  return Array.from(lower.value());
}

describe("TelnetProtocol", () => {
  it("T8: sends its offers and starts the upper protocol at once, without waiting for answers", () => {
    const { upper, lower } = connect({}, "Name: ");
    expect(upper.transport).toBeDefined();
    expect(written(lower)).toEqual([...OPENING, ...bytes("Name: ")]);
  });

  it("hands data to the upper protocol with telnet commands removed", () => {
    const { upper, telnet, lower } = connect();
    lower.clear();
    telnet.dataReceived(bytes("lo", [IAC, C.NOP], "ok", [IAC, C.WILL, O.NAWS], "\r\n"));
    expect(upper.text).toBe("look\r\n");
    // WILL NAWS answered our DO: nothing to say back (T1).
    expect(written(lower)).toEqual([]);
  });

  it("gives the same data and replies whether the input arrives whole or byte by byte", () => {
    const input = bytes(
      "say hi",
      [IAC, IAC],
      "\r\n",
      [IAC, C.WILL, O.NAWS, IAC, SB, O.NAWS, 0, 100, 0, 30, IAC, SE],
      [IAC, C.DO, O.GMCP, IAC, C.WILL, O.TTYPE, IAC, SB, O.TTYPE, TtypeQualifier.IS],
      "XTERM",
      [IAC, SE],
      "look\r",
      [0],
    );
    const whole = connect();
    whole.telnet.dataReceived(input);
    const split = connect();
    for (const chunk of chunksOf(input, 1)) split.telnet.dataReceived(chunk);
    expect(split.upper.text).toBe(whole.upper.text);
    expect(written(split.lower)).toEqual(written(whole.lower));
    expect(split.telnet.capabilities).toEqual(whole.telnet.capabilities);
    expect(whole.telnet.capabilities).toEqual({ width: 100, height: 30, client: "XTERM" });
  });

  describe("T5: IAC escaping", () => {
    it("reads IAC IAC in input as one 0xFF", () => {
      const { upper, telnet } = connect();
      telnet.dataReceived(Uint8Array.of(0x61, IAC, IAC, 0x62));
      expect(Array.from(concat(upper.received))).toEqual([0x61, 0xff, 0x62]);
    });

    it("doubles 0xFF in what the upper protocol writes", () => {
      const { upper, lower } = connect();
      lower.clear();
      upper.transport?.write(Uint8Array.of(1, IAC, C.WILL, O.ECHO, IAC));
      expect(written(lower)).toEqual([1, IAC, IAC, C.WILL, O.ECHO, IAC, IAC]);
    });

    it("passes text through unchanged (UTF-8 never contains 0xFF)", () => {
      const { upper, lower } = connect();
      lower.clear();
      upper.transport?.write("héllo ☃\r\n");
      expect(written(lower)).toEqual(Array.from(bytes("héllo ☃\r\n")));
    });
  });

  describe("T9: echo for passwords", () => {
    it("setEcho(false) sends WILL ECHO, setEcho(true) sends WONT ECHO", () => {
      const { telnet, lower } = connect();
      lower.clear();
      telnet.setEcho(false);
      expect(written(lower)).toEqual([IAC, C.WILL, O.ECHO]);
      telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.ECHO));
      expect(telnet.inputHidden).toBe(true);
      telnet.setEcho(false);
      expect(written(lower)).toEqual([IAC, C.WILL, O.ECHO]);
      lower.clear();
      telnet.setEcho(true);
      expect(written(lower)).toEqual([IAC, C.WONT, O.ECHO]);
      expect(telnet.inputHidden).toBe(false);
      telnet.dataReceived(Uint8Array.of(IAC, C.DONT, O.ECHO));
      expect(written(lower)).toEqual([IAC, C.WONT, O.ECHO]);
    });

    it("queues WONT ECHO until the client has answered WILL ECHO", () => {
      const { telnet, lower } = connect();
      lower.clear();
      telnet.setEcho(false);
      telnet.setEcho(true);
      expect(written(lower)).toEqual([IAC, C.WILL, O.ECHO]);
      telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.ECHO));
      expect(written(lower)).toEqual([IAC, C.WILL, O.ECHO, IAC, C.WONT, O.ECHO]);
      expect(telnet.inputHidden).toBe(false);
    });

    it("refuses a client's unprompted DO ECHO", () => {
      const { telnet, lower } = connect();
      lower.clear();
      telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.ECHO, IAC, C.WILL, O.ECHO));
      expect(written(lower)).toEqual([IAC, C.WONT, O.ECHO, IAC, C.DONT, O.ECHO]);
    });
  });

  it("sends IAC GA after prompts until the client agrees to SGA", () => {
    const { telnet, lower } = connect();
    lower.clear();
    telnet.endPrompt();
    expect(written(lower)).toEqual([IAC, C.GA]);
    telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.SGA));
    lower.clear();
    telnet.endPrompt();
    expect(written(lower)).toEqual([]);
  });

  it("T6: takes the window size from NAWS, sanitised, and reports it", () => {
    const { telnet, caps } = connect();
    expect([telnet.width, telnet.height]).toEqual([80, 24]);
    // Width 0x00FF and height 0xFFFF: every 0xFF escaped as FF FF.
    telnet.dataReceived(Uint8Array.of(IAC, C.WILL, O.NAWS, IAC, SB, O.NAWS, 0, IAC, IAC, IAC, IAC, IAC, IAC, IAC, SE));
    expect([telnet.width, telnet.height]).toEqual([255, 200]);
    telnet.dataReceived(Uint8Array.of(IAC, SB, O.NAWS, 0, 0, 0, 0, IAC, SE));
    expect([telnet.width, telnet.height]).toEqual([80, 24]);
    expect(caps).toEqual([
      { width: 255, height: 200 },
      { width: 80, height: 24 },
    ]);
  });

  it("ignores NAWS reports from a client that has not agreed to NAWS", () => {
    const { telnet } = connect();
    telnet.dataReceived(Uint8Array.of(IAC, SB, O.NAWS, 0, 100, 0, 50, IAC, SE));
    expect([telnet.width, telnet.height]).toEqual([80, 24]);
  });

  it("T7: cycles TTYPE until the client repeats, and records the first name", () => {
    const { telnet, lower, caps } = connect();
    const send = [IAC, SB, O.TTYPE, TtypeQualifier.SEND, IAC, SE];
    const is = (name: string) => bytes([IAC, SB, O.TTYPE, TtypeQualifier.IS], name, [IAC, SE]);
    lower.clear();
    telnet.dataReceived(Uint8Array.of(IAC, C.WILL, O.TTYPE));
    expect(written(lower)).toEqual(send);
    for (const name of ["MUDLET", "XTERM-256COLOR", "MTTS 137"]) {
      lower.clear();
      telnet.dataReceived(is(name));
      expect(written(lower)).toEqual(send);
    }
    lower.clear();
    telnet.dataReceived(is("MTTS 137"));
    expect(written(lower)).toEqual([]);
    expect(telnet.terminalType).toBe("MUDLET");
    expect(telnet.terminalTypes).toEqual(["MUDLET", "XTERM-256COLOR", "MTTS 137"]);
    expect(caps.at(-1)).toEqual({ width: 80, height: 24, client: "MUDLET", mtts: 137 });
  });

  it("T2: refuses a client's WILL GMCP, MSSP, MCCP2 and unknown options with exactly one answer each", () => {
    const { telnet, lower } = connect();
    lower.clear();
    telnet.dataReceived(
      Uint8Array.of(IAC, C.DO, O.GMCP, IAC, C.WILL, O.GMCP, IAC, C.DO, O.MSSP, IAC, C.DO, O.MCCP2, IAC, C.DO, 99),
    );
    // DO GMCP answers our WILL GMCP: nothing to say (T1). GMCP is ours to perform, not the client's.
    expect(written(lower)).toEqual([
      ...[IAC, C.DONT, O.GMCP],
      ...[IAC, C.WONT, O.MSSP],
      ...[IAC, C.WONT, O.MCCP2],
      ...[IAC, C.WONT, 99],
    ]);
  });

  it("T3: a client flapping WILL/WONT 10,000 times gets at most one reply per state change, and few in all", () => {
    const { telnet, lower, errors } = connect();
    lower.clear();
    const flap = new Uint8Array(60_000);
    for (let i = 0; i < flap.length; i += 6) flap.set([IAC, C.WILL, O.SGA, IAC, C.WONT, O.SGA], i);
    telnet.dataReceived(flap);
    // Each reply is 3 bytes; the default budget is 32 replies for the option.
    expect(lower.value().length).toBeLessThanOrEqual(32 * 3);
    expect(errors).toHaveLength(1);
  });

  it("T4: survives 1 MiB after IAC SB, reports it once, and keeps serving", () => {
    const { upper, telnet, errors } = connect();
    telnet.dataReceived(Uint8Array.of(IAC, SB, O.TTYPE));
    const junk = new Uint8Array(64 * 1024).fill(0x61);
    for (let i = 0; i < 16; i += 1) telnet.dataReceived(junk);
    telnet.dataReceived(bytes([IAC, SE], "look\r\n"));
    expect(upper.text).toBe("look\r\n");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("TTYPE");
  });

  it("honours a smaller subnegotiation cap", () => {
    const { telnet, errors } = connect({ maxSubnegotiationBytes: 3 });
    telnet.dataReceived(Uint8Array.of(IAC, C.WILL, O.NAWS, IAC, SB, O.NAWS, 0, 100, 0, 50, IAC, SE));
    expect(errors).toHaveLength(1);
    expect(telnet.width).toBe(80);
  });

  it("forwards connectionLost to the upper protocol exactly once", () => {
    const { upper, lower } = connect();
    const why: DisconnectReason = { code: "quit", message: "bye" };
    upper.transport?.loseConnection(why);
    upper.transport?.loseConnection({ code: "shutdown", message: "again" });
    expect(upper.lost).toEqual([why]);
    expect(lower.lostReason).toEqual(why);
    expect(upper.transport?.connected).toBe(false);
  });

  it("stops delivering input once the connection is being closed", () => {
    const upper = new RecordingProtocol();
    const closing: Protocol = {
      connectionMade: (t) => upper.connectionMade(t),
      dataReceived: (d) => {
        upper.dataReceived(d);
        upper.transport?.loseConnection({ code: "quit", message: "bye" });
      },
      connectionLost: (r) => upper.connectionLost(r),
    };
    const telnet = new TelnetProtocol(closing, defaultTelnetLimits);
    new FakeTransport().connect(telnet);
    telnet.dataReceived(bytes("quit\r\n", [IAC, C.NOP], "more\r\n"));
    expect(upper.text).toBe("quit\r\n");
  });

  it("never throws out of dataReceived, even when the upper protocol does", () => {
    const errors: string[] = [];
    const telnet = new TelnetProtocol(
      {
        connectionMade: () => {},
        dataReceived: () => {
          throw new Error("bug above");
        },
        connectionLost: () => {},
      },
      { ...defaultTelnetLimits, onProtocolError: (message) => errors.push(message) },
    );
    const lower = new FakeTransport();
    lower.connect(telnet);
    expect(() => telnet.dataReceived(bytes("look\r\n"))).not.toThrow();
    expect(lower.lostReason?.code).toBe("internal-error");
    expect(errors[0]).toContain("bug above");
  });

  it("property: never throws and never writes unescaped data, for any input in any chunks", () => {
    const telnetByte = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(IAC, SB, SE, C.WILL, C.WONT, C.DO, C.DONT) },
      { weight: 2, arbitrary: fc.constantFrom(O.ECHO, O.SGA, O.NAWS, O.TTYPE, O.GMCP, TtypeQualifier.IS, 0) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }) },
    );
    const stream = fc.array(telnetByte, { maxLength: 300 }).map((values) => Uint8Array.from(values));
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 17 }), (input, size) => {
        const { telnet, lower, upper } = connect({ maxSubnegotiationBytes: 16 });
        for (const chunk of chunksOf(input, size)) expect(() => telnet.dataReceived(chunk)).not.toThrow();
        expect(lower.connected).toBe(true);
        expect(upper.lost).toEqual([]);
        expect(telnet.width).toBeGreaterThanOrEqual(20);
        expect(telnet.width).toBeLessThanOrEqual(500);
        expect(telnet.height).toBeGreaterThanOrEqual(5);
        expect(telnet.height).toBeLessThanOrEqual(200);
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});
