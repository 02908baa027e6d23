/**
 * Browser end-to-end support (issue 9): Debian's headless chromium through playwright-core, the
 * page's DOM contract as small helpers, and a screenshot of every step kept under
 * `test-artifacts/browser/<test>/<nn-step>.png` so a reader sees what each test saw.
 *
 * The page runs on the browser's real time, so nothing here sleeps: every wait is a DOM
 * condition polled with a timeout. The page's CSP forbids `eval`, so `waitForFunction` cannot
 * run there; locators and `page.evaluate` (which the CSP does not govern) can. The root
 * tsconfig has no DOM types, so in-page code is written as strings.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { LineClient } from "./clients.js";
import { uniqueName } from "./names.js";
import { removeDir, startTestServer, type TestServer } from "./server-harness.js";

/** Where Debian's chromium lives; the browser tests skip when it is missing. */
export const CHROMIUM = "/usr/bin/chromium";

/** True when the browser tests can run here. */
export const hasChromium = fs.existsSync(CHROMIUM);

/** The repository root, for dist/web, node_modules and the artifacts directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The directory that holds every browser test's screenshots (git-ignored; the README names it). */
export const artifactsRoot = path.join(projectRoot, "test-artifacts", "browser");

/** How long any one DOM condition may take: a login hashes a password, a reconnect backs off. */
export const STEP_TIMEOUT_MS = 10_000;

/** Launches one headless chromium for a test file, with the flags that keep it quiet offline. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** A desktop window and the phone size issue 9 asks the page to work at. */
export const viewports = {
  desktop: { width: 1100, height: 700 },
  phone: { width: 360, height: 740 },
} as const;

/**
 * Numbered screenshots for one test: `shot("logged-in")` writes `03-logged-in.png` in the test's
 * own directory, emptied when the test starts so a rerun leaves no stale steps behind.
 */
export class Screenshots {
  readonly dir: string;
  #step = 0;

  constructor(testName: string) {
    this.dir = path.join(artifactsRoot, slug(testName));
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
  }

  /**
   * After a failed test, what each of its pages showed, as `failed-<n>.png` beside the steps:
   * the picture a reader of a red run wants first. Best effort: a page that cannot be captured
   * (already closed) is skipped.
   */
  async failed(clients: readonly WebClientPage[]): Promise<void> {
    for (const [i, client] of clients.entries()) {
      await client.page.screenshot({ path: path.join(this.dir, `failed-${i + 1}.png`) }).catch(() => undefined);
    }
  }

  /** Saves the page as it is now as the next numbered step; resolves with the file's path. */
  async shot(page: Page, step: string): Promise<string> {
    this.#step += 1;
    const file = path.join(this.dir, `${String(this.#step).padStart(2, "0")}-${slug(step)}.png`);
    await page.screenshot({ path: file });
    return file;
  }
}

