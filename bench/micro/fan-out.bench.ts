/**
 * Fan-out (src/session/session-hub.ts): one message to 5,000 sessions. Through the line door's
 * real LineSession on a transport that only counts bytes, and through bare endpoints spread
 * over every render variant at two widths (12 renders, then 5,000 queued writes).
 */
import { pino } from "pino";
import { bench, describe } from "vitest";
import { LineSession } from "../../protocols/line/line-session.js";
import { webSocketRenderers } from "../../protocols/websocket/render.js";
import { FakeClock } from "../../src/reactor/clock.js";
import type { DisconnectReason, PeerAddress, Transport } from "../../src/reactor/interfaces.js";
import { RenderVariants, type RenderVariant, type SessionEndpoint } from "../../src/session/endpoint.js";
import { chatter, styled, type SessionId } from "../../src/session/messages.js";
import { terminalRenderers } from "../../src/session/render.js";
import { SessionHub } from "../../src/session/session-hub.js";
import { defaultLimits } from "./limits.js";

const SESSIONS = 5000;
const SAY = chatter(styled("name", "Alice"), " says, ", styled("speech", '"Has anyone seen the grey cat?"'));

/** A transport that keeps nothing: it counts what it is given, as a socket with room in its buffer would take it. */
class CountingTransport implements Transport {
  readonly peer: PeerAddress = { address: "127.0.0.1", port: 4001 };
  written = 0;
  connected = true;
  readonly bufferedBytes = 0;
  write(data: Uint8Array | string): void {
    this.written += data.length;
  }
  loseConnection(_reason: DisconnectReason): void {
    this.connected = false;
  }
  pauseProducing(): void {}
  resumeProducing(): void {}
}

/** A bare endpoint of one variant and width. */
class CountingEndpoint implements SessionEndpoint {
  written = 0;
  readonly backlogBytes = 0;
  constructor(
    readonly variant: RenderVariant,
    readonly width: number | undefined,
  ) {}
  sendRendered(payload: Uint8Array): void {
    this.written += payload.length;
  }
  sendOob(): void {}
  setEcho(): void {}
  close(): void {}
}

function makeHub(): SessionHub {
  const hub = new SessionHub({
    renderers: { ...terminalRenderers, ...webSocketRenderers },
    clock: new FakeClock(),
    logger: pino({ level: "silent" }),
    options: {
      commandsPerSecond: defaultLimits.commandsPerSecond,
      commandBurst: defaultLimits.commandBurst,
      chatterBacklogBytes: Math.floor(defaultLimits.maxOutputBytes * defaultLimits.chatterBacklogFraction),
    },
  });
  hub.attach({ receive: () => {} });
  return hub;
}

describe(`fan-out of one say to ${SESSIONS.toLocaleString("en")} sessions`, () => {
  {
    const hub = makeHub();
    const ids: SessionId[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const session = new LineSession(hub, {
        door: "line",
        variant: "plain",
        maxLineBytes: defaultLimits.maxLineBytes,
        maxBufferBytes: defaultLimits.maxInputBufferBytes,
        inputLinesPerTurn: defaultLimits.inputLinesPerTurn,
        inputBytesPerTurn: defaultLimits.inputBytesPerTurn,
      });
      session.connectionMade(new CountingTransport());
      ids.push(i + 1);
    }
    bench("line door sessions (LineSession on a counting transport)", () => {
      hub.send({ type: "deliver", message: SAY, to: ids });
    });
  }
  {
    const hub = makeHub();
    const ids: SessionId[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const variant = RenderVariants[i % RenderVariants.length]!;
      const width = variant.startsWith("ws-") ? undefined : i % 2 === 0 ? 79 : 119;
      ids.push(hub.open(variant.startsWith("ws-") ? "websocket" : "telnet", { address: "127.0.0.1", port: 4000 }, { ansi: true, width: 80, height: 24 }, new CountingEndpoint(variant, width)).id);
    }
    bench("bare endpoints, 6 variants × 2 widths", () => {
      hub.send({ type: "deliver", message: SAY, to: ids });
    });
  }
});
