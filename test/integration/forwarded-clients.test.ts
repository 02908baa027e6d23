/**
 * Hardening W6, the HTTP half, over real sockets: `X-Forwarded-For`, `X-Forwarded-Proto` and
 * `Forwarded` are believed only from `proxy.trusted` (here 127.0.0.2, standing for nginx or
 * Caddy). Through it, a WebSocket session is the forwarded client: in the "connected" log line
 * (and so in `who`'s door, the login throttle and every per-address limit), and in the cap per
 * address (F3), which counts each forwarded client apart and never the proxy's own connections.
 * From anyone else (127.0.0.3) the same headers change nothing.
 */
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { FakeClock } from "../../src/reactor/clock.js";
import type { ConfigOverrides } from "../../src/config/schema.js";
import { captureLogs, type CapturedLogs } from "../support/logs.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

const PROXY = "127.0.0.2";
const STRANGER = "127.0.0.3";

let server: TestServer | undefined;
let logs: CapturedLogs;
const open: WebSocket[] = [];
const agents: http.Agent[] = [];

afterEach(async () => {
  for (const ws of open.splice(0)) ws.terminate();
  for (const agent of agents.splice(0)) agent.destroy();
  await stopTestServer(server);
  server = undefined;
});

async function start(overrides: ConfigOverrides = {}): Promise<TestServer> {
  logs = captureLogs();
  server = await startTestServer({
    clock: new FakeClock(),
    logTo: logs.sink,
    overrides: { ...overrides, proxy: { trusted: [PROXY], headerTimeoutSeconds: 5 } },
  });
  return server;
}

type Attempt = { ok: true; ws: WebSocket } | { ok: false; status: number | undefined; body: string };

