/**
 * The hub with readers at every colour depth in one audience (issue 8, "Colour"): each message
 * is rendered once per (variant, width), never per reader; a reader whose door changes its
 * variant between messages gets the new one at once; a colour choice reaches the endpoint.
 */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import type { RenderVariant, SessionEndpoint } from "../../src/session/endpoint.js";
import type { ColourMode } from "../../src/session/messages.js";
import { line, styled } from "../../src/session/messages.js";
import type { Renderer } from "../../src/session/render.js";
import { terminalRenderers } from "../../src/session/render.js";
import { SessionHub } from "../../src/session/session-hub.js";
import { defaultHubOptions } from "../support/default-config.js";

/** An endpoint whose variant the test changes, as the telnet door does. */
class Reader implements SessionEndpoint {
  readonly sent: Uint8Array[] = [];
  readonly colours: ColourMode[] = [];
  backlogBytes = 0;
  constructor(
    public variant: RenderVariant,
    readonly width: number | undefined,
  ) {}
  sendRendered(payload: Uint8Array): void {
    this.sent.push(payload);
  }
  sendOob(): void {}
  setEcho(): void {}
  close(): void {}
  setColour(mode: ColourMode): void {
    this.colours.push(mode);
  }
  get last(): string {
    return Buffer.from(this.sent.at(-1) ?? new Uint8Array()).toString("utf8");
  }
}

/** The same, for a door with no colour (no `setColour`). */
class PlainReader implements SessionEndpoint {
  readonly variant: RenderVariant = "plain";
  readonly sent: Uint8Array[] = [];
  backlogBytes = 0;
  sendRendered(payload: Uint8Array): void {
    this.sent.push(payload);
  }
  sendOob(): void {}
  setEcho(): void {}
  close(): void {}
}

function makeHub() {
  const calls: [RenderVariant, number | undefined][] = [];
  const renderers = {} as Record<RenderVariant, Renderer>;
  const all = { ...terminalRenderers, "ws-text": terminalRenderers.plain, "ws-json": terminalRenderers.plain };
  for (const [variant, inner] of Object.entries(all) as [RenderVariant, Renderer][]) {
    renderers[variant] = (message, width) => {
      calls.push([variant, width]);
      return inner(message, width);
    };
  }
  const hub = new SessionHub({ renderers, clock: new FakeClock(), logger: pino({ level: "silent" }), options: defaultHubOptions });
  hub.attach({ receive: () => {} });
  return { hub, calls };
}

const peer = { address: "127.0.0.1", port: 1 };
const caps = { ansi: true, width: 80, height: 24 };
const SAY = line(styled("name", "Alice"), " says, ", styled("speech", '"hi"'));

describe("SessionHub with mixed colour depths", () => {
  it("renders once per (variant, width) however many read it, and every reader of a pair shares the bytes", () => {
    const { hub, calls } = makeHub();
    const variants = ["plain", "ansi", "ansi256", "truecolor"] as const;
    const widths = [79, 119] as const;
    const readers = Array.from({ length: 400 }, (_, i) => new Reader(variants[i % 4]!, widths[Math.floor(i / 4) % 2]!));
    const ids = readers.map((r) => hub.open("telnet", peer, caps, r).id);
    hub.send({ type: "deliver", message: SAY, to: ids });
    expect(calls).toHaveLength(8);
    expect(new Set(calls.map(([v, w]) => `${v}/${w}`)).size).toBe(8);
    // Reader i and reader i + 8 have the same variant and width: the very same buffer.
    expect(readers[0]!.sent[0]).toBe(readers[8]!.sent[0]);
    expect(readers[0]!.last).toBe('Alice says, "hi"\r\n');
    expect(readers[1]!.last).toBe('\x1b[1;33mAlice\x1b[0m says, \x1b[37m"hi"\x1b[0m\r\n');
    expect(readers[2]!.last).toBe('\x1b[1;38;5;221mAlice\x1b[0m says, \x1b[38;5;230m"hi"\x1b[0m\r\n');
    expect(readers[3]!.last).toBe('\x1b[1;38;2;242;201;76mAlice\x1b[0m says, \x1b[38;2;255;245;208m"hi"\x1b[0m\r\n');
    expect(hub.stats.delivered).toBe(400);
  });

  it("a reader whose door changed its variant gets the next message in the new one", () => {
    const { hub, calls } = makeHub();
    const a = new Reader("ansi", 79);
    const b = new Reader("ansi", 79);
    const ids = [hub.open("telnet", peer, caps, a).id, hub.open("telnet", peer, caps, b).id];
    hub.send({ type: "deliver", message: SAY, to: ids });
    a.variant = "ansi256";
    b.variant = "plain";
    hub.send({ type: "deliver", message: SAY, to: ids });
    expect(calls.map(([v]) => v)).toEqual(["ansi", "ansi256", "plain"]);
    expect(a.last).toContain("\x1b[1;38;5;221m");
    expect(b.last).toBe('Alice says, "hi"\r\n');
  });

  it("passes a colour choice to its endpoint only; a door without colour is not asked", () => {
    const { hub, calls } = makeHub();
    const telnet = new Reader("ansi", 79);
    const other = new Reader("ansi", 79);
    const raw = new PlainReader();
    const t = hub.open("telnet", peer, caps, telnet).id;
    hub.open("telnet", peer, caps, other);
    const l = hub.open("line", peer, { ansi: false, width: 80, height: 24 }, raw).id;
    hub.send({ type: "colour", session: t, mode: "256" });
    hub.send({ type: "colour", session: l, mode: "truecolor" });
    hub.send({ type: "colour", session: 999, mode: "off" });
    expect(telnet.colours).toEqual(["256"]);
    expect(other.colours).toEqual([]);
    expect(raw.sent).toEqual([]);
    expect(calls).toEqual([]);
  });
});
