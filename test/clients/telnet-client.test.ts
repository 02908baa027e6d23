/**
 * Debian's `telnet` (the `telnet` package: inetutils-telnet on bookworm, netkit on older
 * releases) in a real terminal, against the telnet door. Hardening T9: the password typed at
 * the interactive prompts never shows on screen. Plus the everyday things a person does with
 * it: say something, hear someone from another door, quit.
 */
import { describe, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { useTerminalHarness } from "./support/terminal-harness.js";
import { Binaries, missing, titleWithSkipReason, type TmuxPane } from "./support/tmux.js";

const absent = missing("tmux", "telnet");

describe.skipIf(absent.length > 0)(titleWithSkipReason("telnet in a terminal", absent), () => {
  const h = useTerminalHarness<LineClient>();


  /** `telnet 127.0.0.1 <port>`, without reading ~/.telnetrc. */
  async function openTelnet(): Promise<TmuxPane> {
    const pane = await h.tmux.open("telnet", [Binaries.telnet, "-c", "127.0.0.1", String(h.server.ports.telnet)]);
    await pane.waitFor("Your name:");
    return pane;
  }

  /** A second person, on a plain socket to the line door, already in the start room. */
  async function bystander(): Promise<{ client: LineClient; name: string }> {
    const client = await LineClient.connect(h.server.ports.line);
    h.sockets.push(client);
    const name = uniqueName("nearby");
    await client.expect("Your name:");
    client.send(`create ${name} pw-${name}`);
    await client.expect(`Welcome, ${name}.`);
    return { client, name };
  }

  it("T9: interactive login never shows the password; then say both ways, and quit", async () => {
    const other = await bystander();
    const pane = await openTelnet();
    const name = uniqueName("tnet");
    const password = "Hidden-Pw-73";

    await pane.typeLine(name);
    await pane.waitFor(`Create ${name}? (yes/no)`);
    await pane.typeLine("yes");
    await pane.waitFor(`Choose a password for ${name}:`);
    // Typed but not yet entered: with the client's echo on, it would be on screen now.
    await pane.type(password);
    expect(await pane.capture()).not.toContain(password);
    await pane.press("Enter");
    // The next prompt proves every key was read by telnet; none was echoed.
    await pane.waitFor("Repeat the password:");
    expect(await pane.capture()).not.toContain(password);
    await pane.type(password);
    expect(await pane.capture()).not.toContain(password);
    await pane.press("Enter");
    const welcomed = await pane.waitFor(`Welcome, ${name}.`);
    expect(welcomed).not.toContain(password);
    await other.client.expect(`${name} arrives`);

    // Echo is back on after the password: what the player types shows again.
    await pane.typeLine("say hello from telnet");
    const screen = await pane.waitFor('You say, "hello from telnet"');
    expect(screen).toContain("say hello from telnet");
    await other.client.expect(`${name} says, "hello from telnet"`);

    other.client.send("say hello from a plain socket");
    await pane.waitFor(`${other.name} says, "hello from a plain socket"`);

    await pane.typeLine("quit");
    await pane.waitFor(`Goodbye, ${name}.`);
    await pane.waitFor("Connection closed by foreign host.");
    await pane.waitForExit();
    await other.client.expect(`${name} has left the world.`);
    expect(await pane.capture()).not.toContain(password);
  });

  /** Logs in on one line (the password shows here, as the player typed it in the clear). */
  async function loggedIn(): Promise<{ pane: TmuxPane; name: string }> {
    const pane = await openTelnet();
    const name = uniqueName("tnet");
    await pane.typeLine(`create ${name} pw-${name}`);
    await pane.waitFor(`Welcome, ${name}.`);
    return { pane, name };
  }

  // Regression: the server's unsolicited WILL SGA put BSD-derived telnet into
  // character-at-a-time mode with the terminal echoing, so Enter showed as a literal "^M" and
  // the reply continued on the same line: `say hi^MYou say, "hi"`.
  it("the reply to a typed command starts on a line of its own", async () => {
    const { pane } = await loggedIn();
    await pane.typeLine("say on a line of its own");
    const screen = await pane.waitFor('You say, "on a line of its own"');
    expect(screen).toMatch(/^You say, "on a line of its own"/m);
  });

  // Regression, same cause: in character mode the terminal did no line editing, the
  // Backspace byte (DEL) went to the server, and the server dropped it.
  it("Backspace corrects a typo before Enter", async () => {
    const { pane } = await loggedIn();
    await pane.type("sayy");
    await pane.press("BSpace");
    await pane.typeLine(" fixed a typo");
    // Wait for whichever reply comes, then judge it: no waiting out a timeout.
    const screen = await pane.waitFor(/You say, "fixed a typo"|Unknown command/);
    expect(screen).toContain('You say, "fixed a typo"');
  });
});
