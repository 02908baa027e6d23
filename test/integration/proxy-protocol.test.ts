/**
 * Hardening W6 (issue 10), the TCP half: PROXY protocol v1 and v2 headers are honoured only
 * from configured trusted proxies (here 127.0.0.2). Through one, the player is known by the
 * address the header names: in the logs and in the per-address cap (F3), which counts each
 * forwarded address apart instead of every player as the balancer. From anyone else (127.0.0.3)
 * a header is refused with one line; a plain client from there is neither held nor changed. A
 * trusted connection with a bad header, or none within proxy.headerTimeoutSeconds on the
 * FakeClock, is closed. On the TLS telnet door the header comes before the handshake.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import { LineClient, TelnetClient } from "../support/clients.js";
import { captureLogs, type CapturedLogs } from "../support/logs.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";
import { makeCertificate } from "../support/tls.js";
import type { ConfigOverrides } from "../../src/config/schema.js";

const PROXY = "127.0.0.2";
const STRANGER = "127.0.0.3";
const REFUSAL = "PROXY headers are accepted only from trusted proxies.";

let server: TestServer | undefined;
let logs: CapturedLogs;
let clock: FakeClock;
let dir: string | undefined;
const open: { destroy(): void }[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) s.destroy();
  await stopTestServer(server);
  server = undefined;
  if (dir !== undefined) removeDir(dir);
  dir = undefined;
});

async function start(overrides: ConfigOverrides = {}, env: Record<string, string> = {}): Promise<TestServer> {
  logs = captureLogs();
  clock = new FakeClock();
  server = await startTestServer({
    clock,
    env,
    logTo: logs.sink,
    overrides: { ...overrides, proxy: { trusted: [PROXY], headerTimeoutSeconds: 5 } },
  });
  return server;
}

/** A v2 PROXY header for TCP over IPv4 (HAProxy's doc/proxy-protocol.txt, section 2.2). */
function v2Header(source: string, sourcePort: number, command: "PROXY" | "LOCAL" = "PROXY"): Buffer {
  const signature = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
  if (command === "LOCAL") return Buffer.concat([signature, Buffer.from([0x20, 0x00, 0x00, 0x00])]);
  const body = Buffer.alloc(12);
  Buffer.from(source.split(".").map(Number)).copy(body, 0);
  Buffer.from([127, 0, 0, 1]).copy(body, 4);
  body.writeUInt16BE(sourcePort, 8);
  body.writeUInt16BE(4000, 10);
  return Buffer.concat([signature, Buffer.from([0x21, 0x11, 0x00, 12]), body]);
}

function v1Header(source: string, sourcePort = 40000): string {
  return `PROXY TCP4 ${source} 127.0.0.1 ${sourcePort} 4001\r\n`;
}

/** Connects from `localAddress` without reading anything yet (a LineClient collects what comes). */
async function raw(port: number, localAddress: string): Promise<LineClient> {
  const client = await LineClient.connect(port, localAddress);
  open.push(client.socket);
  return client;
}

/** The peer of every session the server logged as connected. */
function connectedPeers(): unknown[] {
  return logs.records().filter((r) => r.msg === "connected").map((r) => r.peer);
}

/** Resolves once the server has set a timer on the FakeClock beyond the `before` it had. */
async function timerSet(before: number): Promise<void> {
  await waitFor(() => clock.pendingCount > before);
}

async function waitFor(test: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setImmediate(r));
  expect(test()).toBe(true);
}

