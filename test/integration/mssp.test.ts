/**
 * MSSP over real sockets (issue 8): a telnet client that says DO MSSP gets the report with the
 * live player count, room count and bound port; a crawler's plain-text `MSSP-REQUEST` gets the
 * plain reply on the line port and on the telnet port, and the connection closes; and the
 * protocols the report claims are exactly the ones the telnet door agrees to.
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findProjectRoot } from "../../src/config/project-root.js";
import { LOOM_PROTOCOLS } from "../../src/mssp.js";
import { loadWorld } from "../../src/world/world-file.js";
import { scanTelnet, type Scanned } from "../clients/support/telnet-scan.js";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const SB = 250;
const SE = 240;
const MSSP = 70;
const TTYPE = 24;

/** The telnet options behind the protocol flags MSSP reports. */
const FLAG_OPTIONS = { MSSP: 70, MSDP: 69, GMCP: 201, MSP: 90, MXP: 91, MCCP: 86 } as const;

let server: TestServer;
let startedBefore: number;
let startedAfter: number;
/** Raw clients, closed after each test; they never log in. */
const clients: { close(): void }[] = [];
/** Players logged in, kept for the whole file so the count each test expects is exact. */
const players: LineClient[] = [];

beforeAll(async () => {
  startedBefore = Math.floor(Date.now() / 1000);
  server = await startTestServer({
    overrides: { mssp: { contact: "ops@example.com", extra: { "PAY TO PLAY": 0 } } },
  });
  startedAfter = Math.ceil(Date.now() / 1000);
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  for (const player of players.splice(0)) player.close();
  await server.stop();
  removeDir(server.dataDir);
});

/** A raw TCP client that keeps every byte and can wait for a condition on them. */
class RawClient {
  readonly socket: net.Socket;
  readonly closed: Promise<void>;
  #received = Buffer.alloc(0);
  #waiters = new Set<() => void>();

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk]);
      for (const waiter of [...this.#waiters]) waiter();
    });
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.on("close", () => resolve()));
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = net.connect({ port, host: "127.0.0.1" });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("error", reject);
    });
    const client = new RawClient(socket);
    clients.push({ close: () => socket.destroy() });
    return client;
  }

  get scanned(): Scanned {
    return scanTelnet(this.#received);
  }

  get bytes(): Buffer {
    return this.#received;
  }

  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** Resolves once `test` holds for what has arrived; rejects after 5 s with what there is. */
  until<T>(test: (scanned: Scanned) => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = test(this.scanned);
        if (found === undefined) return false;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(found);
        return true;
      };
      const waiter = (): void => void check();
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`timed out; got ${JSON.stringify(this.scanned)}`));
      }, 5000);
      this.#waiters.add(waiter);
      check();
    });
  }
}

/** An MSSP payload read back into name → values, by the test's own reading of the spec. */
function decodeMssp(payload: Buffer): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const fields: { marker: number; text: string }[] = [];
  let at = 0;
  while (at < payload.length) {
    const marker = payload[at]!;
    let end = at + 1;
    while (end < payload.length && payload[end] !== 1 && payload[end] !== 2) end += 1;
    fields.push({ marker, text: payload.subarray(at + 1, end).toString("utf8") });
    at = end;
  }
  let name = "";
  for (const field of fields) {
    if (field.marker === 1) {
      name = field.text;
      out.set(name, []);
    } else {
      out.get(name)!.push(field.text);
    }
  }
  return out;
}

/** The plain reply's `name<TAB>value` lines, between the markers, as name → values. */
function parsePlainReply(text: string): Map<string, string[]> {
  const start = text.indexOf("\r\nMSSP-REPLY-START\r\n");
  const end = text.indexOf("MSSP-REPLY-END\r\n");
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBe(text.length - "MSSP-REPLY-END\r\n".length);
  const out = new Map<string, string[]>();
  for (const line of text.slice(start + "\r\nMSSP-REPLY-START\r\n".length, end).split("\r\n").filter((l) => l !== "")) {
    const [name, value, ...rest] = line.split("\t");
    expect(rest).toEqual([]);
    out.set(name!, [...(out.get(name!) ?? []), value!]);
  }
  return out;
}

