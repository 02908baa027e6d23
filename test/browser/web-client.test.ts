/**
 * The browser client end to end in Debian's chromium: the built page (scripts/build-web.mjs) is
 * served by createHttpHandler and talks to a WebSocketDoor whose fake session echoes each line
 * back as `Someone says, "<text>"`. Covers E11 (markup stays text, no element, no dialog, CSP
 * sent), echo-off password entry, history, caps and the server's wrapping to them (E9), bounded
 * output and reconnecting.
 *
 * The full-server version (against the lead's startServer) belongs in test/integration.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpHandler } from "../../src/http/http-handler.js";
import { createLogger } from "../../src/logging.js";
import { reason } from "../../src/reactor/interfaces.js";
import { line, prompt, styled } from "../../src/session/messages.js";
import { defaultConfig } from "../support/default-config.js";
import { startDoorHarness, type DoorHarness, type FakeSession } from "../protocols/websocket/harness.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const webRoot = path.join(projectRoot, "dist", "web");
const SCREENSHOT = "/tmp/loom-web.png";

if (!hasChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

/** The fake world: echoes speech, and asks for a password on `password`. */
function answer(session: FakeSession, text: string): void {
  if (text === "password") {
    session.send(prompt("Password: "));
    session.endpoint.setEcho(false);
    return;
  }
  if (session.lines.at(-2) === "password") {
    session.endpoint.setEcho(true);
    session.send(line(styled("notice", "Password accepted.")));
    return;
  }
  session.send(line(styled("name", "Someone"), " says, \"", styled("speech", text), "\""));
}

