import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TelnetCommand as C, TelnetOptionCode as O } from "../../../protocols/telnet/constants.js";
import {
  TelnetParser,
  type TelnetEvent,
  type TelnetParserOptions,
} from "../../../protocols/telnet/parser.js";
import { FC_SEED, bytes, chunksOf, cutsArbitrary, everyChunkSize, splitAt } from "../line/chunks.js";
import { defaultLimits } from "../../support/default-config.js";

/** The shipped cap (`limits.maxSubnegotiationBytes`, hardening T4). */
const PARSER_LIMITS: TelnetParserOptions = { maxSubnegotiationBytes: defaultLimits.maxSubnegotiationBytes };

const { IAC, SB, SE } = C;

/** Events with byte arrays as plain arrays and adjacent data merged: the chunking-independent view. */
type Normal =
  | { type: "data"; bytes: number[] }
  | Exclude<TelnetEvent, { type: "data" } | { type: "subnegotiation" }>
  | { type: "subnegotiation"; option: number; data: number[] };

function normalize(events: readonly TelnetEvent[]): Normal[] {
  const out: Normal[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (event.type === "data") {
      if (last?.type === "data") last.bytes.push(...event.bytes);
      else out.push({ type: "data", bytes: Array.from(event.bytes) });
    } else if (event.type === "subnegotiation") {
      out.push({ type: "subnegotiation", option: event.option, data: Array.from(event.data) });
    } else {
      out.push(event);
    }
  }
  return out;
}

function parse(chunks: readonly Uint8Array[], options: TelnetParserOptions = PARSER_LIMITS): TelnetEvent[] {
  const parser = new TelnetParser(options);
  return chunks.flatMap((chunk) => parser.feed(chunk));
}

/** Whole, every chunk size down to one byte, and seeded random splits all give `expected`. */
function expectEverySplit(input: Uint8Array, expected: Normal[], options: TelnetParserOptions = PARSER_LIMITS): void {
  expect(normalize(parse([input], options))).toEqual(expected);
  for (const size of everyChunkSize(input)) {
    expect(normalize(parse(chunksOf(input, size), options)), `chunk size ${size}`).toEqual(expected);
  }
  fc.assert(
    fc.property(cutsArbitrary, (cuts) => {
      expect(normalize(parse(splitAt(input, cuts), options))).toEqual(expected);
    }),
    { seed: FC_SEED, numRuns: 100 },
  );
}

const data = (...parts: Array<string | number[]>): Normal => ({ type: "data", bytes: Array.from(bytes(...parts)) });

