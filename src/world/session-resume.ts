/**
 * Which resume tokens each connection was handed (issue 9, docs/web-client.md, "Resume tokens"), so that
 * `quit` revokes exactly those: the player who quits on the phone is logged out there, and the
 * laptop's token still works. A dropped connection revokes nothing: resuming after a drop is
 * what the tokens are for.
 *
 * Only hashes are kept here; the token itself goes straight to the client in
 * `Loom.Resume.Token` and nowhere else (never a log line, A4).
 */
import type { IssuedResumeToken, ResumeTokens } from "../accounts/resume-tokens.js";
import type { GatewayPort, SessionId } from "../session/messages.js";

/** What {@link SessionResume} needs. */
export interface SessionResumeDeps {
  readonly tokens: ResumeTokens;
  readonly gateway: GatewayPort;
  /**
   * `accounts.maxResumeTokensPerPlayer`, also the most tokens one connection is handed: a
   * client needs one per connection (and one per resume); more asks are ignored, so a client
   * repeating `Loom.Resume.Ask` cannot make the server write to its database at its pace.
   */
  readonly maxPerSession: number;
}

/** The `Loom.Resume.Token` payload (src/session/gmcp-packages.ts). */
export interface ResumeTokenMessage {
  readonly token: string;
  /** Unix milliseconds. */
  readonly expiresAt: number;
}

/** The tokens handed to each open connection. */
export class SessionResume {
  readonly #deps: SessionResumeDeps;
  /** Per connection that asked: the hashes of what it was handed, oldest first. */
  readonly #handed = new Map<SessionId, string[]>();

  constructor(deps: SessionResumeDeps) {
    this.#deps = deps;
  }

  /**
   * `Loom.Resume.Ask` from a playing connection: a token for its player, sent to it, and from
   * now on a fresh one after every resume. Ignored past {@link SessionResumeDeps.maxPerSession}.
   * Throws what the store throws.
   */
  ask(session: SessionId, playerKey: string): void {
    if ((this.#handed.get(session)?.length ?? 0) >= this.#deps.maxPerSession) return;
    this.#hand(session, this.#deps.tokens.issue(playerKey));
  }

  /** The connection logged in with a token and was issued `next` in its place: it gets it unasked. */
  resumed(session: SessionId, next: IssuedResumeToken): void {
    this.#hand(session, next);
  }

  /** The player typed `quit`: the tokens this connection was handed stop working. */
  quit(session: SessionId): void {
    const hashes = this.#handed.get(session);
    this.#handed.delete(session);
    if (hashes !== undefined) this.#deps.tokens.revoke(hashes);
  }

  /** The connection is gone without `quit` (dropped, replaced, kicked): its tokens stay good. */
  forget(session: SessionId): void {
    this.#handed.delete(session);
  }

  #hand(session: SessionId, issued: IssuedResumeToken): void {
    const hashes = this.#handed.get(session) ?? [];
    hashes.push(issued.tokenHash);
    this.#handed.set(session, hashes);
    const data: ResumeTokenMessage = { token: issued.token, expiresAt: issued.expiresAt };
    this.#deps.gateway.send({ type: "oob", channel: "Loom.Resume.Token", data, to: [session] });
  }
}
