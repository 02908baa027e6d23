/**
 * MSSP (telnet option 70) and its plain-text form: the subnegotiation built byte for byte and
 * read back by the telnet parser whatever the chunking, names and values cleaned of the bytes
 * that would break either form, negotiation that cannot loop (T1-T3), and `MSSP-REQUEST`
 * answered by the line layer before the world sees it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineSession } from "../../../protocols/line/line-session.js";
import { MsspMarker, TelnetCommand as C, TelnetOptionCode as O } from "../../../protocols/telnet/constants.js";
import { subnegotiation } from "../../../protocols/telnet/encoder.js";
import {
  MAX_MSSP_TEXT_LENGTH,
  cleanMsspText,
  encodeMssp,
  formatMsspReply,
  isMsspRequest,
  type MsspVariables,
} from "../../../protocols/telnet/mssp.js";
import { TelnetParser, type TelnetEvent } from "../../../protocols/telnet/parser.js";
import { TelnetProtocol, type TelnetProtocolOptions } from "../../../protocols/telnet/telnet-protocol.js";
import type { DisconnectReason, PeerAddress, Protocol, Transport } from "../../../src/reactor/interfaces.js";
import type { SessionEndpoint, SessionHandle, SessionOpener } from "../../../src/session/endpoint.js";
import type { ClientCapabilities, Door } from "../../../src/session/messages.js";
import { FC_SEED, bytes, chunksOf, cutsArbitrary, everyChunkSize, splitAt } from "../line/chunks.js";
import { FakeTransport } from "./fake-transport.js";
import { defaultLineLimits, defaultTelnetLimits } from "../../support/default-config.js";

const { IAC, SB, SE } = C;
const { VAR, VAL } = MsspMarker;

const REPORT: MsspVariables = [
  ["NAME", "Loom"],
  ["PLAYERS", "3"],
  ["GAMEPLAY", ["Social", "Adventure"]],
];

/** Reads an MSSP payload back into variables: the test's own decoder, not the server's. */
function decode(payload: Uint8Array): [string, string[]][] {
  const decoder = new TextDecoder();
  const out: [string, string[]][] = [];
  let at = 0;
  const field = (): string => {
    const start = at;
    while (at < payload.length && payload[at] !== VAR && payload[at] !== VAL) at += 1;
    return decoder.decode(payload.subarray(start, at));
  };
  while (at < payload.length) {
    expect(payload[at]).toBe(VAR);
    at += 1;
    const name = field();
    const values: string[] = [];
    while (payload[at] === VAL) {
      at += 1;
      values.push(field());
    }
    out.push([name, values]);
  }
  return out;
}

function subnegotiations(events: readonly TelnetEvent[]): { option: number; data: number[] }[] {
  return events.flatMap((e) => (e.type === "subnegotiation" ? [{ option: e.option, data: Array.from(e.data) }] : []));
}

