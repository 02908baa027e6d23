import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Protocol, Transport } from "../../../src/reactor/interfaces.js";
import { TelnetCommand as C, TelnetOptionCode as O } from "../../../protocols/telnet/constants.js";
import { EOR_OPTION, promptEndMark } from "../../../protocols/telnet/eor.js";
import { TelnetProtocol } from "../../../protocols/telnet/telnet-protocol.js";
import { FC_SEED, bytes, chunksOf, cutsArbitrary, everyChunkSize, splitAt } from "../line/chunks.js";
import { FakeTransport } from "./fake-transport.js";
import { defaultTelnetLimits } from "../../support/default-config.js";

const { IAC } = C;
const EOR_MARK = [IAC, C.EOR];
const GA_MARK = [IAC, C.GA];

class QuietProtocol implements Protocol {
  transport: Transport | undefined;
  connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  dataReceived(): void {}
  connectionLost(): void {}
}

function connect() {
  const errors: string[] = [];
  const upper = new QuietProtocol();
  const telnet = new TelnetProtocol(upper, { ...defaultTelnetLimits, onProtocolError: (message) => errors.push(message) });
  const lower = new FakeTransport();
  lower.connect(telnet);
  return { telnet, lower, upper, errors };
}

/** Writes a prompt the way the line layer does (data, then the prompt end) and returns what went out. */
function prompt(session: ReturnType<typeof connect>): number[] {
  session.lower.clear();
  session.upper.transport?.write("> ");
  session.telnet.endPrompt();
  return Array.from(session.lower.value());
}

describe("promptEndMark (RFC 885, RFC 858)", () => {
  it("is EOR when EOR is on, whatever SGA says; else GA unless SGA is on", () => {
    expect(Array.from(promptEndMark(true, false)!)).toEqual(EOR_MARK);
    expect(Array.from(promptEndMark(true, true)!)).toEqual(EOR_MARK);
    expect(Array.from(promptEndMark(false, false)!)).toEqual(GA_MARK);
    expect(promptEndMark(false, true)).toBeUndefined();
  });
});

describe("EOR_OPTION", () => {
  it("agrees to DO, refuses WILL, and keeps no state (the negotiator's is used; issue 11 target 3)", () => {
    expect(EOR_OPTION).toEqual({ option: O.EOR, acceptLocal: true, acceptRemote: false });
    expect(Object.isFrozen(EOR_OPTION)).toBe(true);
  });
});

describe("EOR on a telnet connection", () => {
  it("offers WILL EOR once at connect", () => {
    const { lower } = connect();
    const sent = Array.from(lower.value());
    const offers = sent.flatMap((b, i) => (b === IAC && sent[i + 1] === C.WILL && sent[i + 2] === O.EOR ? [i] : []));
    expect(offers).toHaveLength(1);
  });

  it("T1: DO EOR answering our WILL gets nothing back, and a repeated DO neither", () => {
    const session = connect();
    session.lower.clear();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.EOR, IAC, C.DO, O.EOR));
    expect(Array.from(session.lower.value())).toEqual([]);
  });

  it("ends each prompt with IAC GA until the client says DO EOR, then with IAC EOR alone", () => {
    const session = connect();
    expect(prompt(session)).toEqual([...bytes("> "), ...GA_MARK]);
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.EOR));
    expect(prompt(session)).toEqual([...bytes("> "), ...EOR_MARK]);
    expect(prompt(session)).toEqual([...bytes("> "), ...EOR_MARK]);
  });

  it("keeps EOR when the client also suppresses go-ahead, and sends nothing once EOR is refused under SGA", () => {
    const session = connect();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.SGA, IAC, C.DO, O.EOR));
    expect(prompt(session)).toEqual([...bytes("> "), ...EOR_MARK]);
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DONT, O.EOR));
    expect(prompt(session)).toEqual(Array.from(bytes("> ")));
  });

  it("goes back to GA when the client takes EOR back (and answers its DONT once)", () => {
    const session = connect();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.EOR));
    session.lower.clear();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DONT, O.EOR, IAC, C.DONT, O.EOR));
    expect(Array.from(session.lower.value())).toEqual([IAC, C.WONT, O.EOR]);
    expect(prompt(session)).toEqual([...bytes("> "), ...GA_MARK]);
  });

  it("a refused offer (DONT EOR) leaves GA, with no answer", () => {
    const session = connect();
    session.lower.clear();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DONT, O.EOR));
    expect(Array.from(session.lower.value())).toEqual([]);
    expect(prompt(session)).toEqual([...bytes("> "), ...GA_MARK]);
  });

  it("T2: the client's WILL EOR gets exactly one DONT", () => {
    const session = connect();
    session.lower.clear();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.WILL, O.EOR));
    expect(Array.from(session.lower.value())).toEqual([IAC, C.DONT, O.EOR]);
  });

  it("T3: a client flapping DO/DONT EOR 10,000 times gets a bounded number of replies", () => {
    const session = connect();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.EOR));
    session.lower.clear();
    const flap = new Uint8Array(60_000);
    for (let i = 0; i < flap.length; i += 6) flap.set([IAC, C.DONT, O.EOR, IAC, C.DO, O.EOR], i);
    session.telnet.dataReceived(flap);
    expect(session.lower.value().length).toBeLessThanOrEqual(32 * 3);
    expect(session.errors).toHaveLength(1);
  });

  it("the client's IAC EOR in input is a command, never data", () => {
    const received: Uint8Array[] = [];
    const telnet = new TelnetProtocol(
      {
        connectionMade: () => {},
        dataReceived: (data) => received.push(data.slice()),
        connectionLost: () => {},
      },
      defaultTelnetLimits,
    );
    new FakeTransport().connect(telnet);
    telnet.dataReceived(bytes("lo", [IAC, C.EOR], "ok\r\n"));
    expect(new TextDecoder().decode(Buffer.concat(received))).toBe("look\r\n");
  });

  describe("the client's answers fed whole, byte by byte and randomly split", () => {
    const input = bytes([IAC, C.DO, O.EOR, IAC, C.DO, O.SGA], "look\r\n", [IAC, C.DONT, O.EOR, IAC, C.DO, O.EOR]);
    /** Feeds `chunks`, prompting after each, and returns everything written and the final prompt. */
    function run(chunks: readonly Uint8Array[]): { written: number[]; last: number[] } {
      const session = connect();
      for (const chunk of chunks) session.telnet.dataReceived(chunk);
      return { written: Array.from(session.lower.value()), last: prompt(session) };
    }
    const whole = run([input]);

    it("ends the same, with one EOR after the prompt", () => {
      expect(whole.last).toEqual([...bytes("> "), ...EOR_MARK]);
      for (const size of everyChunkSize(input)) expect(run(chunksOf(input, size)), `chunk size ${size}`).toEqual(whole);
      fc.assert(
        fc.property(cutsArbitrary, (cuts) => {
          expect(run(splitAt(input, cuts))).toEqual(whole);
        }),
        { seed: FC_SEED, numRuns: 100 },
      );
    });
  });
});