/** Opens a WebSocket from `localAddress` with the given request headers, as a proxy would forward it. */
function upgrade(localAddress: string, headers: Record<string, string>, origin?: string): Promise<Attempt> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server!.ports.http}/ws`, { localAddress, headers, ...(origin !== undefined ? { origin } : {}) });
    open.push(ws);
    ws.once("open", () => resolve({ ok: true, ws }));
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ ok: false, status: res.statusCode, body }));
      res.on("error", () => resolve({ ok: false, status: res.statusCode, body }));
    });
    ws.once("error", () => resolve({ ok: false, status: undefined, body: "" }));
  });
}

async function opened(localAddress: string, headers: Record<string, string>, origin?: string): Promise<WebSocket> {
  const attempt = await upgrade(localAddress, headers, origin);
  if (!attempt.ok) throw new Error(`upgrade refused: ${attempt.status} ${attempt.body}`);
  return attempt.ws;
}

/** The peers of the sessions logged as connected, once `count` of them are. */
async function connectedPeers(count: number): Promise<unknown[]> {
  const peers = (): unknown[] => logs.records().filter((r) => r.msg === "connected").map((r) => r.peer);
  for (let i = 0; i < 500 && peers().length < count; i++) await new Promise((r) => setImmediate(r));
  return peers();
}

describe("W6: a WebSocket through a trusted proxy is the client the proxy names", () => {
  it("X-Forwarded-For from 127.0.0.2: the session's peer is 203.0.113.7", async () => {
    await start();
    await opened(PROXY, { "X-Forwarded-For": "203.0.113.7" });
    expect(await connectedPeers(1)).toEqual(["203.0.113.7"]);
  });

  it("a client's forged left-most entry is passed over: the proxy's own entry counts", async () => {
    await start();
    // As nginx's $proxy_add_x_forwarded_for writes it: the client's header, then the client.
    await opened(PROXY, { "X-Forwarded-For": "6.6.6.6, 203.0.113.7" });
    expect(await connectedPeers(1)).toEqual(["203.0.113.7"]);
  });

  it("the same header from untrusted 127.0.0.3 is ignored: the peer is 127.0.0.3", async () => {
    await start();
    await opened(STRANGER, { "X-Forwarded-For": "203.0.113.7", Forwarded: "for=203.0.113.9" });
    expect(await connectedPeers(1)).toEqual([STRANGER]);
  });

  it("the Forwarded form, IPv6 quoted in brackets with a port", async () => {
    await start();
    await opened(PROXY, { Forwarded: 'for="[2001:db8:cafe::17]:4711";proto=https' });
    expect(await connectedPeers(1)).toEqual(["2001:db8:cafe::17"]);
  });

  it("Forwarded and X-Forwarded-For that disagree: neither is believed, the peer is the proxy", async () => {
    await start();
    await opened(PROXY, { Forwarded: "for=9.9.9.9", "X-Forwarded-For": "203.0.113.7" });
    expect(await connectedPeers(1)).toEqual([PROXY]);
  });

  it("`unknown` is not believed: the peer is the proxy", async () => {
    await start();
    await opened(PROXY, { "X-Forwarded-For": "unknown" });
    expect(await connectedPeers(1)).toEqual([PROXY]);
  });
});

describe("W6 with F3: the cap per address counts forwarded clients apart", () => {
  it("two per address: three WebSockets from two clients through one proxy; the third of one client is refused, and let in once one closes", async () => {
    await start({ limits: { maxConnectionsPerAddress: 2 } });
    const a1 = await opened(PROXY, { "X-Forwarded-For": "203.0.113.7" });
    await opened(PROXY, { "X-Forwarded-For": "203.0.113.7" });
    // Another player through the same proxy: the proxy itself is no address that fills up.
    await opened(PROXY, { "X-Forwarded-For": "203.0.113.8" });
    expect(await connectedPeers(3)).toEqual(["203.0.113.7", "203.0.113.7", "203.0.113.8"]);

    const third = await upgrade(PROXY, { "X-Forwarded-For": "203.0.113.7" });
    expect(third.ok).toBe(false);
    expect(third).toMatchObject({ status: 503, body: "Too many connections from your address.\r\n" });
    expect(logs.records()).toContainEqual(expect.objectContaining({ msg: "connection refused at the cap", peer: "203.0.113.7", cap: "address" }));

    // The count is given back when that client's WebSocket closes.
    const closed = new Promise((r) => a1.once("close", r));
    a1.terminate();
    await closed;
    let again: Attempt = { ok: false, status: undefined, body: "" };
    for (let i = 0; i < 50 && !again.ok; i++) {
      await new Promise((r) => setImmediate(r));
      again = await upgrade(PROXY, { "X-Forwarded-For": "203.0.113.7" });
    }
    expect(again.ok).toBe(true);
  });

  it("F4: the rate of new WebSockets is the forwarded client's, not the proxy's", async () => {
    // A burst of two and, on the FakeClock, no refill.
    await start({ limits: { newConnectionBurst: 2, newConnectionsPerSecond: 1 } });
    await opened(PROXY, { "X-Forwarded-For": "203.0.113.7" });
    await opened(PROXY, { "X-Forwarded-For": "203.0.113.7" });
    const third = await upgrade(PROXY, { "X-Forwarded-For": "203.0.113.7" });
    expect(third).toMatchObject({ ok: false, status: 429 });
    // Another player through the same proxy has a bucket of its own.
    await opened(PROXY, { "X-Forwarded-For": "203.0.113.8" });
    expect(await connectedPeers(3)).toEqual(["203.0.113.7", "203.0.113.7", "203.0.113.8"]);
  });

  it("the proxy's own HTTP connections count only against the global cap; a stranger's against its address", async () => {
    const s = await start({ limits: { maxConnectionsPerAddress: 2 } });
    const statusesFrom = async (localAddress: string): Promise<(number | undefined)[]> => {
      // Three keep-alive connections held open at once, as a proxy's pool holds them.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 3 });
      agents.push(agent);
      const get = (): Promise<number | undefined> =>
        new Promise((resolve) => {
          const req = http.get({ host: "127.0.0.1", port: s.ports.http, path: "/healthz", localAddress, agent }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode));
          });
          req.on("error", () => resolve(undefined));
        });
      return Promise.all([get(), get(), get()]);
    };
    expect(await statusesFrom(PROXY)).toEqual([200, 200, 200]);
    expect((await statusesFrom(STRANGER)).filter((code) => code === 503)).toHaveLength(1);
  });
});

describe("W6: X-Forwarded-Proto and the Origin check", () => {
  it("a page loaded over https at the proxy: its https Origin for the same host is accepted", async () => {
    await start();
    const headers = { Host: "play.example.org", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https" };
    await opened(PROXY, headers, "https://play.example.org");
    expect(await connectedPeers(1)).toEqual(["203.0.113.7"]);
    // Another site's page is still refused (W3), through the proxy as directly.
    const foreign = await upgrade(PROXY, headers, "https://evil.example");
    expect(foreign).toMatchObject({ ok: false, status: 403 });
  });

  it("through the proxy the log names the proxy and the protocol beside the client", async () => {
    await start();
    await opened(PROXY, { "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https" });
    await connectedPeers(1);
    expect(logs.records()).toContainEqual(expect.objectContaining({ msg: "websocket through a trusted proxy", peer: "203.0.113.7", proxy: PROXY, proto: "https" }));
  });
});
