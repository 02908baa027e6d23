/**
 * Option negotiation for one telnet connection: RFC 1143 state for every option on both sides,
 * a policy per supported option, and dispatch to the option's module.
 *
 * Each supported option is its own module implementing {@link OptionModule} (echo.ts, sga.ts,
 * naws.ts, ttype.ts, eor.ts, charset.ts, gmcp.ts, mssp.ts, mccp2.ts; docs/telnet.md lists them).
 * An option without a module is refused: one WONT or DONT per request (hardening T2).
 *
 * Pure state machine: it writes negotiation bytes to a {@link NegotiationSink} and calls module
 * hooks, nothing else.
 */
import { optionName, type NegotiationVerb } from "./constants.js";
import { negotiation } from "./encoder.js";
import {
  Q_INITIAL,
  QStates,
  receiveNegative,
  receivePositive,
  requestDisable,
  requestEnable,
  type QSide,
  type QStep,
} from "./q-method.js";

/**
 * Which end performs an option. `local`: we do (the peer sends DO/DONT, we send WILL/WONT).
 * `remote`: the peer does (it sends WILL/WONT, we send DO/DONT).
 */
export const Sides = ["local", "remote"] as const;
/** One of {@link Sides}. */
export type Side = (typeof Sides)[number];

/** What an option module may do to its connection. */
export interface OptionHost {
  /** Sends `IAC SB <option> payload IAC SE` (the payload is escaped for you). */
  sendSubnegotiation(option: number, payload: Uint8Array): void;
  /** Reports a peer protocol error. The connection carries on. */
  protocolError(message: string): void;
  /** Something the module exposes (window size, terminal type…) changed. */
  capabilitiesChanged(): void;
}

/**
 * One telnet option's behaviour. The policy (`acceptLocal`, `acceptRemote`) answers requests the
 * peer starts; our own requests go through {@link OptionNegotiator.request}.
 */
export interface OptionModule {
  /** The option number. */
  readonly option: number;
  /** Agree when the peer sends DO (asks us to perform the option). */
  readonly acceptLocal: boolean;
  /** Agree when the peer sends WILL (offers to perform the option). */
  readonly acceptRemote: boolean;
  /** The option came into effect (`true`) or left it (`false`) on `side`. */
  onChange?(side: Side, enabled: boolean): void;
  /**
   * The peer refused our request to turn the option on at `side` (RFC 1143: WANTYES answered
   * by the negative), as against {@link onChange}, which only reports changes of effect.
   */
  onRefused?(side: Side): void;
  /** A subnegotiation for this option arrived while it was in effect on some side. */
  onSubnegotiation?(data: Uint8Array): void;
}

/** Where negotiation output and peer errors go. */
export interface NegotiationSink {
  /** Sends bytes to the peer as they are (they are already telnet commands). */
  send(bytes: Uint8Array): void;
  /** Reports a peer protocol error. */
  protocolError(message: string): void;
}

/** Limits for an {@link OptionNegotiator}. */
export interface OptionNegotiatorOptions {
  /**
   * Most answers we send, per option, to negotiation the peer started. Past it the peer's further
   * requests for that option are ignored (its answers to our own requests are still processed).
   * RFC 1143 already guarantees at most one answer per state change; this also bounds a peer
   * that flaps an option forever (hardening T3). Default {@link DEFAULT_MAX_REPLIES_PER_OPTION}.
   */
  readonly maxRepliesPerOption?: number;
}

/**
 * Default for {@link OptionNegotiatorOptions.maxRepliesPerOption}. Real clients start a handful of
 * negotiations per option per session; 32 is generous for them and still bounds a flapping peer.
 */
export const DEFAULT_MAX_REPLIES_PER_OPTION = 32;

/** One option's state while a negotiation step runs: unpacked from, and saved back to, {@link OptionNegotiator}'s array. */
interface OptionState {
  /** Where its packed number sits in the array. */
  readonly at: number;
  local: QSide;
  remote: QSide;
  replies: number;
}

