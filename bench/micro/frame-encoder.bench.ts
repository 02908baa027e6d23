/**
 * WebSocket output framing (protocols/websocket/frame-encoder.ts): what every WebSocket flush
 * does before its one write (issue 11). A flush holds one line (a quiet reader), a few (a busy
 * room between two pacing ticks) or one large frame (a long room description in JSON).
 */
import { bench, describe } from "vitest";
import { encodeFrames, type OutgoingFrame } from "../../protocols/websocket/frame-encoder.js";

/** `count` text frames of `bytes` each. */
function frames(count: number, bytes: number): OutgoingFrame[] {
  return Array.from({ length: count }, () => ({ data: Buffer.alloc(bytes, 0x61), binary: false }));
}

const ONE = frames(1, 80);
const FOUR = frames(4, 80);
const BIG = frames(1, 70_000);
let sink = 0;

describe("frame encoder", () => {
  bench("1 frame of 80 bytes", () => {
    sink += encodeFrames(ONE).length;
  });
  bench("4 frames of 80 bytes", () => {
    sink += encodeFrames(FOUR).length;
  });
  bench("1 frame of 70,000 bytes (64-bit length)", () => {
    sink += encodeFrames(BIG).length;
  });
});

// Read once so the work above cannot be optimised away.
export const encodedBytes = (): number => sink;
