import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeGmcp, decodeGmcpText, encodeGmcp, encodeGmcpText } from "../../../protocols/gmcp/gmcp-message.js";
import { bytes, FC_SEED } from "../line/chunks.js";

describe("GMCP text form: Package.Message <json>", () => {
  it("reads a name and a JSON body", () => {
    expect(decodeGmcp(bytes('Core.Hello { "client": "Mudlet", "version": "4.17.2" }'))).toEqual({
      ok: true,
      message: { name: "Core.Hello", data: { client: "Mudlet", version: "4.17.2" } },
    });
    expect(decodeGmcpText('Core.Supports.Set ["Char 1","Room 1"]')).toEqual({
      ok: true,
      message: { name: "Core.Supports.Set", data: ["Char 1", "Room 1"] },
    });
  });

  it("reads a message without a body, and any JSON value as a body", () => {
    expect(decodeGmcpText("Core.Ping")).toEqual({ ok: true, message: { name: "Core.Ping", data: undefined } });
    expect(decodeGmcpText("Core.Ping   ")).toEqual({ ok: true, message: { name: "Core.Ping", data: undefined } });
    expect(decodeGmcpText("Core.Ping 120")).toEqual({ ok: true, message: { name: "Core.Ping", data: 120 } });
    expect(decodeGmcpText('Comm.Channel.Enable "chat"')).toEqual({ ok: true, message: { name: "Comm.Channel.Enable", data: "chat" } });
    expect(decodeGmcpText("Char.Items.Inv null")).toEqual({ ok: true, message: { name: "Char.Items.Inv", data: null } });
  });

  it("accepts a tab or a line end between name and body", () => {
    expect(decodeGmcpText('Core.Hello\t{"client":"x"}')).toMatchObject({ ok: true, message: { data: { client: "x" } } });
    expect(decodeGmcpText('Core.Hello\n{"client":"x"}\n')).toMatchObject({ ok: true, message: { data: { client: "x" } } });
  });

  it("refuses names that are not dotted words, or too long", () => {
    for (const text of ["", " Core.Hello {}", "Core", "core.", ".Hello", "1Core.Hello", "Core..Hello", "Core.Hel/lo {}", "Córe.Hello {}", `A.${"b".repeat(63)}`]) {
      const decoded = decodeGmcpText(text);
      expect(decoded.ok, text).toBe(false);
      if (!decoded.ok) expect(decoded.error).toBe("bad-name");
    }
    expect(decodeGmcpText(`A.${"b".repeat(62)}`).ok).toBe(true);
  });

  it("refuses a body that is not JSON, without quoting it back", () => {
    for (const body of ["{", "{client: 1}", "'x'", "[1,]", "{} {}", "\u0000"]) {
      const decoded = decodeGmcpText(`Core.Hello ${body}`);
      expect(decoded).toMatchObject({ ok: false, error: "bad-json" });
      if (!decoded.ok) expect(decoded.detail).toBe("Core.Hello: the body is not JSON");
    }
  });

  it("reads invalid UTF-8 as U+FFFD, as the line layer does", () => {
    expect(decodeGmcp(bytes("Comm.X {\"a\":\"", [0xff], "\"}"))).toEqual({ ok: true, message: { name: "Comm.X", data: { a: "\uFFFD" } } });
  });

  it("writes name and JSON with one space, just the name without data, UTF-8 throughout", () => {
    expect(encodeGmcpText("Core.Ping", undefined)).toBe("Core.Ping");
    expect(encodeGmcpText("Char.Name", { name: "Zoë", fullname: "Zoë" })).toBe('Char.Name {"name":"Zoë","fullname":"Zoë"}');
    expect(Array.from(encodeGmcp("Comm.Channel.Text", { text: "☃" }))).toEqual(Array.from(bytes('Comm.Channel.Text {"text":"☃"}')));
  });

  it("property: whatever is encoded decodes to the same message", () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}(\.[A-Za-z0-9_-]{1,8}){1,3}$/);
    fc.assert(
      fc.property(name, fc.option(fc.jsonValue(), { nil: undefined }), (n, data) => {
        // JSON has no -0: it reads back as 0.
        const expected = data === undefined ? undefined : JSON.parse(JSON.stringify(data));
        expect(decodeGmcp(encodeGmcp(n, data))).toEqual({ ok: true, message: { name: n, data: expected } });
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  it("property: never throws, whatever the bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (payload) => {
        expect(() => decodeGmcp(payload)).not.toThrow();
      }),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});
