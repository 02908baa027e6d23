import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TelnetCommand as C, TelnetOptionCode as O } from "../../../protocols/telnet/constants.js";
import { command, escapeIac, negotiation, subnegotiation } from "../../../protocols/telnet/encoder.js";
import { TelnetParser } from "../../../protocols/telnet/parser.js";
import { FC_SEED, bytes, concat } from "../line/chunks.js";
import { defaultTelnetLimits } from "../../support/default-config.js";

const { IAC, SB, SE } = C;

describe("escapeIac (hardening T5)", () => {
  it("returns the input itself when there is no 0xFF", () => {
    const input = bytes("plain text ☃\r\n");
    expect(escapeIac(input)).toBe(input);
    const empty = new Uint8Array(0);
    expect(escapeIac(empty)).toBe(empty);
  });

  it("doubles every 0xFF, wherever it is", () => {
    expect(Array.from(escapeIac(Uint8Array.of(IAC)))).toEqual([IAC, IAC]);
    expect(Array.from(escapeIac(Uint8Array.of(1, IAC, 2, IAC, IAC)))).toEqual([1, IAC, IAC, 2, IAC, IAC, IAC, IAC]);
    expect(Array.from(escapeIac(Uint8Array.of(IAC, C.WILL, O.ECHO)))).toEqual([IAC, IAC, C.WILL, O.ECHO]);
  });

  it("does not modify its input", () => {
    const input = Uint8Array.of(1, IAC, 2);
    escapeIac(input);
    expect(Array.from(input)).toEqual([1, IAC, 2]);
  });

  it("property: the parser reads escaped bytes back as the same data and nothing else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        const events = new TelnetParser(defaultTelnetLimits).feed(escapeIac(data));
        const received = concat(events.map((event) => (event.type === "data" ? event.bytes : new Uint8Array(0))));
        expect(events.every((event) => event.type === "data")).toBe(true);
        expect(Array.from(received)).toEqual(Array.from(data));
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});

describe("negotiation, subnegotiation, command", () => {
  it("builds IAC <verb> <option>", () => {
    expect(Array.from(negotiation("WILL", O.ECHO))).toEqual([IAC, C.WILL, O.ECHO]);
    expect(Array.from(negotiation("WONT", O.ECHO))).toEqual([IAC, C.WONT, O.ECHO]);
    expect(Array.from(negotiation("DO", O.NAWS))).toEqual([IAC, C.DO, O.NAWS]);
    expect(Array.from(negotiation("DONT", O.GMCP))).toEqual([IAC, C.DONT, O.GMCP]);
  });

  it("builds IAC SB <option> <payload, escaped> IAC SE", () => {
    expect(Array.from(subnegotiation(O.TTYPE, Uint8Array.of(1)))).toEqual([IAC, SB, O.TTYPE, 1, IAC, SE]);
    expect(Array.from(subnegotiation(O.NAWS, Uint8Array.of(0, IAC, 0, 24)))).toEqual([
      IAC, SB, O.NAWS, 0, IAC, IAC, 0, 24, IAC, SE,
    ]);
    expect(Array.from(subnegotiation(O.GMCP, new Uint8Array(0)))).toEqual([IAC, SB, O.GMCP, IAC, SE]);
  });

  it("property: the parser reads a built subnegotiation back unchanged", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 100 }), (option, payload) => {
        expect(new TelnetParser(defaultTelnetLimits).feed(subnegotiation(option, payload))).toEqual([
          { type: "subnegotiation", option, data: payload },
        ]);
      }),
      { seed: FC_SEED, numRuns: 200 },
    );
  });

  it("builds IAC <command>", () => {
    expect(Array.from(command(C.GA))).toEqual([IAC, C.GA]);
    expect(Array.from(command(C.NOP))).toEqual([IAC, C.NOP]);
  });

  it("refuses option and command numbers that are not bytes", () => {
    expect(() => negotiation("DO", 256)).toThrow(RangeError);
    expect(() => negotiation("DO", -1)).toThrow(RangeError);
    expect(() => subnegotiation(1.5, new Uint8Array(0))).toThrow(RangeError);
    expect(() => command(300)).toThrow(RangeError);
  });
});