async function logIn(): Promise<void> {
  const client = await LineClient.connect(server.ports.line);
  players.push(client);
  await client.expect("Your name:");
  const name = uniqueName("mssp");
  client.send(`create ${name} pw-${name}`);
  await client.expect(`Welcome, ${name}.`);
}

/** The world files' counts: what the live world holds before anyone builds or carries anything. */
function expectedCensus(): Record<"ROOMS" | "AREAS" | "OBJECTS" | "MOBILES", number> {
  const records = loadWorld(server.config.worldDir).records;
  const rooms = records.filter((r) => r.facets.room !== undefined);
  return {
    ROOMS: rooms.length,
    AREAS: new Set(rooms.map((r) => r.facets.room!.area)).size,
    OBJECTS: records.filter((r) => r.facets.room === undefined && r.facets.exit === undefined && r.facets.character === undefined).length,
    MOBILES: records.filter((r) => r.facets.character !== undefined && r.facets.character.player === undefined).length,
  };
}

function version(): string {
  const manifest = JSON.parse(readFileSync(path.join(findProjectRoot(), "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

/** What every report must say, whichever form carried it; `players` is the count at the time. */
function expectReport(report: Map<string, string[]>, players: number): void {
  expect(report.get("NAME")).toEqual(["Loom"]);
  expect(report.get("PLAYERS")).toEqual([String(players)]);
  const uptime = Number(report.get("UPTIME")?.[0]);
  expect(uptime).toBeGreaterThanOrEqual(startedBefore);
  expect(uptime).toBeLessThanOrEqual(startedAfter);
  expect(report.get("CODEBASE")).toEqual([`Loom ${version()}`]);
  expect(report.get("PORT")).toEqual([String(server.ports.telnet)]);
  for (const [name, count] of Object.entries(expectedCensus())) expect(report.get(name), name).toEqual([String(count)]);
  expect(report.get("CONTACT")).toEqual(["ops@example.com"]);
  expect(report.get("PAY TO PLAY")).toEqual(["0"]);
  expect(report.get("MSSP")).toEqual(["1"]);
}

describe("MSSP on the telnet door", () => {
  it("offers WILL MSSP; DO MSSP gets one report, with PLAYERS the number logged in", async () => {
    await logIn();
    await logIn();
    const client = await RawClient.connect(server.ports.telnet);
    await client.until((s) => (s.negotiations.some((n) => n.verb === WILL && n.option === MSSP) ? true : undefined));
    client.write(Uint8Array.of(IAC, DO, MSSP));
    const sb = await client.until((s) => s.subnegotiations.find((x) => x.option === MSSP));
    expectReport(decodeMssp(sb.payload), players.length);
    expect(players).toHaveLength(2);
    // The raw bytes: one IAC SB MSSP ... IAC SE, and no MSSP negotiation answered back (T1).
    const raw = client.bytes;
    const at = raw.indexOf(Buffer.from([IAC, SB, MSSP]));
    expect(raw.subarray(at + 3, raw.indexOf(Buffer.from([IAC, SE]), at)).includes(IAC)).toBe(false);
    expect(client.scanned.negotiations.filter((n) => n.option === MSSP)).toEqual([{ verb: WILL, option: MSSP }]);
    // The connection carries on to the login as usual.
    expect(client.scanned.text).toContain("Your name:");
    expect(client.socket.destroyed).toBe(false);
  });

  it("a plain MSSP-REQUEST before login gets the plain reply, and the connection closes", async () => {
    const client = await RawClient.connect(server.ports.telnet);
    await client.until((s) => (s.text.includes("Your name:") ? true : undefined));
    const before = client.scanned.text.length;
    client.write("MSSP-REQUEST\r\n");
    await client.closed;
    expectReport(parsePlainReply(client.scanned.text.slice(before)), players.length);
  });
});

describe("MSSP-REQUEST on the line door", () => {
  it("gets the plain reply: CR LF, the markers, name<TAB>value lines; then the connection closes", async () => {
    await logIn();
    const client = await RawClient.connect(server.ports.line);
    await client.until((s) => (s.text.includes("Your name:") ? true : undefined));
    const before = client.bytes.length;
    client.write("MSSP-REQUEST\r\n");
    await client.closed;
    const reply = client.bytes.subarray(before).toString("utf8");
    expect(reply.startsWith(`\r\nMSSP-REPLY-START\r\nNAME\tLoom\r\nPLAYERS\t${players.length}\r\nUPTIME\t`)).toBe(true);
    expectReport(parsePlainReply(reply), players.length);
    // Still the line door: not one telnet byte (T11).
    expect(client.bytes.includes(IAC)).toBe(false);
  });
});

/**
 * Asks a server for its MSSP report over telnet, then asks its telnet door about every option
 * behind a protocol flag: offered at connect, or answered WILL to our DO, means it speaks it.
 * Returns the flags the report claims and the ones negotiation shows, by MSSP name.
 */
async function flagsAndNegotiation(port: number): Promise<{ claimed: Map<string, string>; spoken: Map<string, string> }> {
  const client = await RawClient.connect(port);
  await client.until((s) => (s.text.includes("Your name:") ? true : undefined));
  const offered = (option: number): boolean => client.scanned.negotiations.some((n) => n.verb === WILL && n.option === option);
  client.write(Uint8Array.of(IAC, DO, MSSP));
  const report = decodeMssp((await client.until((s) => s.subnegotiations.find((x) => x.option === MSSP))).payload);
  const spoken = new Map<string, string>();
  // Ask about what was not offered, MCCP last: were it accepted, what follows would be compressed.
  const names = Object.keys(FLAG_OPTIONS).sort((a, b) => Number(a === "MCCP") - Number(b === "MCCP")) as (keyof typeof FLAG_OPTIONS)[];
  for (const name of names) {
    const option = FLAG_OPTIONS[name];
    if (offered(option)) {
      spoken.set(name, "1");
      continue;
    }
    client.write(Uint8Array.of(IAC, DO, option));
    const verb = await client.until((s) => s.negotiations.find((n) => n.option === option && (n.verb === WILL || n.verb === WONT))?.verb);
    spoken.set(name, verb === WILL ? "1" : "0");
  }
  // MTTS is read through TTYPE, which the door asks for at connect.
  const asksTtype = client.scanned.negotiations.some((n) => n.verb === DO && n.option === TTYPE);
  expect(client.scanned.negotiations.some((n) => n.verb === DONT && n.option === TTYPE)).toBe(false);
  spoken.set("MTTS", asksTtype ? "1" : "0");
  const claimed = new Map([...spoken.keys()].map((name) => [name, report.get(name)?.join(",") ?? "absent"]));
  return { claimed, spoken };
}

describe("the protocols MSSP reports are the ones the telnet door speaks", () => {
  it("each flag is 1 exactly when the door offers or accepts the option", async () => {
    const { claimed, spoken } = await flagsAndNegotiation(server.ports.telnet);
    expect(claimed, "LOOM_PROTOCOLS in src/mssp.ts must match what the telnet door negotiates").toEqual(spoken);
    // With the default config that is LOOM_PROTOCOLS itself.
    expect(Object.fromEntries(claimed)).toEqual(Object.fromEntries([...claimed.keys()].map((name) => [name, LOOM_PROTOCOLS[name as keyof typeof LOOM_PROTOCOLS] ? "1" : "0"])));
  });

  it("with MCCP2 turned off in the config, the report says MCCP 0 and the door refuses it", async () => {
    const quiet = await startTestServer({ overrides: { telnet: { mccp2: { enabled: false } } } });
    try {
      const { claimed, spoken } = await flagsAndNegotiation(quiet.ports.telnet);
      expect(claimed.get("MCCP")).toBe("0");
      expect(claimed).toEqual(spoken);
    } finally {
      for (const client of clients.splice(0)) client.close();
      await quiet.stop();
      removeDir(quiet.dataDir);
    }
  });
});
