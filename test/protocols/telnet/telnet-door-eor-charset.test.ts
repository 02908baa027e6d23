/**
 * Issue 8 on the telnet door as a whole: the prompt end the session's endpoint produces, the
 * capabilities MTTS and CHARSET give the session, ASCII for a client that refused UTF-8 and the
 * keep-alive on the door's clock — first on an in-memory transport, then over real sockets with
 * a whole server.
 */
import net from "node:net";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/reactor/clock.js";
import type { DisconnectReason, PeerAddress } from "../../../src/reactor/interfaces.js";
import type { SessionEndpoint, SessionHandle, SessionOpener } from "../../../src/session/endpoint.js";
import type { ClientCapabilities, Door } from "../../../src/session/messages.js";
import { CharsetCommand as CS, TelnetCommand as C, TelnetOptionCode as O, TtypeQualifier } from "../../../protocols/telnet/constants.js";
import { TelnetDoorFactory, type TelnetDoorOptions } from "../../../protocols/telnet/telnet-door.js";
import { LineClient } from "../../support/clients.js";
import { uniqueName } from "../../support/names.js";
import { startTestServer, stopTestServer, type TestServer } from "../../support/server-harness.js";
import { scanTelnet } from "../../clients/support/telnet-scan.js";
import { bytes } from "../line/chunks.js";
import { FakeTransport } from "./fake-transport.js";
import { defaultTelnetDoorOptions } from "../../support/default-config.js";

const { IAC, SB, SE } = C;
const sb = (option: number, ...payload: Array<string | number[]>) => bytes([IAC, SB, option], ...payload, [IAC, SE]);

/** Keeps the endpoint and every capability report the door gives its session. */
class RecordingOpener implements SessionOpener {
  endpoint: SessionEndpoint | undefined;
  readonly caps: ClientCapabilities[] = [];
  readonly closed: DisconnectReason[] = [];
  open(_door: Door, _peer: PeerAddress, caps: ClientCapabilities, endpoint: SessionEndpoint): SessionHandle {
    this.endpoint = endpoint;
    this.caps.push(caps);
    return {
      id: 1,
      line: () => {},
      oob: () => {},
      capabilities: (next) => this.caps.push(next),
      inputEnded: () => {},
      closed: (why) => this.closed.push(why),
    };
  }
}

function door(options: Partial<TelnetDoorOptions> = {}) {
  const opener = new RecordingOpener();
  const clock = new FakeClock();
  const protocol = new TelnetDoorFactory(opener, { ...defaultTelnetDoorOptions, ...options }, { clock, logger: pino({ level: "silent" }) }).buildProtocol({ address: "127.0.0.1", port: 1 });
  const lower = new FakeTransport();
  lower.connect(protocol);
  lower.clear();
  const endpoint = opener.endpoint!;
  return {
    opener,
    clock,
    lower,
    endpoint,
    receive: (input: Uint8Array) => protocol.dataReceived(input),
    /** What the endpoint writes for one rendered message. */
    render(text: string, kind: "line" | "prompt"): number[] {
      lower.clear();
      endpoint.sendRendered(bytes(text), kind);
      return Array.from(lower.value());
    },
  };
}

describe("the telnet door's endpoint (issue 8)", () => {
  it("ends a prompt with one GA, or with one EOR after DO EOR; lines get neither", () => {
    const d = door();
    expect(d.render("Your name: ", "prompt")).toEqual([...bytes("Your name: "), IAC, C.GA]);
    expect(d.render("Hello.\r\n", "line")).toEqual(Array.from(bytes("Hello.\r\n")));
    d.receive(Uint8Array.of(IAC, C.DO, O.EOR));
    expect(d.render("> ", "prompt")).toEqual([...bytes("> "), IAC, C.EOR]);
    d.receive(Uint8Array.of(IAC, C.DO, O.SGA));
    expect(d.render("> ", "prompt")).toEqual([...bytes("> "), IAC, C.EOR]);
  });

  it("passes MTTS bits and the CHARSET answer to the session as capabilities", () => {
    const d = door();
    const is = (name: string) => sb(O.TTYPE, [TtypeQualifier.IS], name);
    d.receive(
      bytes(
        [IAC, C.WILL, O.TTYPE],
        is("MUDLET"),
        is("XTERM-256COLOR"),
        is("MTTS 2377"), // 1 + 8 + 64 + 256 + 2048: ANSI, 256, screen reader, truecolour, TLS
        [IAC, C.DO, O.CHARSET],
        sb(O.CHARSET, [CS.ACCEPTED], "UTF-8"),
      ),
    );
    expect(d.opener.caps.at(-1)).toEqual({
      ansi: true,
      width: 80,
      height: 24,
      client: "MUDLET",
      colour: "truecolor",
      utf8: true,
      screenReader: true,
      tls: true,
    });
  });

  it("sends ASCII to a client that rejected UTF-8, and UTF-8 again once it accepts", () => {
    const d = door();
    const said = 'Zoë says, “café — naïve…”\r\n';
    expect(d.render(said, "line")).toEqual(Array.from(bytes(said)));
    d.receive(bytes([IAC, C.DO, O.CHARSET], sb(O.CHARSET, [CS.REJECTED])));
    expect(d.opener.caps.at(-1)?.utf8).toBe(false);
    expect(d.render(said, "line")).toEqual(Array.from(bytes('Zoe says, "cafe - naive..."\r\n')));
    expect(d.render("Prompt… ", "prompt")).toEqual([...bytes("Prompt... "), IAC, C.GA]);
    // The client changes its mind and asks for UTF-8 itself.
    d.receive(bytes([IAC, C.WILL, O.CHARSET], sb(O.CHARSET, [CS.REQUEST], ";UTF-8")));
    expect(d.opener.caps.at(-1)?.utf8).toBe(true);
    expect(d.render(said, "line")).toEqual(Array.from(bytes(said)));
  });

  it("F9: probes a silent connection with IAC NOP on the door's clock, every keepaliveSeconds", () => {
    const d = door({ keepaliveSeconds: 30 });
    d.clock.advance(29_000);
    expect(Array.from(d.lower.value())).toEqual([]);
    d.clock.advance(1_000);
    expect(Array.from(d.lower.value())).toEqual([IAC, C.NOP]);
    d.lower.loseConnection({ code: "quit", message: "bye" });
    expect(d.clock.pendingCount).toBe(0);
  });

  it("keeps limits.telnetKeepaliveSeconds by default and takes 0 as off", () => {
    const on = door();
    on.clock.advance(defaultTelnetDoorOptions.keepaliveSeconds * 1000 - 1);
    expect(Array.from(on.lower.value())).toEqual([]);
    on.clock.advance(1);
    expect(Array.from(on.lower.value())).toEqual([IAC, C.NOP]);
    const off = door({ keepaliveSeconds: 0 });
    off.clock.advance(3_600_000);
    expect(Array.from(off.lower.value())).toEqual([]);
  });
});

