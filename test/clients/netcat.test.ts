/**
 * `nc` (netcat-openbsd) in a real terminal. On the line door it is the plainest client there
 * is: the screen must show words only, never telnet bytes as Latin-1 (`ÿû`) nor ANSI litter,
 * whatever the telnet players around it do. On the telnet door it is the client that never
 * answers negotiation (T8): it must still get the prompt at once.
 */
import { describe, expect, it } from "vitest";
import { TelnetClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { useTerminalHarness } from "./support/terminal-harness.js";
import { Binaries, missing, titleWithSkipReason } from "./support/tmux.js";

const absent = missing("tmux", "nc");

/** What telnet bytes look like when a terminal shows them as Latin-1 (IAC and the verbs), or ANSI printed raw. */
const GARBAGE = /[ÿûüýþú]|\x1b|\[[0-9;]*m/;

describe.skipIf(absent.length > 0)(titleWithSkipReason("nc in a terminal", absent), () => {
  const h = useTerminalHarness<TelnetClient>();


  it("on the line port: login, say, hear a telnet player, quit; the screen shows words only", async () => {
    // A telnet player in the room, whose negotiation and colour must not leak to nc.
    const telnet = await TelnetClient.connect(h.server.ports.telnet);
    h.sockets.push(telnet);
    const telnetName = uniqueName("tneigh");
    await telnet.expect("Your name:");
    telnet.send(`create ${telnetName} pw-${telnetName}`);
    await telnet.expect(`Welcome, ${telnetName}.`);

    const pane = await h.tmux.open("nc", [Binaries.nc, "127.0.0.1", String(h.server.ports.line)]);
    await pane.waitFor("Your name:");
    const name = uniqueName("ncat");
    await pane.typeLine(`create ${name} pw-${name}`);
    await pane.waitFor(`Welcome, ${name}.`);
    await pane.waitFor(`${telnetName} is here.`);

    await pane.typeLine("say hello from netcat");
    await pane.waitFor('You say, "hello from netcat"');
    await telnet.expect(`${name} says, "hello from netcat"`);

    // IAC IAC is a literal 0xFF typed on telnet; with a negotiation mid-line, it must reach nc
    // as text at most, never as bytes that a terminal draws as "ÿû".
    telnet.sendRaw(
      Buffer.concat([Buffer.from("say hello"), Buffer.from([0xff, 0xfb, 0x1f]), Buffer.from(" from telnet\r\n")]),
    );
    await pane.waitFor(`${telnetName} says, "hello from telnet"`);

    await pane.typeLine("quit");
    await pane.waitFor(`Goodbye, ${name}.`);
    await telnet.expect(`${name} has left the world.`);
    // nc keeps running after the server's close until stdin ends; what matters is the screen.
    expect(await pane.capture()).not.toMatch(GARBAGE);
  });

  it("T8: on the telnet port, nc never answers negotiation and still gets the prompt at once", async () => {
    const pane = await h.tmux.open("nc-telnet", [Binaries.nc, "127.0.0.1", String(h.server.ports.telnet)]);
    // "About 2 s" is the budget; the server does not wait on the client at all.
    const screen = await pane.waitFor("Your name:", 2000);
    expect(screen).toContain("Welcome to Loom.");
    // And it is usable: the same nc logs in without ever negotiating.
    const name = uniqueName("ncdumb");
    await pane.typeLine(`create ${name} pw-${name}`);
    await pane.waitFor(`Welcome, ${name}.`);
  });
});
