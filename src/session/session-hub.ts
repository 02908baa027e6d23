/**
 * The session hub: the gateway side of the Session <-> World boundary. Doors open sessions
 * here; the hub turns their input into InboundMessages for the world, and the world's
 * OutboundMessages into rendered bytes on each endpoint — rendered once per variant.
 */
import type { Logger } from "pino";
import type { Clock } from "../reactor/clock.js";
import type { DisconnectReason, PeerAddress } from "../reactor/interfaces.js";
import type { RenderVariant, SessionEndpoint, SessionHandle, SessionOpener } from "./endpoint.js";
import type {
  ClientCapabilities,
  Door,
  GatewayPort,
  OutboundMessage,
  OutputMessage,
  SessionId,
  WorldPort,
} from "./messages.js";
import { line, styled } from "./messages.js";
import type { Renderer } from "./render.js";
import { TokenBucket } from "../reactor/token-bucket.js";
import { LogLimit } from "../log-limit.js";

/**
 * Limits the hub applies to every session: the operator's (`limits.*`), required, so their
 * defaults are written once, in config/default.yaml (issue 10).
 */
export interface SessionHubOptions {
  /** Commands per second a session may send, sustained (hardening F1; `limits.commandsPerSecond`). */
  readonly commandsPerSecond: number;
  /** Commands a session may send in one burst (`limits.commandBurst`). */
  readonly commandBurst: number;
  /**
   * The soft cap (issue 5 item 9, hardening S1): past this many bytes of unread output an
   * endpoint gets no chatter (other people's talk) until it catches up, then one
   * "[N messages dropped]" notice. Only the door's hard cap (`maxOutputBytes`) disconnects.
   * The server passes `limits.maxOutputBytes * limits.chatterBacklogFraction`.
   */
  readonly chatterBacklogBytes: number;
}

/** What a {@link HubSession} calls back into: one object per hub, its closures shared by every session. */
interface HubInternals {
  line(session: HubSession, text: string): void;
  toWorld(message: Parameters<WorldPort["receive"]>[0]): void;
  closed(session: HubSession, why: DisconnectReason): void;
}

/**
 * One connected person, as the gateway knows them, and the door's handle on them: one object
 * with prototype methods rather than a record plus five closures (issue 11 target 3: a
 * closure and its context cost ~100 B per connection each). It has no child logger: the hub
 * writes its few lines (connect, disconnect, a flood, a slow reader) through its own logger with
 * the same fields a child would add ({@link bindings}); a child cost ~300 B per session. Its
 * flood log is made at its first flood.
 */
class HubSession implements SessionHandle {
  readonly id: SessionId;
  readonly door: Door;
  readonly peer: PeerAddress;
  readonly endpoint: SessionEndpoint;
  readonly bucket: TokenBucket;
  readonly #hub: HubInternals;
  /** When the last flood warning went out (undefined: never), so a flood gets one warning a second, not one per line. */
  warnedAt: number | undefined;
  /** Dropped commands: the first is logged, the rest counted into the disconnect line (issue 5 item 8). */
  floodLog: LogLimit | undefined;
  /** Chatter dropped since this reader fell behind; told to them once they catch up. */
  dropped = 0;
  open = true;

  constructor(hub: HubInternals, id: SessionId, door: Door, peer: PeerAddress, endpoint: SessionEndpoint, bucket: TokenBucket) {
    this.#hub = hub;
    this.id = id;
    this.door = door;
    this.peer = peer;
    this.endpoint = endpoint;
    this.bucket = bucket;
  }

  /** The fields every line about this session carries. */
  bindings(): { session: SessionId; door: Door; peer: string } {
    return { session: this.id, door: this.door, peer: this.peer.address };
  }

  line(text: string): void {
    this.#hub.line(this, text);
  }

  oob(channel: string, data: unknown): void {
    if (this.open) this.#hub.toWorld({ type: "oob", session: this.id, channel, data });
  }

  capabilities(caps: ClientCapabilities): void {
    if (this.open) this.#hub.toWorld({ type: "caps", session: this.id, caps });
  }

  inputEnded(): void {
    if (this.open) this.#hub.toWorld({ type: "input-ended", session: this.id });
  }

  closed(why: DisconnectReason): void {
    this.#hub.closed(this, why);
  }
}

/** Counters for /metrics. */
export interface HubStats {
  opened: number;
  floodDropped: number;
  delivered: number;
  /** Chatter not sent to readers past the soft cap (issue 5 item 9). */
  chatterDropped: number;
}

const FLOOD_WARNING = line(styled("error", "You are sending commands too fast; some were dropped."));

