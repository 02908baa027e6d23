/**
 * Line framing (protocols/line/framer.ts), the first thing every byte from a line or telnet
 * client meets. Chat arrives as TCP segments of up to 1460 bytes holding many short lines
 * (a bot, a paste) or as one short command per segment (a person typing).
 */
import { bench, describe } from "vitest";
import { LineFramer } from "../../protocols/line/framer.js";
import { defaultLimits } from "./limits.js";

const framerLimits = { maxLineBytes: defaultLimits.maxLineBytes, maxBufferBytes: defaultLimits.maxInputBufferBytes };
const MSS = 1460;

/** `total` bytes of `line` repeated (CR LF ends), cut into MSS-sized segments. */
function segments(line: string, total: number): Uint8Array[] {
  const one = Buffer.from(`${line}\r\n`, "utf8");
  const stream = Buffer.alloc(Math.ceil(total / one.length) * one.length);
  for (let at = 0; at < stream.length; at += one.length) one.copy(stream, at);
  const out: Uint8Array[] = [];
  for (let at = 0; at < stream.length; at += MSS) out.push(stream.subarray(at, Math.min(at + MSS, stream.length)));
  return out;
}

/** Feeds the segments in turn, one per call, to one framer (the stream repeats whole lines, so its state carries over cleanly). */
function feeder(chunks: readonly Uint8Array[]): () => void {
  const framer = new LineFramer(framerLimits);
  let next = 0;
  let sink = 0;
  return () => {
    sink += framer.feed(chunks[next]!).length;
    next = next + 1 === chunks.length ? 0 : next + 1;
    if (sink < 0) throw new Error("unreachable");
  };
}

describe("line framer", () => {
  const ascii = segments("say the quick brown fox jumps over the lazy dog, again and again!!", 64 * 1024);
  const utf8 = segments("say héllo wörld ✓ — ça va? 日本語のテキスト 🎉 and some ascii", 64 * 1024);
  const typed = Buffer.from("say hello there\r\n");

  bench("1460-byte segment of 68-byte ASCII lines", feeder(ascii));
  bench("1460-byte segment of UTF-8 lines (accents, CJK, emoji)", feeder(utf8));
  bench("one typed command per segment (17 bytes)", feeder([typed]));
});
