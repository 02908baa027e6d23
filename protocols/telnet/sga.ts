/**
 * SGA, suppress go-ahead (RFC 858). Without it RFC 854 expects IAC GA after each prompt, which
 * is how MUD clients know where a prompt ends. We offer WILL SGA at connect; once the client
 * agrees, prompts go without GA (character-at-a-time clients want exactly that).
 *
 * Policy: accept on both sides; SGA costs nothing and almost every client asks for it.
 */
import { TelnetOptionCode } from "./constants.js";
import type { OptionModule, Side } from "./options.js";

/** The SGA option's policy and state. */
export class SgaOption implements OptionModule {
  /** {@link TelnetOptionCode.SGA}. */
  readonly option = TelnetOptionCode.SGA;
  /** We are happy to stop sending GA. */
  readonly acceptLocal = true;
  /** The client's GAs would be ignored anyway, so it may stop sending them. */
  readonly acceptRemote = true;
  #suppressed = false;

  /** True while our side's SGA is in effect: prompts are not followed by IAC GA. */
  get goAheadSuppressed(): boolean {
    return this.#suppressed;
  }

  /** Tracks our side, the one that decides whether we send GA. */
  onChange(side: Side, enabled: boolean): void {
    if (side === "local") this.#suppressed = enabled;
  }
}
