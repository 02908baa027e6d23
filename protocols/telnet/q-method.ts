/**
 * RFC 1143, "The Q Method of Implementing TELNET Option Negotiation", section 7, for one side of
 * one option. Pure functions from a state to the next state and what to send.
 *
 * The same table serves both sides: for the peer's side ("him") a positive message is WILL and
 * we answer DO/DONT; for our side ("us") a positive message is DO and we answer WILL/WONT.
 * RFC 854's looser rules let two implementations answer each other forever; the WANT states and
 * the one-bit queue are what make every exchange terminate (hardening T1, T3).
 */

/** The four states of RFC 1143. Only `yes` means the option is in effect. */
export const QStates = ["no", "yes", "want-no", "want-yes"] as const;
/** One of {@link QStates}. */
export type QState = (typeof QStates)[number];

/**
 * One side of one option. `opposite` is RFC 1143's queue bit: while waiting for an answer
 * (`want-no`/`want-yes`) we were asked to go the other way, and will once the answer arrives.
 * It is always false in `no` and `yes`.
 */
export interface QSide {
  readonly state: QState;
  readonly opposite: boolean;
}

/** Where every option starts: off, nothing queued (RFC 854: all options begin disabled). */
export const Q_INITIAL: QSide = Object.freeze({ state: "no", opposite: false });

/**
 * The outcome of one transition. `send` is the message to emit: `enable` is WILL (our side) or
 * DO (the peer's side), `disable` is WONT or DONT. `violation` names a peer protocol error that
 * RFC 1143 tolerates but asks implementations to notice.
 */
export interface QStep {
  readonly next: QSide;
  readonly send?: "enable" | "disable";
  readonly violation?: string;
}

const NO: QSide = Q_INITIAL;
const YES: QSide = Object.freeze({ state: "yes", opposite: false });
const WANTNO: QSide = Object.freeze({ state: "want-no", opposite: false });
const WANTNO_OPPOSITE: QSide = Object.freeze({ state: "want-no", opposite: true });
const WANTYES: QSide = Object.freeze({ state: "want-yes", opposite: false });
const WANTYES_OPPOSITE: QSide = Object.freeze({ state: "want-yes", opposite: true });

/**
 * The peer sent the positive message (WILL for its side, DO for ours). `agree` is our policy
 * for a request we did not start.
 */
export function receivePositive(side: QSide, agree: boolean): QStep {
  switch (side.state) {
    case "no":
      return agree ? { next: YES, send: "enable" } : { next: NO, send: "disable" };
    case "yes":
      // Already on: answering would start exactly the loop RFC 1143 exists to prevent.
      return { next: YES };
    case "want-no":
      return side.opposite
        ? { next: YES, violation: "disable answered by enable" }
        : { next: NO, violation: "disable answered by enable" };
    case "want-yes":
      return side.opposite ? { next: WANTNO, send: "disable" } : { next: YES };
    default:
      return unreachable(side.state);
  }
}

/** The peer sent the negative message (WONT for its side, DONT for ours). Always accepted. */
export function receiveNegative(side: QSide): QStep {
  switch (side.state) {
    case "no":
      return { next: NO };
    case "yes":
      return { next: NO, send: "disable" };
    case "want-no":
      return side.opposite ? { next: WANTYES, send: "enable" } : { next: NO };
    case "want-yes":
      // Refused, and any queued "disable" is moot: it is already off.
      return { next: NO };
    default:
      return unreachable(side.state);
  }
}

/**
 * We want the option on. Asking for what is already true, or already asked for, changes nothing,
 * so callers may ask freely (idempotent).
 */
export function requestEnable(side: QSide): QStep {
  switch (side.state) {
    case "no":
      return { next: WANTYES, send: "enable" };
    case "yes":
      return { next: YES };
    case "want-no":
      return { next: WANTNO_OPPOSITE };
    case "want-yes":
      return { next: WANTYES };
    default:
      return unreachable(side.state);
  }
}

/** We want the option off. Idempotent, like {@link requestEnable}. */
export function requestDisable(side: QSide): QStep {
  switch (side.state) {
    case "no":
      return { next: NO };
    case "yes":
      return { next: WANTNO, send: "disable" };
    case "want-no":
      return { next: WANTNO };
    case "want-yes":
      return { next: WANTYES_OPPOSITE };
    default:
      return unreachable(side.state);
  }
}

function unreachable(state: never): never {
  throw new Error(`q-method: impossible state ${String(state)}`);
}
