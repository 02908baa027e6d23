/**
 * Issue 9: "kill the server's connection (or restart the server) and see the page resume the
 * character without a password". The page logs in through the form and asks for a resume token
 * (`Loom.Resume.Ask`); then its connection is cut twice, both ways the issue names:
 *  1. from the server's side, mid-game: the reactor's connection registry terminates the
 *     WebSocket's TCP socket (as a phone changing networks sees it: no close frame);
 *  2. a server restart: the running server stops (closing with 1001) and a new one starts in
 *     the same process on the same data directory and the same HTTP port, so the page's origin,
 *     and with it its localStorage, stays the same.
 * Each time the page reconnects by itself, sends `Loom.Resume.Login`, and is the same
 * character again: the form stays hidden, a welcome line, the room panel filled, the log from
 * before the drop still there, the room described at the same width, a new token stored, and a
 * netcat player hears it speak. Nobody types the password again: no frame after the first
 * login carries it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { ConnectionRegistry } from "../../src/reactor/connection-registry.js";
import { reason } from "../../src/reactor/interfaces.js";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";
import { Screenshots, WebClientPage, hasChromium, launchChromium } from "../support/browser.js";

/** A reconnect waits out the page's backoff, and after a restart the server's boot too. */
const RECONNECT_TIMEOUT_MS = 15_000;

describe.skipIf(!hasChromium)("the web client resumes its character after a drop (issue 9)", () => {
  let server: TestServer | undefined;
  let browser: Browser;
  let client: WebClientPage | undefined;
  let nc: LineClient | undefined;
  let dataDir: string | undefined;
  const name = uniqueName("webber");
  const password = "resume-secret-4u";
  const ncName = uniqueName("netcat");
  /** The test's screenshots, for a last one if it fails. */
  let current: Screenshots | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === "fail" && client !== undefined) await current?.failed([client]);
  });

  afterAll(async () => {
    nc?.close();
    await client?.close();
    await browser?.close();
    await server?.stop();
    if (dataDir !== undefined) removeDir(dataDir);
  });

  /** A netcat player in the square, (re)connected to the current server. */
  async function netcat(how: "create" | "connect"): Promise<LineClient> {
    nc?.close();
    nc = await LineClient.connect(server!.ports.line);
    await nc.expect("Your name:");
    nc.send(`${how} ${ncName} netcat-pw`);
    await nc.expect(`Welcome, ${ncName}.`);
    return nc;
  }

  const welcomes = async (): Promise<number> => ((await client!.output()).match(new RegExp(`Welcome, ${name}\\.|Welcome back`, "g")) ?? []).length;
  const storedToken = async (): Promise<string | undefined> => (await client!.localStorage())["loom.resume"];
  const resumeLogins = (): number => client!.framesSent.filter((f) => f.includes("Loom.Resume.Login")).length;

  /** Everything that shows the page resumed as `name`, after the `n`th resume. */
  async function expectResumed(shots: Screenshots, n: number, oldToken: string, said: readonly string[], welcomesBefore: number): Promise<string> {
    const { page } = client!;
    await expect.poll(resumeLogins, { timeout: RECONNECT_TIMEOUT_MS }).toBe(n);
    await expect.poll(welcomes, { timeout: RECONNECT_TIMEOUT_MS }).toBeGreaterThan(welcomesBefore);
    await page.locator("#status[data-state=connected]").waitFor();
    await shots.shot(page, `resumed ${n}`);
    expect(await page.locator("#login").isVisible()).toBe(false);
    await expect.poll(() => page.locator("#room-name").innerText()).toBe("Town Square");
    for (const words of said) expect(await client!.output()).toContain(`You say, "${words}"`);
    // The width the page measures drives the server's wrapping from the first line after a
    // resume too: the square's description breaks exactly where it did after the password login.
    const descriptions = await page.locator("#output > .line", { hasText: "Welcome to Shuttleford" }).allTextContents();
    expect(descriptions.length).toBeGreaterThan(1);
    // Soft: a wrong width is worth reporting without hiding the rest of the resume checks.
    expect.soft(descriptions.at(-1), "the description after the resume, wrapped as at login").toBe(descriptions[0]);
    // Single use, rotated on each resume: a fresh token replaced the one just spent.
    await expect.poll(storedToken).not.toBe(oldToken);
    const token = await storedToken();
    expect(token).toBeTruthy();
    return token!;
  }

  it("resumes after the server drops the connection, and after a server restart, with no password", { timeout: 50_000 }, async () => {
    const shots = (current = new Screenshots("resume"));
    server = await startTestServer();
    dataDir = server.dataDir;
    const port = server.ports.http;
    await netcat("create");
    client = await WebClientPage.open(browser, `http://127.0.0.1:${port}/`);
    const { page } = client;
    await client.login(name, password, "create");
    // The page asked for a token (a client that never asks gets none) and keeps it.
    await expect.poll(storedToken).toBeTruthy();
    const firstToken = (await storedToken())!;
    expect(client.framesSent.some((f) => f.includes("Loom.Resume.Ask"))).toBe(true);
    expect(firstToken).not.toContain(password);
    await client.type("say before the drop");
    await nc!.expect(`${name} says, "before the drop"`);
    await shots.shot(page, "logged in");
    const sentBeforeDrop = client.framesSent.length;

    // 1. The server cuts the WebSocket's TCP connection: no close frame, as a network drop.
    const registry = server.connections;
    if (!(registry instanceof ConnectionRegistry)) throw new Error("the server's connections are not the reactor's registry");
    const sockets = registry.ofDoor("websocket");
    expect(sockets).toHaveLength(1);
    let welcomesBefore = await welcomes();
    for (const socket of sockets) socket.abort(reason("peer-error", "test: the network dropped"));
    const secondToken = await expectResumed(shots, 1, firstToken, ["before the drop"], welcomesBefore);
    nc!.mark();
    await client.type("say after the drop");
    await nc!.expect(`${name} says, "after the drop"`);
    await shots.shot(page, "spoke after the drop");

    // 2. The server restarts in this process: same data directory, same port.
    welcomesBefore = await welcomes();
    await server.stop();
    server = undefined;
    server = await startTestServer({ dataDir, env: { LOOM_HTTP_PORT: String(port) } });
    expect(server.ports.http).toBe(port);
    await netcat("connect");
    await expectResumed(shots, 2, secondToken, ["before the drop", "after the drop"], welcomesBefore);
    nc!.mark();
    await client.type("say after the restart");
    await nc!.expect(`${name} says, "after the restart"`);
    await shots.shot(page, "spoke after the restart");

    // The password went out once, in the create line, and never again.
    expect(client.framesSent.slice(sentBeforeDrop).filter((f) => f.includes(password))).toEqual([]);
    expect(client.framesSent.filter((f) => f.includes(password))).toHaveLength(1);
    expect(await client.output()).not.toContain(password);
  });
});
