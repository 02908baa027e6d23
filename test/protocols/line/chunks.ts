/**
 * Ways of cutting one byte string into chunks, for "fed whole, at every chunk size down to one
 * byte, and under random splits" parser tests (style habit 1). Shared by the line and telnet tests.
 */
import fc from "fast-check";

/** Bytes of a string (UTF-8), or of explicit byte values, concatenated in order. */
export function bytes(...parts: ReadonlyArray<string | readonly number[] | Uint8Array>): Uint8Array {
  const encoder = new TextEncoder();
  const pieces = parts.map((part) =>
    typeof part === "string" ? encoder.encode(part) : Uint8Array.from(part),
  );
  return concat(pieces);
}

/** Concatenates byte arrays into a fresh one. */
export function concat(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

/** Cuts `input` into chunks of `size` bytes (the last one may be shorter). Each chunk is a fresh copy. */
export function chunksOf(input: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < input.length; at += size) out.push(input.slice(at, at + size));
  return out;
}

/** Cuts `input` at the given offsets (any order, out-of-range and duplicates allowed). */
export function splitAt(input: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (input.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, input.length]) {
    out.push(input.slice(from, point));
    from = point;
  }
  return out;
}

/** Every chunk size from the whole input down to one byte. */
export function everyChunkSize(input: Uint8Array): number[] {
  const sizes: number[] = [];
  for (let size = Math.max(1, input.length); size >= 1; size -= 1) sizes.push(size);
  return sizes;
}

/** Arbitrary cut offsets for {@link splitAt}. */
export const cutsArbitrary = fc.array(fc.nat({ max: 1 << 16 }), { maxLength: 40 });

/** Seed for property tests, fixed so a failure reproduces; override with FC_SEED to explore. */
export const FC_SEED = Number(process.env["FC_SEED"] ?? 20240611);
