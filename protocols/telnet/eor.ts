/**
 * EOR, end of record (RFC 885), used by MUD clients as the prompt marker.
 *
 * A prompt has no line end, so a client cannot tell "the server is done, this is the prompt"
 * from "the rest of this line is on its way". RFC 854's answer is IAC GA after the prompt, but
 * SGA (RFC 858) switches GA off, and many clients negotiate SGA for unrelated reasons. MUD
 * clients (Mudlet, TinTin++, MUSHclient) therefore answer our WILL EOR with DO EOR, and from
 * then on each prompt ends with IAC EOR, which no other option suppresses.
 *
 * {@link promptEndMark} is the whole policy: one mark per prompt, EOR once the client agreed,
 * else GA unless go-ahead is suppressed, else nothing.
 *
 * Policy: we offer WILL EOR at connect and agree to a client's DO; we have no use for the
 * client's records, so its WILL EOR is refused.
 */
import { TelnetCommand, TelnetOptionCode } from "./constants.js";
import { command } from "./encoder.js";
import type { OptionModule } from "./options.js";

const IAC_EOR = command(TelnetCommand.EOR);
const IAC_GA = command(TelnetCommand.GA);

/**
 * The bytes that end a prompt: `IAC EOR` while our side of EOR is in effect, else `IAC GA`
 * unless our side of SGA is in effect, else nothing. Never both: a client that reads EOR as the
 * prompt end would otherwise see a second, empty prompt in the GA. The returned array is shared;
 * callers write it and do not change it.
 */
export function promptEndMark(eor: boolean, goAheadSuppressed: boolean): Uint8Array | undefined {
  if (eor) return IAC_EOR;
  return goAheadSuppressed ? undefined : IAC_GA;
}

/**
 * The EOR option's policy. No state of its own: prompts end with EOR while our side is on, which
 * the negotiator knows (`isEnabled("local", EOR)`). Shared by every connection: an object each
 * cost 56 B (issue 11 target 3).
 */
export const EOR_OPTION: OptionModule = Object.freeze({
  option: TelnetOptionCode.EOR,
  /** We mark prompts with EOR whenever the client asks. */
  acceptLocal: true,
  /** The client's records would mean nothing to us: refused. */
  acceptRemote: false,
});
