/**
 * Telnet parsing (protocols/telnet/parser.ts): every byte from a telnet client passes through
 * it before the line framer. Mostly plain data; sometimes escaped 0xFF; at connect a burst of
 * negotiation and subnegotiation.
 */
import { bench, describe } from "vitest";
import { TelnetParser } from "../../protocols/telnet/parser.js";
import { defaultLimits } from "./limits.js";

const IAC = 0xff;
const SB = 0xfa;
const SE = 0xf0;
const WILL = 0xfb;
const DO = 0xfd;
const NAWS = 31;
const TTYPE = 24;
const EOR = 25;
const MSS = 1460;

function parse(chunk: Uint8Array): () => void {
  const parser = new TelnetParser({ maxSubnegotiationBytes: defaultLimits.maxSubnegotiationBytes });
  let sink = 0;
  return () => {
    sink += parser.feed(chunk).length;
    if (sink < 0) throw new Error("unreachable");
  };
}

/** A segment of chat lines with no IAC at all: the common case. */
const plain = Buffer.alloc(MSS, "say the quick brown fox jumps over the lazy dog\r\n");

/** The same, with an escaped 0xFF (IAC IAC) every 64 bytes. */
const escaped = (() => {
  const out: number[] = [];
  while (out.length < MSS - 2) {
    out.push(...Buffer.from("say hello there, general kenobi, with a 0xff byte now: ".slice(0, 62)), IAC, IAC);
  }
  return Uint8Array.from(out.slice(0, MSS));
})();

/** What a MUD client sends at connect: WILL NAWS + its SB, WILL TTYPE + SB IS, DO EOR, then a name. */
const handshake = Uint8Array.from([
  IAC, WILL, NAWS, IAC, SB, NAWS, 0, 120, 0, 40, IAC, SE,
  IAC, WILL, TTYPE, IAC, SB, TTYPE, 0, ...Buffer.from("MUDLET"), IAC, SE,
  IAC, DO, EOR,
  ...Buffer.from("create Alice secret-password\r\n"),
]);

describe("telnet parser", () => {
  bench("1460 bytes of plain data", parse(plain));
  bench("1460 bytes with IAC IAC every 64 bytes", parse(escaped));
  bench("a client's connect burst (3 negotiations, 2 subnegotiations, a line; 65 bytes)", parse(handshake));
  bench("one typed command (17 bytes)", parse(Buffer.from("say hello there\r\n")));
});
