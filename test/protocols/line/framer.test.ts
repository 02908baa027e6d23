import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  LineFramer,
  looksLikeHttp,
  type FramerEvent,
  type LineFramerOptions,
} from "../../../protocols/line/framer.js";
import { FC_SEED, bytes, chunksOf, cutsArbitrary, everyChunkSize, splitAt } from "./chunks.js";
import { defaultLimits } from "../../support/default-config.js";

/** The shipped limits: `limits.maxLineBytes` (L2) and `limits.maxInputBufferBytes` (L3). */
const LIMITS: LineFramerOptions = { maxLineBytes: defaultLimits.maxLineBytes, maxBufferBytes: defaultLimits.maxInputBufferBytes };

interface Run {
  readonly events: FramerEvent[];
  /** Largest `bufferedBytes` seen after any feed. */
  readonly maxBuffered: number;
}

function run(chunks: readonly Uint8Array[], options: Partial<LineFramerOptions> = {}): Run {
  const framer = new LineFramer({ ...LIMITS, ...options });
  const events: FramerEvent[] = [];
  let maxBuffered = 0;
  for (const chunk of chunks) {
    events.push(...framer.feed(chunk));
    maxBuffered = Math.max(maxBuffered, framer.bufferedBytes);
  }
  return { events, maxBuffered };
}

function lines(...texts: string[]): FramerEvent[] {
  return texts.map((text) => ({ type: "line", text }));
}

/**
 * Feeds `input` whole, at every chunk size down to one byte (or at `sizes` for big inputs), and
 * under seeded random splits; every way must give `expected` (hardening L7).
 */
function expectEverySplit(
  input: Uint8Array,
  expected: FramerEvent[],
  options: Partial<LineFramerOptions> = {},
  sizes: number[] = everyChunkSize(input),
): void {
  const cap = Math.min(
    options.maxBufferBytes ?? LIMITS.maxBufferBytes,
    options.maxLineBytes ?? LIMITS.maxLineBytes,
  );
  expect(run([input], options).events).toEqual(expected);
  for (const size of sizes) {
    const result = run(chunksOf(input, size), options);
    expect(result.events, `chunk size ${size}`).toEqual(expected);
    expect(result.maxBuffered).toBeLessThanOrEqual(cap);
  }
  fc.assert(
    fc.property(cutsArbitrary, (cuts) => {
      const result = run(splitAt(input, cuts), options);
      expect(result.events).toEqual(expected);
      expect(result.maxBuffered).toBeLessThanOrEqual(cap);
    }),
    { seed: FC_SEED, numRuns: 100 },
  );
}

const EMOJI = "\u{1F600}"; // F0 9F 98 80: four bytes

