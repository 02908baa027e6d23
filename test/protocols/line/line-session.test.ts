/**
 * The line layer's input budget and half-close (issue 5 items 3 and 15), on an in-memory
 * transport with turns stepped by hand.
 */
import { describe, expect, it } from "vitest";
import { LineDoorFactory } from "../../../protocols/line/line-door.js";
import { LineSession } from "../../../protocols/line/line-session.js";
import { INITIAL_CAPS } from "../../../src/session/initial-caps.js";
import { lineTooLongMessage } from "../../../src/session/line-too-long.js";
import { InputTurns } from "../../../src/reactor/input-budget.js";
import type { DisconnectReason, PeerAddress } from "../../../src/reactor/interfaces.js";
import type { SessionEndpoint, SessionHandle, SessionOpener } from "../../../src/session/endpoint.js";
import type { ClientCapabilities, Door } from "../../../src/session/messages.js";
import { FakeTransport } from "../telnet/fake-transport.js";
import { bytes, chunksOf } from "./chunks.js";
import { defaultLineLimits } from "../../support/default-config.js";

/** Records what the line layer tells its session. */
class RecordingOpener implements SessionOpener {
  readonly lines: string[] = [];
  inputEnded = 0;
  readonly closed: DisconnectReason[] = [];
  open(_door: Door, _peer: PeerAddress, _caps: ClientCapabilities, _endpoint: SessionEndpoint): SessionHandle {
    return {
      id: 1,
      line: (text) => this.lines.push(text),
      oob: () => {},
      capabilities: () => {},
      inputEnded: () => {
        this.inputEnded += 1;
      },
      closed: (why) => this.closed.push(why),
    };
  }
}

function setup(linesPerTurn: number, bytesPerTurn = defaultLineLimits.inputBytesPerTurn) {
  let deferred: (() => void)[] = [];
  const turns = new InputTurns((fn) => deferred.push(fn));
  const opener = new RecordingOpener();
  const session = new LineSession(opener, {
    ...defaultLineLimits,
    door: "line",
    variant: "plain",
    caps: { ansi: false, width: 80, height: 24 },
    inputTurns: turns,
    inputLinesPerTurn: linesPerTurn,
    inputBytesPerTurn: bytesPerTurn,
  });
  const transport = new FakeTransport();
  transport.connect(session);
  const endTurn = (): boolean => {
    const run = deferred;
    deferred = [];
    for (const fn of run) fn();
    return run.length > 0;
  };
  return { session, opener, transport, endTurn };
}

describe("issue 5 item 3: LineSession spends a budget per turn and pauses reading", () => {
  it("handles at most the budget per turn, pauses the transport, and resumes when the backlog is done", () => {
    const { session, opener, transport, endTurn } = setup(3);
    const input = bytes(Array.from({ length: 10 }, (_, i) => `c${i}\n`).join(""));
    session.dataReceived(input);
    expect(opener.lines).toEqual(["c0", "c1", "c2"]);
    expect(transport.paused).toBe(true);
    // The layer below (telnet) may still hand over the rest of its chunk: it waits, in order.
    session.dataReceived(bytes("late\n"));
    expect(opener.lines).toHaveLength(3);
    let turns = 0;
    while (endTurn()) turns += 1;
    expect(opener.lines).toEqual([...Array.from({ length: 10 }, (_, i) => `c${i}`), "late"]);
    expect(turns).toBe(4);
    expect(transport.paused).toBe(false);
  });

  it("bounds the bytes framed per turn, so a flood of line ends costs a slice of a scan per turn", () => {
    const { session, opener, transport, endTurn } = setup(32, 1000);
    session.dataReceived(new Uint8Array(10_000).fill(0x0a));
    expect(transport.paused).toBe(true);
    let turns = 0;
    while (endTurn()) turns += 1;
    expect(turns).toBe(10);
    expect(opener.lines).toEqual([""]);
  });

  it("gives the same lines, byte by byte or whole, whatever the budget", () => {
    const input = bytes("look\n\n\nsay ☃\r\nnorth\rsouth\r", [0], "x\n");
    for (const budget of [1, 2, 100]) {
      for (const size of [1, 3, input.length]) {
        const { session, opener, endTurn } = setup(budget, 5);
        for (const chunk of chunksOf(input, size)) session.dataReceived(chunk);
        while (endTurn());
        expect(opener.lines, `${budget}/${size}`).toEqual(["look", "", "say ☃", "north", "south", "x"]);
      }
    }
  });

  it("drops the backlog when the connection is lost", () => {
    const { session, opener, transport, endTurn } = setup(1);
    session.dataReceived(bytes("a\nb\nc\n"));
    transport.loseConnection({ code: "quit", message: "bye" });
    while (endTurn());
    expect(opener.lines).toEqual(["a"]);
  });
});

