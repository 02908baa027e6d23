/**
 * The real TinTin++ in tmux, through a recording proxy, against a server whose log is read
 * (issue 8, "what must be shown"): it agrees to MCCP2 (its default) and to GMCP, logs in and
 * walks, and the telnet door's one "telnet negotiated" line says MCCP2 and GMCP were agreed,
 * with the TTYPE names and MTTS bits TinTin++ sent. What it sent is checked against the
 * TinTin++ conformance fixture (test/fixtures/clients/tintin.json), so the fixture cannot drift
 * from the real client unnoticed.
 */
import fs from "node:fs";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeGmcp } from "../../protocols/gmcp/gmcp-message.js";
import { TelnetParser } from "../../protocols/telnet/parser.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";
import { Mccp2Reader } from "../protocols/telnet/mccp2-support.js";
import { RecordingProxy } from "./support/recording-proxy.js";
import { count, scanTelnet, T } from "./support/telnet-scan.js";
import { Binaries, missing, titleWithSkipReason, TmuxServer } from "./support/tmux.js";

const absent = missing("tmux", "tintin");
const EOR = 25;
const MCCP2 = 86;
const GMCP = 201;

/** The TinTin++ conformance fixture (read from its source; replayed by conformance.test.ts). */
const fixture = JSON.parse(fs.readFileSync(fileURLToPath(new URL("../fixtures/clients/tintin.json", import.meta.url)), "utf8")) as {
  answers: { when: string; send?: string[]; cycle?: string[] }[];
};

/** Log lines the server wrote, parsed. */
class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
  negotiated(): Record<string, unknown>[] {
    return this.lines.filter((l) => l.msg === "telnet negotiated");
  }
}

describe.skipIf(absent.length > 0)(titleWithSkipReason("TinTin++ with GMCP and MCCP2", absent), () => {
  let server: TestServer;
  let tmux: TmuxServer;
  let proxy: RecordingProxy | undefined;
  const log = new LogLines();

  beforeAll(async () => {
    server = await startTestServer({ logTo: log });
  });
  afterAll(async () => {
    await server.stop();
    removeDir(server.dataDir);
  });
  beforeEach(() => {
    tmux = new TmuxServer();
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await tmux.close();
  });

  it("agrees to MCCP2 and GMCP, logs in, walks, and the server logs what was agreed", async () => {
    proxy = await RecordingProxy.start(server.ports.telnet);
    const name = "Tintinwalker";
    const pane = await tmux.open("tintin", [
      "env",
      `HOME=${tmux.scratch("tintin-home")}`,
      Binaries.tintin,
      "-G",
      "-T",
      // TinTin++ answers WILL GMCP with DONT unless an event answers it (seen: without this, it
      // sent DONT GMCP). The event says DO GMCP and lists Room, as a mapper script would.
      "-e",
      `#event {IAC WILL GMCP} {#send {\\xFF\\xFD\\xC9\\}; #send {\\xFF\\xFA\\xC9Core.Supports.Set ["Room 1"]\\xFF\\xF0\\}}; #session loom 127.0.0.1 ${proxy.port}`,
    ]);
    await pane.waitFor("Your name:");
    await pane.typeLine(`create ${name} walker-fixture-pw`);
    await pane.waitFor(`Welcome, ${name}.`);
    await pane.typeLine("north");
    await pane.waitFor("Market Row");
    await pane.typeLine("quit");
    await pane.waitFor("#SESSION 'loom' DIED.");

    const recording = proxy.recordings[0]!;
    await recording.closed;
    const sent = scanTelnet(Buffer.concat(recording.fromClient));
    const reader = new Mccp2Reader();
    for (const chunk of recording.fromServer) reader.feed(chunk);

    // What TinTin++ answered to the server's offers.
    expect(count(sent.negotiations, T.DO, MCCP2)).toBe(1);
    expect(count(sent.negotiations, T.DO, GMCP)).toBe(1);
    expect(count(sent.negotiations, T.DO, EOR)).toBe(1);
    // The server really compressed, and the inflated stream is a whole session.
    expect(reader.starts).toBe(1);
    expect(scanTelnet(reader.meant).text).toContain(`Goodbye, ${name}.`);
    // GMCP came through the compressed stream: Room.Info for the room it walked to.
    const rooms: string[] = [];
    for (const event of new TelnetParser({ maxSubnegotiationBytes: 1 << 20 }).feed(reader.meant)) {
      if (event.type !== "subnegotiation" || event.option !== GMCP) continue;
      const decoded = decodeGmcp(event.data);
      if (decoded.ok && decoded.message.name === "Room.Info") rooms.push((decoded.message.data as { name: string }).name);
    }
    expect(rooms).toEqual(["Town Square", "Market Row"]);

    // The fixture agrees with the real client: the same answers to the offers, in the same
    // order (GMCP aside: the fixture is TinTin++ without the event), the same TTYPE names, and
    // the MTTS of the fixture's `#config charset ASCII` is this one without UTF-8 (bit 4).
    const VERBS: Readonly<Record<number, string>> = { [T.WILL]: "WILL", [T.WONT]: "WONT", [T.DO]: "DO", [T.DONT]: "DONT" };
    const OPTIONS: Readonly<Record<number, string>> = { [T.NAWS]: "NAWS", [T.TTYPE]: "TTYPE", [EOR]: "EOR", 42: "CHARSET", [MCCP2]: "MCCP2" };
    const realAnswers = sent.negotiations.filter((n) => n.option !== GMCP).map((n) => `IAC ${VERBS[n.verb]} ${OPTIONS[n.option] ?? n.option}`);
    const fixtureAnswers = fixture.answers
      .filter((a) => /^IAC (WILL|DO) \w+$/.test(a.when) && a.when !== "IAC WILL GMCP")
      .flatMap((a) => (a.send ?? []).filter((s) => /^IAC (WILL|WONT|DO|DONT) \w+$/.test(s)));
    expect(realAnswers).toEqual(fixtureAnswers);
    const realNames = sent.subnegotiations.filter((s) => s.option === T.TTYPE).map((s) => s.payload.subarray(1).toString("latin1"));
    const fixtureNames = fixture.answers.find((a) => a.cycle !== undefined)!.cycle!.map((c) => /'([^']*)'/.exec(c)![1]!);
    expect(realNames.slice(0, 2)).toEqual(fixtureNames.slice(0, 2));
    expect(Number(realNames[2]!.slice("MTTS ".length))).toBe(Number(fixtureNames[2]!.slice("MTTS ".length)) | 4);

    const lines = log.negotiated();
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({ door: "telnet", mccp2: true, gmcp: true, eor: true });
    expect(line).toMatchObject({ settledBy: "ttype", charset: "accepted", gmcpModules: 1, naws: { width: 120, height: 40 }, client: "TINTIN++" });
    expect((line.ttype as string[])[0]).toBe("TINTIN++");
    expect(line.caps).toMatchObject({ utf8: true, colour: "truecolor" });
  });
});
