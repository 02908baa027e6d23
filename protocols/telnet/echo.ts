/**
 * ECHO (RFC 857). A server that says WILL ECHO takes over echoing, so the client stops echoing
 * what the player types; the server then simply does not echo it. That is how a password prompt
 * hides the password (hardening T9), and WONT ECHO afterwards gives the client its echo back.
 *
 * Policy: we only ever echo when we asked to, and never want the client to echo our output back,
 * so requests the peer starts are refused on both sides.
 */
import { TelnetOptionCode } from "./constants.js";
import type { OptionModule, Side } from "./options.js";

/** The ECHO option's policy and state. */
export class EchoOption implements OptionModule {
  /** {@link TelnetOptionCode.ECHO}. */
  readonly option = TelnetOptionCode.ECHO;
  /** An unprompted DO ECHO is refused: we echo only to hide input, and only when we ask. */
  readonly acceptLocal = false;
  /** WILL ECHO from a client would echo our own output back at us: refused. */
  readonly acceptRemote = false;
  #inputHidden = false;

  /** True while our WILL ECHO is in effect, i.e. the client is not echoing what the player types. */
  get inputHidden(): boolean {
    return this.#inputHidden;
  }

  /** Tracks our side; the peer's side is never enabled by policy. */
  onChange(side: Side, enabled: boolean): void {
    if (side === "local") this.#inputHidden = enabled;
  }
}