describe("encodeMssp: the option 70 payload", () => {
  it("is MSSP_VAR name MSSP_VAL value per variable, an array being one name and several values", () => {
    expect(Array.from(encodeMssp(REPORT))).toEqual(
      Array.from(bytes([VAR], "NAME", [VAL], "Loom", [VAR], "PLAYERS", [VAL], "3", [VAR], "GAMEPLAY", [VAL], "Social", [VAL], "Adventure")),
    );
  });

  it("is wrapped as IAC SB MSSP ... IAC SE with nothing to escape", () => {
    const sb = subnegotiation(O.MSSP, encodeMssp([["NAME", "Lööm ☃"]]));
    expect(Array.from(sb)).toEqual(Array.from(bytes([IAC, SB, O.MSSP, VAR], "NAME", [VAL], "Lööm ☃", [IAC, SE])));
  });

  it("keeps an empty value (the spec allows it) and leaves out a variable with no values or no name", () => {
    expect(decode(encodeMssp([["SUBGENRE", ""], ["PORT", []], ["\u0001", "x"]]))).toEqual([["SUBGENRE", [""]]]);
  });

  const sb = subnegotiation(O.MSSP, encodeMssp(REPORT));
  const wire = bytes("hi", sb, "\r\n");
  const expected = [{ option: O.MSSP, data: Array.from(encodeMssp(REPORT)) }];

  it.each(everyChunkSize(wire))("reads back through the telnet parser in chunks of %i bytes", (size) => {
    const parser = new TelnetParser(defaultTelnetLimits);
    const events = chunksOf(wire, size).flatMap((chunk) => parser.feed(chunk));
    expect(subnegotiations(events)).toEqual(expected);
    expect(decode(Uint8Array.from(expected[0]!.data))).toEqual([
      ["NAME", ["Loom"]],
      ["PLAYERS", ["3"]],
      ["GAMEPLAY", ["Social", "Adventure"]],
    ]);
  });

  it("reads back through the telnet parser under random splits", () => {
    fc.assert(
      fc.property(cutsArbitrary, (cuts) => {
        const parser = new TelnetParser(defaultTelnetLimits);
        const events = splitAt(wire, cuts).flatMap((chunk) => parser.feed(chunk));
        expect(subnegotiations(events)).toEqual(expected);
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});

describe("names and values are cleaned for both wire forms", () => {
  it("turns each run of control characters into one space and trims", () => {
    expect(cleanMsspText("  a\u0000\u0001\u0002b\tc\r\nd\u001b[31me\u007f\u0085f  ")).toBe("a b c d [31me f");
  });

  it("cuts at the limit and one past it, never inside a surrogate pair", () => {
    expect(cleanMsspText("a".repeat(MAX_MSSP_TEXT_LENGTH))).toHaveLength(MAX_MSSP_TEXT_LENGTH);
    expect(cleanMsspText("a".repeat(MAX_MSSP_TEXT_LENGTH + 1))).toHaveLength(MAX_MSSP_TEXT_LENGTH);
    const cut = cleanMsspText(`${"a".repeat(MAX_MSSP_TEXT_LENGTH - 1)}😀`);
    expect(cut).toBe("a".repeat(MAX_MSSP_TEXT_LENGTH - 1));
  });

  it("a hostile value cannot end the subnegotiation, start a variable, or smuggle a line into the plain reply", () => {
    const hostile = `x\u0001PLAYERS\u00029999\u0000\u00ff\r\nMSSP-REPLY-END\r\nPLAYERS\t9999`;
    const payload = encodeMssp([["NAME", hostile]]);
    expect(payload.includes(IAC)).toBe(false);
    expect(payload.includes(0)).toBe(false);
    expect(decode(payload)).toEqual([["NAME", ["x PLAYERS 9999 ÿ MSSP-REPLY-END PLAYERS 9999"]]]);
    const reply = formatMsspReply([["NAME", hostile]]);
    expect(reply.split("\r\n")).toEqual(["", "MSSP-REPLY-START", "NAME\tx PLAYERS 9999 ÿ MSSP-REPLY-END PLAYERS 9999", "MSSP-REPLY-END", ""]);
  });

  it("for any names and values: no NUL or IAC byte, separators only where the encoder put them, values as cleaned", () => {
    const text = fc.string({ unit: "binary", maxLength: 300 });
    const variable = fc.tuple(text, fc.oneof(text, fc.array(text, { maxLength: 4 })));
    fc.assert(
      fc.property(fc.array(variable, { maxLength: 8 }), (variables) => {
        const payload = encodeMssp(variables);
        expect(payload.includes(0)).toBe(false);
        expect(payload.includes(IAC)).toBe(false);
        const kept = variables
          .map(([name, value]): [string, string[]] => [cleanMsspText(name), (typeof value === "string" ? [value] : [...value]).map(cleanMsspText)])
          .filter(([name, values]) => name !== "" && values.length > 0);
        expect(decode(payload)).toEqual(kept);
        // The plain form: exactly one line per value between the markers, each `name<TAB>value`.
        const lines = formatMsspReply(variables).split("\r\n");
        expect(lines.slice(0, 2)).toEqual(["", "MSSP-REPLY-START"]);
        expect(lines.slice(-2)).toEqual(["MSSP-REPLY-END", ""]);
        expect(lines.slice(2, -2)).toEqual(kept.flatMap(([name, values]) => values.map((v) => `${name}\t${v}`)));
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});

describe("the plain-text form", () => {
  it("is a line end, the start marker, name<TAB>value lines (an array repeats its name), the end marker", () => {
    expect(formatMsspReply(REPORT)).toBe(
      "\r\nMSSP-REPLY-START\r\nNAME\tLoom\r\nPLAYERS\t3\r\nGAMEPLAY\tSocial\r\nGAMEPLAY\tAdventure\r\nMSSP-REPLY-END\r\n",
    );
  });

  it.each(["MSSP-REQUEST", "mssp-request", "  MSSP-REQUEST  ", "Mssp-Request"])("%j is a request", (line) => {
    expect(isMsspRequest(line)).toBe(true);
  });

  it.each(["MSSP-REQUEST please", "MSSP REQUEST", "say MSSP-REQUEST", "", "MSSP-REQUESTS"])("%j is not", (line) => {
    expect(isMsspRequest(line)).toBe(false);
  });
});

/** An upper protocol that ignores everything. */
class QuietProtocol implements Protocol {
  connectionMade(_transport: Transport): void {}
  dataReceived(_data: Uint8Array): void {}
  connectionLost(_why: DisconnectReason): void {}
}

function connect(options: Partial<TelnetProtocolOptions> = {}) {
  let players = 3;
  let asked = 0;
  const errors: string[] = [];
  const telnet = new TelnetProtocol(new QuietProtocol(), {
    ...defaultTelnetLimits,
    mssp: () => {
      asked += 1;
      return [
        ["NAME", "Loom"],
        ["PLAYERS", String(players)],
      ];
    },
    onProtocolError: (message) => errors.push(message),
    ...options,
  });
  const lower = new FakeTransport();
  lower.connect(telnet);
  return {
    telnet,
    lower,
    errors,
    setPlayers: (n: number) => {
      players = n;
    },
    get asked() {
      return asked;
    },
  };
}

/** What the server wrote, taken apart by the server's own parser (it is tested separately). */
function sent(lower: FakeTransport): TelnetEvent[] {
  return new TelnetParser(defaultTelnetLimits).feed(lower.value());
}

function negotiations(lower: FakeTransport): { verb: string; option: number }[] {
  return sent(lower).flatMap((e) => (e.type === "negotiate" ? [{ verb: e.verb, option: e.option }] : []));
}

function report(players: number): number[] {
  return Array.from(bytes([IAC, SB, O.MSSP, VAR], "NAME", [VAL], "Loom", [VAR], "PLAYERS", [VAL], String(players), [IAC, SE]));
}

describe("MSSP negotiation", () => {
  it("offers WILL MSSP once at connect, and reports nothing until asked", () => {
    const { lower, asked } = connect();
    expect(negotiations(lower).filter((n) => n.option === O.MSSP)).toEqual([{ verb: "WILL", option: O.MSSP }]);
    expect(subnegotiations(sent(lower)).filter((sb) => sb.option === O.MSSP)).toEqual([]);
    expect(asked).toBe(0);
  });

  it("T1: DO MSSP (the answer to our offer) gets the report and no negotiation back; a second DO gets nothing", () => {
    const session = connect();
    session.lower.clear();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.MSSP));
    expect(Array.from(session.lower.value())).toEqual(report(3));
    session.lower.clear();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.MSSP));
    expect(Array.from(session.lower.value())).toEqual([]);
    expect(session.asked).toBe(1);
    expect(session.errors).toEqual([]);
  });

  it("reads the values when it reports, not when it connects", () => {
    const session = connect();
    session.setPlayers(7);
    session.lower.clear();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.MSSP));
    expect(Array.from(session.lower.value())).toEqual(report(7));
  });

  it("DONT MSSP in answer to the offer: nothing sent, nothing asked", () => {
    const session = connect();
    session.lower.clear();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DONT, O.MSSP));
    expect(Array.from(session.lower.value())).toEqual([]);
    expect(session.asked).toBe(0);
  });

  it("a DO arriving byte by byte, or with other negotiation around it, gives the same single report", () => {
    const input = Uint8Array.of(IAC, C.WILL, O.NAWS, IAC, C.DO, O.MSSP, IAC, C.WONT, O.TTYPE);
    const whole = connect();
    whole.telnet.dataReceived(input);
    const split = connect();
    for (const chunk of chunksOf(input, 1)) split.telnet.dataReceived(chunk);
    expect(Array.from(split.lower.value())).toEqual(Array.from(whole.lower.value()));
    expect(subnegotiations(sent(whole.lower)).filter((sb) => sb.option === O.MSSP)).toEqual([{ option: O.MSSP, data: report(3).slice(3, -2) }]);
  });

  it("T2: WILL MSSP from the client (a client has no status) gets one DONT", () => {
    const session = connect();
    session.lower.clear();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.WILL, O.MSSP, IAC, C.WONT, O.MSSP));
    expect(Array.from(session.lower.value())).toEqual([IAC, C.DONT, O.MSSP]);
  });

  it("an MSSP subnegotiation from the client is dropped without a word", () => {
    const session = connect();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.MSSP));
    session.lower.clear();
    session.telnet.dataReceived(bytes([IAC, SB, O.MSSP, VAR], "PLAYERS", [VAL], "1", [IAC, SE]));
    expect(Array.from(session.lower.value())).toEqual([]);
    expect(session.errors).toEqual([]);
  });

  it("DONT then DO again: WONT, then WILL and a fresh report (RFC 1143)", () => {
    const session = connect();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.MSSP));
    session.setPlayers(4);
    session.lower.clear();
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DONT, O.MSSP, IAC, C.DO, O.MSSP));
    expect(Array.from(session.lower.value())).toEqual([IAC, C.WONT, O.MSSP, IAC, C.WILL, O.MSSP, ...report(4)]);
  });

  it("T3: a client flapping DO/DONT 10,000 times gets few reports, bounded by the reply budget, and one error", () => {
    const session = connect({ maxRepliesPerOption: 32 });
    session.telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.MSSP));
    const flap = new Uint8Array(60_000);
    for (let i = 0; i < flap.length; i += 6) flap.set([IAC, C.DONT, O.MSSP, IAC, C.DO, O.MSSP], i);
    session.telnet.dataReceived(flap);
    // Each further report costs two replies (WONT, WILL): at most 16 more after the first.
    expect(session.asked).toBeLessThanOrEqual(1 + 32 / 2);
    expect(session.errors).toHaveLength(1);
    expect(session.errors[0]).toContain("MSSP");
  });

  it("T2: without a provider MSSP is not offered and DO MSSP gets one WONT", () => {
    const lower = new FakeTransport();
    const telnet = new TelnetProtocol(new QuietProtocol(), defaultTelnetLimits);
    lower.connect(telnet);
    expect(negotiations(lower).filter((n) => n.option === O.MSSP)).toEqual([]);
    lower.clear();
    telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.MSSP, IAC, C.DONT, O.MSSP));
    expect(Array.from(lower.value())).toEqual([IAC, C.WONT, O.MSSP]);
  });

  it("a provider that throws closes only this connection, as an internal error", () => {
    const lower = new FakeTransport();
    const errors: string[] = [];
    const telnet = new TelnetProtocol(new QuietProtocol(), {
      ...defaultTelnetLimits,
      mssp: () => {
        throw new Error("boom");
      },
      onProtocolError: (message) => errors.push(message),
    });
    lower.connect(telnet);
    telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.MSSP));
    expect(lower.lostReason?.code).toBe("internal-error");
    expect(errors[0]).toContain("boom");
  });
});

