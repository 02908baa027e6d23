/**
 * Issue 5 item 2: past the per-address cap the server wrote a 503 to each WebSocket upgrade
 * and `end()`ed it, but never destroyed it: one address holding ~20,000 refused upgrades
 * exhausted every fd, and no metric or log showed it. Now HTTP connections are admitted when
 * they arrive, like the TCP doors' (hardening F3, F5), and a refusal is answered, closed after
 * a short linger on the Clock, counted, and logged at a bounded rate.
 *
 * The server runs in this process, so the test's client sockets are fds too: the bound below
 * counts them, and the server's refused half must be gone.
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import { LineClient, WsClient } from "../support/clients.js";
import { captureLogs } from "../support/logs.js";
import { uniqueName } from "../support/names.js";
import { openFds } from "../support/resources.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer | undefined;
const sockets = new Set<net.Socket>();
const clients: { close(): void }[] = [];

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  for (const c of clients.splice(0)) c.close();
  await stopTestServer(server);
  server = undefined;
});

/** A raw client that never closes its side: it holds whatever the server leaves open. */
interface HeldSocket {
  readonly socket: net.Socket;
  /** Everything received, as latin1. */
  received(): string;
}

function hold(port: number, localAddress: string, request: string): Promise<HeldSocket> {
  return new Promise((resolve, reject) => {
    // allowHalfOpen: the server's FIN does not make this side close, as an attacker's would not.
    const socket = net.connect({ port, host: "127.0.0.1", localAddress, allowHalfOpen: true });
    sockets.add(socket);
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
    });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      socket.on("error", () => {});
      socket.write(request);
      resolve({ socket, received: () => text });
    });
  });
}

const UPGRADE =
  "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

/** GET over a fresh connection with Connection: close; the whole response, read to the end. */
function get(port: number, target: string, localAddress = "127.0.0.1"): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    sockets.add(socket);
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
    });
    socket.once("error", reject);
    socket.once("close", () => resolve(text));
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

const CAP = 4;
const REFUSED = 300;
const FD_SLACK = 12;

describe("issue 5 item 2: refused WebSocket upgrades never keep their sockets", () => {
  it("one address holding far more upgrades than its cap: every refused socket is closed, fds stay bounded, refusals are counted and another address plays", async () => {
    const clock = new FakeClock();
    const logs = captureLogs();
    server = await startTestServer({ clock, logTo: logs.sink, overrides: { limits: { maxConnectionsPerAddress: CAP } } });
    const port = server.ports.http;
    const fdsBefore = openFds();

    const held: HeldSocket[] = [];
    for (let i = 0; i < CAP + REFUSED; i++) held.push(await hold(port, "127.0.0.2", UPGRADE));
    await expect.poll(() => held.filter((h) => h.received().startsWith("HTTP/1.1 ")).length, { timeout: 10_000 }).toBe(CAP + REFUSED);
    // An upgrade rides on its admitted connection and is not counted twice: all CAP upgrade.
    expect(held.filter((h) => h.received().startsWith("HTTP/1.1 101 ")).length).toBe(CAP);
    expect(held.filter((h) => h.received().startsWith("HTTP/1.1 503 ")).length).toBe(REFUSED);

    // Plain HTTP counts against the same cap.
    expect(await get(port, "/healthz", "127.0.0.2")).toMatch(/^HTTP\/1\.1 503 [^]*Too many connections from your address/);

    // The linger is over: the server has let go of every refused socket, though its peers hold on.
    clock.advance(1_000);
    const clientSide = CAP + REFUSED;
    const admittedServerSide = CAP;
    await expect.poll(openFds, { timeout: 10_000 }).toBeLessThanOrEqual(fdsBefore + clientSide + admittedServerSide + FD_SLACK);

    const metrics = await get(port, "/metrics");
    const refused = Number(/^loom_connections_refused_total\{door="http",cap="address"\} (\d+)$/m.exec(metrics)?.[1]);
    expect(refused).toBe(REFUSED + 1);

    // Logged at a bounded rate: one line for the whole burst, then the count in the next one.
    const refusalLines = (): Record<string, unknown>[] => logs.records().filter((l) => l["msg"] === "connection refused at the cap" && l["listener"] === "http");
    expect(refusalLines()).toHaveLength(1);
    clock.advance(10_000);
    expect(await get(port, "/healthz", "127.0.0.2")).toMatch(/^HTTP\/1\.1 503 /);
    expect(refusalLines()).toHaveLength(2);
    expect(refusalLines()[1]).toMatchObject({ suppressed: REFUSED, cap: "address", peer: "127.0.0.2" });

    // Another address still plays.
    const player = await WsClient.connect(port);
    clients.push(player);
    await player.expect("Your name:");
    const name = uniqueName("held");
    player.send(`create ${name} pw-${name}-long`);
    await player.expect(`Welcome, ${name}.`);
  });

  it("the TCP doors' refusals are logged at a bounded rate too", async () => {
    const clock = new FakeClock();
    const logs = captureLogs();
    server = await startTestServer({ clock, logTo: logs.sink, overrides: { limits: { maxConnectionsPerAddress: 1 } } });
    clients.push(await LineClient.connect(server.ports.line, "127.0.0.2"));
    for (let i = 0; i < 50; i++) {
      const refused = await LineClient.connect(server.ports.line, "127.0.0.2");
      clients.push(refused);
      await refused.closed;
      expect(refused.text).toContain("Too many connections from your address");
    }
    const refusalLines = logs.records().filter((l) => l["msg"] === "connection refused at the cap");
    expect(refusalLines).toHaveLength(1);
    expect(refusalLines[0]).toMatchObject({ listener: "line", cap: "address" });
    const metrics = await get(server.ports.http, "/metrics");
    expect(metrics).toMatch(/^loom_connections_refused_total\{door="line",cap="address"\} 50$/m);
  });
});