describe("LineFramer", () => {
  it("frames a plain command", () => {
    expectEverySplit(bytes("look\r\n"), lines("look"));
  });

  describe("L5: CR LF, bare LF, CR NUL and bare CR each end exactly one line", () => {
    it("handles all four line ends in one stream", () => {
      expectEverySplit(bytes("crlf\r\nlf\ncrnul\r", [0], "cr\rlast\n"), lines("crlf", "lf", "crnul", "cr", "last"));
    });

    it("joins a CR at the end of one chunk with a LF at the start of the next", () => {
      expect(run([bytes("north\r"), bytes("\nsouth\n")]).events).toEqual(lines("north", "south"));
    });

    it("joins a CR at the end of one chunk with a NUL at the start of the next", () => {
      expect(run([bytes("north\r"), bytes([0], "south\n")]).events).toEqual(lines("north", "south"));
    });

    it("keeps the CR pending across an empty chunk", () => {
      expect(run([bytes("north\r"), new Uint8Array(0), bytes("\nsouth\n")]).events).toEqual(
        lines("north", "south"),
      );
    });

    it("treats a bare CR followed by text as a line end", () => {
      expect(run([bytes("north\r"), bytes("south\n")]).events).toEqual(lines("north", "south"));
    });

    it("yields one empty line for a run of blank lines (issue 5 item 3), whatever the line ends", () => {
      expectEverySplit(bytes("\n\r\n\r\r", [0], "\n\r"), lines(""));
      expectEverySplit(bytes("a\n\n\r\nb\r\n\r\n\nc\n"), lines("a", "", "b", "", "c"));
    });

    it("counts LF CR as two line ends (only CR absorbs what follows)", () => {
      expectEverySplit(bytes("a\n\rb\n"), lines("a", "", "b"));
    });

    it("keeps a NUL that does not follow CR as part of the line", () => {
      expectEverySplit(bytes("a", [0], "b\n"), lines("a\u0000b"));
    });
  });

  describe("L1: multi-byte characters split across writes", () => {
    it("decodes a 4-byte emoji split at every byte without U+FFFD", () => {
      const input = bytes(`say ${EMOJI} hi\r\n`);
      expectEverySplit(input, lines(`say ${EMOJI} hi`));
      // The emoji's own bytes, each in its own write.
      const result = run([bytes("say "), bytes([0xf0]), bytes([0x9f]), bytes([0x98]), bytes([0x80]), bytes("\n")]);
      expect(result.events).toEqual(lines(`say ${EMOJI}`));
      expect(JSON.stringify(result.events)).not.toContain("\\ufffd");
    });

    it("decodes accented text sent one character at a time", () => {
      const text = "déjà vu ☃ ünïcödé";
      const chunks = [...text].map((char) => bytes(char));
      expect(run([...chunks, bytes("\n")]).events).toEqual(lines(text));
    });
  });

  describe("L2: lines over maxLineBytes", () => {
    it("accepts a line at the limit, refuses one past it, and keeps going", () => {
      const atLimit = "a".repeat(LIMITS.maxLineBytes);
      const pastLimit = "b".repeat(LIMITS.maxLineBytes + 1);
      const input = bytes(`${atLimit}\n${pastLimit}\r\nlook\n`);
      expectEverySplit(
        input,
        [
          { type: "line", text: atLimit },
          { type: "line-too-long", bytes: LIMITS.maxLineBytes + 1 },
          { type: "line", text: "look" },
        ],
        {},
        [input.length, 4097, 2049, 2048, 1000, 7, 3, 2, 1],
      );
    });

    it("measures the limit in bytes, not characters", () => {
      // 4 emoji = 16 bytes: at a 16-byte limit they fit, at 15 they do not.
      const input = bytes(`${EMOJI.repeat(4)}\n`);
      expectEverySplit(input, lines(EMOJI.repeat(4)), { maxLineBytes: 16 });
      expectEverySplit(input, [{ type: "line-too-long", bytes: 16 }], { maxLineBytes: 15 });
    });

    it("does not keep the bytes of a line it already knows is too long", () => {
      const framer = new LineFramer({ maxLineBytes: 8, maxBufferBytes: 1000 });
      expect(framer.feed(bytes("12345678"))).toEqual([]);
      expect(framer.bufferedBytes).toBe(8);
      expect(framer.feed(bytes("9"))).toEqual([]);
      expect(framer.bufferedBytes).toBe(0);
      expect(framer.feed(bytes("0".repeat(500), "\nok\n"))).toEqual([
        { type: "line-too-long", bytes: 509 },
        { type: "line", text: "ok" },
      ]);
    });

    it("works at small limits under every split", () => {
      expectEverySplit(
        bytes("1234\r\n12345\r", [0], "123\r123456\nx\n"),
        [
          { type: "line", text: "1234" },
          { type: "line-too-long", bytes: 5 },
          { type: "line", text: "123" },
          { type: "line-too-long", bytes: 6 },
          { type: "line", text: "x" },
        ],
        { maxLineBytes: 4, maxBufferBytes: 8 },
      );
    });
  });

  describe("L3: bytes without a line end past maxBufferBytes", () => {
    it("holds exactly the cap without complaint", () => {
      const framer = new LineFramer({ ...LIMITS, maxLineBytes: LIMITS.maxBufferBytes });
      expect(framer.feed(bytes("x".repeat(LIMITS.maxBufferBytes)))).toEqual([]);
      expect(framer.overflowed).toBe(false);
      expect(framer.bufferedBytes).toBe(LIMITS.maxBufferBytes);
      expect(framer.feed(bytes("\n"))).toEqual(lines("x".repeat(LIMITS.maxBufferBytes)));
    });

    it("overflows at cap + 1, however the bytes arrive", () => {
      const input = bytes("x".repeat(LIMITS.maxBufferBytes + 1), "\nlook\n");
      expectEverySplit(
        input,
        [{ type: "overflow", bytes: LIMITS.maxBufferBytes + 1 }],
        {},
        [input.length, 16385, 16384, 5000, 4096, 1000, 3, 1],
      );
    });

    it("reports a too-long line, not an overflow, when the line ends at the cap", () => {
      const input = bytes("x".repeat(LIMITS.maxBufferBytes), "\r\nlook\n");
      expectEverySplit(
        input,
        [
          { type: "line-too-long", bytes: LIMITS.maxBufferBytes },
          { type: "line", text: "look" },
        ],
        {},
        [input.length, 16384, 4096, 1000, 1],
      );
    });

    it("ignores everything after an overflow", () => {
      const framer = new LineFramer({ maxLineBytes: 4, maxBufferBytes: 8 });
      expect(framer.feed(bytes("ok\n123456789"))).toEqual([
        { type: "line", text: "ok" },
        { type: "overflow", bytes: 9 },
      ]);
      expect(framer.overflowed).toBe(true);
      expect(framer.bufferedBytes).toBe(0);
      expect(framer.feed(bytes("\nlook\n"))).toEqual([]);
    });

    it("stays bounded when fed 1 MiB without a line end", () => {
      const framer = new LineFramer(LIMITS);
      const chunk = new Uint8Array(64 * 1024).fill(0x61);
      const events: FramerEvent[] = [];
      for (let i = 0; i < 16; i += 1) {
        events.push(...framer.feed(chunk));
        expect(framer.bufferedBytes).toBeLessThanOrEqual(LIMITS.maxLineBytes);
      }
      expect(events).toEqual([{ type: "overflow", bytes: LIMITS.maxBufferBytes + 1 }]);
    });
  });

  describe("L4: invalid UTF-8", () => {
    it("becomes U+FFFD in that line only", () => {
      expectEverySplit(
        bytes("a", [0xff], "b\n", [0xc3], "\n", [0xed, 0xa0, 0x80], "\nfine ☃\n"),
        lines("a\uFFFDb", "\uFFFD", "\uFFFD\uFFFD\uFFFD", "fine ☃"),
      );
    });

    it("does not let a truncated sequence swallow the line end or the next line", () => {
      expectEverySplit(bytes([0xf0, 0x9f, 0x98], "\nnext\n"), lines("\uFFFD", "next"));
    });
  });

  it("does not retain the caller's chunk", () => {
    const framer = new LineFramer(LIMITS);
    const chunk = bytes("abc");
    expect(framer.feed(chunk)).toEqual([]);
    chunk.fill(0x7a);
    expect(framer.feed(bytes("d\n"))).toEqual(lines("abcd"));
  });

  it("rejects limits that are not positive integers", () => {
    expect(() => new LineFramer({ ...LIMITS, maxLineBytes: 0 })).toThrow(RangeError);
    expect(() => new LineFramer({ ...LIMITS, maxBufferBytes: 1.5 })).toThrow(RangeError);
    expect(() => new LineFramer({ ...LIMITS, maxBufferBytes: Number.NaN })).toThrow(RangeError);
  });

  describe("L7: property", () => {
    // Bytes drawn mostly from the interesting ones: line ends, NUL, UTF-8 lead and continuation
    // bytes, and bytes that are never valid UTF-8.
    const interestingByte = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(0x61, 0x62, 0x20) },
      { weight: 2, arbitrary: fc.constantFrom(0x0d, 0x0a, 0x00) },
      { weight: 1, arbitrary: fc.constantFrom(0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9, 0xff) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
    );
    const input = fc.array(interestingByte, { maxLength: 300 }).map((values) => Uint8Array.from(values));
    const limits = fc.record({
      maxLineBytes: fc.integer({ min: 1, max: 40 }),
      maxBufferBytes: fc.integer({ min: 1, max: 80 }),
    });

    it("gives the one-chunk output for any split, and never buffers past the cap", () => {
      fc.assert(
        fc.property(input, cutsArbitrary, limits, (data, cuts, options) => {
          const whole = run([data], options);
          const split = run(splitAt(data, cuts), options);
          expect(split.events).toEqual(whole.events);
          expect(split.maxBuffered).toBeLessThanOrEqual(Math.min(options.maxLineBytes, options.maxBufferBytes));
          const byteByByte = run(chunksOf(data, 1), options);
          expect(byteByByte.events).toEqual(whole.events);
        }),
        { seed: FC_SEED, numRuns: 500 },
      );
    });

    it("never produces U+FFFD from valid UTF-8, however it is split", () => {
      fc.assert(
        fc.property(fc.array(fc.string({ unit: "grapheme", maxLength: 20 })), cutsArbitrary, (texts, cuts) => {
          const clean = texts.map((text) => text.replace(/[\r\n\u0000\uFEFF]/g, ""));
          const input = bytes(clean.map((text) => `${text}\r\n`).join(""));
          const result = run(splitAt(input, cuts), { maxLineBytes: 1 << 20, maxBufferBytes: 1 << 20 });
          // A run of empty lines is reported once (issue 5 item 3).
          expect(result.events).toEqual(lines(...clean.filter((text, i) => text !== "" || clean[i - 1] !== "")));
        }),
        { seed: FC_SEED, numRuns: 200 },
      );
    });
  });
});

