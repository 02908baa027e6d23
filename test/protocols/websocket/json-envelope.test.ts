/** The `json.mudstandards.org` envelope, `{"proto","id","data"}`: GMCP and NAWS in, GMCP out. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatGmcpEnvelope, parseEnvelope } from "../../../protocols/websocket/json-envelope.js";

describe("json.mudstandards.org envelopes", () => {
  it("reads a GMCP envelope whose data is JSON text, as the spec's own example", () => {
    const example = { proto: "gmcp", id: "Core.Hello", data: '{"Client": "Mudterm", "Version": "0.2.0"}' };
    expect(parseEnvelope(JSON.stringify(example))).toEqual({ type: "gmcp", message: { name: "Core.Hello", data: { Client: "Mudterm", Version: "0.2.0" } } });
  });

  it("takes empty or missing data as no payload, and data that is already JSON as the payload", () => {
    expect(parseEnvelope('{"proto":"gmcp","id":"Core.Ping","data":""}')).toEqual({ type: "gmcp", message: { name: "Core.Ping", data: undefined } });
    expect(parseEnvelope('{"proto":"gmcp","id":"Core.Ping"}')).toEqual({ type: "gmcp", message: { name: "Core.Ping", data: undefined } });
    expect(parseEnvelope('{"proto":"gmcp","id":"Core.Supports.Set","data":["Room 1"]}')).toEqual({
      type: "gmcp",
      message: { name: "Core.Supports.Set", data: ["Room 1"] },
    });
  });

  it("reads a NAWS envelope (telnet option 31): the four bytes, or the whole subnegotiation with 255 doubled", () => {
    const payload = Buffer.from([0, 132, 0, 40]).toString("base64");
    expect(parseEnvelope(JSON.stringify({ proto: "telnet_31", id: "NAWS", data: payload }))).toEqual({ type: "naws", width: 132, height: 40 });
    const whole = Buffer.from([255, 250, 31, 0, 255, 255, 1, 0, 255, 240]).toString("base64");
    expect(parseEnvelope(JSON.stringify({ proto: "telnet_31", data: whole }))).toEqual({ type: "naws", width: 255, height: 256 });
  });

  it("ignores, with a reason, what it cannot read", () => {
    const cases = [
      "look",
      "[1,2]",
      "null",
      '{"id":"Core.Ping","data":""}',
      '{"proto":"gmcp","id":"look","data":""}',
      '{"proto":"gmcp","id":"Char.Vitals","data":"{hp:1}"}',
      '{"proto":"telnet_31","data":"not base64!"}',
      `{"proto":"telnet_31","data":"${Buffer.from([1, 2, 3]).toString("base64")}"}`,
      '{"proto":"coffeemud","id":"login","data":"..."}',
    ];
    for (const text of cases) expect(parseEnvelope(text).type, text).toBe("ignored");
  });

  it("writes a GMCP envelope with data as JSON text, \"\" for none", () => {
    expect(JSON.parse(formatGmcpEnvelope("Room.Info", { num: 3 }) ?? "")).toEqual({ proto: "gmcp", id: "Room.Info", data: '{"num":3}' });
    expect(JSON.parse(formatGmcpEnvelope("Core.Ping", undefined) ?? "")).toEqual({ proto: "gmcp", id: "Core.Ping", data: "" });
    expect(formatGmcpEnvelope("X.Y", 1n)).toBeUndefined();
  });

  it("never throws, and every GMCP envelope it writes it reads back (property, fixed seed)", () => {
    const envelopes = fc
      .record({ proto: fc.constantFrom("gmcp", "telnet_31", "GMCP"), id: fc.string(), data: fc.oneof(fc.string(), fc.jsonValue()) })
      .map((r) => JSON.stringify(r));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), envelopes), (text) => {
        expect(() => parseEnvelope(text)).not.toThrow();
      }),
      { seed: 8, numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,10}(\.[A-Za-z0-9_-]{1,10}){1,3}$/), fc.option(fc.jsonValue(), { nil: undefined }), (name, data) => {
        const read = parseEnvelope(formatGmcpEnvelope(name, data) ?? "");
        expect(read.type).toBe("gmcp");
        // Through JSON, as a client sees it (-0 becomes 0).
        if (read.type === "gmcp") expect([read.message.name, JSON.stringify(read.message.data)]).toEqual([name, JSON.stringify(data)]);
      }),
      { seed: 8 },
    );
  });
});
