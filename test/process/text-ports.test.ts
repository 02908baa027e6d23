/**
 * The two text ports on the real process. L6: a browser (or curl) that wanders onto the line
 * or telnet port gets a one-line hint and is closed. T11: whatever anyone types on any door,
 * the line port, whose users run `nc` in a plain terminal, never receives a byte 0xFF.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LineClient, TelnetClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { ensureBuilt, LoomProcess, makeTempDir, removeTempDir, type Ports } from "./support/loom-process.js";

let proc: LoomProcess;
let dataDir: string;
let ports: Ports;
const clients: LineClient[] = [];

beforeAll(async () => {
  ensureBuilt();
  dataDir = makeTempDir("loom-textports");
  proc = LoomProcess.spawn({ dataDir });
  ports = await proc.ready();
}, 120_000);

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  if (proc !== undefined) {
    proc.signal("SIGTERM");
    await proc.exited;
  }
  if (dataDir !== undefined) removeTempDir(dataDir);
});

const HINT = "This is Loom's text port";
const REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n";

/**
 * Sends an HTTP request to a text port and returns the connection's whole text once the server
 * closes it. The client is a raw socket on both ports, as curl or a browser is: a telnet client
 * would answer the server's option offers, and an answer that reaches the server after it has
 * closed draws a reset that can throw away the hint before the client has read it.
 */
async function httpToTextPort(door: "line" | "telnet"): Promise<LineClient> {
  const client = await LineClient.connect(door === "line" ? ports.line : ports.telnet);
  clients.push(client);
  client.sendRaw(REQUEST);
  await client.closed;
  return client;
}

describe("L6: an HTTP request on a text port", () => {
  it.each(["line", "telnet"] as const)("on the %s port gets one hint line and is closed", async (door) => {
    const client = await httpToTextPort(door);
    const hintLines = client.text.split("\n").filter((l) => l.includes(HINT));
    expect(hintLines).toHaveLength(1);
    expect(hintLines[0]).toMatch(/http:\/\/.*\//);
    // Nothing after the hint: it is the last thing said before the close.
    expect(client.text.trimEnd().endsWith(hintLines[0]!.trimEnd())).toBe(true);
    // The request was not taken for a name or a command.
    expect(client.text).not.toMatch(/Unknown command|No one is called|Names are/);
    await proc.waitForLog((r) => r.msg === "disconnected" && r.door === door && r.reason === "wrong-protocol", "the wrong-protocol close");
  });

  // Regression: the hint was built from the *configured* HTTP port, so with port 0 it said
  // "http://<host>:0/" instead of the port the kernel chose.
  it("names the HTTP port actually bound, not the configured 0", async () => {
    const client = await httpToTextPort("line");
    expect(client.text).toContain(`:${ports.http}/`);
  });

  // Regression: the welcome and "Your name: " go out on connect, and the hint used to land
  // on the prompt's line ("Your name: This is Loom's text port...").
  it("puts the hint on a line of its own", async () => {
    const client = await httpToTextPort("line");
    expect(client.text).toMatch(new RegExp(`(^|\\n)${HINT}`));
  });
});

describe("T11: the line port never emits 0xFF", () => {
  it("over a whole session, with 0xFF 0xFE typed on telnet and on the line port itself", async () => {
    const line = await LineClient.connect(ports.line);
    const telnet = await TelnetClient.connect(ports.telnet);
    clients.push(line, telnet);
    const lineName = uniqueName("tline");
    const telnetName = uniqueName("ttel");
    for (const [client, name] of [
      [line, lineName],
      [telnet, telnetName],
    ] as const) {
      await client.expect("Your name:");
      client.send(`create ${name} pw-${name}`);
      await client.expect(`Welcome, ${name}.`);
    }
    await line.expect(`${telnetName} arrives`);

    // On telnet, IAC IAC is a literal 0xFF: "pre", 0xFF, 0xFE, " mid", then a real negotiation
    // (IAC WILL TTYPE) in the middle of the line, then " post".
    telnet.sendRaw(
      Buffer.concat([
        Buffer.from("say pre"),
        Buffer.from([0xff, 0xff, 0xfe]),
        Buffer.from(" mid"),
        Buffer.from([0xff, 0xfb, 0x18]),
        Buffer.from(" post\r\n"),
      ]),
    );
    await line.expect(new RegExp(`${telnetName} says, "pre.* mid.* post"`));
    await telnet.expect(/You say, "pre.* mid.* post"/);

    // On the line port, raw 0xFF 0xFE go straight into the framer.
    const negotiationsBefore = (telnet as TelnetClient).negotiations.length;
    line.sendRaw(Buffer.concat([Buffer.from("say raw "), Buffer.from([0xff, 0xfe, 0xff, 0xfd, 0x01]), Buffer.from(" bytes\r\n")]));
    await line.expect(/You say, "raw .* bytes"/);
    await telnet.expect(new RegExp(`${lineName} says, "raw .* bytes"`));
    // E5: those bytes reached the telnet player as text, not as negotiation.
    expect((telnet as TelnetClient).negotiations.length).toBe(negotiationsBefore);

    line.send("look");
    await line.expect("Exits:");
    line.send("quit");
    await line.expect(`Goodbye, ${lineName}.`);
    await line.closed;

    const wire = Buffer.concat(line.bytes);
    expect(wire.length).toBeGreaterThan(0);
    expect(wire.indexOf(0xff)).toBe(-1);
  });
});
