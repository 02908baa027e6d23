/**
 * Resume tokens over real WebSockets (issue 9, docs/web-client.md, "Resume tokens"): a `loom.v1.json` client
 * that asks after login is handed a token; a new connection presenting it at the login prompt
 * plays the same character as a password login would (welcome, room, takeover of an older
 * connection) and is handed a fresh one, and the used token is gone. `quit` revokes; a drop
 * does not; an expired, unknown or malformed token fails and counts against the address's login
 * limit; a token survives a restart; none ever reaches a log line. And a `gmcp.mudstandards.org`
 * client does the same with plain GMCP: any client that asks gets one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GMCP_SUBPROTOCOL } from "../../protocols/websocket/subprotocols.js";
import { createLogger } from "../../src/logging.js";
import { GmcpServerMessages } from "../../src/session/gmcp-packages.js";
import { MudstandardsClient } from "../protocols/websocket/mudstandards-client.js";
import { WsClient } from "../support/clients.js";
import { captureLogs, type CapturedLogs } from "../support/logs.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";
import { defaultAccounts } from "../support/default-config.js";

/** `Loom.Resume.Token`'s payload. */
interface TokenData {
  readonly token: string;
  readonly expiresAt: number;
}

const LIFETIME_MS = defaultAccounts.resumeTokenSeconds * 1000;

let server: TestServer;
let logs: CapturedLogs;
/** Added to the real time the shared server reads as its wall clock: a test moves it instead of sleeping. */
let wallOffset = 0;
/** Every token any test was handed: none may appear in the shared server's logs. */
const handed: string[] = [];
const clients: { close(): void }[] = [];
/** Servers a test started itself (with other settings, or to restart). */
const ownServers: TestServer[] = [];

beforeAll(async () => {
  logs = captureLogs();
  server = await startTestServer({ logTo: logs.sink, wallClock: () => Date.now() + wallOffset });
});

afterAll(async () => {
  await server.stop();
  removeDir(server.dataDir);
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of ownServers.splice(0)) await stopTestServer(s);
});

/** A `loom.v1.json` client at the login prompt. */
async function webClient(port = server.ports.http): Promise<WsClient> {
  const client = await WsClient.connect(port, { json: true });
  clients.push(client);
  await client.expect("Your name:");
  return client;
}

/** Creates a character on a new client and waits for its room. */
async function newPlayer(prefix: string, port = server.ports.http): Promise<{ client: WsClient; name: string; password: string }> {
  const client = await webClient(port);
  const name = uniqueName(prefix);
  const password = `pw-${name}`;
  client.send(`create ${name} ${password}`);
  await client.expect(`Welcome, ${name}.`);
  await client.expectOob("Room.Info");
  return { client, name, password };
}

/** Sends `Loom.Resume.Ask` and returns the token it is answered with, checked against its schema. */
async function ask(client: WsClient): Promise<TokenData> {
  client.sendFrame({ t: "oob", channel: "Loom.Resume.Ask", data: {} });
  return received(await client.expectOob("Loom.Resume.Token"));
}

function received(frame: { data: unknown }): TokenData {
  const data = GmcpServerMessages["Loom.Resume.Token"].schema.parse(frame.data);
  handed.push(data.token);
  return data;
}

function login(client: WsClient, token: unknown): void {
  client.sendFrame({ t: "oob", channel: "Loom.Resume.Login", data: { token } });
}

/** The reason of the next `Loom.Resume.Failed`. */
async function failure(client: WsClient): Promise<string> {
  return GmcpServerMessages["Loom.Resume.Failed"].schema.parse((await client.expectOob("Loom.Resume.Failed")).data).reason;
}

/** Says a word and waits for it: everything the server sent before has arrived. */
async function sync(client: WsClient, word: string): Promise<void> {
  client.send(`say ${word}`);
  await client.expect(`You say, "${word}"`);
}

describe("asking", () => {
  it("login, Loom.Resume.Ask: a 43-character token expiring resumeTokenSeconds from now", async () => {
    const { client } = await newPlayer("ask");
    const before = Date.now();
    const { token, expiresAt } = await ask(client);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBeGreaterThanOrEqual(before + LIFETIME_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + LIFETIME_MS);
  });

  it("a client that never asks is handed no token", async () => {
    const { client } = await newPlayer("noask");
    await sync(client, "quiet");
    expect(client.oob.some((f) => f.channel.startsWith("Loom.Resume"))).toBe(false);
  });
});