describe("TelnetParser", () => {
  it("passes plain data through as one event", () => {
    const events = parse([bytes("look north\r\n")]);
    expect(normalize(events)).toEqual([data("look north\r\n")]);
    expect(events).toHaveLength(1);
  });

  it("T5: reads IAC IAC as one literal 0xFF, coalesced with the data around it", () => {
    const events = parse([bytes("a", [IAC, IAC], "b", [IAC, IAC, IAC, IAC])]);
    expect(events).toHaveLength(1);
    expectEverySplit(bytes("a", [IAC, IAC], "b", [IAC, IAC, IAC, IAC]), [data("a", [0xff], "b", [0xff, 0xff])]);
  });

  it("parses all four negotiation verbs", () => {
    expectEverySplit(bytes([IAC, C.DO, O.ECHO, IAC, C.DONT, O.SGA, IAC, C.WILL, O.NAWS, IAC, C.WONT, O.TTYPE]), [
      { type: "negotiate", verb: "DO", option: O.ECHO },
      { type: "negotiate", verb: "DONT", option: O.SGA },
      { type: "negotiate", verb: "WILL", option: O.NAWS },
      { type: "negotiate", verb: "WONT", option: O.TTYPE },
    ]);
  });

  it("keeps data and commands in stream order", () => {
    expectEverySplit(bytes("lo", [IAC, C.WILL, O.NAWS], "ok", [IAC, C.NOP], "\r\n", [IAC, C.GA]), [
      data("lo"),
      { type: "negotiate", verb: "WILL", option: O.NAWS },
      data("ok"),
      { type: "command", command: C.NOP },
      data("\r\n"),
      { type: "command", command: C.GA },
    ]);
  });

  it("reports other commands, a stray SE and undefined command bytes as commands", () => {
    expectEverySplit(bytes([IAC, C.AYT, IAC, C.IP, IAC, SE, IAC, 7]), [
      { type: "command", command: C.AYT },
      { type: "command", command: C.IP },
      { type: "command", command: SE },
      { type: "command", command: 7 },
    ]);
  });

  it("passes CR NUL and CR LF through as data (line framing is not its job)", () => {
    expectEverySplit(bytes("a\r", [0], "b\r\nc\rd\n"), [data("a\r", [0], "b\r\nc\rd\n")]);
  });

  it("parses a subnegotiation with an escaped 255 inside (RFC 855)", () => {
    expectEverySplit(bytes([IAC, SB, O.NAWS, 0, IAC, IAC, 0, 24, IAC, SE], "x"), [
      { type: "subnegotiation", option: O.NAWS, data: [0, 255, 0, 24] },
      data("x"),
    ]);
  });

  it("does not end a subnegotiation at an escaped IAC followed by SE", () => {
    expectEverySplit(bytes([IAC, SB, O.TTYPE, 0, IAC, IAC, SE, 0x41, IAC, SE]), [
      { type: "subnegotiation", option: O.TTYPE, data: [0, 255, SE, 0x41] },
    ]);
  });

  it("parses an empty subnegotiation and an option byte of 255", () => {
    expectEverySplit(bytes([IAC, SB, O.TTYPE, IAC, SE, IAC, SB, 255, 1, IAC, SE]), [
      { type: "subnegotiation", option: O.TTYPE, data: [] },
      { type: "subnegotiation", option: 255, data: [1] },
    ]);
  });

  it("aborts a subnegotiation cut short by another command and parses that command", () => {
    expectEverySplit(bytes([IAC, SB, O.TTYPE, 0], "xterm", [IAC, C.WILL, O.NAWS], "hi"), [
      { type: "subnegotiation-aborted", option: O.TTYPE },
      { type: "negotiate", verb: "WILL", option: O.NAWS },
      data("hi"),
    ]);
    // A new SB right after the broken one starts afresh.
    expectEverySplit(bytes([IAC, SB, O.TTYPE, 0, 0x41, IAC, SB, O.NAWS, 0, 80, 0, 24, IAC, SE]), [
      { type: "subnegotiation-aborted", option: O.TTYPE },
      { type: "subnegotiation", option: O.NAWS, data: [0, 80, 0, 24] },
    ]);
  });

  describe("T4: the subnegotiation buffer is capped", () => {
    const options = { maxSubnegotiationBytes: 4 };

    it("accepts a payload at the cap", () => {
      expectEverySplit(bytes([IAC, SB, O.GMCP, 1, 2, 3, 4, IAC, SE]), [
        { type: "subnegotiation", option: O.GMCP, data: [1, 2, 3, 4] },
      ], options);
    });

    it("counts escaped bytes once, after unescaping", () => {
      expectEverySplit(bytes([IAC, SB, O.GMCP, IAC, IAC, IAC, IAC, IAC, IAC, IAC, IAC, IAC, SE]), [
        { type: "subnegotiation", option: O.GMCP, data: [255, 255, 255, 255] },
      ], options);
    });

    it("reports one overflow at cap + 1, drops the rest, and resumes after IAC SE", () => {
      expectEverySplit(bytes([IAC, SB, O.GMCP, 1, 2, 3, 4, 5, 6, IAC, IAC, SE, 7, IAC, SE], "after"), [
        { type: "subnegotiation-overflow", option: O.GMCP },
        data("after"),
      ], options);
    });

    it("ends the discarding at another command without a second report", () => {
      expectEverySplit(bytes([IAC, SB, O.GMCP, 1, 2, 3, 4, 5, IAC, C.DO, O.SGA], "x"), [
        { type: "subnegotiation-overflow", option: O.GMCP },
        { type: "negotiate", verb: "DO", option: O.SGA },
        data("x"),
      ], options);
    });

    it("stays bounded on 1 MiB after IAC SB, and data flows after IAC SE", () => {
      const parser = new TelnetParser(PARSER_LIMITS);
      const events: TelnetEvent[] = [...parser.feed(bytes([IAC, SB, O.TTYPE, 0]))];
      const junk = new Uint8Array(4096).fill(0x61);
      for (let i = 0; i < 256; i += 1) {
        events.push(...parser.feed(junk));
        expect(parser.bufferedBytes).toBeLessThanOrEqual(PARSER_LIMITS.maxSubnegotiationBytes);
      }
      events.push(...parser.feed(bytes([IAC, SE], "look\r\n")));
      expect(normalize(events)).toEqual([{ type: "subnegotiation-overflow", option: O.TTYPE }, data("look\r\n")]);
      expect(parser.bufferedBytes).toBe(0);
    });
  });

  it("hands out subnegotiation payloads that later input cannot change", () => {
    const parser = new TelnetParser(PARSER_LIMITS);
    const [first] = parser.feed(bytes([IAC, SB, O.NAWS, 0, 80, 0, 24, IAC, SE]));
    parser.feed(bytes([IAC, SB, O.NAWS, 1, 1, 1, 1, IAC, SE]));
    expect(first).toEqual({ type: "subnegotiation", option: O.NAWS, data: Uint8Array.of(0, 80, 0, 24) });
  });

  it("rejects a cap that is not a positive integer", () => {
    expect(() => new TelnetParser({ maxSubnegotiationBytes: 0 })).toThrow(RangeError);
    expect(() => new TelnetParser({ maxSubnegotiationBytes: 2.5 })).toThrow(RangeError);
  });

  it("property: any split gives the one-chunk events, and the buffer stays under the cap", () => {
    // Mostly telnet-significant bytes, so that every state is visited often.
    const telnetByte = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(IAC) },
      { weight: 3, arbitrary: fc.constantFrom(SB, SE, C.WILL, C.WONT, C.DO, C.DONT, C.NOP, C.GA) },
      { weight: 3, arbitrary: fc.constantFrom(0x61, 0x0d, 0x0a, 0x00, O.NAWS, O.TTYPE) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
    );
    const input = fc.array(telnetByte, { maxLength: 200 }).map((values) => Uint8Array.from(values));
    fc.assert(
      fc.property(input, cutsArbitrary, fc.integer({ min: 1, max: 12 }), (stream, cuts, cap) => {
        const options = { maxSubnegotiationBytes: cap };
        const whole = normalize(parse([stream], options));
        expect(normalize(parse(splitAt(stream, cuts), options))).toEqual(whole);
        const parser = new TelnetParser(options);
        const oneByOne: TelnetEvent[] = [];
        for (const chunk of chunksOf(stream, 1)) {
          oneByOne.push(...parser.feed(chunk));
          expect(parser.bufferedBytes).toBeLessThanOrEqual(cap);
        }
        expect(normalize(oneByOne)).toEqual(whole);
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});
