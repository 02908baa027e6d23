/**
 * The raw line door (default port 4001): `nc host 4001`, scripts and bots. UTF-8 lines, plain
 * text, and never a telnet byte (hardening T11): nothing on this door speaks telnet.
 */
import type { InputTurns } from "../../src/reactor/input-budget.js";
import type { PeerAddress, Protocol, ProtocolFactory } from "../../src/reactor/interfaces.js";
import type { SessionOpener } from "../../src/session/endpoint.js";
import type { MsspProvider } from "../telnet/mssp.js";
import { LineSession, type LineLimits, type LineSessionOptions } from "./line-session.js";

/** Limits of the line door: the operator's {@link LineLimits}, and what the server adds. */
export interface LineDoorOptions extends LineLimits {
  /** Told to a browser that wanders onto this port. */
  readonly httpHint?: () => string;
  /**
   * What MSSP reports, asked afresh for each report: the answer to a plain-text `MSSP-REQUEST`
   * line before login (protocols/telnet/mssp.ts). Default none: the line goes to the world.
   */
  readonly mssp?: MsspProvider;
  /** The reactor's turn counter for input budgets (issue 5 item 3). Default: one per connection. */
  readonly inputTurns?: InputTurns;
}

/** Builds a {@link LineSession} per connection. */
export class LineDoorFactory implements ProtocolFactory {
  readonly #opener: SessionOpener;
  /**
   * Every session's options, built once: spread per connection, the copy took ~400 B each
   * (an object with a hidden class of its own; issue 11 target 3).
   */
  readonly #sessionOptions: LineSessionOptions;

  constructor(opener: SessionOpener, options: LineDoorOptions) {
    this.#opener = opener;
    this.#sessionOptions = Object.freeze({ ...options, door: "line", variant: "plain" });
  }

  buildProtocol(_peer: PeerAddress): Protocol {
    return new LineSession(this.#opener, this.#sessionOptions);
  }
}
