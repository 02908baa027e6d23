/**
 * One connection's GMCP conversation, whatever carries it (telnet option 201, the WebSocket
 * `gmcp.mudstandards.org` subprotocol): the `Core` package, which modules the client listed in
 * `Core.Supports`, and which outbound messages it gets.
 *
 * Inbound (IRE, nexus.ironrealms.com/GMCP):
 * - `Core.Hello { "client", "version" }` is kept as the client's identity.
 * - `Core.Supports.Set [...]` replaces the module list, `.Add` merges, `.Remove` removes.
 * - `Core.Ping` is answered with `Core.Ping` (no body).
 * - Any other message is passed on, for the session (`Core.KeepAlive` included).
 * Every body is checked with the zod schemas of `gmcp-packages.ts`; a bad one changes nothing
 * and comes back as `rejected`, for the owner to count and log.
 *
 * Outbound: `Core.*` and `Comm.Channel.*` go to every client that agreed to GMCP (Mudlet never
 * lists `Comm`, yet shows channels); anything else only when the client listed its module or an
 * ancestor of it (`Char` covers `Char.Name`; `Char.Items` does not cover `Char.Name`), or the
 * message itself (`room.info`, as some MUSHclient plug-ins list it). Case-insensitively: GMCP
 * names are.
 *
 * Bounded (hardening: a client cannot make the server queue unbounded GMCP): the module list
 * holds at most `maxSupports` entries; what the server writes in answer to the client
 * (`Core.Ping` answers, state resent after a `Core.Supports` change) takes a token from one
 * bucket, and messages passed on to the session from another. Outbound traffic the world makes
 * is bounded by the door's output cap like any other output.
 *
 * No socket, no timers: time is read from the injected Clock, and output goes to a
 * {@link GmcpPeer}.
 */
import type { Clock } from "../../src/reactor/clock.js";
import { TokenBucket } from "../../src/reactor/token-bucket.js";
import {
  coreHelloSchema,
  corePingSchema,
  coreSupportsSchema,
  replayKey,
  MAX_GMCP_SUPPORTS,
  type CoreHello,
  type SupportsEntry,
} from "../../src/session/gmcp-packages.js";
import type { GmcpMessage } from "./gmcp-message.js";

/** Where a {@link GmcpCore} sends messages: the owner encodes them for its transport. */
export interface GmcpPeer {
  /** Sends one message to the client. Called only while GMCP is enabled. */
  send(message: GmcpMessage): void;
}

/** Limits of a {@link GmcpCore}. Every one has a safe default. */
export interface GmcpLimits {
  /** Answers per second the client can cause (`Core.Ping`, resent state). Default {@link DEFAULT_GMCP_LIMITS}. */
  readonly repliesPerSecond?: number;
  /** Answers in one burst. Default 10. */
  readonly replyBurst?: number;
  /** Messages per second passed on to the session. Default 20, the command rate (hardening F1). */
  readonly messagesPerSecond?: number;
  /** Messages passed on in one burst. Default 40. */
  readonly messageBurst?: number;
  /** Most modules in the `Core.Supports` list. Default {@link MAX_GMCP_SUPPORTS} (64). */
  readonly maxSupports?: number;
}

/**
 * Defaults of {@link GmcpLimits}. Clients that ping do so every few seconds (Mudlet's and the
 * Nexus client's latency meters); a connect sends Hello, Supports.Set and perhaps a few Adds.
 */
export const DEFAULT_GMCP_LIMITS = Object.freeze({
  repliesPerSecond: 2,
  replyBurst: 10,
  messagesPerSecond: 20,
  messageBurst: 40,
  maxSupports: MAX_GMCP_SUPPORTS,
} satisfies Required<GmcpLimits>);

/**
 * Why an inbound message was not acted on. Stable codes, never reused.
 * - `bad-payload`: a `Core.*` body failed its schema.
 * - `too-many-supports`: the module list would pass `maxSupports`.
 * - `throttled`: over a rate limit; the message was dropped.
 */
export const GmcpRejections = ["bad-payload", "too-many-supports", "throttled"] as const;
/** One of {@link GmcpRejections}. */
export type GmcpRejection = (typeof GmcpRejections)[number];

/**
 * What an inbound message came to.
 * - `handled`: a `Core` message, dealt with here (a ping answered, the module list changed).
 * - `hello`: `Core.Hello` with a new name or version; {@link GmcpCore.hello} changed.
 * - `pass`: not ours; the owner hands it to the session.
 * - `rejected`: nothing changed; the owner counts and logs it.
 */
export type GmcpInbound =
  | { readonly type: "handled" }
  | { readonly type: "hello"; readonly hello: CoreHello }
  | { readonly type: "pass"; readonly message: GmcpMessage }
  | { readonly type: "rejected"; readonly code: GmcpRejection; readonly detail: string };

/** Prefixes sent to any GMCP client, listed or not (lowercase, without the trailing dot). */
const ALWAYS_SENT = ["core", "comm.channel"] as const;

const HANDLED: GmcpInbound = Object.freeze({ type: "handled" });

