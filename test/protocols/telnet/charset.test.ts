import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Protocol } from "../../../src/reactor/interfaces.js";
import { CharsetOption, isUtf8Name, parseCharsetList, type CharsetOptions } from "../../../protocols/telnet/charset.js";
import { CharsetCommand as CS, TelnetCommand as C, TelnetOptionCode as O } from "../../../protocols/telnet/constants.js";
import type { OptionHost } from "../../../protocols/telnet/options.js";
import { TelnetProtocol, type TelnetProtocolOptions } from "../../../protocols/telnet/telnet-protocol.js";
import { FC_SEED, bytes, chunksOf, cutsArbitrary, everyChunkSize, splitAt } from "../line/chunks.js";
import { FakeTransport } from "./fake-transport.js";
import { defaultTelnetLimits } from "../../support/default-config.js";

const { IAC, SB, SE } = C;
const text = (payload: Uint8Array): string => String.fromCharCode(...payload);

/** The module alone, with a host that records what it sends and says. */
function setup(options: CharsetOptions = {}) {
  const sent: string[] = [];
  const errors: string[] = [];
  let changes = 0;
  const host: OptionHost = {
    sendSubnegotiation: (option, payload) => {
      expect(option).toBe(O.CHARSET);
      sent.push(`${payload[0]}:${text(payload.subarray(1))}`);
    },
    protocolError: (message) => errors.push(message),
    capabilitiesChanged: () => {
      changes += 1;
    },
  };
  const charset = new CharsetOption(host, options);
  const receive = (code: number, rest: string | number[] = ""): void => charset.onSubnegotiation(bytes([code], rest));
  return { charset, sent, errors, receive, changes: () => changes };
}

const REQUEST_UTF8 = `${CS.REQUEST}:;UTF-8`;
const REJECTED = `${CS.REJECTED}:`;

describe("parseCharsetList (RFC 2066 REQUEST)", () => {
  it("reads the separator from the first byte", () => {
    expect(parseCharsetList(bytes(";UTF-8;ISO-8859-1"))).toEqual(["UTF-8", "ISO-8859-1"]);
    expect(parseCharsetList(bytes(" UTF-8 US-ASCII"))).toEqual(["UTF-8", "US-ASCII"]);
    expect(parseCharsetList(bytes(";UTF-8"))).toEqual(["UTF-8"]);
  });

  it("skips a [TTABLE] marker and its version byte, and drops empty names", () => {
    expect(parseCharsetList(bytes("[TTABLE]", [1], ";KOI8-R;;UTF-8;"))).toEqual(["KOI8-R", "UTF-8"]);
  });

  it("has no list without a separator", () => {
    expect(parseCharsetList(new Uint8Array(0))).toBeUndefined();
    expect(parseCharsetList(bytes("[TTABLE]", [1]))).toBeUndefined();
    expect(parseCharsetList(bytes(";"))).toEqual([]);
  });

  it("takes a 0xFF separator (sent escaped, unescaped by the parser)", () => {
    expect(parseCharsetList(Uint8Array.from([0xff, ...bytes("UTF-8"), 0xff, ...bytes("CP437")]))).toEqual(["UTF-8", "CP437"]);
  });
});

describe("isUtf8Name", () => {
  it("is case-insensitive and takes the common UTF8 spelling", () => {
    for (const name of ["UTF-8", "utf-8", "Utf-8", "UTF8", " utf8 "]) expect(isUtf8Name(name), name).toBe(true);
    for (const name of ["UTF-16", "US-ASCII", "", "UTF-8;"]) expect(isUtf8Name(name), name).toBe(false);
  });
});