describe("over real sockets: a MUD client that takes EOR and refuses UTF-8", () => {
  let server: TestServer | undefined;
  const sockets: net.Socket[] = [];
  const clients: LineClient[] = [];

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    for (const c of clients.splice(0)) c.close();
    await stopTestServer(server);
    server = undefined;
  });

  /** A raw client that agrees to EOR and CHARSET and answers REQUEST with REJECTED, like TinTin++ not in UTF-8 mode. */
  function mudClient(port: number) {
    const socket = net.connect({ port, host: "127.0.0.1" });
    sockets.push(socket);
    let received = Buffer.alloc(0);
    const waiters = new Set<() => void>();
    let answered = false;
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const scanned = scanTelnet(received);
      if (!answered && scanned.subnegotiations.some((s) => s.option === O.CHARSET && s.payload[0] === CS.REQUEST)) {
        answered = true;
        socket.write(sb(O.CHARSET, [CS.REJECTED]));
      }
      for (const w of [...waiters]) w();
    });
    socket.once("connect", () => socket.write(Uint8Array.of(IAC, C.DO, O.EOR, IAC, C.DO, O.CHARSET)));
    return {
      socket,
      get received() {
        return received;
      },
      until(test: (bytes: Buffer) => boolean, ms = 5000): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          const check = (): void => {
            if (!test(received)) return;
            waiters.delete(check);
            clearTimeout(timer);
            resolve(received);
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`timed out; received ${JSON.stringify(received.toString("latin1"))}`));
          }, ms);
          waiters.add(check);
          check();
        });
      },
    };
  }

  it("gets every prompt after its DO EOR ended by one IAC EOR, and another player's UTF-8 as ASCII", async () => {
    server = await startTestServer();
    const client = mudClient(server.ports.telnet);
    const name = uniqueName("ascii");
    // The greeting's prompt goes out at connect, before any answer (T8): it ends with GA.
    await client.until((b) => b.includes("Your name:"));
    await client.until((b) => scanTelnet(b).subnegotiations.some((s) => s.option === O.CHARSET));
    // A prompt after the client's DO EOR: the login dialog asks whether to create the name.
    client.socket.write(`${name}\r\n`);
    await client.until((b) => b.includes(Buffer.from([...bytes("(yes/no) "), IAC, C.EOR])));
    client.socket.write("no\r\n");
    await client.until((b) => b.lastIndexOf("Your name: ") > b.indexOf("(yes/no)"));
    client.socket.write(`create ${name} pw-${name}\r\n`);
    await client.until((b) => b.includes(`Welcome, ${name}.`));

    const other = await LineClient.connect(server.ports.line);
    clients.push(other);
    const otherName = uniqueName("utf");
    await other.expect("Your name:");
    other.send(`create ${otherName} pw-${otherName}`);
    await other.expect(`Welcome, ${otherName}.`);
    other.send("say café — “naïve”…");
    const seen = scanTelnet(await client.until((b) => scanTelnet(b).text.includes("says,")));
    const text = seen.text.replace(/\x1b\[[0-9;]*m/g, "");
    expect(text).toContain(`${otherName} says, "cafe - "naive"..."`);
    expect(text).toMatch(/^[\x00-\x7f]*$/);
    // One GA for the greeting's prompt; every later prompt ends with EOR alone.
    expect(seen.commands[0]).toBe(C.GA);
    expect(seen.commands.slice(1).filter((c) => c !== C.EOR)).toEqual([]);
    expect(seen.commands.filter((c) => c === C.EOR)).toHaveLength(2);
    // The line door's player still reads UTF-8: the transliteration is per recipient.
    client.socket.write("say ok\r\n");
    await other.expect(`${name} says, "ok"`);
    other.send("say é");
    await other.expect('You say, "é"');
  });
});
