/**
 * GMCP over a WebSocket: the `gmcp.mudstandards.org` and `json.mudstandards.org` subprotocols'
 * text frames. The conversation itself (`Core.Hello`, `Core.Supports`, `Core.Ping`, rate limits,
 * which messages a client gets) is telnet's, the same {@link GmcpCore} (protocols/gmcp/); this
 * module only frames it: one message per text frame, bare (`Package.Name <json>`) under `gmcp.`,
 * in a `{"proto":"gmcp"}` envelope under `json.`. No socket: frames go to a {@link GmcpLink}.
 */
import type { Clock } from "../../src/reactor/clock.js";
import { GmcpCore, type GmcpRejection } from "../gmcp/gmcp-core.js";
import { encodeGmcpText, type GmcpMessage } from "../gmcp/gmcp-message.js";
import { formatGmcpEnvelope } from "./json-envelope.js";

/** What the GMCP side of a connection does to the connection. Implemented by the connection. */
export interface GmcpLink {
  /** Queues one text frame, in order with the rest of the connection's output. */
  sendText(text: string): void;
  /** The client introduced itself (`Core.Hello`): `"Mudlet 4.17.2"`, as telnet reports it. */
  hello(client: string): void;
  /** A message that is not `Core` business, for the session. `data` is null when it had no body. */
  pass(name: string, data: unknown): void;
  /** A message from the client was not acted on; for a bounded log. */
  rejected(code: GmcpRejection, detail: string): void;
  /**
   * Data the server made could not be written as JSON (a cycle, a BigInt): a server bug, dropped.
   * `cause` is the encoder's error when it threw (the encoders here return `undefined` instead).
   */
  unencodable(name: string, cause?: unknown): void;
}

/** One connection's GMCP, framed for a WebSocket. */
export class WebSocketGmcp {
  readonly #core: GmcpCore;
  readonly #link: GmcpLink;

  /** `framing` is the subprotocol's: bare messages (`gmcp`) or envelopes (`json`). */
  constructor(framing: "gmcp" | "json", link: GmcpLink, clock: Clock) {
    this.#link = link;
    const encode = framing === "json" ? formatGmcpEnvelope : encodeGmcpText;
    this.#core = new GmcpCore({ send: (message) => this.#write(encode, message) }, clock);
    // Selecting the subprotocol was the client's agreement to GMCP, as DO GMCP is on telnet.
    this.#core.setEnabled(true);
  }

  /** The server's out-of-band data: sent if `Core.Supports` allows it, state kept until it does. */
  send(name: string, data: unknown): void {
    this.#core.send(name, data);
  }

  /** One GMCP message from the client. Never throws. */
  receive(name: string, data: unknown): void {
    const result = this.#core.receive({ name, data });
    switch (result.type) {
      case "handled":
        return;
      case "hello":
        this.#link.hello(`${result.hello.client} ${result.hello.version}`.trim());
        return;
      case "pass":
        // The session boundary is JSON: a message without a body arrives as null.
        this.#link.pass(result.message.name, result.message.data ?? null);
        return;
      case "rejected":
        this.#link.rejected(result.code, result.detail);
        return;
      default: {
        const unreachable: never = result;
        return unreachable;
      }
    }
  }

  #write(encode: (name: string, data: unknown) => string | undefined, message: GmcpMessage): void {
    let text: string | undefined;
    try {
      text = encode(message.name, message.data);
    } catch (err) {
      this.#link.unencodable(message.name, err);
      return;
    }
    if (text === undefined) this.#link.unencodable(message.name);
    else this.#link.sendText(text);
  }
}