describe("CharsetOption (RFC 2066)", () => {
  it("asks for UTF-8 once our side is on, and not for the client's side", () => {
    const { charset, sent } = setup();
    charset.onChange("remote", true);
    expect(sent).toEqual([]);
    charset.onChange("local", true);
    expect(sent).toEqual([REQUEST_UTF8]);
    expect(charset.awaitingAnswer).toBe(true);
    expect(charset.utf8).toBeUndefined();
  });

  it("ACCEPTED UTF-8 (any spelling) makes utf8 true and reports the change once", () => {
    for (const name of ["UTF-8", "utf-8", "UTF8"]) {
      const { charset, receive, changes, errors } = setup();
      charset.onChange("local", true);
      receive(CS.ACCEPTED, name);
      expect(charset.utf8, name).toBe(true);
      expect(charset.awaitingAnswer).toBe(false);
      expect(changes()).toBe(1);
      expect(errors).toEqual([]);
    }
  });

  it("REJECTED (TinTin++ not set to UTF-8) makes utf8 false", () => {
    const { charset, receive, changes } = setup();
    charset.onChange("local", true);
    receive(CS.REJECTED);
    expect(charset.utf8).toBe(false);
    expect(changes()).toBe(1);
  });

  it("ACCEPTED naming a set we did not offer is an error, and means no UTF-8", () => {
    const { charset, receive, errors } = setup();
    charset.onChange("local", true);
    receive(CS.ACCEPTED, "ISO-8859-1");
    expect(charset.utf8).toBe(false);
    expect(errors).toHaveLength(1);
  });

  it("ignores ACCEPTED and REJECTED that answer nothing", () => {
    const { charset, receive, errors, changes } = setup();
    receive(CS.ACCEPTED, "UTF-8");
    receive(CS.REJECTED);
    charset.onChange("local", true);
    receive(CS.ACCEPTED, "UTF-8");
    receive(CS.REJECTED);
    expect(charset.utf8).toBe(true);
    expect(errors).toHaveLength(3);
    expect(changes()).toBe(1);
  });

  it("accepts a client's REQUEST that lists UTF-8, naming it as the client spelt it", () => {
    const { charset, sent, receive } = setup();
    charset.onChange("remote", true);
    receive(CS.REQUEST, " ISO-8859-1 utf-8 CP437");
    expect(sent).toEqual([`${CS.ACCEPTED}:utf-8`]);
    expect(charset.utf8).toBe(true);
  });

  it("rejects a client's REQUEST without UTF-8, and takes it as no UTF-8", () => {
    const { charset, sent, receive } = setup();
    charset.onChange("remote", true);
    receive(CS.REQUEST, ";ISO-8859-1;US-ASCII");
    expect(sent).toEqual([REJECTED]);
    expect(charset.utf8).toBe(false);
  });

  it("accepts UTF-8 from a [TTABLE] REQUEST without offering a table", () => {
    const { sent, receive } = setup();
    receive(CS.REQUEST, ["[TTABLE]".split("").map((c) => c.charCodeAt(0)), 1, ...bytes(";UTF-8")].flat());
    expect(sent).toEqual([`${CS.ACCEPTED}:UTF-8`]);
  });

  it("rejects a REQUEST with no list, and reports it", () => {
    const { sent, receive, errors, charset } = setup();
    receive(CS.REQUEST);
    expect(sent).toEqual([REJECTED]);
    expect(errors).toHaveLength(1);
    expect(charset.utf8).toBeUndefined();
  });

  it("when REQUESTs cross, rejects the client's and still waits for the answer to ours (RFC 2066)", () => {
    const { charset, sent, receive } = setup();
    charset.onChange("local", true);
    receive(CS.REQUEST, ";UTF-8");
    expect(sent).toEqual([REQUEST_UTF8, REJECTED]);
    expect(charset.utf8).toBeUndefined();
    expect(charset.awaitingAnswer).toBe(true);
    receive(CS.ACCEPTED, "UTF-8");
    expect(charset.utf8).toBe(true);
  });

  it("reports translation-table messages, unknown codes and an empty payload, and answers none", () => {
    const { charset, sent, receive, errors } = setup();
    for (const code of [CS.TTABLE_IS, CS.TTABLE_REJECTED, CS.TTABLE_ACK, CS.TTABLE_NAK, 0, 99]) receive(code);
    charset.onSubnegotiation(new Uint8Array(0));
    expect(sent).toEqual([]);
    expect(errors).toHaveLength(7);
  });

  it("does not ask again while a REQUEST is out; asks again after DONT and DO", () => {
    const { charset, sent } = setup();
    charset.onChange("local", true);
    charset.onChange("local", true);
    expect(sent).toEqual([REQUEST_UTF8]);
    charset.onChange("local", false);
    expect(charset.awaitingAnswer).toBe(false);
    charset.onChange("local", true);
    expect(sent).toEqual([REQUEST_UTF8, REQUEST_UTF8]);
  });

  it("T3: 10,000 client REQUESTs get at most maxMessages answers and one report", () => {
    const { sent, receive, errors } = setup({ maxMessages: 32 });
    for (let i = 0; i < 10_000; i += 1) receive(CS.REQUEST, ";UTF-8");
    expect(sent).toHaveLength(32);
    expect(errors).toHaveLength(1);
  });

  it("the cap covers our own REQUESTs too: no more than maxMessages in all", () => {
    const { charset, sent, receive } = setup({ maxMessages: 3 });
    for (let i = 0; i < 100; i += 1) {
      charset.onChange("local", true);
      receive(CS.REQUEST, ";KOI8-R");
      charset.onChange("local", false);
    }
    expect(sent).toHaveLength(3);
  });

  it("rejects a cap that is not a non-negative integer", () => {
    expect(() => setup({ maxMessages: -1 })).toThrow(RangeError);
    expect(() => setup({ maxMessages: 1.5 })).toThrow(RangeError);
  });
});

