/**
 * CHARSET and EOR with the real TinTin++ (issue 8), through a recording proxy: in its default
 * UTF-8 mode it accepts our REQUEST and reads another player's é as é; set to ASCII
 * (`#config charset ASCII`) it rejects the REQUEST and leaves the MTTS UTF-8 bit out, so the
 * door sends it ASCII and it reads "cafe". Either way it takes DO EOR. Skipped without tmux and
 * TinTin++.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CharsetCommand as CS, TelnetCommand as C, TelnetOptionCode as O } from "../../../protocols/telnet/constants.js";
import { LineClient } from "../../support/clients.js";
import { uniqueName } from "../../support/names.js";
import { RecordingProxy } from "../../clients/support/recording-proxy.js";
import { count, scanTelnet } from "../../clients/support/telnet-scan.js";
import { useTerminalHarness } from "../../clients/support/terminal-harness.js";
import { Binaries, missing, titleWithSkipReason } from "../../clients/support/tmux.js";

const absent = missing("tmux", "tintin");

describe.skipIf(absent.length > 0)(titleWithSkipReason("TinTin++ and CHARSET", absent), () => {
  const h = useTerminalHarness<LineClient>();
  let proxy: RecordingProxy | undefined;

  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  /** TinTin++ with `config` run before it connects; logs in, hears `say`, quits. Returns what each side sent. */
  async function play(config: string, said: string, expected: string) {
    proxy = await RecordingProxy.start(h.server.ports.telnet);
    const other = await LineClient.connect(h.server.ports.line);
    h.sockets.push(other);
    const otherName = uniqueName("speaker");
    await other.expect("Your name:");
    other.send(`create ${otherName} pw-${otherName}`);
    await other.expect(`Welcome, ${otherName}.`);

    const name = uniqueName("tintin");
    const pane = await h.tmux.open("tintin", [
      "env",
      `HOME=${h.tmux.scratch("tintin-home")}`,
      Binaries.tintin,
      "-G",
      "-T",
      "-e",
      `${config}#session loom 127.0.0.1 ${proxy.port}`,
    ]);
    await pane.waitFor("Your name:");
    await pane.typeLine(`create ${name} pw-${name}`);
    await pane.waitFor(`Welcome, ${name}.`);
    other.send(`say ${said}`);
    const screen = await pane.waitFor(expected);
    await pane.typeLine("quit");
    await pane.waitFor("#SESSION 'loom' DIED.");
    const recording = proxy.recordings[0]!;
    await recording.closed;
    return {
      screen,
      client: scanTelnet(Buffer.concat(recording.fromClient)),
      server: scanTelnet(Buffer.concat(recording.fromServer)),
    };
  }

  it("in UTF-8 mode: accepts UTF-8, takes EOR, and reads é as é", async () => {
    const { screen, client, server } = await play("", "café", 'says, "café"');
    expect(screen).toContain('says, "café"');
    expect(count(client.negotiations, C.DO, O.EOR)).toBe(1);
    expect(count(client.negotiations, C.DO, O.CHARSET)).toBe(1);
    const answers = client.subnegotiations.filter((s) => s.option === O.CHARSET);
    expect(answers.map((s) => [s.payload[0], s.payload.subarray(1).toString("latin1")])).toEqual([[CS.ACCEPTED, "UTF-8"]]);
    expect(server.subnegotiations.filter((s) => s.option === O.CHARSET)).toHaveLength(1);
  });

  it("set to ASCII: rejects UTF-8 and is sent ASCII, so it reads cafe, not litter", async () => {
    const { screen, client } = await play("#config {charset} {ASCII};", "café — “naïve”…", 'says, "cafe - "naive"..."');
    expect(screen).not.toMatch(/[^\x00-\x7f]/);
    const answers = client.subnegotiations.filter((s) => s.option === O.CHARSET);
    expect(answers.map((s) => Array.from(s.payload))).toEqual([[CS.REJECTED]]);
    const mtts = client.subnegotiations
      .filter((s) => s.option === O.TTYPE)
      .map((s) => /^MTTS (\d+)$/.exec(s.payload.subarray(1).toString("latin1"))?.[1])
      .find((bits) => bits !== undefined);
    expect(Number(mtts) & 4).toBe(0);
  });
});