describe("resuming", () => {
  it("a new connection with the token plays the character as a password login would, is handed a new token, and the old one fails", async () => {
    const { client: first, name } = await newPlayer("res");
    const old = await ask(first);
    first.send("north");
    await first.expect("Market Row");
    // A drop, not a quit: the token stays good.
    first.close();
    await first.closed;

    const second = await webClient();
    login(second, old.token);
    await second.expect(`Welcome, ${name}.`);
    const room = await second.expectOob("Room.Info");
    expect((room.data as { name: string }).name).toBe("Market Row");
    const fresh = received(await second.expectOob("Loom.Resume.Token"));
    expect(fresh.token).not.toBe(old.token);
    // In that order: the token comes after the welcome and the room.
    const channels = second.oob.map((f) => f.channel);
    expect(channels.indexOf("Loom.Resume.Token")).toBeGreaterThan(channels.indexOf("Room.Info"));
    await sync(second, "back");

    const third = await webClient();
    login(third, old.token);
    expect(await failure(third)).toBe("invalid");
    // …and the fresh one works, handing yet another, unasked.
    second.close();
    await second.closed;
    login(third, fresh.token);
    await third.expect(`Welcome, ${name}.`);
    received(await third.expectOob("Loom.Resume.Token"));
  });

  it("takes over a still-open older connection of the same character", async () => {
    const { client: older, name } = await newPlayer("tko");
    const { token } = await ask(older);
    const newer = await webClient();
    login(newer, token);
    await older.expect("You have connected from somewhere else; closing this connection.");
    await older.closed;
    await newer.expect(`Welcome, ${name}.`);
    await newer.expectOob("Room.Info");
    received(await newer.expectOob("Loom.Resume.Token"));
    await sync(newer, "mine");
  });

  it("quit revokes the tokens handed to that connection, and only those", async () => {
    const { client: phone, name, password } = await newPlayer("quit");
    const phoneToken = await ask(phone);
    phone.close();
    await phone.closed;
    const laptop = await webClient();
    laptop.send(`connect ${name} ${password}`);
    await laptop.expect(`Welcome, ${name}.`);
    const laptopToken = await ask(laptop);
    laptop.send("quit");
    await laptop.closed;

    const again = await webClient();
    login(again, laptopToken.token);
    expect(await failure(again)).toBe("invalid");
    login(again, phoneToken.token);
    await again.expect(`Welcome, ${name}.`);
  });

  it("a resumed connection's quit revokes the token it was handed unasked", async () => {
    const { client: first } = await newPlayer("rq");
    const old = await ask(first);
    first.close();
    await first.closed;
    const second = await webClient();
    login(second, old.token);
    const fresh = received(await second.expectOob("Loom.Resume.Token"));
    second.send("quit");
    await second.closed;
    const third = await webClient();
    login(third, fresh.token);
    expect(await failure(third)).toBe("invalid");
  });

  it("an expired token fails as expired, and the prompt carries on", async () => {
    const { client, name, password } = await newPlayer("exp");
    const { token } = await ask(client);
    client.close();
    await client.closed;
    wallOffset += LIFETIME_MS;
    const later = await webClient();
    login(later, token);
    expect(await failure(later)).toBe("expired");
    later.send(`connect ${name} ${password}`);
    await later.expect(`Welcome, ${name}.`);
  });

  it("a malformed or unknown token fails as invalid, and a password login still works at the prompt", async () => {
    const { client, name, password } = await newPlayer("bad");
    client.close();
    await client.closed;
    const later = await webClient();
    const greeted = later.text;
    for (const token of [Buffer.alloc(32, 1).toString("base64url"), "short", 42, "x".repeat(200)]) {
      login(later, token);
      expect(await failure(later)).toBe("invalid");
    }
    later.sendFrame({ t: "oob", channel: "Loom.Resume.Login", data: null });
    expect(await failure(later)).toBe("invalid");
    // The prompt carries on as if nothing had been sent: not a line of text in answer.
    expect(later.text).toBe(greeted);
    later.send(`connect ${name} ${password}`);
    await later.expect(`Welcome, ${name}.`);
    // Once playing, a token at the login's place is nothing.
    later.markOob();
    login(later, "anything");
    await sync(later, "still-here");
    expect(later.oobSince("Loom.Resume.Failed")).toEqual([]);
  });
});

