/**
 * Conformance fixtures (issue 8, "what must be shown"; style habit 14): what Mudlet, TinTin++ and
 * MUSHclient send at connect, written down from their own source in test/fixtures/clients/*.json
 * (the README there says what each was read from), replayed against a real server on port 0.
 * Each fixture is a set of answers: when the server sends these bytes, the client sends those,
 * in the order the client would; a TTYPE SEND takes the next name of the cycle. A scripted
 * client plays them on a raw socket, inflating MCCP2 once it said DO, then creates a character,
 * says something with non-ASCII letters, walks north and quits. Checked: no negotiation loop,
 * the agreements each client should get (Mudlet's GMCP Room.Info after Core.Supports, TinTin++'s
 * REJECTED charset giving ASCII, the prompt mark), and the server's one "telnet negotiated" log
 * line, field by field.
 */
import fs from "node:fs";
import net from "node:net";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeGmcp, type GmcpMessage } from "../../protocols/gmcp/gmcp-message.js";
import { TelnetParser } from "../../protocols/telnet/parser.js";
import { Mccp2Reader } from "../protocols/telnet/mccp2-support.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/clients/", import.meta.url));

/** Names the fixtures may use for bytes; anything else is a decimal number or 'quoted text'. */
const NAMES: Readonly<Record<string, number>> = {
  IAC: 255, DONT: 254, DO: 253, WONT: 252, WILL: 251, SB: 250, GA: 249, SE: 240, EOR_MARK: 239,
  IS: 0, SEND: 1, REQUEST: 1, ACCEPTED: 2, REJECTED: 3,
  ECHO: 1, SGA: 3, TTYPE: 24, EOR: 25, NAWS: 31, CHARSET: 42, MSSP: 70, MCCP2: 86, GMCP: 201,
};

/** `IAC SB TTYPE IS 'MUDLET' IAC SE` → its bytes. Text in quotes is UTF-8; no byte in it may be 0xFF. */
function fixtureBytes(spec: string): Buffer {
  const out: number[] = [];
  for (const [, text, word] of spec.matchAll(/'([^']*)'|(\S+)/g)) {
    if (text !== undefined) out.push(...Buffer.from(text, "utf8"));
    else if (word !== undefined && word in NAMES) out.push(NAMES[word]!);
    else if (word !== undefined && /^\d+$/.test(word) && Number(word) < 256) out.push(Number(word));
    else throw new Error(`fixture: cannot read ${JSON.stringify(word)} in ${JSON.stringify(spec)}`);
  }
  return Buffer.from(out);
}

/** One rule: when the server sends `when`, send `send` (or the next of `cycle`, repeating the last). */
interface Answer {
  readonly when: string;
  readonly send?: readonly string[];
  readonly cycle?: readonly string[];
}

interface Fixture {
  readonly client: string;
  readonly readFrom: readonly string[];
  readonly answers: readonly Answer[];
  readonly expect: {
    readonly negotiated: Record<string, unknown>;
    readonly promptMark: "EOR" | "GA";
    readonly said: string;
    readonly gmcpAfterWalking?: string;
  };
}

/** Every fixture in test/fixtures/clients/, by file name. */
function loadClientFixtures(): [string, Fixture][] {
  return fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [f, JSON.parse(fs.readFileSync(`${FIXTURES}${f}`, "utf8")) as Fixture]);
}

/** The server's log lines, parsed. */
class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  /** Called after each write, so a waiting client re-checks without polling. */
  onLine: () => void = () => {};
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
    this.onLine();
  }
  negotiated(): Record<string, unknown>[] {
    return this.lines.filter((l) => l.msg === "telnet negotiated");
  }
}

/** A raw-socket client that answers the server as the fixture says, and reads what it sent. */
class ScriptedClient {
  readonly socket: net.Socket;
  readonly closed: Promise<void>;
  /** Every negotiation the server sent, as `IAC verb option` hex, in order. */
  readonly fromServer: string[] = [];
  /** How many times each rule fired. */
  readonly fired = new Map<string, number>();
  readonly gmcp: GmcpMessage[] = [];
  /** Two-byte commands the server sent (GA 249, EOR 239, NOP 241). */
  readonly commands: number[] = [];
  text = "";
  readonly #rules: { when: Buffer; answer: Answer; key: string }[];
  readonly #reader = new Mccp2Reader();
  readonly #parser = new TelnetParser({ maxSubnegotiationBytes: 1 << 20 });
  readonly #decoder = new TextDecoder();
  #taken = 0;
  readonly #waiters = new Set<() => void>();

