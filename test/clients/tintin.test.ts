/**
 * TinTin++ in a real terminal, against the telnet door, through a recording proxy. It logs in
 * with `create`, says something another door hears, and shows Loom's colour as colour, not
 * as `[1;36m` litter. What it sent is the conformance transcript replayed by
 * tintin-replay.test.ts; with LOOM_RECORD_FIXTURES=1 this test rewrites that fixture.
 */
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { recordingFixtures, TINTIN_FIXTURE } from "./support/fixtures.js";
import { RecordingProxy } from "./support/recording-proxy.js";
import { count, scanTelnet, T } from "./support/telnet-scan.js";
import { useTerminalHarness } from "./support/terminal-harness.js";
import { Binaries, missing, titleWithSkipReason } from "./support/tmux.js";

const absent = missing("tmux", "tintin");

describe.skipIf(absent.length > 0)(titleWithSkipReason("TinTin++ in a terminal", absent), () => {
  const h = useTerminalHarness<LineClient>();
  let proxy: RecordingProxy | undefined;

  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it("logs in, is heard on the line door, renders colour, and negotiates TTYPE and NAWS", async () => {
    // A fixed name and password: they end up in the committed fixture, which replays them.
    const name = "Tintin";
    const password = "tintin-fixture-pw";
    proxy = await RecordingProxy.start(h.server.ports.telnet);
    const other = await LineClient.connect(h.server.ports.line);
    h.sockets.push(other);
    const otherName = uniqueName("nearby");
    await other.expect("Your name:");
    other.send(`create ${otherName} pw-${otherName}`);
    await other.expect(`Welcome, ${otherName}.`);

    const pane = await h.tmux.open("tintin", [
      "env",
      // TinTin++ keeps history in ~/.tintin; give it a throwaway home.
      `HOME=${h.tmux.scratch("tintin-home")}`,
      Binaries.tintin,
      "-G", // no greeting screen
      "-T", // leave the terminal title alone
      "-e",
      `#session loom 127.0.0.1 ${proxy.port}`,
    ]);
    await pane.waitFor("Your name:");
    await pane.typeLine(`create ${name} ${password}`);
    await pane.waitFor(`Welcome, ${name}.`);
    await other.expect(`${name} arrives`);

    await pane.typeLine("say hello from tintin");
    await pane.waitFor('You say, "hello from tintin"');
    await other.expect(`${name} says, "hello from tintin"`);
    other.send("say hello back from the line door");
    const screen = await pane.waitFor(`${otherName} says, "hello back from the line door"`);

    // Colour reached the terminal as colour: the plain capture has no escape remnants...
    expect(screen).not.toContain("\x1b");
    expect(screen).not.toMatch(/\[[0-9;]*m/);
    // ...and no telnet bytes shown as Latin-1 (IAC WILL is "ÿû").
    expect(screen).not.toMatch(/[ÿûüýþ]/);
    // ...while the capture with attributes shows the room title in colour.
    const coloured = await pane.capture({ escapes: true });
    expect(coloured).toMatch(/\x1b\[[0-9;]*m[^\n]*Town Square/);

    await pane.typeLine("quit");
    await pane.waitFor(`Goodbye, ${name}.`);
    await pane.waitFor("#SESSION 'loom' DIED.");
    await other.expect(`${name} has left the world.`);

    const recording = proxy.recordings[0];
    expect(recording).toBeDefined();
    await recording!.closed;
    const sent = Buffer.concat(recording!.fromClient);
    const scanned = scanTelnet(sent);
    // TinTin++ accepted the offers: WILL NAWS, WILL TTYPE... and, as SGA is no longer
    // offered (it put BSD telnets in character mode), never asks for it.
    expect(count(scanned.negotiations, T.DO, T.SGA)).toBe(0);
    expect(count(scanned.negotiations, T.WILL, T.NAWS)).toBe(1);
    expect(count(scanned.negotiations, T.WILL, T.TTYPE)).toBe(1);
    // ...reported the pane's width...
    const naws = scanned.subnegotiations.find((s) => s.option === T.NAWS);
    expect(naws?.payload.readUInt16BE(0)).toBe(120);
    // ...and named itself first, as MTTS asks, then cycled until it repeated (T7).
    const names = scanned.subnegotiations.filter((s) => s.option === T.TTYPE).map((s) => s.payload.subarray(1).toString("latin1"));
    expect(names[0]).toBe("TINTIN++");
    expect(names.at(-1)).toBe(names.at(-2));
    expect(scanned.text).toContain(`create ${name} ${password}\r\n`);

    if (recordingFixtures) fs.writeFileSync(TINTIN_FIXTURE, sent);
  });
});
