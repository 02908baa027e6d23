/**
 * ECHO (RFC 857). A server that says WILL ECHO takes over echoing, so the client stops echoing
 * what the player types; the server then simply does not echo it. That is how a password prompt
 * hides the password (hardening T9), and WONT ECHO afterwards gives the client its echo back.
 *
 * Policy: we only ever echo when we asked to, and never want the client to echo our output back,
 * so requests the peer starts are refused on both sides.
 */
import { TelnetOptionCode } from "./constants.js";
import type { OptionModule } from "./options.js";

/**
 * The ECHO option's policy. No state of its own: whether input is hidden is whether our side is
 * on, which the negotiator knows (`isEnabled("local", ECHO)`). Shared by every connection: an
 * object each cost 56 B (issue 11 target 3).
 */
export const ECHO_OPTION: OptionModule = Object.freeze({
  option: TelnetOptionCode.ECHO,
  /** An unprompted DO ECHO is refused: we echo only to hide input, and only when we ask. */
  acceptLocal: false,
  /** WILL ECHO from a client would echo our own output back at us: refused. */
  acceptRemote: false,
});
