/**
 * The frame encoder (protocols/websocket/frame-encoder.ts), read back by `ws`'s own parser: a
 * client-mode `Receiver` (which refuses masked frames, as a client must) fed the encoded bytes
 * whole, one byte at a time and under seeded random splits. Also checked byte for byte against
 * `ws`'s `Sender.frame`, which framed this door's output before issue 11.
 */
import { finished } from "node:stream/promises";
import type { Writable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as wsModule from "ws";
import { encodeFrames, frameHeaderBytes, Opcode, type OutgoingFrame } from "../../../protocols/websocket/frame-encoder.js";
import { FC_SEED, chunksOf, cutsArbitrary, splitAt } from "../line/chunks.js";

/** The parts of ws 8's lib/receiver.js and lib/sender.js used here; @types/ws does not declare them. */
interface WsInternals {
  readonly Receiver: new (options: { readonly isServer: boolean; readonly maxPayload: number }) => Writable;
  readonly Sender: {
    frame(data: Buffer, options: { readonly fin: boolean; readonly opcode: number; readonly mask: boolean; readonly readOnly: boolean; readonly rsv1: boolean }): Buffer[];
  };
}
const { Receiver, Sender } = wsModule as unknown as WsInternals;

/** One message as the Receiver reports it, its payload in base64 (vitest compares strings far faster than 70 KB Buffers). */
interface Decoded {
  readonly binary: boolean;
  readonly data: string;
}

/** Feeds `chunks` to a client-mode Receiver (no payload limit) and resolves with every message, in order; rejects on a protocol error. */
async function decode(chunks: readonly Uint8Array[]): Promise<Decoded[]> {
  const receiver = new Receiver({ isServer: false, maxPayload: 0 });
  const messages: Decoded[] = [];
  receiver.on("message", (data: Buffer, isBinary: boolean) => {
    messages.push({ binary: isBinary, data: data.toString("base64") });
  });
  for (const chunk of chunks) receiver.write(chunk);
  receiver.end();
  await finished(receiver);
  return messages;
}

function text(s: string): OutgoingFrame {
  return { data: Buffer.from(s, "utf8"), binary: false };
}

function binary(bytes: Uint8Array): OutgoingFrame {
  return { data: bytes, binary: true };
}

/** `length` bytes of a repeating pattern, so a shifted or truncated copy cannot compare equal. */
function pattern(length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}

/** What the Receiver should report for `frames`. */
function expected(frames: readonly OutgoingFrame[]): Decoded[] {
  return frames.map((f) => ({ binary: f.binary, data: Buffer.from(f.data).toString("base64") }));
}

/** The lengths where the header changes form (RFC 6455 §5.2), and either side of them. */
const BOUNDARY_LENGTHS = [0, 1, 125, 126, 127, 65535, 65536, 70000] as const;

describe("frame header", () => {
  it("is 2 bytes up to 125, 4 up to 65535, 10 beyond", () => {
    expect(BOUNDARY_LENGTHS.map(frameHeaderBytes)).toEqual([2, 2, 2, 4, 4, 4, 10, 10]);
  });

  it("encodes a short text frame as FIN|text, the length, then the payload", () => {
    expect([...encodeFrames([text("hi")])]).toEqual([0x80 | Opcode.text, 2, 0x68, 0x69]);
  });

  it("encodes an empty binary frame as its two header bytes", () => {
    expect([...encodeFrames([binary(new Uint8Array(0))])]).toEqual([0x80 | Opcode.binary, 0]);
  });

  it("uses the 16-bit length at 126 and at 65535, and the 64-bit length at 65536", () => {
    expect([...encodeFrames([binary(pattern(126))]).subarray(0, 4)]).toEqual([0x82, 126, 0x00, 0x7e]);
    expect([...encodeFrames([text("x".repeat(65535))]).subarray(0, 4)]).toEqual([0x81, 126, 0xff, 0xff]);
    expect([...encodeFrames([binary(pattern(65536))]).subarray(0, 10)]).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it("never sets the mask bit or an RSV bit (RFC 6455 §5.1: servers do not mask)", () => {
    const out = encodeFrames(BOUNDARY_LENGTHS.map((n) => binary(pattern(n))));
    let at = 0;
    for (const n of BOUNDARY_LENGTHS) {
      expect(out[at]! & 0x70).toBe(0);
      expect(out[at + 1]! & 0x80).toBe(0);
      at += frameHeaderBytes(n) + n;
    }
    expect(at).toBe(out.length);
  });

  it("encodes an empty batch as an empty buffer", () => {
    expect(encodeFrames([]).length).toBe(0);
  });
});

describe("read back by ws's Receiver", () => {
  for (const length of BOUNDARY_LENGTHS) {
    it(`a binary and a text frame of ${length} bytes, whole, one byte at a time, and in 1009-byte chunks`, async () => {
      const frames = [binary(pattern(length)), text("é".repeat(length >> 1) + "a".repeat(length & 1))];
      const encoded = encodeFrames(frames);
      expect(await decode([encoded])).toEqual(expected(frames));
      expect(await decode(chunksOf(encoded, 1))).toEqual(expected(frames));
      expect(await decode(chunksOf(encoded, 1009))).toEqual(expected(frames));
    });
  }

  it("a batch of mixed text and binary frames arrives as the same messages, in order", async () => {
    const frames = [text("You see a lamp."), binary(Buffer.from("\x1b[31mred\x1b[0m\r\n")), text(""), text('{"t":"echo","on":false}'), binary(pattern(300)), text("> ")];
    const encoded = encodeFrames(frames);
    expect(await decode([encoded])).toEqual(expected(frames));
    expect(await decode(chunksOf(encoded, 1))).toEqual(expected(frames));
    expect(await decode(chunksOf(encoded, 7))).toEqual(expected(frames));
  });

  it("non-ASCII UTF-8 text (emoji, CJK, combining marks) arrives intact", async () => {
    const frames = [text("héllo wörld"), text("🐈‍⬛ 灰色の猫"), text("e\u0301\u0301"), text("𝄞".repeat(40))];
    const decoded = await decode(chunksOf(encodeFrames(frames), 1));
    expect(decoded.map((m) => Buffer.from(m.data, "base64").toString("utf8"))).toEqual(["héllo wörld", "🐈‍⬛ 灰色の猫", "e\u0301\u0301", "𝄞".repeat(40)]);
    expect(decoded.every((m) => !m.binary)).toBe(true);
  });

  it("property: any batch, split anywhere, decodes to the batch (fixed seed)", async () => {
    const frameArbitrary = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 200 }).map(text),
      fc.uint8Array({ maxLength: 300 }).map(binary),
      fc.constantFrom(...BOUNDARY_LENGTHS).map((n) => binary(pattern(n))),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frameArbitrary, { maxLength: 6 }), cutsArbitrary, async (frames, cuts) => {
        expect(await decode(splitAt(encodeFrames(frames), cuts))).toEqual(expected(frames));
      }),
      { seed: FC_SEED, numRuns: 100 },
    );
  });
});

describe("same bytes as ws.send", () => {
  it("property: equals ws's Sender.frame for every frame, concatenated (fixed seed)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 70000 }), fc.boolean()), { maxLength: 5 }), (pairs) => {
        const frames = pairs.map(([data, isBinary]) => ({ data, binary: isBinary }));
        const viaWs = Buffer.concat(
          frames.flatMap((f) => Sender.frame(Buffer.from(f.data), { fin: true, opcode: f.binary ? Opcode.binary : Opcode.text, mask: false, readOnly: false, rsv1: false })),
        );
        expect(encodeFrames(frames).equals(viaWs)).toBe(true);
      }),
      { seed: FC_SEED, numRuns: 100 },
    );
  });
});
