/** The pure frame-to-events parser: line ends, limits, JSON shapes, and the out-of-band frames of the mudstandards.org forms. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WINDOW_SIZE_LIMITS } from "../../../protocols/telnet/naws.js";
import { parseTextFrame, readOobFrame, TextFrameReader, type InputEvent, type InputFrameOptions } from "../../../protocols/websocket/input-frames.js";

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

  it("T6: caps are clamped as NAWS is; width 0 is unknown, height 0 the default; fractions and negatives are text", () => {
    const { minWidth, maxWidth, minHeight, maxHeight } = WINDOW_SIZE_LIMITS;
    expect(parseTextFrame('{"t":"caps","width":0,"height":0}', json)).toEqual([{ type: "caps", width: undefined, height: 24 }]);
    expect(parseTextFrame('{"t":"caps","width":65535,"height":65535}', json)).toEqual([{ type: "caps", width: maxWidth, height: maxHeight }]);
    expect(parseTextFrame('{"t":"caps","width":1,"height":1}', json)).toEqual([{ type: "caps", width: minWidth, height: minHeight }]);
    // 255 and 256 straddle the byte boundary of the NAWS encoding.
    expect(parseTextFrame('{"t":"caps","width":255,"height":256}', json)).toEqual([{ type: "caps", width: 255, height: maxHeight }]);
    expect(parseTextFrame(`{"t":"caps","width":${maxWidth},"height":${maxHeight}}`, json)).toEqual([{ type: "caps", width: maxWidth, height: maxHeight }]);
    expect(parseTextFrame(`{"t":"caps","width":${maxWidth + 1},"height":6}`, json)).toEqual([{ type: "caps", width: maxWidth, height: 6 }]);
    expect(parseTextFrame('{"t":"caps","width":65536,"height":2}', json)[0]?.type).toBe("line");
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
        // A run of empty lines is one empty line (issue 5 item 3).
        const expected = lines.filter((l, i) => l !== "" || lines[i - 1] !== "");
        expect(events).toEqual(expected.map((l) => ({ type: "line", text: l })));
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

/** Reads `frames` with at most `maxEvents` events and `maxUnits` characters per step, as a connection spends its per-turn budget. */
function readInSteps(frames: readonly string[], maxEvents: number, maxUnits: number, options: InputFrameOptions = text): InputEvent[] {
  const reader = new TextFrameReader(options);
  const events: InputEvent[] = [];
  for (const frame of frames) {
    let at = 0;
    do {
      const step = reader.read(frame, at, maxEvents, maxUnits);
      expect(step.events.length).toBeLessThanOrEqual(maxEvents);
      // Every step moves on (an empty frame is done at once).
      expect(step.next > at || step.next === frame.length).toBe(true);
      events.push(...step.events);
      at = step.next;
    } while (at < frame.length);
  }
  return events;
}

describe("issue 5 item 3: floods of empty lines stall the loop before any limit bites", () => {
  it("a 64 KiB frame of line ends is one empty line, and so is a run of such frames", () => {
    const flood = "\n".repeat(65536);
    expect(parseTextFrame(flood, text)).toEqual([{ type: "line", text: "" }]);
    expect(parseTextFrame("\r\n".repeat(30000), text)).toEqual([{ type: "line", text: "" }]);
    expect(readInSteps([flood, flood, "", "look", "", "\n\n"], 1, 1 << 20)).toEqual([
      { type: "line", text: "" },
      { type: "line", text: "look" },
      { type: "line", text: "" },
    ]);
  });

  it("reading a frame a budget at a time gives the events of reading it at once", () => {
    const frames = ["one\ntwo\r\n\r\n\nthree\rfour\n", "\n", "", "x".repeat(3000) + "\nok", "a\r\n\r\nb\r\r\n", "{\"t\":\"caps\",\"width\":90,\"height\":20}"];
    for (const options of [text, json]) {
      const whole = readInSteps(frames, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, options);
      for (const maxEvents of [1, 2, 3]) {
        for (const maxUnits of [1, 2, 5, 1 << 20]) {
          expect(readInSteps(frames, maxEvents, maxUnits, options), `${maxEvents}/${maxUnits}`).toEqual(whole);
        }
      }
    }
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom("a", "b", " ", "\n", "\r", "é"), { maxLength: 30 }).map((c) => c.join("")), { maxLength: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        (frames, maxEvents, maxUnits) => {
          const whole = readInSteps(frames, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
          expect(readInSteps(frames, maxEvents, maxUnits)).toEqual(whole);
          // Without the collapse, the frames mean what parseTextFrame always meant.
          const plain = frames.flatMap((f) => parseTextFrame(f, text));
          expect(whole.filter((e) => e.type !== "line" || e.text !== "")).toEqual(plain.filter((e) => e.type !== "line" || e.text !== ""));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("readOobFrame: the text frames of gmcp.mudstandards.org and json.mudstandards.org", () => {
  it("gmcp.: a text frame is one GMCP message, never a command", () => {
    expect(readOobFrame("gmcp", 'Core.Supports.Set ["Room 1"]')).toEqual({ type: "gmcp", name: "Core.Supports.Set", data: ["Room 1"] });
    expect(readOobFrame("gmcp", "Core.Ping")).toEqual({ type: "gmcp", name: "Core.Ping", data: undefined });
    expect(readOobFrame("gmcp", "look").type).toBe("ignored");
    expect(readOobFrame("gmcp", "Core.Hello {client:1}").type).toBe("ignored");
  });

  it("json.: a GMCP envelope is a GMCP message; a NAWS envelope is a size report, clamped as NAWS is (T6)", () => {
    expect(readOobFrame("json", '{"proto":"gmcp","id":"Core.Ping","data":""}')).toEqual({ type: "gmcp", name: "Core.Ping", data: undefined });
    const naws = (w: number, h: number): string => JSON.stringify({ proto: "telnet_31", id: "NAWS", data: Buffer.from([w >> 8, w & 255, h >> 8, h & 255]).toString("base64") });
    expect(readOobFrame("json", naws(132, 40))).toEqual({ type: "caps", width: 132, height: 40 });
    expect(readOobFrame("json", naws(0, 0))).toEqual({ type: "caps", width: undefined, height: 24 });
    expect(readOobFrame("json", naws(65535, 1))).toEqual({ type: "caps", width: WINDOW_SIZE_LIMITS.maxWidth, height: WINDOW_SIZE_LIMITS.minHeight });
    expect(readOobFrame("json", "look").type).toBe("ignored");
  });
});