/** Every RFC 1143 side state by its code (state × 2 + opposite), the first being {@link Q_INITIAL}. */
const Q_BY_CODE: readonly QSide[] = QStates.flatMap((state, s) =>
  [false, true].map((opposite, o) => (s === 0 && o === 0 ? Q_INITIAL : Object.freeze({ state, opposite }))),
);

function qCode(side: QSide): number {
  return QStates.indexOf(side.state) * 2 + (side.opposite ? 1 : 0);
}

function qSide(code: number): QSide {
  return Q_BY_CODE[code] ?? Q_INITIAL;
}

/** RFC 1143 negotiation state and option dispatch for one connection. */
export class OptionNegotiator {
  /**
   * The option modules, a dozen at most: an array scanned by option number, not a Map, whose
   * table cost ~500 B per connection (issue 11 target 3). Looked up only on negotiation and
   * subnegotiation, never per data byte.
   */
  readonly #modules: readonly OptionModule[];
  readonly #sink: NegotiationSink;
  readonly #maxReplies: number;
  /**
   * Only options that were ever negotiated get an entry: at most 256, a handful in practice.
   * Pairs of small integers, `option, replies × 64 + local × 8 + remote` (each side's
   * {@link qCode}), scanned by option number: a Map of objects cost ~600 B per connection
   * (issue 11 target 3). A peer negotiating every option makes a scan 256 long, no worse than
   * the per-option reply budget already allows.
   */
  #states: number[] = [];

  /** `modules` must have distinct option numbers. */
  constructor(modules: readonly OptionModule[], sink: NegotiationSink, options: OptionNegotiatorOptions = {}) {
    const seen = new Set<number>();
    for (const module of modules) {
      if (seen.has(module.option)) {
        throw new Error(`OptionNegotiator: two modules for ${optionName(module.option)}`);
      }
      seen.add(module.option);
    }
    this.#modules = modules.slice(); // slice: exact size (a spread keeps spare room)
    this.#sink = sink;
    const max = options.maxRepliesPerOption ?? DEFAULT_MAX_REPLIES_PER_OPTION;
    if (!Number.isSafeInteger(max) || max < 0) {
      throw new RangeError(`OptionNegotiator: maxRepliesPerOption must be a non-negative integer, got ${max}`);
    }
    this.#maxReplies = max;
  }

  /** True when `option` is in effect on `side` (RFC 1143 state `yes`). */
  isEnabled(side: Side, option: number): boolean {
    return this.state(side, option).state === "yes";
  }

  /** The RFC 1143 state of `option` on `side`. */
  state(side: Side, option: number): QSide {
    const at = this.#find(option);
    if (at === -1) return Q_INITIAL;
    const packed = this.#states[at]!;
    return qSide(side === "local" ? Math.floor(packed / 8) % 8 : packed % 8);
  }

