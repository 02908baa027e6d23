/**
 * SGA, suppress go-ahead (RFC 858). Without it RFC 854 expects IAC GA after each prompt, which
 * is how MUD clients know where a prompt ends. We offer WILL SGA at connect; once the client
 * agrees, prompts go without GA (character-at-a-time clients want exactly that).
 *
 * Policy: accept on both sides; SGA costs nothing and almost every client asks for it.
 */
import { TelnetOptionCode } from "./constants.js";
import type { OptionModule } from "./options.js";

/**
 * The SGA option's policy. No state of its own: go-ahead is suppressed while our side is on,
 * which the negotiator knows (`isEnabled("local", SGA)`). Shared by every connection: an object
 * each cost 56 B (issue 11 target 3).
 */
export const SGA_OPTION: OptionModule = Object.freeze({
  option: TelnetOptionCode.SGA,
  /** We are happy to stop sending GA. */
  acceptLocal: true,
  /** The client's GAs would be ignored anyway, so it may stop sending them. */
  acceptRemote: true,
});
