/**
 * Splits a recorded telnet byte stream (RFC 854) into its text and its commands, so that a
 * test can check a conversation after the fact: which options were offered and answered,
 * which subnegotiations were sent. A test's reading aid, deliberately not the server's parser.
 */

/** Telnet command bytes used in these tests. */
export const T = {
  IAC: 255,
  DONT: 254,
  DO: 253,
  WONT: 252,
  WILL: 251,
  SB: 250,
  GA: 249,
  SE: 240,
  ECHO: 1,
  SGA: 3,
  TTYPE: 24,
  NAWS: 31,
} as const;

/** One negotiation: WILL/WONT/DO/DONT and the option. */
export interface Negotiation {
  readonly verb: number;
  readonly option: number;
}

/** One subnegotiation: `IAC SB option payload IAC SE`, payload unescaped. */
export interface Subnegotiation {
  readonly option: number;
  readonly payload: Buffer;
}

/** A stream, taken apart. */
export interface Scanned {
  /** The data bytes, decoded as UTF-8, with IAC IAC as 0xFF. */
  readonly text: string;
  readonly negotiations: readonly Negotiation[];
  readonly subnegotiations: readonly Subnegotiation[];
  /** Other two-byte commands (GA, NOP...), by code. */
  readonly commands: readonly number[];
}

/** Takes a complete stream apart. An unterminated command at the end is ignored. */
export function scanTelnet(bytes: Uint8Array): Scanned {
  const data: number[] = [];
  const negotiations: Negotiation[] = [];
  const subnegotiations: Subnegotiation[] = [];
  const commands: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== T.IAC) {
      data.push(b);
      continue;
    }
    const verb = bytes[i + 1];
    if (verb === undefined) break;
    if (verb === T.IAC) {
      data.push(T.IAC);
      i += 1;
    } else if (verb >= T.WILL && verb <= T.DONT) {
      const option = bytes[i + 2];
      if (option === undefined) break;
      negotiations.push({ verb, option });
      i += 2;
    } else if (verb === T.SB) {
      const option = bytes[i + 2];
      if (option === undefined) break;
      const payload: number[] = [];
      let j = i + 3;
      for (; j < bytes.length; j++) {
        if (bytes[j] === T.IAC && bytes[j + 1] === T.IAC) {
          payload.push(T.IAC);
          j++;
        } else if (bytes[j] === T.IAC && bytes[j + 1] === T.SE) {
          break;
        } else {
          payload.push(bytes[j]!);
        }
      }
      if (j >= bytes.length) break;
      subnegotiations.push({ option, payload: Buffer.from(payload) });
      i = j + 1;
    } else {
      commands.push(verb);
      i += 1;
    }
  }
  return { text: Buffer.from(data).toString("utf8"), negotiations, subnegotiations, commands };
}

/** How many times `verb option` occurs. */
export function count(negotiations: readonly Negotiation[], verb: number, option: number): number {
  return negotiations.filter((n) => n.verb === verb && n.option === option).length;
}
