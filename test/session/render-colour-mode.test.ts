/**
 * What a colour choice means (src/session/colour-mode.ts), and the line layer following it: with
 * `colour` (telnet) the variant tracks what the client announces and what the player chose; without
 * it (the line door) the variant never changes and the choice is not even asked for (hardening T11).
 */
import { describe, expect, it } from "vitest";
import { LineSession } from "../../protocols/line/line-session.js";
import type { PeerAddress } from "../../src/reactor/interfaces.js";
import { announcedDepth, colourDepth, terminalVariant } from "../../src/session/colour-mode.js";
import type { SessionEndpoint, SessionHandle, SessionOpener } from "../../src/session/endpoint.js";
import type { ClientCapabilities, ColourDepth, ColourMode, Door } from "../../src/session/messages.js";
import { ColourModes } from "../../src/session/messages.js";
import { FakeTransport } from "../protocols/telnet/fake-transport.js";
import { defaultLineLimits } from "../support/default-config.js";

const TERMINAL: ClientCapabilities = { ansi: true, width: 80, height: 24 };
const NO_ANSI: ClientCapabilities = { ansi: false, width: 80, height: 24 };
const with256: ClientCapabilities = { ...TERMINAL, colour: "256" };
const withTrue: ClientCapabilities = { ...TERMINAL, colour: "truecolor" };

describe("colourDepth", () => {
  it("on follows the client: its MTTS depth, else 16 for a terminal, else none", () => {
    expect(colourDepth("on", withTrue)).toBe("truecolor");
    expect(colourDepth("on", with256)).toBe("256");
    expect(colourDepth("on", TERMINAL)).toBe("16");
    expect(colourDepth("on", NO_ANSI)).toBeUndefined();
    // MTTS may set the 256 bit without the ANSI bit: the depth it names wins.
    expect(colourDepth("on", { ...NO_ANSI, colour: "256" })).toBe("256");
  });

  it("off is none and a depth is that depth, whatever the client announced", () => {
    for (const caps of [TERMINAL, NO_ANSI, with256, withTrue]) {
      expect(colourDepth("off", caps)).toBeUndefined();
      expect(colourDepth("16", caps)).toBe("16");
      expect(colourDepth("256", caps)).toBe("256");
      expect(colourDepth("truecolor", caps)).toBe("truecolor");
    }
  });

  it("announcedDepth is what on gives", () => {
    for (const caps of [TERMINAL, NO_ANSI, with256, withTrue]) expect(announcedDepth(caps)).toBe(colourDepth("on", caps));
  });

  it("each depth has its terminal variant", () => {
    const table: [ColourDepth | undefined, string][] = [
      [undefined, "plain"],
      ["16", "ansi"],
      ["256", "ansi256"],
      ["truecolor", "truecolor"],
    ];
    for (const [depth, variant] of table) expect(terminalVariant(depth)).toBe(variant);
  });
});

/** Keeps the endpoint the line layer hands the session hub. */
class CapturingOpener implements SessionOpener {
  endpoint: SessionEndpoint | undefined;
  open(_door: Door, _peer: PeerAddress, _caps: ClientCapabilities, endpoint: SessionEndpoint): SessionHandle {
    this.endpoint = endpoint;
    return { id: 1, line: () => {}, oob: () => {}, capabilities: () => {}, inputEnded: () => {}, closed: () => {} };
  }
}

function lineSession(colour: boolean) {
  const opener = new CapturingOpener();
  const session = new LineSession(opener, {
    ...defaultLineLimits,
    door: colour ? "telnet" : "line",
    variant: colour ? "ansi" : "plain",
    caps: colour ? TERMINAL : NO_ANSI,
    ...(colour ? { colour: true } : {}),
  });
  new FakeTransport().connect(session);
  const endpoint = opener.endpoint!;
  return { session, endpoint };
}

describe("LineSession with colour (the telnet door)", () => {
  it("starts at 16 colours and moves to what the client announces, or to plain", () => {
    const { session, endpoint } = lineSession(true);
    expect(endpoint.variant).toBe("ansi");
    session.capabilities(with256);
    expect(endpoint.variant).toBe("ansi256");
    session.capabilities(withTrue);
    expect(endpoint.variant).toBe("truecolor");
    session.capabilities(NO_ANSI);
    expect(endpoint.variant).toBe("plain");
  });

  it("the player's choice overrides, and stays chosen when the client announces more", () => {
    const { session, endpoint } = lineSession(true);
    session.capabilities(with256);
    const seen: string[] = [];
    for (const mode of ["off", "16", "truecolor", "on"] satisfies ColourMode[]) {
      endpoint.setColour?.(mode);
      seen.push(endpoint.variant);
    }
    expect(seen).toEqual(["plain", "ansi", "truecolor", "ansi256"]);
    endpoint.setColour?.("16");
    session.capabilities({ ...withTrue, width: 120 });
    expect(endpoint.variant).toBe("ansi");
    expect(endpoint.width).toBe(119);
  });
});

describe("LineSession without colour (the line door)", () => {
  it("T11: stays plain whatever the client says, and takes no colour choice", () => {
    const { session, endpoint } = lineSession(false);
    expect(endpoint.setColour).toBeUndefined();
    session.capabilities(withTrue);
    expect(endpoint.variant).toBe("plain");
  });
});

describe("ColourModes", () => {
  it("are on, off and the depths, in the order the command lists them", () => {
    expect(ColourModes).toEqual(["on", "off", "16", "256", "truecolor"]);
  });
});
