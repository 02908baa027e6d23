/**
 * The whole product in a browser: the real server (startServer on port 0), its page at `/`,
 * and a netcat-style client on the line door in the same room. The browser player logs in
 * through the interactive prompts (the password field masked), and the two read each other's
 * words exactly as typed.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

const CHROMIUM = "/usr/bin/chromium";

describe.skipIf(!existsSync(CHROMIUM))("the browser client against the real server", () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let nc: LineClient;
  const webName = uniqueName("browser");
  const ncName = uniqueName("netcat");

  const output = (): Promise<string> => page.locator("#output").innerText();
  async function waitForOutput(text: string): Promise<void> {
    await expect.poll(output, { timeout: 10_000, interval: 50 }).toContain(text);
  }
  async function type(command: string): Promise<void> {
    await page.locator("#command").fill(command);
    await page.locator("#command").press("Enter");
  }

  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    page = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
    page.setDefaultTimeout(10_000);
    nc = await LineClient.connect(server.ports.line);
    await nc.expect("Your name:");
    nc.send(`create ${ncName} netcat-pw`);
    await nc.expect(`Welcome, ${ncName}.`);
  });

  afterAll(async () => {
    nc?.close();
    await browser?.close();
    await server?.stop();
    if (server) removeDir(server.dataDir);
  });

  it("logs in through the prompts with the password masked, and meets the netcat player", async () => {
    const response = await page.goto(`http://127.0.0.1:${server.ports.http}/`);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'self'");
    await waitForOutput("Welcome to Loom.");
    await type(webName);
    await waitForOutput(`Create ${webName}?`);
    await type("yes");
    await waitForOutput("Choose a password");
    await expect.poll(() => page.locator("#command").getAttribute("type")).toBe("password");
    await type("browser-pw");
    await waitForOutput("Repeat the password");
    await type("browser-pw");
    await waitForOutput(`Welcome, ${webName}.`);
    await expect.poll(() => page.locator("#command").getAttribute("type")).toBe("text");
    expect(await output()).not.toContain("browser-pw");
    await waitForOutput(`${ncName} is here.`);
    await nc.expect(`${webName} arrives in the world for the first time.`);
  });

  it("the browser and netcat read each other's words exactly, rendered for each", async () => {
    nc.mark();
    await type("say <b>bold?</b> & 🌍 ünïcode");
    await waitForOutput('You say, "<b>bold?</b> & 🌍 ünïcode"');
    await nc.expect(`${webName} says, "<b>bold?</b> & 🌍 ünïcode"`);
    nc.send("say <img src=x onerror=alert(1)> from nc");
    await waitForOutput(`${ncName} says, "<img src=x onerror=alert(1)> from nc"`);
    expect(await page.locator("#output img").count()).toBe(0);
    expect(await page.locator("#output b").count()).toBe(0);
    await page.screenshot({ path: "/tmp/loom-full-server.png" });
  });
});