/** The GMCP state of one connection. */
export class GmcpCore {
  readonly #peer: GmcpPeer;
  readonly #clock: Clock;
  readonly #limits: GmcpLimits;
  /**
   * The two rate limits, made on first use: most connections never send a GMCP message, and the
   * pair cost ~200 B each (issue 11 target 3). A bucket starts full, so when it is made does
   * not change what it allows.
   */
  #replyBucket: TokenBucket | undefined;
  #messageBucket: TokenBucket | undefined;
  readonly #maxSupports: number;
  /** Listed modules: lowercase name -> the entry as the client wrote it; undefined until a list comes. */
  #supports: Map<string, SupportsEntry> | undefined;
  /**
   * The latest of each replayed message the session sent, sent or not, in the order their keys
   * first came: `#latestData[i]` is the data of the latest message under `#latestKeys[i]`, whose
   * name is the key up to its first space (replayKey, src/session/gmcp-packages.ts). A handful at
   * most, so two exact-size arrays (copied on the rare new key) rather than a Map of message
   * objects, whose table alone cost ~260 B per connection (issue 11 target 3).
   */
  #latestKeys: readonly string[] | undefined;
  #latestData: unknown[] | undefined;
  /**
   * True once the client refused GMCP or turned it off: nothing is kept from then until it
   * agrees again, when the owner asks the session for the current state instead (setEnabled).
   * Keeping a copy of every connection's state for the rare client that agrees late cost
   * ~3.9 KiB per idle telnet connection that refused GMCP, a crowd's per-reader Room.Players
   * lists most of it (issue 11 target 3).
   */
  #forgotten = false;
  #enabled = false;
  #hello: CoreHello | undefined;