/** Routes between doors and the world. */
export class SessionHub implements SessionOpener, GatewayPort {
  readonly stats: HubStats = { opened: 0, floodDropped: 0, delivered: 0, chatterDropped: 0 };
  readonly #sessions = new Map<SessionId, HubSession>();
  readonly #renderers: Readonly<Record<RenderVariant, Renderer>>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #options: SessionHubOptions;
  #world: WorldPort | undefined;
  #nextId = 1;
  readonly #internals: HubInternals = {
    line: (session, text) => this.#line(session, text),
    toWorld: (message) => this.#requireWorld().receive(message),
    closed: (session, why) => this.#closed(session, why),
  };

  constructor(deps: {
    renderers: Readonly<Record<RenderVariant, Renderer>>;
    clock: Clock;
    logger: Logger;
    options: SessionHubOptions;
  }) {
    this.#renderers = deps.renderers;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#options = deps.options;
  }

  /** Connects the hub to the world. Must be called before any door opens a session. */
  attach(world: WorldPort): void {
    this.#world = world;
  }

  /** Number of open sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Counts open sessions per door, for /metrics and `who`. */
  countByDoor(): Record<Door, number> {
    const counts: Record<Door, number> = { line: 0, telnet: 0, websocket: 0 };
    for (const s of this.#sessions.values()) counts[s.door]++;
    return counts;
  }

  open(door: Door, peer: PeerAddress, caps: ClientCapabilities, endpoint: SessionEndpoint): SessionHandle {
    const world = this.#requireWorld();
    const id = this.#nextId++;
    const bucket = new TokenBucket(this.#clock, {
      perSecond: this.#options.commandsPerSecond,
      burst: this.#options.commandBurst,
    });
    const session = new HubSession(this.#internals, id, door, peer, endpoint, bucket);
    this.#sessions.set(id, session);
    this.stats.opened++;
    this.#logger.info(session.bindings(), "connected");
    world.receive({ type: "connected", session: id, door, peer: peer.address, caps });
    return session;
  }

  send(message: OutboundMessage): void {
    switch (message.type) {
      case "deliver":
        this.#deliver(message.message, message.to);
        return;
      case "oob":
        for (const id of message.to) this.#sessions.get(id)?.endpoint.sendOob(message.channel, message.data);
        return;
      case "echo":
        this.#sessions.get(message.session)?.endpoint.setEcho(message.on);
        return;
      case "colour":
        // What a colour choice means is the door's: telnet changes its variant, others ignore it.
        this.#sessions.get(message.session)?.endpoint.setColour?.(message.mode);
        return;
      case "close": {
        this.#sessions.get(message.session)?.endpoint.close(message.reason);
        return;
      }
      default: {
        const unreachable: never = message;
        throw new Error(`unknown outbound message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Closes every session with `why` (shutdown). */
  closeAll(why: DisconnectReason): void {
    for (const s of [...this.#sessions.values()]) s.endpoint.close(why);
  }

  /**
   * Renders once per variant and width, then queues the same bytes on every recipient's
   * endpoint. The cache holds one entry per (variant, width) in the audience — a handful
   * (terminals cluster on a few widths), whatever the number of recipients.
   *
   * The slow-consumer policy (issue 5 item 9): chatter is not queued for a reader whose backlog
   * is past the soft cap, so others' talk alone can never push them to the hard cap; essential
   * messages always are. The backlog is read only for chatter and for readers owed a notice.
   */
  #deliver(message: OutputMessage, to: readonly SessionId[]): void {
    const isChatter = message.priority === "chatter";
    // Two-level cache (variant, then width): no key string is built per recipient.
    const rendered = new Map<RenderVariant, Map<number | undefined, Uint8Array>>();
    for (const id of to) {
      const session = this.#sessions.get(id);
      if (session === undefined || !session.open) continue;
      if (isChatter || session.dropped > 0) {
        if (session.endpoint.backlogBytes > this.#options.chatterBacklogBytes) {
          if (isChatter) {
            this.#dropChatter(session);
            continue;
          }
        } else if (session.dropped > 0) {
          this.#sendDroppedNotice(session);
        }
      }
      const { variant, width } = session.endpoint;
      let byWidth = rendered.get(variant);
      if (byWidth === undefined) rendered.set(variant, (byWidth = new Map()));
      let bytes = byWidth.get(width);
      if (bytes === undefined) {
        bytes = this.#renderers[variant](message, width);
        byWidth.set(width, bytes);
      }
      session.endpoint.sendRendered(bytes, message.kind);
      this.stats.delivered++;
    }
  }

  #dropChatter(session: HubSession): void {
    if (session.dropped === 0) {
      this.#logger.info({ ...session.bindings(), backlogBytes: session.endpoint.backlogBytes }, "slow reader: dropping chatter until it catches up");
    }
    session.dropped++;
    this.stats.chatterDropped++;
  }

  /** Tells a reader who caught up how much chatter they missed. Once per episode. */
  #sendDroppedNotice(session: HubSession): void {
    const n = session.dropped;
    session.dropped = 0;
    const notice = line(styled("notice", `[${n} message${n === 1 ? "" : "s"} dropped]`));
    session.endpoint.sendRendered(this.#renderers[session.endpoint.variant](notice, session.endpoint.width), "line");
  }

  #line(session: HubSession, text: string): void {
    if (!session.open) return;
    // A reader typing again is reading again: the notice comes before the answer to the command.
    if (session.dropped > 0 && session.endpoint.backlogBytes <= this.#options.chatterBacklogBytes) this.#sendDroppedNotice(session);
    if (!session.bucket.take()) {
      this.stats.floodDropped++;
      session.floodLog ??= new LogLimit(this.#clock);
      if (session.floodLog.allow()) this.#logger.warn(session.bindings(), "command flood: input dropped");
      const now = this.#clock.now();
      if (session.warnedAt === undefined || now - session.warnedAt >= 1000) {
        session.warnedAt = now;
        session.endpoint.sendRendered(this.#renderers[session.endpoint.variant](FLOOD_WARNING, session.endpoint.width), "line");
      }
      return;
    }
    this.#requireWorld().receive({ type: "line", session: session.id, text });
  }

  #closed(session: HubSession, why: DisconnectReason): void {
    if (!session.open) return;
    session.open = false;
    this.#sessions.delete(session.id);
    // The flood's summary rides on the disconnect line: one line per session however long it flooded.
    const flooded = session.floodLog?.total ?? 0;
    this.#logger.info({ ...session.bindings(), reason: why.code, detail: why.message, ...(flooded > 0 ? { floodDropped: flooded } : {}) }, "disconnected");
    this.#requireWorld().receive({ type: "disconnected", session: session.id, reason: why });
  }

  #requireWorld(): WorldPort {
    if (this.#world === undefined) throw new Error("SessionHub.attach(world) was not called");
    return this.#world;
  }
}