/** Lowercase words joined by dashes: a safe file or directory name. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "step";
}

/** Drives one page of the web client through its DOM contract (docs/web-client.md). */
export class WebClientPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Every text frame the page sent on any WebSocket, in order (to prove no password went out). */
  readonly framesSent: string[] = [];

  private constructor(context: BrowserContext, page: Page) {
    this.context = context;
    this.page = page;
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on("websocket", (ws) => {
      ws.on("framesent", (frame) => {
        if (typeof frame.payload === "string") this.framesSent.push(frame.payload);
      });
    });
  }

  /** Opens the page at `url` in a fresh context (its own localStorage) of `browser`. */
  static async open(browser: Browser, url: string, viewport: { width: number; height: number } = viewports.desktop): Promise<WebClientPage> {
    const context = await browser.newContext({ viewport });
    const client = new WebClientPage(context, await context.newPage());
    await client.page.goto(url);
    return client;
  }

  /** The log as the player reads it. */
  output(): Promise<string> {
    return this.page.locator("#output").innerText();
  }

  /** Waits until the log shows `text`. */
  async waitForOutput(text: string | RegExp, timeout = STEP_TIMEOUT_MS): Promise<void> {
    await expect
      .poll(() => this.output(), { timeout, interval: 50 })
      .toMatch(typeof text === "string" ? new RegExp(escapeRegExp(text)) : text);
  }

  /** Types a command into `#command` and presses Enter. */
  async type(command: string): Promise<void> {
    const input = this.page.locator("#command");
    await input.fill(command);
    await input.press("Enter");
  }

  /**
   * Logs in through the form: the name, the password, and Create or Connect. Does not wait for
   * the result; see {@link loggedIn}.
   */
  async submitLogin(name: string, password: string, how: "create" | "connect"): Promise<void> {
    await this.page.locator("#login").waitFor({ state: "visible" });
    await this.page.locator("#login-name").fill(name);
    await this.page.locator("#login-password").fill(password);
    await this.page.locator(how === "create" ? "#login-create" : "#login-connect").click();
  }

  /** Waits for the server's welcome to `name` and the form to go away. */
  async loggedIn(name: string): Promise<void> {
    await this.waitForOutput(`Welcome, ${name}.`);
    await this.page.locator("#login").waitFor({ state: "hidden" });
  }

  /** Logs in through the form and waits until the page plays as `name`. */
  async login(name: string, password: string, how: "create" | "connect"): Promise<void> {
    await this.submitLogin(name, password, how);
    await this.loggedIn(name);
  }

  /** Every localStorage entry of the page's origin. */
  async localStorage(): Promise<Record<string, string>> {
    return (await this.page.evaluate(
      "Object.fromEntries(Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)).map((k) => [k, localStorage.getItem(k)]))",
    )) as Record<string, string>;
  }

  /** Every sessionStorage entry of the page's origin. */
  async sessionStorage(): Promise<Record<string, string>> {
    return (await this.page.evaluate(
      "Object.fromEntries(Array.from({ length: sessionStorage.length }, (_, i) => sessionStorage.key(i)).map((k) => [k, sessionStorage.getItem(k)]))",
    )) as Record<string, string>;
  }

  /** The output's scroll metrics. */
  async scroll(): Promise<{ top: number; height: number; client: number; atEnd: boolean }> {
    return (await this.page.evaluate(
      "(() => { const o = document.getElementById('output'); return { top: o.scrollTop, height: o.scrollHeight, client: o.clientHeight, atEnd: o.scrollHeight - o.scrollTop - o.clientHeight < 4 }; })()",
    )) as { top: number; height: number; client: number; atEnd: boolean };
  }

  /** Resolves after the page has rendered two more frames (its scroll and rAF handlers have run). */
  async nextFrames(): Promise<void> {
    await this.page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
  }

  /**
   * Whether the player can actually see and hit `selector`: its centre is inside the window and
   * the topmost element there is it or inside it (not clipped away, covered, or scrolled off).
   */
  async isOnScreen(selector: string): Promise<boolean> {
    return (await this.page.evaluate(`(() => {
      const e = document.querySelector(${JSON.stringify(selector)});
      if (e === null) return false;
      const b = e.getBoundingClientRect();
      const x = b.left + b.width / 2, y = b.top + b.height / 2;
      if (b.width === 0 || b.height === 0 || x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
      const hit = document.elementFromPoint(x, y);
      return hit !== null && (hit === e || e.contains(hit));
    })()`)) as boolean;
  }

  /** How wide the document is against the window: no horizontal scroll when scrollWidth <= innerWidth. */
  async documentWidth(): Promise<{ scrollWidth: number; innerWidth: number }> {
    return (await this.page.evaluate("({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })")) as {
      scrollWidth: number;
      innerWidth: number;
    };
  }

  /** Closes the page's context: its sockets close, so its character leaves the world. */
  close(): Promise<void> {
    return this.context.close();
  }
}

/** What {@link browserRig} holds for a describe block; read its fields inside tests, once beforeAll has run. */
export interface BrowserRig {
  /** The whole server, in-process on port 0. */
  readonly server: TestServer;
  /** One headless chromium for the block. */
  readonly browser: Browser;
  /** The page's address on the server's HTTP port. */
  readonly url: string;
  /** A netcat player over the line door, waiting in the starting room: someone for the page to see and talk to. */
  readonly nc: LineClient;
  /** The netcat player's name, fixed before beforeAll runs. */
  readonly ncName: string;
  /** Opens the page in a fresh browser context (its own localStorage), closed after the test. */
  openPage(viewport?: { width: number; height: number }): Promise<WebClientPage>;
  /** The test's numbered screenshots; when the test fails, each page it opened is captured beside them. */
  steps(testName: string): Screenshots;
}

/**
 * Registers, in the calling describe block, the hooks every web-page test file needs: the
 * server, chromium and the netcat player in beforeAll; after each test a last screenshot of
 * each page if it failed, and every page closed; all of it stopped and removed in afterAll.
 */
export function browserRig(): BrowserRig {
  const ncName = uniqueName("netcat");
  const open: WebClientPage[] = [];
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let nc: LineClient | undefined;
  /** The running test's screenshots, for a last one if it fails. */
  let current: Screenshots | undefined;
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`browserRig: ${what} is read before beforeAll started it`);
    return value;
  };

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    nc = await LineClient.connect(server.ports.line);
    await nc.expect("Your name:");
    nc.send(`create ${ncName} netcat-pw`);
    await nc.expect(`Welcome, ${ncName}.`);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === "fail") await current?.failed(open);
    current = undefined;
    for (const client of open.splice(0)) await client.close();
  });

  afterAll(async () => {
    nc?.close();
    await browser?.close();
    await server?.stop();
    if (server) removeDir(server.dataDir);
  });

  const rig: BrowserRig = {
    get server() {
      return started(server, "the server");
    },
    get browser() {
      return started(browser, "the browser");
    },
    get url() {
      return `http://127.0.0.1:${started(server, "the server").ports.http}/`;
    },
    get nc() {
      return started(nc, "the netcat player");
    },
    ncName,
    async openPage(viewport = viewports.desktop) {
      const client = await WebClientPage.open(rig.browser, rig.url, viewport);
      open.push(client);
      return client;
    },
    steps(testName) {
      current = new Screenshots(testName);
      return current;
    },
  };
  return rig;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
