/**
 * The session hub: rendering once per variant whatever the crowd, routing both ways, and the
 * per-session flood limit (hardening F1).
 */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import { reason } from "../../src/reactor/interfaces.js";
import type { RenderVariant, SessionEndpoint } from "../../src/session/endpoint.js";
import type { InboundMessage, OutputMessage } from "../../src/session/messages.js";
import { chatter, line } from "../../src/session/messages.js";
import type { Renderer } from "../../src/session/render.js";
import { renderAnsi, renderAnsi256, renderPlain, renderTruecolor } from "../../src/session/render.js";
import { SessionHub } from "../../src/session/session-hub.js";
import { defaultHubOptions } from "../support/default-config.js";

class RecordingEndpoint implements SessionEndpoint {
  readonly sent: Uint8Array[] = [];
  echo: boolean[] = [];
  closedWith: string | undefined;
  /** What the door would report as unread; tests set it. Reads are counted. */
  backlog = 0;
  backlogReads = 0;
  constructor(readonly variant: RenderVariant) {}
  get backlogBytes(): number {
    this.backlogReads++;
    return this.backlog;
  }
  sendRendered(payload: Uint8Array): void {
    this.sent.push(payload);
  }
  sendOob(): void {}
  setEcho(on: boolean): void {
    this.echo.push(on);
  }
  close(why: { code: string }): void {
    this.closedWith = why.code;
  }
  get text(): string {
    return this.sent.map((b) => Buffer.from(b).toString("utf8")).join("");
  }
}

function makeHub(clock = new FakeClock(), chatterBacklogBytes = 1000) {
  const calls: Record<RenderVariant, number> = { plain: 0, ansi: 0, ansi256: 0, truecolor: 0, "ws-text": 0, "ws-json": 0 };
  const counting = (variant: RenderVariant, inner: Renderer): Renderer => (m) => {
    calls[variant]++;
    return inner(m);
  };
  const hub = new SessionHub({
    renderers: {
      plain: counting("plain", renderPlain),
      ansi: counting("ansi", renderAnsi),
      ansi256: counting("ansi256", renderAnsi256),
      truecolor: counting("truecolor", renderTruecolor),
      "ws-text": counting("ws-text", renderPlain),
      "ws-json": counting("ws-json", (m) => Buffer.from(JSON.stringify(m))),
    },
    clock,
    logger: pino({ level: "silent" }),
    options: { ...defaultHubOptions, chatterBacklogBytes },
  });
  const inbound: InboundMessage[] = [];
  hub.attach({ receive: (m) => inbound.push(m) });
  return { hub, calls, inbound, clock };
}

const peer = { address: "127.0.0.1", port: 1 };
const caps = { ansi: false, width: 80, height: 24 };