/** Records what the line layer hands its session. */
class RecordingOpener implements SessionOpener {
  readonly lines: string[] = [];
  readonly closed: DisconnectReason[] = [];
  open(_door: Door, _peer: PeerAddress, _caps: ClientCapabilities, _endpoint: SessionEndpoint): SessionHandle {
    return {
      id: 1,
      line: (text) => this.lines.push(text),
      oob: () => {},
      capabilities: () => {},
      inputEnded: () => {},
      closed: (why) => this.closed.push(why),
    };
  }
}

function lineSession(withMssp = true) {
  const opener = new RecordingOpener();
  const session = new LineSession(opener, {
    ...defaultLineLimits,
    door: "line",
    variant: "plain",
    caps: { ansi: false, width: 80, height: 24 },
    ...(withMssp ? { mssp: () => REPORT } : {}),
  });
  const transport = new FakeTransport();
  transport.connect(session);
  return { opener, session, transport };
}

describe("MSSP-REQUEST on the line layer", () => {
  const request = bytes("MSSP-REQUEST\r\n");

  it.each(everyChunkSize(request))("is answered by the door, not the world, and the connection closes (chunks of %i)", (size) => {
    const { opener, session, transport } = lineSession();
    for (const chunk of chunksOf(request, size)) session.dataReceived(chunk);
    expect(new TextDecoder().decode(transport.value())).toBe(formatMsspReply(REPORT));
    expect(opener.lines).toEqual([]);
    expect(transport.lostReason?.code).toBe("status-answered");
    expect(opener.closed.map((why) => why.code)).toEqual(["status-answered"]);
  });

  it("is answered once: lines after it in the same chunk are not read", () => {
    const { opener, session, transport } = lineSession();
    session.dataReceived(bytes("\r\nmssp-request\r\nMSSP-REQUEST\r\nlook\r\n"));
    expect(new TextDecoder().decode(transport.value())).toBe(formatMsspReply(REPORT));
    expect(opener.lines).toEqual([""]);
  });

  it("after the login dialog has begun it is an ordinary line for the world", () => {
    const { opener, session, transport } = lineSession();
    session.dataReceived(bytes("Ada\r\nMSSP-REQUEST\r\n"));
    expect(opener.lines).toEqual(["Ada", "MSSP-REQUEST"]);
    expect(transport.value()).toHaveLength(0);
    expect(transport.connected).toBe(true);
  });

  it("without a provider it is an ordinary line", () => {
    const { opener, session, transport } = lineSession(false);
    session.dataReceived(request);
    expect(opener.lines).toEqual(["MSSP-REQUEST"]);
    expect(transport.connected).toBe(true);
  });
});
