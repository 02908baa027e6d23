/**
 * Hardening W6: what the reactor takes for a stranger's PROXY header (only a whole "PROXY " or
 * v2 signature in the first chunk), and the guard that refuses one while passing every other
 * byte and call straight through to the door's protocol.
 */
import { describe, expect, it } from "vitest";
import { isProxyHeaderStart, ProxyHeaderGuard, REFUSED_PROXY } from "../../src/reactor/proxy-accept.js";
import type { DisconnectReason, HalfCloseableProtocol, Protocol, Transport } from "../../src/reactor/interfaces.js";

const V2 = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

describe("isProxyHeaderStart", () => {
  it.each([
    ["PROXY ", true],
    ["PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n", true],
    ["PROXY", false], // one short of the prefix: a player typing, in character mode
    ["P", false],
    ["PROXYZ", false],
    ["\r\n", false], // Enter: how the v2 signature begins
    ["look\r\n", false],
  ])("%j -> %s", (text, expected) => {
    expect(isProxyHeaderStart(Buffer.from(text, "latin1"))).toBe(expected);
  });

  it("the v2 signature counts only whole: 12 bytes yes, 11 no", () => {
    expect(isProxyHeaderStart(V2)).toBe(true);
    expect(isProxyHeaderStart(Buffer.concat([V2, Buffer.from([0x21, 0x11])]))).toBe(true);
    expect(isProxyHeaderStart(V2.subarray(0, 11))).toBe(false);
    expect(isProxyHeaderStart(Buffer.alloc(0))).toBe(false);
  });
});

class RecordingTransport implements Transport {
  readonly peer = { address: "127.0.0.3", port: 1 };
  readonly written: string[] = [];
  lost: DisconnectReason | undefined;
  readonly bufferedBytes = 0;
  get connected(): boolean {
    return this.lost === undefined;
  }
  write(data: Uint8Array | string): void {
    this.written.push(typeof data === "string" ? data : Buffer.from(data).toString());
  }
  loseConnection(why: DisconnectReason): void {
    this.lost ??= why;
  }
  pauseProducing(): void {}
  resumeProducing(): void {}
}

class RecordingProtocol implements Protocol {
  readonly data: string[] = [];
  made = 0;
  lost: DisconnectReason[] = [];
  connectionMade(): void {
    this.made++;
  }
  dataReceived(data: Uint8Array): void {
    this.data.push(Buffer.from(data).toString());
  }
  connectionLost(why: DisconnectReason): void {
    this.lost.push(why);
  }
}

describe("ProxyHeaderGuard", () => {
  it("refuses a first chunk that is a PROXY header: one line, closed as refused, the protocol never sees it", () => {
    const inner = new RecordingProtocol();
    let refusals = 0;
    const guard = new ProxyHeaderGuard(inner, () => refusals++);
    const transport = new RecordingTransport();
    guard.connectionMade(transport);
    guard.dataReceived(Buffer.from("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n"));
    expect(transport.written).toEqual([REFUSED_PROXY]);
    expect(transport.lost?.code).toBe("refused");
    expect(inner.data).toEqual([]);
    expect(refusals).toBe(1);
    guard.connectionLost(transport.lost!);
    expect(inner.lost).toEqual([transport.lost]);
  });

  it("passes everything through when the first chunk is not one, and looks only at the first", () => {
    const inner = new RecordingProtocol();
    const guard = new ProxyHeaderGuard(inner, () => {});
    const transport = new RecordingTransport();
    guard.connectionMade(transport);
    expect(inner.made).toBe(1);
    guard.dataReceived(Buffer.from("P"));
    guard.dataReceived(Buffer.from("ROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n"));
    guard.dataReceived(Buffer.from("PROXY later\r\n"));
    expect(inner.data).toEqual(["P", "ROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY later\r\n"]);
    expect(transport.written).toEqual([]);
    expect(transport.lost).toBeUndefined();
  });

  it("passes a half-close to a protocol that can take one, and closes for one that cannot", () => {
    const halfCloseable = Object.assign(new RecordingProtocol(), { readCalls: 0, readConnectionLost(this: { readCalls: number }) { this.readCalls++; } });
    const guard = new ProxyHeaderGuard(halfCloseable as HalfCloseableProtocol, () => {});
    const t1 = new RecordingTransport();
    guard.connectionMade(t1);
    guard.readConnectionLost();
    expect(halfCloseable.readCalls).toBe(1);
    expect(t1.lost).toBeUndefined();

    const plain = new ProxyHeaderGuard(new RecordingProtocol(), () => {});
    const t2 = new RecordingTransport();
    plain.connectionMade(t2);
    plain.readConnectionLost();
    expect(t2.lost?.code).toBe("peer-closed");
  });
});