  constructor(socket: net.Socket, answers: readonly Answer[]) {
    this.socket = socket;
    this.#rules = answers.map((answer) => ({ when: fixtureBytes(answer.when), answer, key: answer.when }));
    socket.on("data", (chunk: Buffer) => this.#received(chunk));
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.on("close", () => resolve()));
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Resolves once `test` holds, re-checked after every chunk from the server. */
  until(what: string, test: () => boolean, ms = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (test()) return resolve();
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; the server negotiated ${this.fromServer.join(" ")}; fired ${JSON.stringify([...this.fired])}; the text so far:\n${this.text}`));
      }, ms);
      const check = (): void => {
        if (!test()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }

  /** Re-checks every wait (something else than the socket changed). */
  wake(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  #received(chunk: Buffer): void {
    this.#reader.feed(chunk);
    const meant = this.#reader.meant;
    const fresh = meant.subarray(this.#taken);
    this.#taken = meant.length;
    for (const event of this.#parser.feed(fresh)) {
      switch (event.type) {
        case "data":
          this.text += this.#decoder.decode(event.bytes, { stream: true });
          break;
        case "negotiate":
          this.fromServer.push(`${event.verb}:${event.option}`);
          this.#answer(Buffer.from([255, NAMES[event.verb]!, event.option]));
          break;
        case "subnegotiation": {
          if (event.option === 201) {
            const decoded = decodeGmcp(event.data);
            if (decoded.ok) this.gmcp.push(decoded.message);
          }
          const escaped = [...event.data].flatMap((b) => (b === 255 ? [255, 255] : [b]));
          this.#answer(Buffer.from([255, 250, event.option, ...escaped, 255, 240]));
          break;
        }
        case "command":
          this.commands.push(event.command);
          break;
        default:
          break;
      }
    }
    this.wake();
  }

  #answer(bytes: Buffer): void {
    const rule = this.#rules.find((r) => r.when.equals(bytes));
    if (rule === undefined) return;
    const n = this.fired.get(rule.key) ?? 0;
    this.fired.set(rule.key, n + 1);
    const cycle = rule.answer.cycle;
    const replies = cycle === undefined ? (rule.answer.send ?? []) : [cycle[Math.min(n, cycle.length - 1)]!];
    for (const reply of replies) this.socket.write(fixtureBytes(reply));
  }
}

const ANSI = /\x1b\[[0-9;]*m/g;

describe("client conformance fixtures, replayed against the telnet door", () => {
  let server: TestServer;
  let log: LogLines;
  const sockets: net.Socket[] = [];

  beforeEach(async () => {
    log = new LogLines();
    server = await startTestServer({ logTo: log });
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await server.stop();
    removeDir(server.dataDir);
  });

  it("every fixture byte spec reads", () => {
    const fixtures = loadClientFixtures();
    expect(fixtures.map(([f]) => f)).toEqual(["mudlet.json", "mushclient.json", "tintin.json"]);
    for (const [, f] of fixtures) {
      expect(f.readFrom.length).toBeGreaterThan(0);
      for (const a of f.answers) for (const spec of [a.when, ...(a.send ?? []), ...(a.cycle ?? [])]) expect(fixtureBytes(spec).length).toBeGreaterThan(0);
    }
    expect([...fixtureBytes("IAC SB TTYPE IS 'MUDLET' IAC SE")]).toEqual([255, 250, 24, 0, 77, 85, 68, 76, 69, 84, 255, 240]);
  });

  it.each(loadClientFixtures())("%s: agreements, no loops, one log line", async (file, fixture) => {
    const socket = net.connect({ port: server.ports.telnet, host: "127.0.0.1" });
    sockets.push(socket);
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const client = new ScriptedClient(socket, fixture.answers);
    log.onLine = () => client.wake();
    const plain = (): string => client.text.replace(ANSI, "").replace(/\r\n/g, "\n");

    // Negotiation settles on its own (the TTYPE cycle ends) before anything is typed.
    await client.until("the prompt", () => plain().includes("Your name:"));
    await client.until("the negotiated log line", () => log.negotiated().length > 0);
    // An empty line gets the name prompt again, now that the client has answered: its mark is
    // the one agreed (EOR), or GA.
    const marksBefore = client.commands.length;
    client.send("");
    await client.until("the second prompt", () => plain().split("Your name:").length === 3 && client.commands.length > marksBefore);
    const secondPromptMarks = client.commands.slice(marksBefore);
    const name = `Conf${file.replace(/\W/g, "").slice(0, 8)}`;
    client.send(`create ${name} ${name}-pw`);
    await client.until("the welcome", () => plain().includes(`Welcome, ${name}.`));
    const gmcpBeforeWalking = client.gmcp.length;
    client.send("say café ☃");
    await client.until("the say", () => plain().includes(`You say, "${fixture.expect.said}"`));
    client.send("north");
    await client.until("the next room", () => plain().includes("Market Row"));
    client.send("quit");
    await client.until("the goodbye", () => plain().includes(`Goodbye, ${name}.`));
    await client.closed;

    // The one line the server logged for this connection says what the fixture should agree.
    const lines = log.negotiated();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ door: "telnet", ...fixture.expect.negotiated });
    // Bounded: only the summary's own fields, no player text.
    expect(JSON.stringify(lines[0])).not.toContain("café");
    expect(JSON.stringify(lines[0])).not.toContain(name);

    // No negotiation loop (T1-T3): the server said each verb for each option at most once,
    // ECHO aside (on, then off again, around a password), and never asked TTYPE more often
    // than the client had names to give.
    const counts = new Map<string, number>();
    for (const n of client.fromServer) counts.set(n, (counts.get(n) ?? 0) + 1);
    for (const [negotiation, times] of counts) expect(times, `server sent ${negotiation} ${times} times`).toBeLessThanOrEqual(negotiation.endsWith(":1") ? 2 : 1);
    const ttypeRule = fixture.answers.find((a) => a.cycle !== undefined)!;
    expect(client.fired.get(ttypeRule.when)).toBeLessThanOrEqual(Math.max(2, ttypeRule.cycle!.length));
    // Every other rule fired at most once: the server never made the client repeat itself.
    for (const [when, times] of client.fired) if (when !== ttypeRule.when) expect(times, `${when} fired ${times} times`).toBe(1);

    // Prompts end with the mark the client agreed to.
    expect(secondPromptMarks).toEqual([fixture.expect.promptMark === "EOR" ? 239 : 249]);
    expect(client.commands[0]).toBe(249); // the greeting's prompt went before any answer (T8)

    // Text: UTF-8 for a client that took it or said nothing, transliterated ASCII for one that refused it.
    const afterLogin = plain().slice(plain().indexOf(`Welcome, ${name}.`));
    if (fixture.expect.negotiated.charset === "rejected") expect(afterLogin).not.toMatch(/[^\x00-\x7f]/);

    // GMCP: what the client listed in Core.Supports arrives; a client that refused GMCP gets none.
    if (fixture.expect.negotiated.gmcp === true) {
      expect(client.gmcp.map((m) => m.name)).toContain("Char.Name");
      if (fixture.expect.gmcpAfterWalking !== undefined) {
        const walked = client.gmcp.slice(gmcpBeforeWalking).filter((m) => m.name === fixture.expect.gmcpAfterWalking);
        expect(walked.map((m) => (m.data as { name?: string }).name)).toContain("Market Row");
      }
    } else {
      expect(client.gmcp).toEqual([]);
    }
  });

  /** Connects a client that answers nothing (a bare telnet that ignores negotiation). */
  async function silentClient(): Promise<ScriptedClient> {
    const socket = net.connect({ port: server.ports.telnet, host: "127.0.0.1" });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const client = new ScriptedClient(socket, []);
    log.onLine = () => client.wake();
    return client;
  }

  it("a client that negotiates nothing: the line is logged at its first line of input, once", async () => {
    const client = await silentClient();
    await client.until("the prompt", () => client.text.includes("Your name:"));
    expect(log.negotiated()).toEqual([]);
    client.send("");
    await client.until("the negotiated log line", () => log.negotiated().length > 0);
    client.send("quit");
    await client.closed;
    expect(log.negotiated()).toHaveLength(1);
    expect(log.negotiated()[0]).toMatchObject({ settledBy: "input", eor: false, charset: "none", gmcp: false, mccp2: false, mssp: false, ttype: [] });
    expect(log.negotiated()[0]).not.toHaveProperty("naws");
    expect(log.negotiated()[0]).not.toHaveProperty("client");
  });

  it("a client that leaves before settling: the line is logged at close, once", async () => {
    const client = await silentClient();
    await client.until("the prompt", () => client.text.includes("Your name:"));
    client.socket.end();
    await client.closed;
    await client.until("the negotiated log line", () => log.negotiated().length > 0);
    expect(log.negotiated()).toHaveLength(1);
    expect(log.negotiated()[0]).toMatchObject({ settledBy: "close" });
  });
});