describe("issue 5 item 15: LineSession on a half-close", () => {
  it("finishes the backlog, then a last line without a line end, then tells the session", () => {
    const { session, opener, endTurn } = setup(1);
    session.dataReceived(bytes("connect bob pw\nsay hi\nquit"));
    session.readConnectionLost();
    expect(opener.inputEnded).toBe(0);
    while (endTurn());
    expect(opener.lines).toEqual(["connect bob pw", "say hi", "quit"]);
    expect(opener.inputEnded).toBe(1);
  });

  it("tells the session once, and not after the connection was closed", () => {
    const { session, opener, transport } = setup(32);
    session.readConnectionLost();
    session.readConnectionLost();
    expect(opener.inputEnded).toBe(1);
    const other = setup(32);
    other.transport.loseConnection({ code: "quit", message: "bye" });
    other.session.readConnectionLost();
    expect(other.opener.inputEnded).toBe(0);
    expect(transport.connected).toBe(true);
  });
});

describe("issue 8: capability defaults are written once (src/session/initial-caps.ts)", () => {
  function openedWith(factory: () => LineSession): ClientCapabilities | undefined {
    const session = factory();
    const transport = new FakeTransport();
    transport.connect(session);
    return captured.pop();
  }
  const captured: ClientCapabilities[] = [];
  const opener: SessionOpener = {
    open(_door, _peer, caps, _endpoint) {
      captured.push(caps);
      return { id: 1, line: () => {}, oob: () => {}, capabilities: () => {}, inputEnded: () => {}, closed: () => {} };
    },
  };

  it("the line door opens its session with INITIAL_CAPS.line, not a copy of its own", () => {
    expect(openedWith(() => new LineDoorFactory(opener, defaultLineLimits).buildProtocol({ address: "127.0.0.1", port: 1 }) as LineSession)).toBe(INITIAL_CAPS.line);
    expect(INITIAL_CAPS.line).toEqual({ ansi: false, width: 80, height: 24 });
  });

  it("a LineSession without caps takes its door's defaults; with caps, the ones given", () => {
    expect(openedWith(() => new LineSession(opener, { ...defaultLineLimits, door: "telnet", variant: "ansi" }))).toBe(INITIAL_CAPS.telnet);
    const given = { ansi: true, width: 132, height: 50 };
    expect(openedWith(() => new LineSession(opener, { ...defaultLineLimits, door: "line", variant: "plain", caps: given }))).toBe(given);
  });
});

describe("issue 8: 'line too long' is worded once (src/session/line-too-long.ts)", () => {
  it("the line layer answers an over-long line with lineTooLongMessage, as the WebSocket door does, at the limit and one past", () => {
    const opener = new RecordingOpener();
    const session = new LineSession(opener, { ...defaultLineLimits, door: "line", variant: "plain", maxLineBytes: 12 });
    const transport = new FakeTransport();
    transport.connect(session);
    session.dataReceived(bytes(`${"a".repeat(12)}\n${"b".repeat(13)}\n`));
    expect(opener.lines).toEqual(["a".repeat(12)]);
    expect(Buffer.from(transport.value()).toString("utf8")).toBe(`${lineTooLongMessage(13, 12)}\r\n`);
    expect(lineTooLongMessage(13, 12)).toBe("Line too long (13 bytes; the limit is 12). It was not run.");
  });
});
