/**
 * The MCCP2 compressor on its own (mccp2-stream.ts): one zlib stream per connection, driven
 * synchronously, sync-flushed per turn, ended with Z_FINISH, and ended cleanly even when zlib
 * fails. Inflated with node:zlib's public API, as a client would.
 */
import fc from "fast-check";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  Mccp2Compression,
  Mccp2Stream,
  NativeDeflater,
} from "../../../protocols/telnet/mccp2-stream.js";
import { FC_SEED, bytes, concat } from "../line/chunks.js";
import { FailingDeflater } from "./mccp2-support.js";
import { defaultMccp2Settings } from "../../support/default-config.js";

/** What a client that has read `wire` so far can show (a sync flush makes all of it readable). */
function readable(wire: Uint8Array): Buffer {
  return zlib.inflateSync(wire, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

function compression(): Mccp2Compression {
  const made = Mccp2Compression.create(defaultMccp2Settings);
  if (made instanceof Error) throw made;
  return made;
}

const TURNS = ["Your name: ", "The Town Square\r\nA fountain splashes.\r\n", "Bob says, \"hi\"\r\n", "> "].map((t) => bytes(t));

describe("Mccp2Compression", () => {
  it("accepts Loom's defaults and zlib's, and refuses settings zlib would reject", () => {
    expect(Mccp2Compression.create(defaultMccp2Settings)).toBeInstanceOf(Mccp2Compression);
    expect(Mccp2Compression.create({ windowBits: 15, memLevel: 8, level: 6 })).toBeInstanceOf(Mccp2Compression);
    for (const bad of [
      { ...defaultMccp2Settings, windowBits: 8 },
      { ...defaultMccp2Settings, windowBits: 16 },
      { ...defaultMccp2Settings, memLevel: 0 },
      { ...defaultMccp2Settings, memLevel: 10 },
      { ...defaultMccp2Settings, level: -1 },
      { ...defaultMccp2Settings, level: 1.5 },
    ]) {
      expect(Mccp2Compression.create(bad)).toBeInstanceOf(RangeError);
    }
  });

  it("writes a zlib stream (RFC 1950) whose header names the configured window", () => {
    const stream = compression().openStream();
    const first = stream.encode(bytes("hello"));
    // CMF: deflate (8), window 2^(CINFO+8) = 2^12; the header checksum holds (RFC 1950 §2.2).
    expect(first[0]).toBe(((defaultMccp2Settings.windowBits - 8) << 4) | 8);
    expect(((first[0]! << 8) | first[1]!) % 31).toBe(0);
  });
});

describe("Mccp2Stream", () => {
  it("sync-flushes every turn: after each one the client can read everything sent so far", () => {
    const stream = compression().openStream();
    const wire: Uint8Array[] = [];
    for (let i = 0; i < TURNS.length; i++) {
      wire.push(stream.encode(TURNS[i]!));
      expect(readable(concat(wire))).toEqual(Buffer.from(concat(TURNS.slice(0, i + 1))));
      // Z_SYNC_FLUSH ends on an empty stored block: 00 00 FF FF.
      expect(Array.from(wire.at(-1)!.subarray(-4))).toEqual([0, 0, 0xff, 0xff]);
    }
  });

  it("end() writes the stream's end (Z_FINISH); the whole then inflates strictly, and later output passes as it is", () => {
    const stream = compression().openStream();
    const wire = [...TURNS.map((t) => stream.encode(t)), stream.end()];
    expect(zlib.inflateSync(concat(wire))).toEqual(Buffer.from(concat(TURNS)));
    expect(stream.ended).toBe(true);
    expect(stream.end()).toEqual(new Uint8Array(0));
    const after = bytes("plain again");
    expect(stream.encode(after)).toBe(after);
  });

  it("counts bytes in and out, the stream's end included", () => {
    const stream = compression().openStream();
    const wire = [...TURNS.map((t) => stream.encode(t)), stream.end()];
    expect(stream.counts).toEqual({ bytesIn: concat(TURNS).length, bytesOut: concat(wire).length });
  });

  it("handles a turn far larger than its output buffer (1 MiB)", () => {
    const big = new Uint8Array(1 << 20);
    // Text-like but not trivially repetitive: a linear congruential sequence over letters.
    let x = 12345;
    for (let i = 0; i < big.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      big[i] = 97 + ((x >>> 16) % 26);
    }
    const stream = compression().openStream();
    const wire = concat([stream.encode(big), stream.end()]);
    expect(zlib.inflateSync(wire).equals(Buffer.from(big))).toBe(true);
  });

  it("property: any turns, compressed one by one, inflate to their concatenation at every turn and at the end", () => {
    const turn = fc.uint8Array({ maxLength: 300 });
    fc.assert(
      fc.property(fc.array(turn, { maxLength: 20 }), (turns) => {
        const stream = compression().openStream();
        const wire: Uint8Array[] = [];
        turns.forEach((t, i) => {
          wire.push(stream.encode(t));
          expect(readable(concat(wire))).toEqual(Buffer.from(concat(turns.slice(0, i + 1))));
        });
        wire.push(stream.end());
        expect(zlib.inflateSync(concat(wire))).toEqual(Buffer.from(concat(turns)));
      }),
      { seed: FC_SEED, numRuns: 100 },
    );
  });

  it("a failing compressor ends the stream cleanly from the last turn and lets the failed turn through plain", () => {
    const errors: Error[] = [];
    const deflater = new FailingDeflater(3);
    const stream = new Mccp2Stream(deflater, (error) => errors.push(error));
    const good = [stream.encode(TURNS[0]!), stream.encode(TURNS[1]!)];
    const failedTurn = stream.encode(TURNS[2]!);
    expect(errors.map((e) => e.message)).toEqual(["simulated zlib failure"]);
    expect(stream.ended).toBe(true);
    expect(deflater.closed).toBe(true);
    // The end is exactly what zlib's own Z_FINISH writes at a sync point: 03 00, then Adler-32.
    const reference = compression().openStream();
    reference.encode(TURNS[0]!);
    reference.encode(TURNS[1]!);
    const zlibEnd = reference.end();
    expect(Array.from(failedTurn.subarray(0, zlibEnd.length))).toEqual(Array.from(zlibEnd));
    // The client inflates the first two turns and sees the stream end (strict inflate passes)...
    const compressed = concat([...good, zlibEnd]);
    expect(zlib.inflateSync(compressed)).toEqual(Buffer.from(concat(TURNS.slice(0, 2))));
    // ...then reads the failed turn, and every later one, uncompressed.
    expect(failedTurn.subarray(zlibEnd.length)).toEqual(TURNS[2]);
    expect(stream.encode(TURNS[3]!)).toBe(TURNS[3]);
    expect(stream.end()).toEqual(new Uint8Array(0));
  });

  it("a failure at the very first turn sends a whole empty stream (the client has not even had a header), then the turn", () => {
    const stream = new Mccp2Stream(new FailingDeflater(1));
    const out = stream.encode(TURNS[0]!);
    const end = out.subarray(0, out.length - TURNS[0]!.length);
    expect(zlib.inflateSync(end)).toEqual(Buffer.alloc(0));
    expect(out.subarray(end.length)).toEqual(TURNS[0]);
  });

  it("a failure while ending still writes a valid end", () => {
    const stream = new Mccp2Stream(new FailingDeflater(3));
    const wire = [stream.encode(TURNS[0]!), stream.encode(TURNS[1]!), stream.end()];
    expect(zlib.inflateSync(concat(wire))).toEqual(Buffer.from(concat(TURNS.slice(0, 2))));
  });

  it("dispose() frees zlib without writing anything; later turns pass as they are", () => {
    const deflater = new FailingDeflater(0);
    const stream = new Mccp2Stream(deflater);
    stream.encode(TURNS[0]!);
    stream.dispose();
    expect(deflater.closed).toBe(true);
    expect(stream.encode(TURNS[1]!)).toBe(TURNS[1]);
  });
});

describe("NativeDeflater", () => {
  it("reports zlib's own errors as a throw, without an uncaught 'error' event, and never touches the closed handle again", async () => {
    const deflater = new NativeDeflater(defaultMccp2Settings);
    deflater.deflate(bytes("x"), "finish");
    // A second Z_FINISH makes zlib report Z_BUF_ERROR, and Node destroys the stream.
    expect(() => deflater.deflate(bytes("y"), "finish")).toThrow(/buffer error/);
    expect(() => deflater.deflate(bytes("z"), "sync")).toThrow();
    // The 'error' event Node emits on the next tick is swallowed, not thrown at the process.
    await new Promise((resolve) => setImmediate(resolve));
    deflater.close();
  });
});