describe("with the server's own settings", () => {
  it("5 failed tokens from one address reach failedLoginsPerAddressPerMinute: a good token and a password are then refused too", async () => {
    const limited = await startTestServer({ overrides: { accounts: { failedLoginsPerAddressPerMinute: 5 } } });
    ownServers.push(limited);
    const port = limited.ports.http;
    const { client, name, password } = await newPlayer("thr", port);
    const { token } = await ask(client);
    client.close();
    await client.closed;

    const guesser = await webClient(port);
    for (let i = 0; i < 5; i++) {
      login(guesser, Buffer.alloc(32, i).toString("base64url"));
      expect(await failure(guesser)).toBe("invalid");
    }
    login(guesser, token);
    expect(await failure(guesser)).toBe("busy");
    guesser.send(`connect ${name} ${password}`);
    await guesser.expect("Too many failed logins.");
    expect(guesser.text).not.toContain(`Welcome, ${name}`);
  });

  it("a token survives a restart on the same data directory", async () => {
    const first = await startTestServer();
    ownServers.push(first);
    const { client, name } = await newPlayer("rst", first.ports.http);
    const { token } = await ask(client);
    await first.stop();
    await client.closed;
    ownServers.pop();

    const second = await startTestServer({ dataDir: first.dataDir });
    ownServers.push(second);
    const back = await webClient(second.ports.http);
    login(back, token);
    await back.expect(`Welcome, ${name}.`);
    await back.expectOob("Room.Info");
    received(await back.expectOob("Loom.Resume.Token"));
  });
});

describe("any client that asks", () => {
  it("gmcp.mudstandards.org: a client listing Loom.Resume asks and resumes with plain GMCP", async () => {
    const connect = async (): Promise<MudstandardsClient> => {
      const c = await MudstandardsClient.connect(server.ports.http, GMCP_SUBPROTOCOL);
      clients.push(c);
      c.sendGmcp("Core.Supports.Set", ["Room 1", "Loom.Resume 1"]);
      await c.expect("Your name:");
      return c;
    };
    const first = await connect();
    const name = uniqueName("gm");
    first.send(`create ${name} pw-${name}`);
    await first.expect(`Welcome, ${name}.`);
    first.sendGmcp("Loom.Resume.Ask", {});
    const { token } = received(await first.expectGmcp("Loom.Resume.Token"));
    first.close();
    await first.closed;

    const second = await connect();
    second.sendGmcp("Loom.Resume.Login", { token });
    await second.expect(`Welcome, ${name}.`);
    await second.expectGmcp("Room.Info");
    received(await second.expectGmcp("Loom.Resume.Token"));

    const third = await connect();
    third.sendGmcp("loom.resume.login", { token });
    expect(GmcpServerMessages["Loom.Resume.Failed"].schema.parse((await third.expectGmcp("Loom.Resume.Failed")).data)).toEqual({ reason: "invalid" });
  });
});

describe("logs", () => {
  it("the logger censors a token field at the top and one level down, as it does passwords", () => {
    const capture = captureLogs();
    const logger = createLogger("info", capture.sink);
    logger.info({ token: "secret-one", data: { token: "secret-two" } }, "careless");
    logger.child({ session: 1 }).info({ oob: { token: "secret-three" } }, "careless child");
    expect(capture.lines).toHaveLength(2);
    expect(capture.lines.join("\n")).not.toMatch(/secret-/);
    expect(capture.records()[0]).toMatchObject({ token: "[redacted]", data: { token: "[redacted]" } });
  });

  it("no token any test was handed appears in a log line, though the resumes were logged", () => {
    expect(handed.length).toBeGreaterThan(8);
    const text = logs.lines.join("\n");
    expect(text).toContain("resumed with a token");
    for (const token of handed) expect(text.includes(token), "a token in the logs").toBe(false);
  });
});
