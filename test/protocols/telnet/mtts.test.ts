import { describe, expect, it } from "vitest";
import type { Protocol } from "../../../src/reactor/interfaces.js";
import { CharsetCommand as CS, TelnetCommand as C, TelnetOptionCode as O, TtypeQualifier } from "../../../protocols/telnet/constants.js";
import { MttsBit, clientCapabilities, readMtts, utf8From } from "../../../protocols/telnet/mtts.js";
import { TelnetProtocol, type TerminalCapabilities } from "../../../protocols/telnet/telnet-protocol.js";
import { bytes } from "../line/chunks.js";
import { FakeTransport } from "./fake-transport.js";
import { defaultTelnetLimits } from "../../support/default-config.js";

const { IAC, SB, SE } = C;

describe("readMtts", () => {
  it("reads the bits Loom acts on", () => {
    expect(readMtts(0)).toEqual({ ansi: false, utf8: false, screenReader: false, tls: false });
    expect(readMtts(MttsBit.ANSI)).toEqual({ ansi: true, utf8: false, colour: "16", screenReader: false, tls: false });
    expect(readMtts(1 + 4 + 8)).toEqual({ ansi: true, utf8: true, colour: "256", screenReader: false, tls: false });
    expect(readMtts(1 + 8 + 256)).toMatchObject({ colour: "truecolor" });
    expect(readMtts(64)).toMatchObject({ screenReader: true, ansi: false });
    expect(readMtts(2048)).toMatchObject({ tls: true });
  });

  it("reads typical bitvectors, and Blightmud's default 271", () => {
    // 2825 = 1 + 8 + 256 + 512 + 2048: ANSI, 256 colours, truecolour, MNES, TLS; no UTF-8.
    expect(readMtts(2825)).toEqual({ ansi: true, utf8: false, colour: "truecolor", screenReader: false, tls: true });
    // 2349 = 1 + 4 + 8 + 32 + 256 + 2048; 271 = 1 + 2 + 4 + 8 + 256.
    expect(readMtts(2349)).toEqual({ ansi: true, utf8: true, colour: "truecolor", screenReader: false, tls: true });
    expect(readMtts(271)).toEqual({ ansi: true, utf8: true, colour: "truecolor", screenReader: false, tls: false });
  });

  it("ignores bits it has no use for", () => {
    const all = Object.values(MttsBit).reduce((sum, bit) => sum | bit, 0);
    expect(readMtts(all | (1 << 20))).toEqual({ ansi: true, utf8: true, colour: "truecolor", screenReader: true, tls: true });
  });
});

describe("utf8From: CHARSET's answer folded with the MTTS UTF-8 bit", () => {
  it.each([
    // charset, mtts, expected
    [true, undefined, true],
    [true, 1, true],
    [false, 1 + 4, true],
    [false, 1, false],
    [false, undefined, false],
    [undefined, 4, true],
    [undefined, 1, undefined],
    [undefined, undefined, undefined],
  ] as const)("charset %s, MTTS %s: %s", (charset, mtts, expected) => {
    expect(utf8From(charset, mtts)).toBe(expected);
  });
});

describe("clientCapabilities", () => {
  const base: TerminalCapabilities = { width: 100, height: 40 };

  it("without MTTS: ANSI is assumed and nothing else is claimed", () => {
    expect(clientCapabilities(base)).toEqual({ ansi: true, width: 100, height: 40 });
    expect(clientCapabilities({ ...base, client: "XTERM", utf8: false })).toEqual({
      ansi: true,
      width: 100,
      height: 40,
      client: "XTERM",
      utf8: false,
    });
  });

  it("with MTTS: ANSI, colour depth, screen reader and TLS from the bits", () => {
    expect(clientCapabilities({ ...base, client: "MUDLET", mtts: 1 + 4 + 8 + 64 + 256 + 2048, utf8: true })).toEqual({
      ansi: true,
      width: 100,
      height: 40,
      client: "MUDLET",
      colour: "truecolor",
      utf8: true,
      screenReader: true,
      tls: true,
    });
    expect(clientCapabilities({ ...base, mtts: 64 })).toEqual({
      ansi: false,
      width: 100,
      height: 40,
      screenReader: true,
      tls: false,
    });
  });
});

describe("MTTS and CHARSET on a telnet connection", () => {
  const quiet: Protocol = { connectionMade: () => {}, dataReceived: () => {}, connectionLost: () => {} };
  function connect() {
    const caps: TerminalCapabilities[] = [];
    const telnet = new TelnetProtocol(quiet, { ...defaultTelnetLimits, onCapabilities: (c) => caps.push(c) });
    new FakeTransport().connect(telnet);
    return { telnet, caps };
  }
  const is = (name: string) => bytes([IAC, SB, O.TTYPE, TtypeQualifier.IS], name, [IAC, SE]);
  const charset = (...payload: Array<string | number[]>) => bytes([IAC, SB, O.CHARSET], ...payload, [IAC, SE]);
  const ttypeCycle = (mtts: number) =>
    bytes([IAC, C.WILL, O.TTYPE], is("TINTIN++"), is("XTERM-256COLOR"), is(`MTTS ${mtts}`), is(`MTTS ${mtts}`));

  it("a TinTin++ not set to UTF-8 rejects CHARSET and lacks the MTTS bit: ASCII, and told so once it changes", () => {
    const { telnet, caps } = connect();
    telnet.dataReceived(bytes([IAC, C.DO, O.CHARSET], charset([CS.REJECTED]), ttypeCycle(1 + 8 + 256)));
    expect(telnet.capabilities.utf8).toBe(false);
    expect(clientCapabilities(telnet.capabilities)).toMatchObject({ ansi: true, colour: "truecolor", utf8: false });
    // Reported with the rejection, then with each new TTYPE name.
    expect(caps.map((c) => c.utf8)).toEqual([false, false, false, false]);
  });

  it("a rejected CHARSET falls back to the MTTS UTF-8 bit", () => {
    const { telnet } = connect();
    telnet.dataReceived(bytes([IAC, C.DO, O.CHARSET], charset([CS.REJECTED])));
    expect(telnet.capabilities.utf8).toBe(false);
    telnet.dataReceived(ttypeCycle(1 + 4));
    expect(telnet.capabilities.utf8).toBe(true);
  });

  it("an accepted CHARSET is UTF-8 whatever MTTS says", () => {
    const { telnet } = connect();
    telnet.dataReceived(bytes(ttypeCycle(1), [IAC, C.DO, O.CHARSET], charset([CS.ACCEPTED], "UTF-8")));
    expect(telnet.capabilities).toEqual({ width: 80, height: 24, client: "TINTIN++", mtts: 1, utf8: true });
  });

  it("MTTS without CHARSET says nothing about UTF-8 unless its bit is set", () => {
    const plain = connect();
    plain.telnet.dataReceived(ttypeCycle(1 + 8));
    expect(plain.telnet.capabilities.utf8).toBeUndefined();
    const utf8 = connect();
    utf8.telnet.dataReceived(ttypeCycle(1 + 4 + 8));
    expect(utf8.telnet.capabilities.utf8).toBe(true);
  });
});
