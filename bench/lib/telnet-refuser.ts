/**
 * The bench's telnet client side, as small as a telnet client can be: it refuses every option
 * the server offers or asks for (WILL → DONT, DO → WONT; RFC 854/855, and a refusal is never
 * answered, so no loop: RFC 1143) and strips every IAC sequence from the text, so that the load
 * generator counts markers in game text only. A state machine fed arbitrary chunks; the fast
 * path — no IAC in the chunk and none pending — returns the chunk itself untouched (memchr).
 */
import { TelnetCommand } from "../../protocols/telnet/constants.js";

const { IAC, DONT, DO, WONT, WILL, SB, SE } = TelnetCommand;

/** Where the parser is between chunks. */
const State = { data: 0, iac: 1, option: 2, sb: 3, sbIac: 4 } as const;
type StateValue = (typeof State)[keyof typeof State];

/** What one chunk held: its text without telnet commands, and the refusals to send back. */
export interface RefuserOutput {
  readonly text: Buffer;
  readonly reply: Buffer | undefined;
}

/** One connection's telnet state. */
export class TelnetRefuser {
  #state: StateValue = State.data;
  /** The verb (WILL/WONT/DO/DONT) awaiting its option byte. */
  #verb = 0;

  /** Strips `chunk` of IAC sequences and says what to answer. */
  feed(chunk: Buffer): RefuserOutput {
    if (this.#state === State.data && chunk.indexOf(IAC) < 0) return { text: chunk, reply: undefined };
    const text = Buffer.allocUnsafe(chunk.length);
    let t = 0;
    const reply: number[] = [];
    for (const b of chunk) {
      switch (this.#state) {
        case State.data:
          if (b === IAC) this.#state = State.iac;
          else text[t++] = b;
          break;
        case State.iac:
          if (b === IAC) {
            text[t++] = b; // IAC IAC: a literal 255
            this.#state = State.data;
          } else if (b === WILL || b === WONT || b === DO || b === DONT) {
            this.#verb = b;
            this.#state = State.option;
          } else if (b === SB) this.#state = State.sb;
          else this.#state = State.data; // NOP, GA and the other two-byte commands
          break;
        case State.option:
          if (this.#verb === WILL) reply.push(IAC, DONT, b);
          else if (this.#verb === DO) reply.push(IAC, WONT, b);
          this.#state = State.data;
          break;
        case State.sb:
          if (b === IAC) this.#state = State.sbIac;
          break;
        case State.sbIac:
          this.#state = b === SE ? State.data : State.sb;
          break;
        default: {
          const unreachable: never = this.#state;
          throw new Error(`telnet refuser in state ${String(unreachable)}`);
        }
      }
    }
    return { text: text.subarray(0, t), reply: reply.length > 0 ? Buffer.from(reply) : undefined };
  }
}