describe.skipIf(!hasChromium)(`web client in ${CHROMIUM}`, () => {
  let browser: Browser;
  let harness: DoorHarness | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    execFileSync(process.execPath, ["scripts/build-web.mjs"], { cwd: projectRoot, stdio: "inherit" });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
    await harness?.close();
    harness = undefined;
  });

  async function open(): Promise<{ page: Page; h: DoorHarness; status: number; csp: string | undefined; dialogs: string[]; cspErrors: string[] }> {
    const h = await startDoorHarness({
      onRequest: createHttpHandler({
        webRoot,
        logger: createLogger("silent"),
        metricsAllow: defaultConfig.http.metricsAllow,
        serveSourceMaps: defaultConfig.http.serveSourceMaps,
        maxPipelinedRequests: defaultConfig.limits.maxPipelinedRequests,
        staticCache: { maxFileBytes: defaultConfig.http.staticCacheFileBytes, maxTotalBytes: defaultConfig.http.staticCacheTotalBytes },
        health: () => ({ ok: true, ready: true }),
        metrics: () => "",
      }),
    });
    harness = h;
    h.opener.onOpen = (session) => session.send(line(styled("title", "Welcome to Loom."), " Type something."));
    h.opener.onLine = answer;
    context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const cspErrors: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });
    const response = await page.goto(`http://127.0.0.1:${h.port}/`);
    await page.locator("#status[data-state=connected]").waitFor();
    return { page, h, status: response?.status() ?? 0, csp: response?.headers()["content-security-policy"], dialogs, cspErrors };
  }

  async function send(page: Page, text: string): Promise<void> {
    await page.locator("#command").fill(text);
    await page.locator("#command").press("Enter");
  }

  function lineCount(page: Page): Promise<number> {
    return page.evaluate("document.querySelectorAll('#output > .line').length") as Promise<number>;
  }

  it("serves the page with a Content-Security-Policy and connects with loom.v1.json", async () => {
    const { h, status, csp, cspErrors } = await open();
    expect(status).toBe(200);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    const session = await h.opener.session();
    expect(session.endpoint.variant).toBe("ws-json");
    expect(cspErrors).toEqual([]);
  });

  it("shows the reply to a typed command, with styles as classes", async () => {
    const { page } = await open();
    await page.locator("#output .s-title", { hasText: "Welcome to Loom." }).waitFor();
    await send(page, "hello there");
    const reply = page.locator("#output > .line", { hasText: 'Someone says, "hello there"' });
    await reply.waitFor();
    expect(await reply.locator(".s-name").textContent()).toBe("Someone");
    expect(await reply.locator(".s-speech").textContent()).toBe("hello there");
    // The command itself is shown, dimmed, on its own line.
    expect(await page.locator("#output > .line.echo", { hasText: "hello there" }).count()).toBe(1);
    expect(await page.inputValue("#command")).toBe("");
  });

  it("E11: markup typed by a player is shown as literal text: no element, no dialog", async () => {
    const { page, dialogs, cspErrors } = await open();
    const evil = "<img src=x onerror=alert(1)>";
    await send(page, evil);
    const reply = page.locator("#output > .line", { hasText: `Someone says, "${evil}"` });
    await reply.waitFor();
    expect(await reply.textContent()).toBe(`Someone says, "${evil}"`);
    // A round trip later any image error handler would have run.
    await send(page, "after");
    await page.locator("#output > .line", { hasText: 'Someone says, "after"' }).waitFor();
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.evaluate("document.querySelectorAll('#output *:not(div):not(span)').length")).toBe(0);
    expect(dialogs).toEqual([]);
    expect(cspErrors).toEqual([]);
  });

  it("masks the input while echo is off and keeps the password out of output and history", async () => {
    const { page, h } = await open();
    await send(page, "password");
    await page.locator("#command[type=password]").waitFor();
    await page.locator("#output > .line.prompt", { hasText: "Password:" }).waitFor();
    await send(page, "hunter2");
    await page.locator("#output .s-notice", { hasText: "Password accepted." }).waitFor();
    await page.locator("#command[type=text]").waitFor();
    const session = await h.opener.session();
    expect(session.lines).toEqual(["password", "hunter2"]);
    expect(await page.locator("#output").textContent()).not.toContain("hunter2");
    await page.locator("#command").press("ArrowUp");
    expect(await page.inputValue("#command")).toBe("password");
  });

  it("recalls history with ArrowUp and ArrowDown, keeping the draft", async () => {
    const { page } = await open();
    await send(page, "first");
    await send(page, "second");
    await page.locator("#output > .line", { hasText: 'Someone says, "second"' }).waitFor();
    const input = page.locator("#command");
    await input.fill("draft");
    await input.press("ArrowUp");
    expect(await input.inputValue()).toBe("second");
    await input.press("ArrowUp");
    expect(await input.inputValue()).toBe("first");
    await input.press("ArrowUp");
    expect(await input.inputValue()).toBe("first");
    await input.press("ArrowDown");
    expect(await input.inputValue()).toBe("second");
    await input.press("ArrowDown");
    expect(await input.inputValue()).toBe("draft");
  });

  it("reports its size in characters on connect and on resize", async () => {
    const { page, h } = await open();
    const session = await h.opener.session();
    const first = await h.opener.until(() => session.caps[0]);
    expect(first.width).toBeGreaterThan(40);
    expect(first.height).toBeGreaterThan(5);
    await page.setViewportSize({ width: 500, height: 400 });
    const second = await h.opener.until(() => session.caps[1]);
    expect(second.width).toBeLessThan(first.width);
    expect(second.height).toBeLessThan(first.height);
  });

  it("E9: shows a message the server wrapped to its width with those breaks and no others, before and after a resize", async () => {
    const { page, h } = await open();
    const session = await h.opener.session();
    // Words, and one word longer than any line: the server cuts it at exactly the width.
    const text = `${"Looms stand in rows under tall windows; threads of every colour run from wall to wall. ".repeat(4)}${"x".repeat(250)}`;
    for (const [n, viewport] of [[0, undefined], [1, { width: 500, height: 400 }]] as const) {
      if (viewport !== undefined) await page.setViewportSize(viewport);
      await h.opener.until(() => session.caps[n]);
      const width = session.endpoint.width ?? 0;
      expect(width).toBeGreaterThan(20);
      session.send(line(`wrap${n} `, styled("speech", text)));
      await page.locator("#output > .line", { hasText: `wrap${n}` }).waitFor();
      // A string, as the root tsconfig has no DOM types: the lines' widths in cells, and the rows the line takes on screen.
      const { lines, rows } = (await page.evaluate(`(() => {
        const el = [...document.querySelectorAll("#output > .line")].find((e) => e.textContent.startsWith("wrap${n} "));
        const rows = Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight));
        return { lines: el.textContent.split("\\n").map((l) => [...l].length), rows };
      })()`)) as { lines: number[]; rows: number };
      expect(Math.max(...lines)).toBe(width);
      // Every line the server made is one row on screen: the page broke none of them again.
      expect(rows).toBe(lines.length);
    }
  });

  it("keeps at most 2,000 lines and follows new output only when at the bottom", async () => {
    const { page, h } = await open();
    const session = await h.opener.session();
    for (let i = 0; i < 2100; i++) session.send(line(`line ${i}`));
    await page.locator("#output > .line", { hasText: "line 2099" }).waitFor();
    expect(await lineCount(page)).toBe(2000);
    // (waitForFunction evals a string in the page, which the page's own CSP refuses; evaluate does not.)
    const atBottom = "(() => { const o = document.getElementById('output'); return o.scrollHeight - o.scrollTop - o.clientHeight < 30; })()";
    await nextFrames(page);
    expect(await page.evaluate(atBottom)).toBe(true);
    // Scrolled up to read: new output must not yank the view away.
    await page.evaluate("document.getElementById('output').scrollTop = 0");
    await nextFrames(page);
    session.send(line("new while reading"));
    await page.locator("#output > .line", { hasText: "new while reading" }).waitFor();
    await nextFrames(page);
    expect(await page.evaluate("document.getElementById('output').scrollTop")).toBe(0);
  });

  it("shows a disconnect with its reason and reconnects on the button", async () => {
    const { page, h } = await open();
    const session = await h.opener.session();
    session.endpoint.close(reason("quit", "Goodbye!"));
    await page.locator("#status[data-state=disconnected]", { hasText: "Goodbye!" }).waitFor();
    await page.locator("#reconnect").click();
    await page.locator("#status[data-state=connected]").waitFor();
    await h.opener.session(1);
    await expectHidden(page, "#reconnect");
  });

  it("looks right (screenshot to /tmp/loom-web.png)", async () => {
    const { page, h } = await open();
    const session = await h.opener.session();
    session.send(line(styled("title", "The Weaving Room")));
    session.send(line("Looms stand in rows under tall windows; threads of every colour run from wall to wall."));
    session.send(line(styled("dim", "Exits: "), styled("exit", "north"), ", ", styled("exit", "east"), ", ", styled("exit", "down")));
    session.send(line("You see ", styled("thing", "a brass shuttle"), " and ", styled("thing", "a basket of wool"), "."));
    session.send(line(styled("name", "Alice"), " is here."));
    session.send(line(styled("notice", "[OOC] The server will restart in 10 minutes.")));
    await send(page, "look at <b>shuttle</b>");
    await page.locator("#output > .line", { hasText: "look at <b>shuttle</b>" }).last().waitFor();
    session.send(line(styled("error", "I don't see that here.")));
    await send(page, "say 你好, Alice 😀");
    await page.locator("#output .s-speech", { hasText: "你好, Alice 😀" }).waitFor();
    session.send(prompt(styled("bold", "HP 42/42"), " > "));
    await page.locator("#output > .line.prompt").waitFor();
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});

/** Resolves after the page has rendered two more frames (scroll events and rAF callbacks have run). */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
}

async function expectHidden(page: Page, selector: string): Promise<void> {
  await page.locator(selector).waitFor({ state: "hidden" });
}
