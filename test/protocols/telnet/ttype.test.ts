import { describe, expect, it } from "vitest";
import { TelnetOptionCode as O, TtypeQualifier } from "../../../protocols/telnet/constants.js";
import type { OptionHost } from "../../../protocols/telnet/options.js";
import { MAX_TERMINAL_NAME_LENGTH, TtypeOption, type TtypeOptions } from "../../../protocols/telnet/ttype.js";
import { bytes } from "../line/chunks.js";

function setup(options: TtypeOptions = {}) {
  const record = { sends: 0, errors: [] as string[], changes: 0 };
  const host: OptionHost = {
    sendSubnegotiation: (option, payload) => {
      expect(option).toBe(O.TTYPE);
      expect(Array.from(payload)).toEqual([TtypeQualifier.SEND]);
      record.sends += 1;
    },
    protocolError: (message) => record.errors.push(message),
    capabilitiesChanged: () => {
      record.changes += 1;
    },
  };
  const ttype = new TtypeOption(host, options);
  const is = (name: string | number[]) => ttype.onSubnegotiation(bytes([TtypeQualifier.IS], name));
  return { ttype, record, is };
}

describe("TTYPE with MTTS cycling (hardening T7)", () => {
  it("asks once the client agrees, and cycles until the client repeats a name", () => {
    const { ttype, record, is } = setup();
    ttype.onChange("remote", true);
    expect(record.sends).toBe(1);
    is("Mudlet");
    is("XTERM-256COLOR");
    is("MTTS 2825");
    expect(record.sends).toBe(4);
    is("MTTS 2825");
    expect(record.sends).toBe(4);
    expect(ttype.finished).toBe(true);
    expect(ttype.client).toBe("MUDLET");
    expect(ttype.names).toEqual(["MUDLET", "XTERM-256COLOR", "MTTS 2825"]);
    expect(ttype.mtts).toBe(2825);
    expect(record.changes).toBe(3);
  });

  it("stops after two rounds for a plain client that has one name", () => {
    const { ttype, record, is } = setup();
    ttype.onChange("remote", true);
    is("xterm");
    is("xterm");
    expect(record.sends).toBe(2);
    expect(ttype.finished).toBe(true);
    expect(ttype.names).toEqual(["XTERM"]);
    expect(ttype.mtts).toBeUndefined();
  });

  it("stops when an RFC 1091 client cycles back to its first name", () => {
    const { ttype, record, is } = setup({ maxRounds: 10 });
    ttype.onChange("remote", true);
    is("VT100");
    is("ANSI");
    is("VT100");
    expect(record.sends).toBe(3);
    expect(ttype.finished).toBe(true);
  });

  it("gives up after maxRounds for a client that never repeats", () => {
    const { ttype, record, is } = setup();
    ttype.onChange("remote", true);
    for (let i = 0; i < 10; i += 1) is(`NAME${i}`);
    expect(record.sends).toBe(4);
    expect(ttype.finished).toBe(true);
    expect(ttype.names).toEqual(["NAME0", "NAME1", "NAME2", "NAME3"]);
  });

  it("ignores IS it did not ask for", () => {
    const { ttype, record, is } = setup();
    is("SPAM");
    expect(ttype.names).toEqual([]);
    ttype.onChange("remote", true);
    is("XTERM");
    is("XTERM");
    expect(ttype.finished).toBe(true);
    is("SPAM");
    expect(ttype.names).toEqual(["XTERM"]);
    expect(record.sends).toBe(2);
  });

  it("treats an empty name as the end of the list", () => {
    const { ttype, record, is } = setup();
    ttype.onChange("remote", true);
    is("");
    expect(ttype.finished).toBe(true);
    expect(ttype.client).toBeUndefined();
    expect(record.sends).toBe(1);
  });

  it("keeps only printable ASCII, trims, upper-cases and truncates names", () => {
    const { ttype, is } = setup();
    ttype.onChange("remote", true);
    is([0x1b, ...bytes("[31mxterm\r\n"), 0xff, 0x07]);
    expect(ttype.client).toBe("[31MXTERM");
    is("a".repeat(500));
    expect(ttype.names[1]).toBe("A".repeat(MAX_TERMINAL_NAME_LENGTH));
  });

  it("reports a subnegotiation that is not IS", () => {
    const { ttype, record } = setup();
    ttype.onChange("remote", true);
    ttype.onSubnegotiation(Uint8Array.of(TtypeQualifier.SEND));
    ttype.onSubnegotiation(new Uint8Array(0));
    expect(record.errors).toHaveLength(2);
  });

  it("asks again if TTYPE is switched off and on while a SEND was unanswered, within the round cap", () => {
    const { ttype, record } = setup({ maxRounds: 2 });
    ttype.onChange("remote", true);
    ttype.onChange("remote", false);
    ttype.onChange("remote", true);
    ttype.onChange("remote", false);
    ttype.onChange("remote", true);
    expect(record.sends).toBe(2);
    expect(ttype.finished).toBe(true);
  });

  it("ignores our own side, which it never enables", () => {
    const { ttype, record } = setup();
    ttype.onChange("local", true);
    expect(record.sends).toBe(0);
  });

  it("rejects a round cap that is not a positive integer", () => {
    expect(() => setup({ maxRounds: 0 })).toThrow(RangeError);
  });
});