describe("CHARSET on a telnet connection", () => {
  const quiet: Protocol = { connectionMade: () => {}, dataReceived: () => {}, connectionLost: () => {} };
  function connect(options: Partial<TelnetProtocolOptions> = {}) {
    const errors: string[] = [];
    const telnet = new TelnetProtocol(quiet, { ...defaultTelnetLimits, onProtocolError: (message) => errors.push(message), ...options });
    const lower = new FakeTransport();
    lower.connect(telnet);
    return { telnet, lower, errors };
  }
  const sb = (...payload: Array<string | number[]>) => bytes([IAC, SB, O.CHARSET], ...payload, [IAC, SE]);
  const REQUEST_BYTES = Array.from(sb([CS.REQUEST], ";UTF-8"));

  it("offers WILL CHARSET at connect and sends REQUEST UTF-8 right after the client's DO (T1: nothing else)", () => {
    const { telnet, lower } = connect();
    const opening = Array.from(lower.value());
    expect(opening.filter((b, i) => b === IAC && opening[i + 1] === C.WILL && opening[i + 2] === O.CHARSET)).toHaveLength(1);
    lower.clear();
    telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.CHARSET));
    expect(Array.from(lower.value())).toEqual(REQUEST_BYTES);
    lower.clear();
    telnet.dataReceived(Uint8Array.of(IAC, C.DO, O.CHARSET));
    expect(Array.from(lower.value())).toEqual([]);
  });

  it("ACCEPTED UTF-8 shows in the capabilities; REJECTED shows as utf8 false", () => {
    const accepted = connect();
    accepted.telnet.dataReceived(bytes([IAC, C.DO, O.CHARSET], sb([CS.ACCEPTED], "UTF-8")));
    expect(accepted.telnet.capabilities.utf8).toBe(true);
    const rejected = connect();
    rejected.telnet.dataReceived(bytes([IAC, C.DO, O.CHARSET], sb([CS.REJECTED])));
    expect(rejected.telnet.capabilities.utf8).toBe(false);
  });

  it("ignores a REQUEST while CHARSET is off on both sides (RFC 855)", () => {
    const { telnet, lower } = connect();
    lower.clear();
    telnet.dataReceived(sb([CS.REQUEST], ";UTF-8"));
    expect(Array.from(lower.value())).toEqual([]);
  });

  it("answers a client that offers CHARSET itself and sends its own REQUEST", () => {
    const { telnet, lower } = connect();
    lower.clear();
    telnet.dataReceived(bytes([IAC, C.WILL, O.CHARSET], sb([CS.REQUEST], ";UTF-8;ISO-8859-1")));
    expect(Array.from(lower.value())).toEqual([IAC, C.DO, O.CHARSET, ...sb([CS.ACCEPTED], "UTF-8")]);
    expect(telnet.capabilities.utf8).toBe(true);
  });

  it("T3: a flood of REQUESTs is answered at most maxRepliesPerOption times", () => {
    const { telnet, lower, errors } = connect({ maxRepliesPerOption: 8 });
    telnet.dataReceived(Uint8Array.of(IAC, C.WILL, O.CHARSET));
    lower.clear();
    const one = sb([CS.REQUEST], ";UTF-8");
    const flood = new Uint8Array(one.length * 10_000);
    for (let i = 0; i < 10_000; i += 1) flood.set(one, i * one.length);
    telnet.dataReceived(flood);
    expect(lower.value().length).toBeLessThanOrEqual(8 * sb([CS.ACCEPTED], "UTF-8").length);
    expect(errors).toHaveLength(1);
  });

  describe("a Mudlet-like exchange fed whole, byte by byte and randomly split", () => {
    const input = bytes(
      [IAC, C.DO, O.CHARSET, IAC, C.DO, O.EOR],
      "look\r\n",
      sb([CS.ACCEPTED], "UTF-8"),
      [IAC, C.WILL, O.CHARSET],
      sb([CS.REQUEST], [0xff, 0xff], "utf-8", [0xff, 0xff], "CP437"),
    );
    function run(chunks: readonly Uint8Array[]) {
      const { telnet, lower, errors } = connect();
      for (const chunk of chunks) telnet.dataReceived(chunk);
      return { written: Array.from(lower.value()), caps: telnet.capabilities, errors };
    }
    const whole = run([input]);

    it("answers the same and learns the same", () => {
      expect(whole.caps.utf8).toBe(true);
      expect(whole.errors).toEqual([]);
      // The answer names the set as the client spelt it; its 0xFF separator is not echoed.
      expect(whole.written.slice(-sb([CS.ACCEPTED], "utf-8").length)).toEqual(Array.from(sb([CS.ACCEPTED], "utf-8")));
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