/**
 * Feeds `chunks` through `feedUpTo` with at most `maxEvents` events per call and at most
 * `maxBytes` bytes per call, the way a connection spends its per-turn budget: the rest of each
 * chunk is fed again, never copied.
 */
function runWithBudget(chunks: readonly Uint8Array[], maxEvents: number, maxBytes: number, options: Partial<LineFramerOptions> = {}): FramerEvent[] {
  const framer = new LineFramer({ ...LIMITS, ...options });
  const events: FramerEvent[] = [];
  for (const chunk of chunks) {
    let rest = chunk;
    do {
      const result = framer.feedUpTo(rest.subarray(0, maxBytes), maxEvents);
      expect(result.events.length).toBeLessThanOrEqual(Math.max(1, maxEvents));
      expect(result.consumed).toBeLessThanOrEqual(Math.min(rest.length, maxBytes));
      if (rest.length > 0) expect(result.consumed).toBeGreaterThan(0);
      events.push(...result.events);
      rest = rest.subarray(result.consumed);
    } while (rest.length > 0);
  }
  return events;
}

describe("issue 5 item 3: floods of empty lines stall the loop before any limit bites", () => {
  it("turns a megabyte of line ends into one empty line, in one cheap scan", () => {
    for (const end of ["\n", "\r\n", "\r", "\r\0"]) {
      const flood = new TextEncoder().encode(end.repeat((1 << 20) / end.length));
      const framer = new LineFramer(LIMITS);
      expect(framer.feed(flood)).toEqual(lines(""));
      expect(framer.feed(bytes("look\n"))).toEqual(lines("look"));
    }
  });

  it("keeps a single Enter: an empty line after a command still reaches the session", () => {
    expectEverySplit(bytes("look\n\nsay hi\n\n"), lines("look", "", "say hi", ""));
  });

  it("feedUpTo stops after the budget of events and says how much it consumed", () => {
    const framer = new LineFramer(LIMITS);
    const input = bytes("one\ntwo\r\nthree\n");
    const first = framer.feedUpTo(input, 2);
    expect(first).toEqual({ events: lines("one", "two"), consumed: 9 });
    expect(framer.feedUpTo(input.subarray(first.consumed), 2)).toEqual({ events: lines("three"), consumed: 6 });
  });

  it("gives the same lines whole, byte by byte and under random splits, with any budget", () => {
    const input = bytes("look\n\n\n\r\nsay ☃ hi\r\n", "x".repeat(40), "\r", [0], "\n\nnorth\rsouth\n", "y".repeat(20));
    const options = { maxLineBytes: 32, maxBufferBytes: 64 };
    const expected = run([input], options).events;
    expect(expected.length).toBeGreaterThan(4);
    for (const maxEvents of [1, 2, 3, 100]) {
      for (const maxBytes of [1, 2, 7, 64, 1 << 20]) {
        expect(runWithBudget([input], maxEvents, maxBytes, options), `${maxEvents}/${maxBytes}`).toEqual(expected);
        expect(runWithBudget(chunksOf(input, 1), maxEvents, maxBytes, options)).toEqual(expected);
      }
    }
    fc.assert(
      fc.property(cutsArbitrary, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 80 }), (cuts, maxEvents, maxBytes) => {
        expect(runWithBudget(splitAt(input, cuts), maxEvents, maxBytes, options)).toEqual(expected);
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  it("property: any bytes, any split and any budget give the one-chunk output", () => {
    const byte = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(0x0d, 0x0a, 0x00) },
      { weight: 2, arbitrary: fc.constantFrom(0x61, 0x20, 0xc3, 0xa9, 0xff) },
    );
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 200 }).map((values) => Uint8Array.from(values)),
        cutsArbitrary,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 50 }),
        (data, cuts, maxEvents, maxBytes) => {
          const options = { maxLineBytes: 8, maxBufferBytes: 30 };
          const whole = run([data], options).events;
          expect(runWithBudget(splitAt(data, cuts), maxEvents, maxBytes, options)).toEqual(whole);
        },
      ),
      { seed: FC_SEED, numRuns: 500 },
    );
  });
});

