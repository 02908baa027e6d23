import { describe, expect, it } from "vitest";
import { TelnetCommand as C, TelnetOptionCode as O } from "../../../protocols/telnet/constants.js";
import { DEFAULT_WINDOW_SIZE, NawsOption, parseNaws } from "../../../protocols/telnet/naws.js";
import type { OptionHost } from "../../../protocols/telnet/options.js";
import { TelnetParser } from "../../../protocols/telnet/parser.js";
import { defaultTelnetLimits } from "../../support/default-config.js";

const { IAC, SB, SE } = C;

function recordingHost() {
  const host = { errors: [] as string[], changes: 0 };
  const api: OptionHost = {
    sendSubnegotiation: () => {},
    protocolError: (message) => host.errors.push(message),
    capabilitiesChanged: () => {
      host.changes += 1;
    },
  };
  return { host, api };
}

describe("NAWS (hardening T6)", () => {
  it("reads width and height as 16-bit big-endian numbers", () => {
    expect(parseNaws(Uint8Array.of(0, 132, 0, 50))).toEqual({ width: 132, height: 50 });
    expect(parseNaws(Uint8Array.of(1, 0, 0, 100))).toEqual({ width: 256, height: 100 });
  });

  it("reads a 255 that arrived escaped as FF FF", () => {
    const [event] = new TelnetParser(defaultTelnetLimits).feed(Uint8Array.of(IAC, SB, O.NAWS, 0, IAC, IAC, 0, IAC, IAC, IAC, SE));
    expect(event?.type).toBe("subnegotiation");
    if (event?.type !== "subnegotiation") return;
    expect(parseNaws(event.data)).toEqual({ width: 255, height: 200 });
  });

  it("takes 0 as unknown and uses the default for that dimension", () => {
    expect(parseNaws(Uint8Array.of(0, 0, 0, 0))).toEqual(DEFAULT_WINDOW_SIZE);
    expect(parseNaws(Uint8Array.of(0, 0, 0, 40))).toEqual({ width: 80, height: 40 });
    expect(parseNaws(Uint8Array.of(0, 100, 0, 0))).toEqual({ width: 100, height: 24 });
  });

  it("clamps 65535 and tiny sizes into [20, 500] x [5, 200]", () => {
    expect(parseNaws(Uint8Array.of(255, 255, 255, 255))).toEqual({ width: 500, height: 200 });
    expect(parseNaws(Uint8Array.of(0, 1, 0, 1))).toEqual({ width: 20, height: 5 });
    expect(parseNaws(Uint8Array.of(0, 20, 0, 5))).toEqual({ width: 20, height: 5 });
    expect(parseNaws(Uint8Array.of(1, 244, 0, 200))).toEqual({ width: 500, height: 200 });
    expect(parseNaws(Uint8Array.of(1, 245, 0, 201))).toEqual({ width: 500, height: 200 });
  });

  it("rejects payloads that are not four bytes", () => {
    expect(parseNaws(Uint8Array.of(0, 80, 0))).toBeUndefined();
    expect(parseNaws(Uint8Array.of(0, 80, 0, 24, 0))).toBeUndefined();
    expect(parseNaws(new Uint8Array(0))).toBeUndefined();
  });

  it("keeps the last good size, reports bad ones, and announces only changes", () => {
    const { host, api } = recordingHost();
    const naws = new NawsOption(api);
    expect([naws.width, naws.height, naws.reported]).toEqual([80, 24, false]);
    naws.onSubnegotiation(Uint8Array.of(0, 80, 0, 24));
    expect(host.changes).toBe(1);
    naws.onSubnegotiation(Uint8Array.of(0, 80, 0, 24));
    expect(host.changes).toBe(1);
    naws.onSubnegotiation(Uint8Array.of(0, 120, 0, 40));
    expect([naws.width, naws.height, host.changes]).toEqual([120, 40, 2]);
    naws.onSubnegotiation(Uint8Array.of(0, 1));
    expect([naws.width, naws.height, host.changes]).toEqual([120, 40, 2]);
    expect(host.errors).toHaveLength(1);
  });
});
