/**
 * Issue 9, "What must be shown", in Debian's headless chromium against the whole server
 * (startServer in-process on port 0, the built page from dist/web): logging in through the form
 * or by typing (the password nowhere afterwards), history and character kept across a reload,
 * talking with a netcat player, walking by clicking exits, Tab completion, scrollback with its
 * "new messages" marker, following the end when the output shrinks, and the phone-sized layout.
 * Each test starts its own browser context (its own localStorage) and character; one netcat
 * player waits in the starting room (the square of config/world/town.yaml: north to Market Row,
 * in to the inn). Every step is saved as a screenshot under test-artifacts/browser/<test>/, the
 * path the README names.
 */
import { describe, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { browserRig, hasChromium, viewports, type WebClientPage } from "../support/browser.js";

if (!hasChromium) console.warn("browser tests skipped: /usr/bin/chromium not found (apt-get install chromium)");

describe.skipIf(!hasChromium)("the web client against the real server (issue 9)", () => {
  const rig = browserRig();
  const { ncName, openPage, steps } = rig;

  /** Makes a character over the line door and leaves, so the page can connect to it. */
  async function createOverNetcat(name: string, password: string): Promise<void> {
    const maker = await LineClient.connect(rig.server.ports.line);
    try {
      await maker.expect("Your name:");
      maker.send(`create ${name} ${password}`);
      await maker.expect(`Welcome, ${name}.`);
    } finally {
      maker.close();
    }
  }

  /** Fails naming where the password was found, if anywhere the page keeps or shows things. */
  async function expectPasswordNowhere(client: WebClientPage, password: string): Promise<void> {
    expect(await client.output()).not.toContain(password);
    expect(await client.page.locator("body").innerText()).not.toContain(password);
    for (const [key, value] of Object.entries(await client.localStorage())) expect(value, `localStorage ${key}`).not.toContain(password);
    for (const [key, value] of Object.entries(await client.sessionStorage())) expect(value, `sessionStorage ${key}`).not.toContain(password);
    // The history store in memory: walking back through it never offers the login line.
    const input = client.page.locator("#command");
    await input.fill("");
    for (let i = 0; i < 5; i++) {
      await input.press("ArrowUp");
      expect(await input.inputValue()).not.toContain(password);
    }
    await input.fill("");
  }

  it("creates a character through the login form; the password is shown, stored and remembered nowhere", async () => {
    const shots = steps("login-create");
    const client = await openPage();
    const name = uniqueName("webber");
    const password = "create-secret-4u";
    await client.page.locator("#login").waitFor();
    expect(await client.page.locator("#login").getAttribute("aria-label")).toBe("Log in");
    expect(await client.page.locator("#login-password").getAttribute("type")).toBe("password");
    expect(await client.page.locator("#login-password").getAttribute("autocomplete")).toBe("current-password");
    await shots.shot(client.page, "login form");
    await client.page.locator("#login-name").fill(name);
    await client.page.locator("#login-password").fill(password);
    await shots.shot(client.page, "filled in");
    await client.page.locator("#login-create").click();
    await client.loggedIn(name);
    await shots.shot(client.page, "logged in");
    await expectPasswordNowhere(client, password);
    // It went to the server once, in the create line, and in no other frame.
    const carrying = client.framesSent.filter((f) => f.includes(password));
    expect(carrying).toHaveLength(1);
    expect(carrying[0]).toContain(`create ${name} ${password}`);
  });

  it("connects an existing character through the form, after a wrong password leaves the form up", async () => {
    const shots = steps("login-connect");
    const name = uniqueName("webber");
    const password = "connect-secret-4u";
    await createOverNetcat(name, password);
    const client = await openPage();
    await client.submitLogin(name, "wrong-guess-9", "connect");
    await client.waitForOutput("That name and password do not match.");
    await client.page.locator("#login").waitFor({ state: "visible" });
    await shots.shot(client.page, "wrong password");
    await client.login(name, password, "connect");
    await shots.shot(client.page, "connected");
    await expectPasswordNowhere(client, password);
    await expectPasswordNowhere(client, "wrong-guess-9");
  });

  it("a connect line typed into #command is masked in the log and kept out of history", async () => {
    const shots = steps("login-typed");
    const name = uniqueName("webber");
    const password = "typed-secret-4u";
    await createOverNetcat(name, password);
    const client = await openPage();
    await client.page.locator("#login").waitFor();
    await client.type(`connect ${name} ${password}`);
    await client.loggedIn(name);
    await client.type("look");
    await client.waitForOutput(/Town Square[\s\S]*Town Square/);
    await shots.shot(client.page, "logged in by typing");
    await expectPasswordNowhere(client, password);
  });

  it("keeps the command history and the character across a reload, with no password asked", async () => {
    const shots = steps("reload");
    const client = await openPage();
    const { page } = client;
    const name = uniqueName("webber");
    await client.login(name, "reload-secret-4u", "create");
    await expect.poll(async () => (await client.localStorage())["loom.resume"]).toBeTruthy();
    await client.type("say remember me");
    await client.waitForOutput('You say, "remember me"');
    await client.type("look");
    await client.waitForOutput(/Town Square[\s\S]*Town Square/);
    await shots.shot(page, "before reload");
    await page.reload();
    // The stored token brings the character back: the form never needs filling in.
    await client.waitForOutput(`Welcome, ${name}.`);
    await page.locator("#login").waitFor({ state: "hidden" });
    await expect.poll(() => page.locator("#char-name").innerText()).toBe(name);
    const input = page.locator("#command");
    await input.press("ArrowUp");
    expect(await input.inputValue()).toBe("look");
    await input.press("ArrowUp");
    expect(await input.inputValue()).toBe("say remember me");
    await shots.shot(page, "after reload");
    await expectPasswordNowhere(client, "reload-secret-4u");
  });

  it("says hello to a netcat player, reads the answer, and clicks the name", async () => {
    const shots = steps("say-to-netcat");
    const client = await openPage();
    const name = uniqueName("webber");
    await client.login(name, "say-secret-4u", "create");
    await client.waitForOutput(ncName);
    await shots.shot(client.page, "netcat player here");
    rig.nc.mark();
    await client.type("say hello");
    await client.waitForOutput('You say, "hello"');
    await rig.nc.expect(`${name} says, "hello"`);
    await shots.shot(client.page, "said hello");
    rig.nc.send(`say hello yourself, ${name}`);
    await client.waitForOutput(`${ncName} says, "hello yourself, ${name}"`);
    await shots.shot(client.page, "netcat answered");
    // The name in that line is a button that types `look <name>`.
    const nameLink = client.page.locator("#output .name-link", { hasText: ncName }).last();
    expect(await nameLink.getAttribute("data-command")).toBe(`look ${ncName}`);
    await nameLink.click();
    await expect.poll(() => client.framesSent.includes(`look ${ncName}`)).toBe(true);
    await shots.shot(client.page, "clicked the name");
  });

  it("walks by clicking an exit in the room panel, and one in the output", async () => {
    const shots = steps("click-exits");
    const client = await openPage();
    const { page } = client;
    await client.login(uniqueName("webber"), "walk-secret-4u", "create");
    await expect.poll(() => page.locator("#room-name").innerText()).toBe("Town Square");
    await shots.shot(page, "in the square");
    // Room.Info names exits by their short direction ("n"); the button may say either.
    const north = page.locator("#room-exits button.exit").filter({ hasText: /^\s*(n|north)\s*$/ });
    await north.click();
    await expect.poll(() => page.locator("#room-name").innerText()).toBe("Market Row");
    await expect.poll(() => page.locator("#room-exits button.exit").allInnerTexts()).toHaveLength(2);
    await shots.shot(page, "market after panel click");
    // The market's own description is the last in the log; its "south" goes back.
    const south = page.locator("#output .exit-link", { hasText: /^south$/ }).last();
    expect(await south.getAttribute("data-command")).toMatch(/^(s|south)$/);
    await south.click();
    await expect.poll(() => page.locator("#room-name").innerText()).toBe("Town Square");
    await shots.shot(page, "square after output click");
  });

  it("Tab completes a person's name, a command word, an exit and a thing", async () => {
    const shots = steps("tab-complete");
    const client = await openPage();
    const { page } = client;
    await client.login(uniqueName("webber"), "tab-secret-4u", "create");
    // Room.Players fills the people panel; completion draws on the same list.
    const person = page.locator("#panel-people button", { hasText: ncName });
    await person.waitFor();
    expect(await person.getAttribute("data-command")).toBe(`look ${ncName}`);
    const input = page.locator("#command");
    const complete = async (typed: string, expected: RegExp, step: string): Promise<void> => {
      await input.fill(typed);
      await input.press("Tab");
      await expect.poll(() => input.inputValue()).toMatch(expected);
      // Tab completed in place: the focus stayed in the command line.
      expect(await page.evaluate("document.activeElement && document.activeElement.id")).toBe("command");
      await shots.shot(page, step);
    };
    await complete(`look ${ncName.slice(0, 4).toLowerCase()}`, new RegExp(`^look ${ncName} ?$`, "i"), "name completed");
    await complete("emo", /^emote ?$/, "command completed");
    // Room.Info names exits by their short forms; "in" has no other, and nothing else here starts with i.
    await complete("go i", /^go in ?$/, "exit completed");
    // Char.Items.List: the fountain in the square, by any word of its name.
    await complete("look sto", /^look stone fountain ?$/, "thing completed");
    await expect.poll(() => page.locator("#completion-status").textContent()).not.toBe("");
    // Nothing to complete: Tab moves on as usual, so the command line is no keyboard trap (WCAG 2.1.2).
    await input.fill("");
    await input.press("Tab");
    expect(await page.evaluate("document.activeElement && document.activeElement.id")).not.toBe("command");
  });

  it("scrollback: reading back is not disturbed, and #new-messages returns to the end", async () => {
    const shots = steps("scrollback");
    const client = await openPage();
    const { page } = client;
    const name = uniqueName("webber");
    await client.login(name, "scroll-secret-4u", "create");
    // Enough output to scroll: the command list, as often as it takes.
    const scrollable = async (): Promise<boolean> => {
      const { height, client: visible } = await client.scroll();
      return height > visible * 2;
    };
    for (let i = 0; i < 5 && !(await scrollable()); i++) {
      const before = (await client.output()).split("New here? Type look").length;
      await client.type("help");
      await expect.poll(async () => (await client.output()).split("New here? Type look").length).toBeGreaterThan(before);
    }
    await expect.poll(async () => (await client.scroll()).atEnd).toBe(true);
    expect(await page.locator("#new-messages").isVisible()).toBe(false);
    const { height, client: visible } = await client.scroll();
    const readingAt = Math.floor((height - visible) / 2);
    await page.evaluate(`document.getElementById('output').scrollTop = ${readingAt}`);
    await client.nextFrames();
    await shots.shot(page, "scrolled up");
    rig.nc.send("say are you reading?");
    await page.locator("#output", { hasText: `${ncName} says, "are you reading?"` }).waitFor();
    await page.locator("#new-messages").waitFor({ state: "visible" });
    await client.nextFrames();
    expect((await client.scroll()).top).toBe(readingAt);
    expect(await page.locator("#new-messages").innerText()).toMatch(/new messages/i);
    await shots.shot(page, "new messages marker");
    await page.locator("#new-messages").click();
    await expect.poll(async () => (await client.scroll()).atEnd).toBe(true);
    await page.locator("#new-messages").waitFor({ state: "hidden" });
    await shots.shot(page, "back at the end");
  });

  it("keeps following the end when the output shrinks: panels opened on a phone, the window made shorter", async () => {
    const shots = steps("follow-on-shrink");
    const client = await openPage(viewports.phone);
    const { page } = client;
    await client.login(uniqueName("webber"), "shrink-secret-4u", "create");
    await client.type("look");
    await client.waitForOutput(/Town Square[\s\S]*Town Square/);
    await expect.poll(async () => (await client.scroll()).atEnd).toBe(true);
    // Nobody scrolled up: the output only got shorter (as when a phone's keyboard opens).
    await page.locator("#panels-toggle").click();
    await page.locator("#panels").waitFor({ state: "visible" });
    await client.type("say still following");
    await client.waitForOutput('You say, "still following"');
    await client.nextFrames();
    await shots.shot(page, "panels open");
    expect(await client.scroll(), "at the end after the panels opened").toMatchObject({ atEnd: true });
    expect(await page.locator("#new-messages").isVisible()).toBe(false);
    await page.locator("#panels-toggle").click();
    await page.setViewportSize({ width: viewports.phone.width, height: 420 });
    await client.type("say shorter still");
    await client.waitForOutput('You say, "shorter still"');
    await client.nextFrames();
    await shots.shot(page, "window shorter");
    expect(await client.scroll(), "at the end after the window shrank").toMatchObject({ atEnd: true });
  });

  it("works on a 360x740 phone: no horizontal scroll, panels behind a toggle, login, a command, wrapped exits", async () => {
    const shots = steps("phone");
    const client = await openPage(viewports.phone);
    const { page } = client;
    const noSideScroll = async (): Promise<void> => {
      expect((await client.documentWidth()).scrollWidth).toBeLessThanOrEqual(viewports.phone.width);
    };
    await page.locator("#login").waitFor();
    await noSideScroll();
    await shots.shot(page, "login form");
    const name = uniqueName("webber");
    await client.login(name, "phone-secret-4u", "create");
    await noSideScroll();
    await shots.shot(page, "logged in");
    const toggle = page.locator("#panels-toggle");
    await toggle.waitFor({ state: "visible" });
    expect(await toggle.getAttribute("aria-controls")).toBe("panels");
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    await page.locator("#panels").waitFor({ state: "hidden" });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("true");
    await page.locator("#room-name", { hasText: "Town Square" }).waitFor({ state: "visible" });
    // Open means usable: the room's name and its first exit really on screen, not clipped away.
    await expect.poll(() => client.isOnScreen("#room-name")).toBe(true);
    await expect.poll(() => client.isOnScreen("#room-exits button.exit")).toBe(true);
    expect(await client.isOnScreen("#command")).toBe(true);
    await noSideScroll();
    await shots.shot(page, "panels open");
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("false");
    await page.locator("#panels").waitFor({ state: "hidden" });
    expect(await client.isOnScreen("#command")).toBe(true);
    await client.type("say small screen");
    await client.waitForOutput('You say, "small screen"');
    await noSideScroll();
    await shots.shot(page, "after a command");
    // At this width the server wraps the square's exit list ("west,\n  in"): still one link per exit.
    const commands = await Promise.all((await page.locator("#output .exit-link").all()).map((link) => link.getAttribute("data-command")));
    expect(commands.slice(-5)).toEqual(["north", "south", "east", "west", "in"]);
  });
});