describe("issue 5 item 15: half-close finishes the last line", () => {
  it("end() reports an unterminated last line, however it was split", () => {
    for (const size of [1, 2, 3, 100]) {
      const framer = new LineFramer(LIMITS);
      const events: FramerEvent[] = [];
      for (const chunk of chunksOf(bytes("say hi\nquit"), size)) events.push(...framer.feed(chunk));
      events.push(...framer.end());
      expect(events).toEqual(lines("say hi", "quit"));
    }
  });

  it("end() reports nothing after a line end, a CR, or an overflow, and a too-long tail as such", () => {
    const framer = new LineFramer({ maxLineBytes: 4, maxBufferBytes: 8 });
    expect(framer.feed(bytes("look\r"))).toEqual(lines("look"));
    expect(framer.end()).toEqual([]);
    expect(framer.feed(bytes("12345"))).toEqual([]);
    expect(framer.end()).toEqual([{ type: "line-too-long", bytes: 5 }]);
    expect(framer.feed(bytes("123456789"))).toEqual([{ type: "overflow", bytes: 9 }]);
    expect(framer.end()).toEqual([]);
  });
});

describe("looksLikeHttp (hardening L6)", () => {
  it.each([
    "GET / HTTP/1.1",
    "GET /favicon.ico HTTP/1.0",
    "POST /login HTTP/1.1",
    "HEAD / HTTP/1.1",
    "PUT /x HTTP/1.1",
    "DELETE /x HTTP/1.1",
    "OPTIONS * HTTP/1.1",
    "CONNECT example.com:443 HTTP/1.1",
    "PATCH /x HTTP/1.1",
  ])("recognises %j", (line) => {
    expect(looksLikeHttp(line)).toBe(true);
  });

  it.each(["get / http/1.1", "GET", "GET /", "look", "say GET / HTTP/1.1", "GET / HTTP/2", "TRACE / HTTP/1.1", ""])(
    "does not flag %j",
    (line) => {
      expect(looksLikeHttp(line)).toBe(false);
    },
  );
});
