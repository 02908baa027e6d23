/**
 * The mixed-play bench's WebSocket frame reader (bench/lib/mixed-ws.ts): the server's frames —
 * short, 16-bit and 64-bit lengths, empty, a ping between them, a close at the end — must give
 * the same payload bytes, the same pings and one close whether they arrive whole, one byte at a
 * time or cut at random boundaries (fast-check, fixed seed). And the frames it sends must be
 * masked frames that unmask to what was meant.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FrameSink, WsFrameReader, closeFrame, pongFrame, textFrame, upgradeResponse } from "../../../bench/lib/mixed-ws.js";

/** A server frame: FIN, `opcode`, unmasked, with the shortest length form. */
function serverFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const header = n < 126 ? Buffer.from([0x80 | opcode, n]) : n < 65_536 ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 255]) : Buffer.alloc(10);
  if (n >= 65_536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([header, payload]);
}

const TEXTS = ["Welcome, Benchaaaa.", "x".repeat(126), "", `Grid Field 01-02 ${"y".repeat(300)}`, "z".repeat(70_000), 'Benchb says, "~s1.2~"'];
const PING = Buffer.from("keepalive");
const STREAM = Buffer.concat([
  ...TEXTS.slice(0, 3).map((t) => serverFrame(0x1, Buffer.from(t))),
  serverFrame(0x9, PING),
  ...TEXTS.slice(3).map((t) => serverFrame(0x1, Buffer.from(t))),
  serverFrame(0x8, Buffer.from([0x03, 0xe8])),
]);

/** Feeds `chunks` to a fresh reader: the payload bytes, pings and closes it reported. */
function readAll(chunks: readonly Buffer[]): { data: string; pings: string[]; closes: number } {
  const reader = new WsFrameReader();
  const data: Buffer[] = [];
  const pings: string[] = [];
  let closes = 0;
  const sink: FrameSink = {
    data: (payload) => data.push(Buffer.from(payload)),
    ping: (payload) => pings.push(payload.toString()),
    close: () => closes++,
  };
  for (const chunk of chunks) reader.feed(chunk, sink);
  return { data: Buffer.concat(data).toString(), pings, closes };
}

const EXPECTED = { data: TEXTS.join(""), pings: [PING.toString()], closes: 1 };

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const at = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const o of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, o));
    from = o;
  }
  return chunks;
}

describe("the bench's WebSocket frame reader", () => {
  it("reads every frame whole", () => {
    expect(readAll([STREAM])).toEqual(EXPECTED);
  });

  it("reads them one byte at a time", () => {
    expect(readAll(Array.from(STREAM, (b) => Buffer.from([b])))).toEqual(EXPECTED);
  });

  it("reads them cut at random boundaries", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (offsets) => {
        expect(readAll(cut(STREAM, offsets))).toEqual(EXPECTED);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it("sends masked frames that unmask to the text, the pong and the close", () => {
    const unmask = (frame: Buffer): { opcode: number; payload: Buffer } => {
      expect(frame[1]! & 0x80).toBe(0x80);
      const len7 = frame[1]! & 0x7f;
      const at = len7 < 126 ? 2 : len7 === 126 ? 4 : 10;
      const key = frame.subarray(at, at + 4);
      const payload = Buffer.from(frame.subarray(at + 4).map((b, i) => b ^ key[i & 3]!));
      return { opcode: frame[0]! & 0x0f, payload };
    };
    expect(unmask(textFrame("say ~s1.2~"))).toEqual({ opcode: 0x1, payload: Buffer.from("say ~s1.2~") });
    expect(unmask(textFrame("w".repeat(300))).payload.toString()).toBe("w".repeat(300));
    expect(unmask(pongFrame(PING))).toEqual({ opcode: 0xa, payload: PING });
    expect(unmask(closeFrame())).toEqual({ opcode: 0x8, payload: Buffer.from([0x03, 0xe8]) });
  });

  it("waits for the upgrade response's blank line, then hands on what follows", () => {
    expect(upgradeResponse(Buffer.from("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"))).toBeUndefined();
    const ok = upgradeResponse(Buffer.concat([Buffer.from("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"), serverFrame(1, Buffer.from("hi"))]));
    expect(ok?.ok).toBe(true);
    expect(readAll([ok!.rest]).data).toBe("hi");
    expect(upgradeResponse(Buffer.from("HTTP/1.1 403 Forbidden\r\n\r\n"))).toMatchObject({ ok: false, status: "HTTP/1.1 403 Forbidden" });
  });
});
