/**
 * Colour over a real telnet socket (issue 8, "Colour"): a client that announces 256 colours the
 * way MUD clients do (TTYPE cycled to `MTTS <bits>`, as test/protocols/telnet/ttype.test.ts
 * replays) gets xterm 256-colour sequences; `color off` gets none; `color 16` gets the 16
 * colours' 3x codes though the client announced more; and the choice holds at the next login.
 * The line door takes the same command and stays plain (hardening T11).
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";
import { scanTelnet, T } from "../clients/support/telnet-scan.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

/** MTTS bits: ANSI (1), UTF-8 (4), 256 colours (8). */
const MTTS_256 = 1 + 4 + 8;
const TTYPE_IS = 0;
const TTYPE_SEND = 1;

/**
 * A MUD client over telnet: lets the server ECHO and suppress go-ahead, agrees to TTYPE and
 * answers each SEND with its next name (client, terminal, `MTTS <bits>`, then the last again),
 * and refuses every other option (so nothing is compressed or wrapped in GMCP).
 */
class MttsClient {
  readonly socket: net.Socket;
  /** Every byte received, in order. */
  #received = Buffer.alloc(0);
  /** Where the negotiation scanner has read up to. */
  #scanned = 0;
  #names: string[];
  /** How many TTYPE names were sent. */
  answered = 0;
  #mark = 0;

  constructor(socket: net.Socket, names: string[]) {
    this.socket = socket;
    this.#names = names;
    socket.on("data", (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      this.#negotiate();
    });
    socket.on("error", () => {});
  }

  static connect(port: number, names: string[]): Promise<MttsClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.once("connect", () => resolve(new MttsClient(socket, names)));
      socket.once("error", reject);
    });
  }

  /** The data since the mark, telnet commands taken out, escape sequences kept. */
  get fresh(): string {
    return scanTelnet(this.#received.subarray(this.#mark)).text;
  }

  /** Moves the mark to the end of what has arrived. */
  mark(): void {
    this.#mark = this.#received.length;
  }

  /** Waits until `text` (escape sequences ignored) has arrived since the mark. */
  async waitFor(text: string): Promise<string> {
    await expect.poll(() => stripSgr(this.fresh).includes(text), { timeout: 5000 }).toBe(true);
    return this.fresh;
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  close(): void {
    this.socket.destroy();
  }

  /** Answers every complete command that arrived since the last call. */
  #negotiate(): void {
    const data = this.#received;
    let i = this.#scanned;
    while (i < data.length) {
      if (data[i] !== T.IAC) {
        i++;
        continue;
      }
      const verb = data[i + 1];
      if (verb === undefined) break;
      if (verb >= T.WILL && verb <= T.DONT) {
        const option = data[i + 2];
        if (option === undefined) break;
        this.#answer(verb, option);
        i += 3;
      } else if (verb === T.SB) {
        const end = data.indexOf(Buffer.from([T.IAC, T.SE]), i + 2);
        if (end < 0) break;
        if (data[i + 2] === T.TTYPE && data[i + 3] === TTYPE_SEND) this.#sendName();
        i = end + 2;
      } else {
        i += 2;
      }
    }
    this.#scanned = i;
  }

  #answer(verb: number, option: number): void {
    const reply = (v: number): void => {
      this.socket.write(Buffer.from([T.IAC, v, option]));
    };
    if (verb === T.WILL) reply(option === T.ECHO || option === T.SGA ? T.DO : T.DONT);
    else if (verb === T.DO) reply(option === T.TTYPE ? T.WILL : T.WONT);
  }

  #sendName(): void {
    const name = this.#names[Math.min(this.answered, this.#names.length - 1)]!;
    this.answered++;
    this.socket.write(Buffer.concat([Buffer.from([T.IAC, T.SB, T.TTYPE, TTYPE_IS]), Buffer.from(name, "ascii"), Buffer.from([T.IAC, T.SE])]));
  }
}

function stripSgr(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** The SGR sequences in `text`. */
function sgrs(text: string): string[] {
  return text.match(/\x1b\[[0-9;]*m/g) ?? [];
}

const XTERM_256 = /\x1b\[(?:1;)?38;5;\d+m/;
const ANSI_16 = /\x1b\[(?:1;)?3[0-7]m/;

/** Connects as a client announcing 256 colours and waits until it has said so. */
async function mudClient(): Promise<MttsClient> {
  const client = await MttsClient.connect(server.ports.telnet, ["TESTCLIENT", "XTERM-256COLOR", `MTTS ${MTTS_256}`]);
  await client.waitFor("Your name:");
  // The login line must come after the MTTS answer; the server reads in order.
  await expect.poll(() => client.answered, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
  // The greeting went out at connect, before the client said anything: in 16 colours.
  client.mark();
  return client;
}

describe("a telnet client announcing MTTS 256 colours", () => {
  it("gets 256-colour sequences; color off gets none; color 16 gets the 16 colours'", async () => {
    const client = await mudClient();
    const name = uniqueName("hue");
    client.send(`create ${name} pw-${name}-colours`);
    const room = await client.waitFor("Exits:");
    expect(room).toMatch(XTERM_256);
    expect(room).not.toMatch(ANSI_16);
    // E6: every sequence that sets a colour is followed by a reset before the message ends.
    expect(sgrs(room).filter((s) => s === "\x1b[0m").length).toBe(sgrs(room).length / 2);

    client.mark();
    client.send("color off");
    await client.waitFor("Colour is now off.");
    client.send("look");
    const plain = await client.waitFor("Exits:");
    expect(plain).not.toContain("\x1b");

    client.mark();
    client.send("color 16");
    await client.waitFor("Colour is now 16 colours");
    client.send("look");
    const sixteen = await client.waitFor("Exits:");
    expect(sixteen).toMatch(ANSI_16);
    expect(sixteen).not.toMatch(XTERM_256);
    expect(sixteen).not.toContain("38;2;");

    client.mark();
    client.send("color on");
    await client.waitFor("Colour is now on, following your client: 256 colours.");
    client.send("look");
    expect(await client.waitFor("Exits:")).toMatch(XTERM_256);
    client.close();
  });

  it("keeps the choice at the next login, whatever the client announces", async () => {
    const name = uniqueName("keep");
    const first = await mudClient();
    first.send(`create ${name} pw-${name}-colours`);
    await first.waitFor("Exits:");
    first.send("color 16");
    await first.waitFor("Colour is now 16 colours");
    first.send("quit");
    await first.waitFor("Goodbye");
    first.close();

    const again = await mudClient();
    again.send(`connect ${name} pw-${name}-colours`);
    const welcome = await again.waitFor("Exits:");
    // From the welcome on: the choice arrives before it.
    const fromWelcome = welcome.slice(welcome.indexOf("Welcome"));
    expect(fromWelcome).toMatch(ANSI_16);
    expect(fromWelcome).not.toMatch(XTERM_256);
    again.close();
  });
});

describe("the line door", () => {
  it("T11: never sends a control byte, whatever colour the player chooses", async () => {
    const client = await LineClient.connect(server.ports.line);
    await client.expect("Your name:");
    const name = uniqueName("raw");
    client.send(`create ${name} pw-${name}-colours`);
    await client.expect("Exits:");
    for (const mode of ["256", "truecolor", "16", "on"]) {
      client.send(`color ${mode}`);
      await client.expect("Colour is now");
      client.send("look");
      await client.expect("Exits:");
    }
    expect(Buffer.concat(client.bytes).toString("latin1")).not.toMatch(/[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]/);
    client.close();
  });
});
