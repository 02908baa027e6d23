/** The pure frame-to-events parser: line ends, limits, JSON shapes. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTextFrame } from "../../../protocols/websocket/input-frames.js";

const text = { json: false, maxLineBytes: 2048 } as const;
const json = { json: true, maxLineBytes: 2048 } as const;

describe("parseTextFrame", () => {
  it("strips exactly one trailing line end", () => {
    expect(parseTextFrame("look\n", text)).toEqual([{ type: "line", text: "look" }]);
    expect(parseTextFrame("look\r\n", text)).toEqual([{ type: "line", text: "look" }]);
    expect(parseTextFrame("look\n\n", text)).toEqual([
      { type: "line", text: "look" },
      { type: "line", text: "" },
    ]);
  });

  it("L5: CR LF, LF and bare CR each end exactly one line", () => {
    expect(parseTextFrame("a\r\nb\nc\rd", text).map((e) => (e.type === "line" ? e.text : "?"))).toEqual(["a", "b", "c", "d"]);
  });

  it("an empty frame is one empty command (pressing Enter)", () => {
    expect(parseTextFrame("", text)).toEqual([{ type: "line", text: "" }]);
  });

  it("L2: refuses a line one byte past the limit, counting UTF-8 bytes", () => {
    const opts = { json: false, maxLineBytes: 8 };
    expect(parseTextFrame("12345678", opts)).toEqual([{ type: "line", text: "12345678" }]);
    expect(parseTextFrame("123456789", opts)).toEqual([{ type: "line-too-long", bytes: 9 }]);
    expect(parseTextFrame("😀😀", opts)).toEqual([{ type: "line", text: "😀😀" }]);
    expect(parseTextFrame("😀😀a", opts)).toEqual([{ type: "line-too-long", bytes: 9 }]);
    expect(parseTextFrame("ok\n123456789\nok", opts).map((e) => e.type)).toEqual(["line", "line-too-long", "line"]);
  });

  it("reads the oob and caps shapes only when json is on", () => {
    const oob = '{"t":"oob","channel":"Core.Hello","data":{"v":1}}';
    expect(parseTextFrame(oob, json)).toEqual([{ type: "oob", channel: "Core.Hello", data: { v: 1 } }]);
    expect(parseTextFrame(oob, text)).toEqual([{ type: "line", text: oob }]);
    expect(parseTextFrame('{"t":"caps","width":100,"height":30}', json)).toEqual([{ type: "caps", width: 100, height: 30 }]);
  });

  it("T6-style caps: 0 means the default, huge sizes are clamped, fractions and negatives are text", () => {
    expect(parseTextFrame('{"t":"caps","width":0,"height":0}', json)).toEqual([{ type: "caps", width: 80, height: 24 }]);
    expect(parseTextFrame('{"t":"caps","width":65535,"height":65535}', json)).toEqual([{ type: "caps", width: 1000, height: 1000 }]);
    expect(parseTextFrame('{"t":"caps","width":1.5,"height":2}', json)[0]?.type).toBe("line");
    expect(parseTextFrame('{"t":"caps","width":-1,"height":2}', json)[0]?.type).toBe("line");
  });

  it("an oob frame needs a data key (null will do) and a channel name of 1 to 64 characters", () => {
    expect(parseTextFrame('{"t":"oob","channel":"X","data":null}', json)).toEqual([{ type: "oob", channel: "X", data: null }]);
    expect(parseTextFrame('{"t":"oob","channel":"X"}', json)[0]?.type).toBe("line");
    expect(parseTextFrame('{"t":"oob","channel":"","data":1}', json)[0]?.type).toBe("line");
    expect(parseTextFrame(JSON.stringify({ t: "oob", channel: "c".repeat(65), data: 1 }), json)[0]?.type).toBe("line");
  });

  it("never throws, and lines without line ends come back as they went in (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme" }).map((s) => s.replace(/[\r\n]/g, "")), { minLength: 1, maxLength: 8 }), fc.boolean(), (lines, useJson) => {
        const events = parseTextFrame(`${lines.join("\n")}\n`, { json: useJson, maxLineBytes: 1 << 20 });
        if (events.length === 1 && events[0]?.type !== "line") return; // a line that happens to be an oob/caps object
        expect(events).toEqual(lines.map((l) => ({ type: "line", text: l })));
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.boolean(), fc.integer({ min: 1, max: 64 }), (s, useJson, max) => {
        const events = parseTextFrame(s, { json: useJson, maxLineBytes: max });
        for (const e of events) if (e.type === "line") expect(Buffer.byteLength(e.text)).toBeLessThanOrEqual(max);
      }),
    );
  });
});