  /** `peer` receives what is sent; `clock` times the rate limits. */
  constructor(peer: GmcpPeer, clock: Clock, limits: GmcpLimits = DEFAULT_GMCP_LIMITS) {
    this.#peer = peer;
    this.#clock = clock;
    this.#limits = limits;
    const options = { ...DEFAULT_GMCP_LIMITS, ...limits };
    for (const [key, value] of Object.entries(options)) {
      if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`GmcpCore: ${key} must be a positive number, got ${value}`);
    }
    this.#maxSupports = options.maxSupports;
  }

  /** The limit on replies the client's messages cause (pings, a module list's state). */
  get #replies(): TokenBucket {
    const limits = this.#limits;
    return (this.#replyBucket ??= new TokenBucket(this.#clock, {
      perSecond: limits.repliesPerSecond ?? DEFAULT_GMCP_LIMITS.repliesPerSecond,
      burst: limits.replyBurst ?? DEFAULT_GMCP_LIMITS.replyBurst,
    }));
  }

  /** The limit on messages passed to the session. */
  get #messages(): TokenBucket {
    const limits = this.#limits;
    return (this.#messageBucket ??= new TokenBucket(this.#clock, {
      perSecond: limits.messagesPerSecond ?? DEFAULT_GMCP_LIMITS.messagesPerSecond,
      burst: limits.messageBurst ?? DEFAULT_GMCP_LIMITS.messageBurst,
    }));
  }

  /** True while the client has agreed to GMCP. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** The client's `Core.Hello`, once it sent a valid one. */
  get hello(): CoreHello | undefined {
    return this.#hello;
  }

  /** The modules the client listed, as it wrote them with their versions: `["Char 1", "Room 1"]`. */
  get supports(): string[] {
    return [...(this.#supports?.values() ?? [])].map((entry) => `${entry.module} ${entry.version}`);
  }

  /**
   * The client agreed to GMCP (`true`) or stopped (`false`). On agreement the latest state the
   * session sent before is sent, where allowed. Stopping forgets the module list (a client that
   * agrees again sends a new one) and the state kept (see {@link refused}). Idempotent.
   *
   * Returns true when the client agrees after state was forgotten: the owner must then ask the
   * session for the current state (`GMCP_STATE_REQUEST`, gmcp-packages.ts), which comes back through
   * {@link send}.
   */
  setEnabled(on: boolean): boolean {
    if (on === this.#enabled) return false;
    if (!on) {
      this.#enabled = false;
      this.#supports = undefined;
      this.refused();
      return false;
    }
    this.#enabled = true;
    if (this.#forgotten) {
      this.#forgotten = false;
      return true;
    }
    // No reply token: how often a client can turn GMCP on is its transport's to bound (telnet's
    // negotiator answers at most 32 requests per option, hardening T3).
    const data = this.#latestData;
    this.#latestKeys?.forEach((key, at) => {
      const name = nameOf(key);
      if (this.allows(name)) this.#peer.send({ name, data: data?.[at] });
    });
    return false;
  }

  /**
   * The client refused GMCP (or left it): the state kept for it is dropped, and nothing is kept
   * while GMCP is off. Most telnet clients refuse for good; one that agrees later is sent the
   * state afresh ({@link setEnabled}). Idempotent.
   */
  refused(): void {
    if (this.#enabled) return;
    this.#forgotten = true;
    this.#latestKeys = undefined;
    this.#latestData = undefined;
  }

  /** Whether `name` would be sent to this client now (ignoring whether GMCP is enabled). */
  allows(name: string): boolean {
    const lower = name.toLowerCase();
    for (const prefix of ALWAYS_SENT) if (lower.startsWith(prefix) && lower.charAt(prefix.length) === ".") return true;
    const supports = this.#supports;
    if (supports === undefined) return false;
    let dot = lower.indexOf(".");
    while (dot !== -1) {
      if (supports.has(lower.slice(0, dot))) return true;
      dot = lower.indexOf(".", dot + 1);
    }
    return supports.has(lower);
  }

  /**
   * Sends a message from the session when the client agreed to GMCP and its module is allowed;
   * returns whether it went. State messages are remembered either way, to be sent once allowed.
   */
  send(name: string, data: unknown): boolean {
    const key = replayKey(name, data);
    if (key !== undefined && !this.#forgotten) this.#remember(key, data);
    if (!this.#enabled || !this.allows(name)) return false;
    this.#peer.send({ name, data });
    return true;
  }

  /** Keeps `message` as the latest under `key`: in place of the one before, else after the rest. */
  #remember(key: string, data: unknown): void {
    const keys = this.#latestKeys;
    const at = keys?.indexOf(key) ?? -1;
    if (at === -1 || this.#latestData === undefined) {
      // Concatenated, not pushed or spread: those keep room for 17 or more (issue 11 target 3).
      // Made on the first message, not per connection: most telnet clients refuse GMCP first.
      this.#latestKeys = (keys ?? []).concat([key]);
      this.#latestData = (this.#latestData ?? []).concat([data]);
    } else {
      this.#latestData[at] = data;
    }
  }

  /** Acts on one message from the client. Never throws. */
  receive(message: GmcpMessage): GmcpInbound {
    switch (message.name.toLowerCase()) {
      case "core.hello": {
        const hello = coreHelloSchema.safeParse(message.data);
        if (!hello.success) return rejected("bad-payload", 'Core.Hello: expected { "client", "version" }');
        // The same again changes nothing, so it tells the session nothing (as NAWS does).
        if (this.#hello?.client === hello.data.client && this.#hello.version === hello.data.version) return HANDLED;
        this.#hello = hello.data;
        return { type: "hello", hello: hello.data };
      }
      case "core.supports.set":
        return this.#changeSupports(message, () => new Map());
      case "core.supports.add":
        return this.#changeSupports(message, (list) => new Map(list));
      case "core.supports.remove":
        return this.#removeSupports(message);
      case "core.ping":
        if (!corePingSchema.safeParse(message.data).success) return rejected("bad-payload", "Core.Ping: expected no body or a number");
        if (!this.#replies.take()) return rejected("throttled", "Core.Ping: too many; not answered");
        this.#peer.send({ name: "Core.Ping", data: undefined });
        return HANDLED;
      default:
        if (!this.#messages.take()) return rejected("throttled", `${message.name}: too many GMCP messages; dropped`);
        return { type: "pass", message };
    }
  }

  /** Set and Add: `start` gives the list to add the entries to (empty for Set). */
  #changeSupports(message: GmcpMessage, start: (list: ReadonlyMap<string, SupportsEntry>) => Map<string, SupportsEntry>): GmcpInbound {
    const entries = coreSupportsSchema.safeParse(message.data);
    if (!entries.success) return rejected("bad-payload", `${message.name}: expected a list of "Module version" strings`);
    const next = start(this.#supports ?? new Map());
    // A later version takes precedence, even a lower one (IRE).
    for (const entry of entries.data) next.set(entry.module.toLowerCase(), entry);
    if (next.size > this.#maxSupports) return rejected("too-many-supports", `${message.name}: more than ${this.#maxSupports} modules`);
    this.#replace(next);
    return HANDLED;
  }

  #removeSupports(message: GmcpMessage): GmcpInbound {
    const entries = coreSupportsSchema.safeParse(message.data);
    if (!entries.success) return rejected("bad-payload", `${message.name}: expected a list of module names`);
    const next = new Map(this.#supports ?? []);
    for (const entry of entries.data) next.delete(entry.module.toLowerCase());
    this.#replace(next);
    return HANDLED;
  }

  /**
   * Installs a new module list and sends the state it newly allows. That output is the client's
   * doing (a Remove and an Add in a loop would repeat it), so it costs a reply token; without
   * one the list still changes and the state goes with the world's next update.
   */
  #replace(next: Map<string, SupportsEntry>): void {
    const names = (this.#latestKeys ?? []).map(nameOf);
    const data = this.#latestData ?? [];
    const before = names.map((name) => this.allows(name));
    this.#supports = next;
    if (!this.#enabled) return;
    const newly = names.flatMap((name, at) => (!before[at] && this.allows(name) ? [{ name, data: data[at] }] : []));
    if (newly.length === 0 || !this.#replies.take()) return;
    for (const message of newly) this.#peer.send(message);
  }
}

/** The message name a replay key stands for: the key up to its first space. */
function nameOf(key: string): string {
  const space = key.indexOf(" ");
  return space === -1 ? key : key.slice(0, space);
}

function rejected(code: GmcpRejection, detail: string): GmcpInbound {
  return { type: "rejected", code, detail };
}