describe("SessionHub", () => {
  it("renders a message once per variant, not once per recipient", () => {
    const { hub, calls } = makeHub();
    const endpoints = Array.from({ length: 300 }, (_, i) => new RecordingEndpoint((["plain", "ansi", "ws-json"] as const)[i % 3]!));
    const ids = endpoints.map((e) => hub.open("line", peer, caps, e).id);
    const message: OutputMessage = line("Alice says, ", { text: '"hi"', style: "speech" });
    hub.send({ type: "deliver", message, to: ids });
    expect(calls).toEqual({ plain: 1, ansi: 1, ansi256: 0, truecolor: 0, "ws-text": 0, "ws-json": 1 });
    // Recipients of one variant share the very same bytes.
    expect(endpoints[0]!.sent[0]).toBe(endpoints[3]!.sent[0]);
    expect(endpoints[0]!.text).toBe('Alice says, "hi"\r\n');
    expect(endpoints[1]!.text).toBe('Alice says, \x1b[37m"hi"\x1b[0m\r\n');
  });

  it("reports connect, lines and one disconnect per session to the world", () => {
    const { hub, inbound } = makeHub();
    const handle = hub.open("telnet", peer, caps, new RecordingEndpoint("ansi"));
    handle.line("look");
    handle.closed(reason("peer-closed", "bye"));
    handle.closed(reason("peer-error", "again"));
    handle.line("ignored after close");
    expect(inbound.map((m) => m.type)).toEqual(["connected", "line", "disconnected"]);
    const last = inbound[2];
    expect(last?.type === "disconnected" && last.reason.code).toBe("peer-closed");
    expect(hub.size).toBe(0);
  });

  it("routes echo and close to the right endpoint", () => {
    const { hub } = makeHub();
    const a = new RecordingEndpoint("plain");
    const b = new RecordingEndpoint("plain");
    const ha = hub.open("line", peer, caps, a);
    hub.open("line", peer, caps, b);
    hub.send({ type: "echo", session: ha.id, on: false });
    hub.send({ type: "close", session: ha.id, reason: reason("quit", "bye") });
    expect(a.echo).toEqual([false]);
    expect(a.closedWith).toBe("quit");
    expect(b.echo).toEqual([]);
    expect(b.closedWith).toBeUndefined();
  });

  it("F1: a flood of 200 commands keeps the burst, drops the rest with one warning, and recovers", () => {
    const { hub, inbound, clock } = makeHub();
    const endpoint = new RecordingEndpoint("plain");
    const handle = hub.open("line", peer, caps, endpoint);
    for (let i = 0; i < 200; i++) handle.line(`say ${i}`);
    const lines = () => inbound.filter((m) => m.type === "line").length;
    expect(lines()).toBe(40);
    expect(endpoint.text.match(/too fast/g)).toHaveLength(1);
    expect(hub.stats.floodDropped).toBe(160);
    clock.advance(1000);
    handle.line("say later");
    expect(lines()).toBe(41);
    // A second flood a second later gets its own warning, not one per line.
    for (let i = 0; i < 100; i++) handle.line("x");
    expect(endpoint.text.match(/too fast/g)).toHaveLength(2);
  });

  describe("issue 5 item 9: others' tells push a slow reader over the output cap (S1)", () => {
    it("past the soft cap chatter is dropped and counted, essential messages still go", () => {
      const { hub } = makeHub();
      const slow = new RecordingEndpoint("plain");
      const fine = new RecordingEndpoint("plain");
      const ids = [hub.open("line", peer, caps, slow).id, hub.open("line", peer, caps, fine).id];
      slow.backlog = 1001;
      for (let i = 0; i < 5; i++) hub.send({ type: "deliver", message: chatter(`Bob says, "${i}"`), to: ids });
      hub.send({ type: "deliver", message: line("You are hungry."), to: ids });
      expect(slow.text).toBe("You are hungry.\r\n");
      expect(fine.text.split("\r\n")).toHaveLength(7);
      expect(hub.stats.chatterDropped).toBe(5);
      expect(slow.closedWith).toBeUndefined();
    });

    it("at the soft cap exactly chatter still goes; one past, it is dropped", () => {
      const { hub } = makeHub();
      const endpoint = new RecordingEndpoint("plain");
      const id = hub.open("line", peer, caps, endpoint).id;
      endpoint.backlog = 1000;
      hub.send({ type: "deliver", message: chatter("one"), to: [id] });
      endpoint.backlog = 1001;
      hub.send({ type: "deliver", message: chatter("two"), to: [id] });
      expect(endpoint.text).toBe("one\r\n");
      expect(hub.stats.chatterDropped).toBe(1);
    });

    it("once drained, one notice goes before the next message, then nothing more", () => {
      const { hub } = makeHub();
      const endpoint = new RecordingEndpoint("plain");
      const id = hub.open("line", peer, caps, endpoint).id;
      endpoint.backlog = 5000;
      for (let i = 0; i < 3; i++) hub.send({ type: "deliver", message: chatter(`x${i}`), to: [id] });
      // Still behind: an essential message goes, the notice waits.
      hub.send({ type: "deliver", message: line("essential"), to: [id] });
      expect(endpoint.text).toBe("essential\r\n");
      endpoint.backlog = 0;
      hub.send({ type: "deliver", message: chatter("Bob says, \"back\""), to: [id] });
      hub.send({ type: "deliver", message: chatter("again"), to: [id] });
      expect(endpoint.text).toBe('essential\r\n[3 messages dropped]\r\nBob says, "back"\r\nagain\r\n');
    });

    it("a reader who types again gets the notice before the answer; one drop reads in the singular", () => {
      const { hub, inbound } = makeHub();
      const endpoint = new RecordingEndpoint("plain");
      const handle = hub.open("line", peer, caps, endpoint);
      endpoint.backlog = 5000;
      hub.send({ type: "deliver", message: chatter("lost"), to: [handle.id] });
      handle.line("look");
      expect(endpoint.text).toBe("");
      endpoint.backlog = 10;
      handle.line("look");
      expect(endpoint.text).toBe("[1 message dropped]\r\n");
      expect(inbound.filter((m) => m.type === "line")).toHaveLength(2);
    });

    it("the backlog is not read for essential messages to a reader who is keeping up", () => {
      const { hub } = makeHub();
      const endpoint = new RecordingEndpoint("plain");
      const id = hub.open("line", peer, caps, endpoint).id;
      for (let i = 0; i < 10; i++) hub.send({ type: "deliver", message: line("essential"), to: [id] });
      expect(endpoint.backlogReads).toBe(0);
    });
  });
});

describe("SessionHub per-session logging (issue 11 target 3)", () => {
  function loggingHub() {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: "info" }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof logger.child>) => {
      children++;
      return child(...args);
    }) as typeof logger.child;
    const hub = new SessionHub({
      renderers: { plain: renderPlain, ansi: renderAnsi, ansi256: renderAnsi256, truecolor: renderTruecolor, "ws-text": renderPlain, "ws-json": renderPlain },
      clock: new FakeClock(),
      logger,
      options: { ...defaultHubOptions, commandsPerSecond: 1, commandBurst: 1 },
    });
    hub.attach({ receive: () => undefined });
    return { hub, lines, children: () => children };
  }

  it("an idle session makes no child logger, and its connect and disconnect lines carry session, door and peer", () => {
    const { hub, lines, children } = loggingHub();
    const handle = hub.open("line", peer, caps, new RecordingEndpoint("plain"));
    handle.line("look");
    handle.closed(reason("peer-closed", "bye"));
    expect(children()).toBe(0);
    expect(lines.map((l) => [l["msg"], l["session"], l["door"], l["peer"]])).toEqual([
      ["connected", handle.id, "line", "127.0.0.1"],
      ["disconnected", handle.id, "line", "127.0.0.1"],
    ]);
    expect(lines[1]).toMatchObject({ reason: "peer-closed", detail: "bye" });
    expect(lines[1]).not.toHaveProperty("floodDropped");
  });

  it("a flooding session's warning carries the same fields, still with no child logger, and the count rides on the disconnect line", () => {
    const { hub, lines, children } = loggingHub();
    const handle = hub.open("telnet", peer, caps, new RecordingEndpoint("ansi"));
    for (let i = 0; i < 4; i++) handle.line("look");
    handle.closed(reason("peer-closed", "bye"));
    expect(children()).toBe(0);
    const flood = lines.filter((l) => l["msg"] === "command flood: input dropped");
    expect(flood).toHaveLength(1);
    expect(flood[0]).toMatchObject({ session: handle.id, door: "telnet", peer: "127.0.0.1" });
    expect(lines.at(-1)).toMatchObject({ msg: "disconnected", floodDropped: 3 });
  });
});