  /**
   * Handles `IAC <verb> <option>` from the peer: updates state, answers when RFC 1143 says to, and
   * runs the module's `onChange` when the option comes on or goes off.
   */
  receive(verb: NegotiationVerb, option: number): void {
    const side: Side = verb === "DO" || verb === "DONT" ? "local" : "remote";
    const entry = this.#entry(option);
    const module = this.#module(option);
    let step: QStep;
    switch (verb) {
      case "DO":
        step = receivePositive(entry.local, module?.acceptLocal ?? false);
        break;
      case "WILL":
        step = receivePositive(entry.remote, module?.acceptRemote ?? false);
        break;
      case "DONT":
      case "WONT":
        step = receiveNegative(entry[side]);
        break;
      default:
        return unreachable(verb);
    }
    // Only requests the peer starts count against the budget; answers to ours (from a `want-*`
    // state) are always processed, so our own negotiation can never get stuck.
    const peerStarted = entry[side].state === "no" || entry[side].state === "yes";
    if (step.send !== undefined && peerStarted) {
      if (entry.replies >= this.#maxReplies) {
        if (entry.replies === this.#maxReplies) {
          entry.replies += 1;
          this.#save(entry);
          this.#sink.protocolError(
            `${optionName(option)}: more than ${this.#maxReplies} negotiations; ignoring the peer's requests for it`,
          );
        }
        return;
      }
      entry.replies += 1;
      this.#save(entry);
    }
    if (step.violation !== undefined) {
      this.#sink.protocolError(`${optionName(option)} (${side}): ${step.violation}`);
    }
    this.#apply(option, side, entry, step);
  }

  /**
   * Asks for `option` to be on or off on `side`: `request("local", ECHO, true)` sends WILL ECHO.
   * Idempotent; while an answer is pending the wish is queued as RFC 1143 describes.
   */
  request(side: Side, option: number, enabled: boolean): void {
    const entry = this.#entry(option);
    const step = enabled ? requestEnable(entry[side]) : requestDisable(entry[side]);
    this.#apply(option, side, entry, step);
  }

  /**
   * Hands a subnegotiation to its option's module. Returns false, and drops it, when no module
   * handles the option or the option is not in effect on either side (RFC 855: subnegotiation
   * is only for options both ends agreed on).
   */
  subnegotiation(option: number, data: Uint8Array): boolean {
    const module = this.#module(option);
    if (module?.onSubnegotiation === undefined) return false;
    if (!this.isEnabled("local", option) && !this.isEnabled("remote", option)) return false;
    module.onSubnegotiation(data);
    return true;
  }

  #module(option: number): OptionModule | undefined {
    for (const module of this.#modules) if (module.option === option) return module;
    return undefined;
  }

  /** Where `option`'s packed state is in {@link #states}, or -1. */
  #find(option: number): number {
    const states = this.#states;
    for (let i = 0; i < states.length; i += 2) if (states[i] === option) return i + 1;
    return -1;
  }

  /** `option`'s state, unpacked (made, all off, if it had none). Changes count once {@link #save}d. */
  #entry(option: number): OptionState {
    let at = this.#find(option);
    if (at === -1) {
      // Concatenated, not pushed or spread: those keep room for 17 or more (issue 11 target 3).
      this.#states = this.#states.concat([option, 0]);
      at = this.#states.length - 1;
    }
    const packed = this.#states[at]!;
    return { at, local: qSide(Math.floor(packed / 8) % 8), remote: qSide(packed % 8), replies: Math.floor(packed / 64) };
  }

  #save(entry: OptionState): void {
    const packed = entry.replies * 64 + qCode(entry.local) * 8 + qCode(entry.remote);
    // As a small integer: one stored as a double turns the whole array into 8-byte doubles.
    this.#states[entry.at] = packed < 0x40000000 ? packed | 0 : packed;
  }

  #apply(option: number, side: Side, entry: OptionState, step: QStep): void {
    const wasOn = entry[side].state === "yes";
    const wasAsking = entry[side].state === "want-yes";
    entry[side] = step.next;
    // Saved before the answer and the module run: either may negotiate again (re-entrantly).
    this.#save(entry);
    if (step.send !== undefined) {
      this.#sink.send(negotiation(verbFor(side, step.send), option));
    }
    const isOn = step.next.state === "yes";
    // After the answer is sent, so that e.g. TTYPE's `SB TTYPE SEND` follows our DO TTYPE.
    if (wasOn !== isOn) this.#module(option)?.onChange?.(side, isOn);
    else if (wasAsking && step.next.state === "no") this.#module(option)?.onRefused?.(side);
  }
}

function verbFor(side: Side, send: "enable" | "disable"): NegotiationVerb {
  if (side === "local") return send === "enable" ? "WILL" : "WONT";
  return send === "enable" ? "DO" : "DONT";
}

function unreachable(value: never): never {
  throw new Error(`OptionNegotiator: impossible verb ${String(value)}`);
}
