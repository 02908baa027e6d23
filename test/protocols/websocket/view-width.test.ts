/**
 * Hardening E9 over the WebSocket door: text for a browser is wrapped at the view width its
 * page reports in a `caps` frame, as a terminal's is at its NAWS width
 * (test/integration/terminal-width.test.ts). A real SessionHub renders, so the width goes the
 * whole way: caps frame, the endpoint's `width`, the hub's render cache key, the renderer.
 */
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { WINDOW_SIZE_LIMITS } from "../../../protocols/telnet/naws.js";
import { webSocketRenderers } from "../../../protocols/websocket/render.js";
import type { TextFrame } from "../../../protocols/websocket/wire.js";
import { FakeClock } from "../../../src/reactor/clock.js";
import { line, styled } from "../../../src/session/messages.js";
import { spansText, terminalRenderers } from "../../../src/session/render.js";
import { SessionHub } from "../../../src/session/session-hub.js";
import { startDoorHarness, type ClientProbe, type DoorHarness } from "./harness.js";
import { defaultHubOptions } from "../../support/default-config.js";

let harness: DoorHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The door with a real SessionHub, whose world says every command back as one line of speech. */
async function startWithHub(): Promise<DoorHarness> {
  const hub = new SessionHub({
    renderers: { ...terminalRenderers, ...webSocketRenderers },
    clock: new FakeClock(),
    logger: pino({ level: "silent" }),
    options: defaultHubOptions,
  });
  hub.attach({
    receive: (message) => {
      if (message.type === "line") hub.send({ type: "deliver", message: line(styled("speech", message.text)), to: [message.session] });
    },
  });
  harness = await startDoorHarness({ opener: hub });
  return harness;
}

/** Sends `command` and returns the lines of the `ws-json` answer's text. */
async function answerLines(client: ClientProbe, command: string): Promise<string[]> {
  client.ws.send(command);
  const frame = (await client.nextJson()) as TextFrame;
  return spansText(frame.spans).split("\n");
}

function sendCaps(client: ClientProbe, width: number, height = 24): void {
  client.ws.send(JSON.stringify({ t: "caps", width, height }));
}

/** Width in cells, counted as the wrapper counts them (code points). */
function cells(text: string): number {
  return [...text].length;
}

/** Everything but the whitespace, to show wrapping lost no text. */
function ink(text: string): string {
  return text.replace(/\s+/g, "");
}

const LONG = `The weaver hums as the shuttle flies, ${"x".repeat(45)} and threads of every colour run from wall to wall.`;

describe("E9: a browser's text is wrapped at the width its page reports", () => {
  it("unwrapped before caps, wrapped at 20 after caps width 20, unwrapped again after caps width 0", async () => {
    const h = await startWithHub();
    const client = await h.connect(["loom.v1.json"]);

    expect(await answerLines(client, LONG)).toEqual([LONG]);

    sendCaps(client, 20, 10);
    const wrapped = await answerLines(client, LONG);
    expect(wrapped.length).toBeGreaterThan(1);
    for (const l of wrapped) expect(cells(l)).toBeLessThanOrEqual(20);
    expect(ink(wrapped.join(""))).toBe(ink(LONG));

    sendCaps(client, 0, 0);
    expect(await answerLines(client, LONG)).toEqual([LONG]);
  });

  it("keeps the styles of wrapped spans", async () => {
    const h = await startWithHub();
    const client = await h.connect(["loom.v1.json"]);
    sendCaps(client, 20);
    client.ws.send(LONG);
    const frame = (await client.nextJson()) as TextFrame;
    expect(frame.spans).toEqual([{ text: expect.stringContaining("\n") as unknown, style: "speech" }]);
  });

  it("a huge caps width is clamped to NAWS's largest, and a tiny one to its smallest", async () => {
    const h = await startWithHub();
    const client = await h.connect(["loom.v1.json"]);
    const { minWidth, maxWidth } = WINDOW_SIZE_LIMITS;
    // One word longer than any line: it is cut at exactly the width.
    const wide = "x".repeat(maxWidth + maxWidth / 2);

    sendCaps(client, 65535, 65535);
    const atMax = await answerLines(client, wide);
    expect(atMax.length).toBeGreaterThan(1);
    expect(Math.max(...atMax.map(cells))).toBe(maxWidth);

    sendCaps(client, 3);
    const atMin = await answerLines(client, LONG);
    expect(Math.max(...atMin.map(cells))).toBeLessThanOrEqual(minWidth);
    expect(Math.max(...atMin.map(cells))).toBeGreaterThan(3);
  });

  it("the door's own answers are wrapped too", async () => {
    const h = await startWithHub();
    const client = await h.connect(["loom.v1.json"]);
    sendCaps(client, 20);
    client.ws.send(Buffer.from("look"), { binary: true });
    const frame = (await client.nextJson()) as TextFrame;
    const lines = spansText(frame.spans).split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(cells(l)).toBeLessThanOrEqual(20);
  });

  it("ws-text is never wrapped: a caps-shaped frame there is a command", async () => {
    const h = await startWithHub();
    const client = await h.connect();
    client.ws.send('{"t":"caps","width":20,"height":10}');
    expect(await client.next()).toBe('{"t":"caps","width":20,"height":10}');
    client.ws.send(LONG);
    expect(await client.next()).toBe(LONG);
  });

  it("the endpoint's width is a plain data field the hub can read cheaply, set by caps frames", async () => {
    harness = await startDoorHarness();
    const h = harness;
    const client = await h.connect(["loom.v1.json"]);
    const session = await h.opener.session();
    const width = (): PropertyDescriptor | undefined => Object.getOwnPropertyDescriptor(session.endpoint, "width");
    expect(width()).toMatchObject({ value: undefined, writable: true });
    expect(width()?.get).toBeUndefined();

    sendCaps(client, 132, 40);
    await h.opener.until(() => session.caps.length === 1);
    expect(session.endpoint.width).toBe(132);
    expect(width()?.get).toBeUndefined();

    sendCaps(client, 0, 0);
    await h.opener.until(() => session.caps.length === 2);
    expect(session.endpoint.width).toBeUndefined();
    // The world is still told a width: 80 for unknown, as a terminal that reports none.
    expect(session.caps).toEqual([
      { ansi: false, width: 132, height: 40 },
      { ansi: false, width: 80, height: 24 },
    ]);
  });
});
