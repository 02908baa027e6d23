import { describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/reactor/clock.js";
import type { Protocol, Transport } from "../../../src/reactor/interfaces.js";
import { TelnetCommand as C } from "../../../protocols/telnet/constants.js";
import { KeepAlives } from "../../../protocols/telnet/keepalive.js";
import { TelnetProtocol } from "../../../protocols/telnet/telnet-protocol.js";
import { FakeTransport } from "./fake-transport.js";
import { defaultTelnetLimits } from "../../support/default-config.js";

const NOP = [C.IAC, C.NOP];

class Upper implements Protocol {
  transport: Transport | undefined;
  connectionMade(transport: Transport): void {
    this.transport = transport;
  }
  dataReceived(): void {}
  connectionLost(): void {}
}

/** A telnet connection with a 60 s keep-alive on a fake clock; its opening offers are cleared. */
function connect(keepaliveSeconds = 60) {
  const clock = new FakeClock();
  const upper = new Upper();
  const telnet = new TelnetProtocol(upper, { ...defaultTelnetLimits, clock, keepaliveSeconds });
  const lower = new FakeTransport();
  lower.connect(telnet);
  lower.clear();
  return { clock, upper, telnet, lower, written: () => Array.from(lower.value()) };
}

describe("telnet keep-alive (hardening F9)", () => {
  it("sends IAC NOP after 60 s of output silence, and again every 60 s", () => {
    const { clock, written } = connect();
    clock.advance(59_999);
    expect(written()).toEqual([]);
    clock.advance(1);
    expect(written()).toEqual(NOP);
    clock.advance(60_000);
    expect(written()).toEqual([...NOP, ...NOP]);
  });

  it("sends nothing while output flows, and counts silence from the last write", () => {
    const { clock, upper, written, lower } = connect();
    for (let i = 0; i < 100; i += 1) {
      clock.advance(30_000);
      upper.transport?.write("tick\r\n");
    }
    expect(written().filter((b) => b === C.NOP)).toEqual([]);
    lower.clear();
    clock.advance(59_000);
    expect(written()).toEqual([]);
    clock.advance(1_000);
    expect(written()).toEqual(NOP);
  });

  it("counts negotiation and prompt marks as output too", () => {
    const { clock, telnet, written, lower } = connect();
    clock.advance(45_000);
    telnet.endPrompt();
    lower.clear();
    clock.advance(59_999);
    expect(written()).toEqual([]);
    clock.advance(1);
    expect(written()).toEqual(NOP);
  });

  it("probes a connection silent for the interval at the next sweep: at most a quarter interval late", () => {
    const { clock, upper, written, lower } = connect();
    clock.advance(1_000);
    upper.transport?.write("x");
    lower.clear();
    // Silent for 60 s at 61 s; the sweeps run every 15 s, so the probe goes at 75 s.
    clock.advance(60_000);
    expect(written()).toEqual([]);
    clock.advance(14_000);
    expect(written()).toEqual(NOP);
  });

  it("keeps one timer for all of a door's connections, and none once they are all closed (issue 11 target 3)", () => {
    const clock = new FakeClock();
    const keepAlives = new KeepAlives(clock, 60_000);
    const connections = Array.from({ length: 50 }, () => {
      const upper = new Upper();
      const lower = new FakeTransport();
      lower.connect(new TelnetProtocol(upper, { ...defaultTelnetLimits, clock, keepaliveSeconds: 60, keepAlives }));
      lower.clear();
      return { upper, lower };
    });
    for (const { upper } of connections) for (let i = 0; i < 100; i += 1) upper.transport?.write("x");
    expect(clock.pendingCount).toBe(1);
    expect(keepAlives.size).toBe(50);
    clock.advance(600_000);
    expect(clock.pendingCount).toBe(1);
    // Every one of them was probed, once per interval.
    for (const { lower } of connections) expect(Array.from(lower.value()).filter((b) => b === C.NOP)).toHaveLength(10);
    for (const { upper } of connections.slice(1)) upper.transport?.loseConnection({ code: "quit", message: "bye" });
    expect(clock.pendingCount).toBe(1);
    connections[0]?.upper.transport?.loseConnection({ code: "quit", message: "bye" });
    expect(clock.pendingCount).toBe(0);
    expect(keepAlives.active).toBe(false);
    for (const { lower } of connections) lower.clear();
    clock.advance(600_000);
    for (const { lower } of connections) expect(lower.value().length).toBe(0);
  });

  it("0 seconds is off: no timer, no NOP", () => {
    const { clock, written } = connect(0);
    expect(clock.pendingCount).toBe(0);
    clock.advance(3_600_000);
    expect(written()).toEqual([]);
  });

  it("stops by itself if the transport goes away without telling it", () => {
    const clock = new FakeClock();
    let probes = 0;
    const keepAlives = new KeepAlives(clock, 1000);
    const lower = new FakeTransport();
    keepAlives.watch(lower, {
      keepAliveProbe: () => {
        probes += 1;
      },
    });
    clock.advance(1000);
    expect(probes).toBe(1);
    lower.loseConnection({ code: "quit", message: "bye" });
    clock.advance(10_000);
    expect(probes).toBe(1);
    expect(keepAlives.active).toBe(false);
    expect(keepAlives.size).toBe(0);
    expect(clock.pendingCount).toBe(0);
  });

  it("stop is idempotent and final", () => {
    const clock = new FakeClock();
    const keepAlives = new KeepAlives(clock, 1000);
    const watched = keepAlives.watch(new FakeTransport(), { keepAliveProbe: () => {} });
    expect(keepAlives.active).toBe(true);
    watched.stop();
    watched.stop();
    expect(keepAlives.active).toBe(false);
    expect(clock.pendingCount).toBe(0);
  });

  it("rejects an interval that is not a positive number", () => {
    for (const ms of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new KeepAlives(new FakeClock(), ms)).toThrow(RangeError);
    }
  });

  it("a probe that fails closes only this connection, as an internal error", () => {
    const clock = new FakeClock();
    const errors: string[] = [];
    const telnet = new TelnetProtocol(new Upper(), { ...defaultTelnetLimits, clock, keepaliveSeconds: 1, onProtocolError: (m) => errors.push(m) });
    const lower = new FakeTransport();
    lower.connect(telnet);
    const write = lower.write.bind(lower);
    lower.write = (data) => {
      if (data instanceof Uint8Array && data[1] === C.NOP) throw new Error("socket gone wrong");
      write(data);
    };
    expect(() => clock.advance(1000)).not.toThrow();
    expect(lower.lostReason?.code).toBe("internal-error");
    expect(errors[0]).toContain("socket gone wrong");
    expect(clock.pendingCount).toBe(0);
  });
});
