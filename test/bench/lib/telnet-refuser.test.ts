/**
 * The bench's telnet refuser (bench/lib/telnet-refuser.ts): what the load generator's telnet
 * clients count must be the game text with every IAC sequence gone, and every offer refused
 * exactly once, however the server's bytes are cut — whole, one byte at a time, and at random
 * boundaries (fast-check, fixed seed).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TelnetRefuser } from "../../../bench/lib/telnet-refuser.js";

const IAC = 255;
const [SE, NOP, GA, SB, WILL, WONT, DO, DONT] = [240, 241, 249, 250, 251, 252, 253, 254] as const;

/** Bytes a telnet door might send at login: offers, a subnegotiation, text with a marker, a doubled IAC. */
const STREAM = Buffer.concat([
  Buffer.from([IAC, WILL, 1, IAC, DO, 24, IAC, WILL, 86]),
  Buffer.from("Welcome, Bencha.\r\n"),
  Buffer.from([IAC, SB, 24, 1, 0x7e, 0x7e, IAC, IAC, IAC, SE]),
  Buffer.from('Benchb says, "~1.2.3~"\r\n'),
  Buffer.from([IAC, GA, IAC, NOP, IAC, WONT, 1, IAC, DONT, 3, IAC, IAC]),
  Buffer.from("end"),
]);
const TEXT = Buffer.concat([Buffer.from('Welcome, Bencha.\r\nBenchb says, "~1.2.3~"\r\n'), Buffer.from([IAC]), Buffer.from("end")]);
const REPLY = Buffer.from([IAC, DONT, 1, IAC, WONT, 24, IAC, DONT, 86]);

/** Feeds `chunks` through one refuser; everything it kept and everything it answered. */
function run(chunks: readonly Buffer[]): { text: Buffer; reply: Buffer } {
  const refuser = new TelnetRefuser();
  const text: Buffer[] = [];
  const reply: Buffer[] = [];
  for (const chunk of chunks) {
    const out = refuser.feed(chunk);
    text.push(out.text);
    if (out.reply !== undefined) reply.push(out.reply);
  }
  return { text: Buffer.concat(text), reply: Buffer.concat(reply) };
}

/** `bytes` cut at `cuts` (positions, any order, duplicates allowed). */
function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

describe("TelnetRefuser", () => {
  it("strips every IAC sequence (options, SB…SE with tildes inside, GA, NOP) and keeps a doubled IAC as one byte", () => {
    expect(run([STREAM]).text).toEqual(TEXT);
  });

  it("refuses each WILL with DONT and each DO with WONT, once, and answers WONT/DONT with nothing (RFC 1143: no loop)", () => {
    expect(run([STREAM]).reply).toEqual(REPLY);
  });

  it("gives the same text and replies fed one byte at a time", () => {
    const bytes = [...STREAM].map((b) => Buffer.from([b]));
    expect(run(bytes)).toEqual({ text: TEXT, reply: REPLY });
  });

  it("gives the same text and replies for any split of the stream (fast-check, seed 11)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        expect(run(split(STREAM, cuts))).toEqual({ text: TEXT, reply: REPLY });
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it("passes a chunk without IAC through as the same Buffer (the fast path: no copy)", () => {
    const chunk = Buffer.from('Benchb says, "~1.2.3~"\r\n');
    expect(new TelnetRefuser().feed(chunk).text).toBe(chunk);
  });
});
