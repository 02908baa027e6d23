/**
 * Issue 9: "An accessibility check of the page (axe-core ... run in the same browser): no
 * violations of level A or AA." axe-core runs inside chromium on the real page served by the
 * real server, with the WCAG 2.0/2.1 A and AA rules, on the login screen and logged in (with a
 * netcat player in the room, so the people panel has someone), at desktop size and at 360 px
 * with the panels closed and open. Every state checked is kept as a screenshot under
 * test-artifacts/browser/<test>/. A failure lists each rule, element and reason.
 */
import { describe, expect, it } from "vitest";
import { uniqueName } from "../support/names.js";
import { browserRig, hasChromium, viewports } from "../support/browser.js";
import { formatViolations, runAxe } from "../support/axe.js";

describe.skipIf(!hasChromium)("the web client has no WCAG 2.1 A or AA violations (axe-core)", () => {
  const { openPage, steps } = browserRig();

  /** Checks each state in turn and reports every violation of every state at the end. */
  async function audit(name: string, viewport: { width: number; height: number }, phone: boolean): Promise<void> {
    const shots = steps(name);
    const client = await openPage(viewport);
    const { page } = client;
    const report: string[] = [];
    const check = async (state: string): Promise<void> => {
      await shots.shot(page, state);
      const violations = await runAxe(page);
      if (violations.length > 0) report.push(`--- ${state} ---\n${formatViolations(violations)}`);
    };
    await page.locator("#login").waitFor();
    await client.waitForOutput("Welcome to Loom.");
    await check("login screen");
    await client.login(uniqueName("webber"), "axe-secret-4u", "create");
    await page.locator("#room-name", { hasText: "Town Square" }).waitFor({ state: "attached" });
    await client.type("say checking the page");
    await client.waitForOutput('You say, "checking the page"');
    await check("logged in");
    if (phone) {
      await page.locator("#panels-toggle").click();
      await page.locator("#panels").waitFor({ state: "visible" });
      await check("panels open");
    }
    expect(report.join("\n"), "axe violations").toBe("");
  }

  it("the check itself: axe runs in the page under its CSP and finds a planted violation", async () => {
    const client = await openPage();
    await client.page.locator("#login").waitFor();
    // An image with no text alternative, added from outside (the page's CSP governs its own scripts only).
    await client.page.evaluate("document.body.append(Object.assign(document.createElement('img'), { src: '/favicon-missing.png', id: 'planted' }))");
    const violations = await runAxe(client.page);
    expect(violations.map((v) => v.id)).toContain("image-alt");
    expect(formatViolations(violations)).toContain("#planted");
  });

  it("desktop: the login screen and the logged-in page", async () => {
    await audit("accessibility-desktop", viewports.desktop, false);
  });

  it("360 px phone: the login screen, the logged-in page, and the panels opened", async () => {
    await audit("accessibility-phone", viewports.phone, true);
  });
});