describe("W6: PROXY protocol from a trusted proxy sets the peer", () => {
  it("v1 on the line door: the session is the forwarded address, and bytes after the header are the client's first", async () => {
    const s = await start();
    const client = await raw(s.ports.line, PROXY);
    const name = uniqueName("pv");
    // Header and first command in one write, as a balancer passes on a client that types ahead.
    client.sendRaw(`${v1Header("203.0.113.7")}create ${name} pw-${name}\r\n`);
    await client.expect(`Welcome, ${name}.`);
    expect(connectedPeers()).toEqual(["203.0.113.7"]);
  });

  it("v2 on the telnet door, sent one byte at a time: the session is the forwarded address", async () => {
    const s = await start();
    const client = new TelnetClient((await raw(s.ports.telnet, PROXY)).socket);
    for (const byte of v2Header("198.51.100.9", 50123)) {
      client.sendRaw(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    await client.expect("Your name:");
    expect(connectedPeers()).toEqual(["198.51.100.9"]);
  });

  it("a LOCAL header (the balancer's own health check) keeps the socket's address", async () => {
    const s = await start();
    const client = await raw(s.ports.line, PROXY);
    client.sendRaw(v2Header("0.0.0.0", 0, "LOCAL"));
    await client.expect("Your name:");
    expect(connectedPeers()).toEqual([PROXY]);
  });

  it("F3 counts each forwarded address apart, not the proxy", async () => {
    const s = await start({ limits: { maxConnectionsPerAddress: 2 } });
    for (let i = 0; i < 2; i++) {
      const c = await raw(s.ports.line, PROXY);
      c.sendRaw(v1Header("203.0.113.7", 40000 + i));
      await c.expect("Your name:");
    }
    const third = await raw(s.ports.line, PROXY);
    third.sendRaw(v1Header("203.0.113.7", 40002));
    await third.expect("Too many connections from your address.");
    await third.closed;
    // Another player through the same proxy is not affected.
    const other = await raw(s.ports.line, PROXY);
    other.sendRaw(v1Header("203.0.113.8"));
    await other.expect("Your name:");
    expect(connectedPeers()).toEqual(["203.0.113.7", "203.0.113.7", "203.0.113.8"]);
  });

  it("an invalid header from the trusted proxy closes the connection, logged, before any session", async () => {
    const s = await start();
    const client = await raw(s.ports.line, PROXY);
    client.sendRaw("PROXY TCP4 not-an-address 127.0.0.1 1 2\r\n");
    await client.closed;
    expect(client.text).toBe("");
    expect(connectedPeers()).toEqual([]);
    expect(logs.records()).toContainEqual(expect.objectContaining({ msg: "PROXY protocol: connection closed", peer: PROXY, listener: "line" }));
  });

  it("a trusted connection that sends no header is closed after proxy.headerTimeoutSeconds, not before", async () => {
    const s = await start();
    const before = clock.pendingCount;
    const client = await raw(s.ports.telnet, PROXY);
    client.sendRaw("PROXY TCP4 203.0.113.7 127.0.0.1 400"); // a header begun, never finished
    await timerSet(before);
    clock.advance(4999);
    await new Promise((r) => setImmediate(r));
    expect(client.socket.destroyed).toBe(false);
    clock.advance(1);
    await client.closed;
    expect(client.text).toBe("");
    expect(logs.records()).toContainEqual(expect.objectContaining({ msg: "PROXY protocol: connection closed", reason: "no PROXY header within 5000 ms" }));
  });
});

describe("W6: a PROXY header from anyone else is refused", () => {
  it.each([
    ["line", "v1", () => Buffer.from(v1Header("203.0.113.7"))],
    ["telnet", "v2", () => v2Header("203.0.113.7", 1234)],
  ] as const)("on the %s door, a %s header from an untrusted address gets one line and is closed", async (door, _version, header) => {
    const s = await start();
    const client = await raw(s.ports[door], STRANGER);
    await client.expect("Your name:"); // the door spoke first, as it always does
    client.mark();
    client.sendRaw(header());
    await client.expect(REFUSAL);
    await client.closed;
    expect(logs.records()).toContainEqual(
      expect.objectContaining({ msg: "PROXY protocol: connection closed", peer: STRANGER, reason: "a PROXY header from an address that is not a trusted proxy" }),
    );
  });

  it("a plain client from an untrusted address is greeted before it sends a byte and plays as before", async () => {
    const s = await start();
    const client = await raw(s.ports.line, STRANGER);
    await client.expect("Your name:");
    const name = uniqueName("pl");
    // Enter alone first: "\r\n" is how the v2 signature begins, and must not be taken for it.
    client.sendRaw("\r\n");
    client.send(`create ${name} pw-${name}`);
    await client.expect(`Welcome, ${name}.`);
    expect(connectedPeers()).toEqual([STRANGER]);
  });

  it("behind the trusted proxy only the first header counts: a second one is the player's text", async () => {
    const s = await start();
    const client = await raw(s.ports.line, PROXY);
    const name = uniqueName("pd");
    client.sendRaw(v1Header("203.0.113.7"));
    await client.expect("Your name:");
    // A client cannot name itself again by sending its own header through the balancer.
    client.sendRaw(v1Header("198.51.100.1"));
    await client.expect("Your name:");
    client.send(`create ${name} pw-${name}`);
    await client.expect(`Welcome, ${name}.`);
    expect(connectedPeers()).toEqual(["203.0.113.7"]);
  });
});

describe("W6: the outcomes are counted", () => {
  it("on /metrics, by outcome: proxied, local, invalid and refused", async () => {
    const s = await start();
    const proxied = await raw(s.ports.line, PROXY);
    proxied.sendRaw(v1Header("203.0.113.7"));
    await proxied.expect("Your name:");
    const local = await raw(s.ports.line, PROXY);
    local.sendRaw(v2Header("0.0.0.0", 0, "LOCAL"));
    await local.expect("Your name:");
    const invalid = await raw(s.ports.line, PROXY);
    invalid.sendRaw("PROXY TCP4 not-an-address 127.0.0.1 1 2\r\n");
    await invalid.closed;
    const stranger = await raw(s.ports.line, STRANGER);
    await stranger.expect("Your name:");
    stranger.sendRaw(v1Header("203.0.113.7"));
    await stranger.closed;
    const metrics = await (await fetch(`http://127.0.0.1:${s.ports.http}/metrics`)).text();
    const count = (outcome: string): number => Number(new RegExp(`^loom_proxy_headers_total\\{outcome="${outcome}"\\} (\\d+)$`, "m").exec(metrics)?.[1]);
    expect([count("proxied"), count("local"), count("invalid"), count("refused"), count("timeout")]).toEqual([1, 1, 1, 1, 0]);
  });
});

describe("W6 on the TLS telnet door: the header comes before the handshake", () => {
  function tlsOverTcp(socket: net.Socket): Promise<tls.TLSSocket> {
    return new Promise((resolve, reject) => {
      const secure = tls.connect({ socket, rejectUnauthorized: false });
      open.push(secure);
      secure.once("secureConnect", () => resolve(secure));
      secure.once("error", reject);
    });
  }

  async function startTls(): Promise<TestServer> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-proxy-tls-"));
    const cert = makeCertificate(dir);
    return start({ tls: { enabled: true } }, { LOOM_TLS_CERT: cert.certFile, LOOM_TLS_KEY: cert.keyFile, LOOM_TELNET_TLS_PORT: "0", LOOM_HTTPS_PORT: "0" });
  }

  it("from the trusted proxy: header, then TLS, and the player is the forwarded address", async () => {
    const s = await startTls();
    const carrier = await raw(s.ports.telnetTls!, PROXY);
    carrier.socket.removeAllListeners("data");
    carrier.sendRaw(v1Header("192.0.2.44"));
    const client = new TelnetClient(await tlsOverTcp(carrier.socket));
    const name = uniqueName("pt");
    await client.expect("Your name:");
    client.send(`create ${name} pw-${name}`);
    await client.expect(`Welcome, ${name}.`);
    expect(connectedPeers()).toEqual(["192.0.2.44"]);
  });

  it("from a stranger: refused in plain text before any handshake", async () => {
    const s = await startTls();
    const client = await raw(s.ports.telnetTls!, STRANGER);
    client.sendRaw(v1Header("192.0.2.44"));
    await client.expect(REFUSAL);
    await client.closed;
    expect(connectedPeers()).toEqual([]);
  });

  it("a stranger that never begins its handshake is closed after proxy.headerTimeoutSeconds", async () => {
    const s = await startTls();
    const before = clock.pendingCount;
    const client = await raw(s.ports.telnetTls!, STRANGER);
    await timerSet(before);
    clock.advance(5000);
    await client.closed;
    expect(client.text).toBe("");
  });

  it("a stranger's TLS client plays as usual", async () => {
    const s = await startTls();
    const carrier = await raw(s.ports.telnetTls!, STRANGER);
    carrier.socket.removeAllListeners("data");
    const client = new TelnetClient(await tlsOverTcp(carrier.socket));
    await client.expect("Your name:");
    expect(connectedPeers()).toEqual([STRANGER]);
  });
});
