/**
 * Replays the bytes a real TinTin++ sent (test/fixtures/tintin-negotiation.bin, recorded by
 * tintin.test.ts) on a raw socket to the telnet door, whole and one byte per write, and checks
 * that the server answers as it answered TinTin++: the login prompt, one offer per option and
 * no negotiation loop (T1), a TTYPE cycle that stops (T7), NAWS taken without complaint, then
 * the login, the say and the quit the player typed. Needs no client installed.
 */
import fs from "node:fs";
import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";
import { TINTIN_FIXTURE } from "./support/fixtures.js";
import { count, scanTelnet, T } from "./support/telnet-scan.js";

if (!fs.existsSync(TINTIN_FIXTURE)) {
  throw new Error(`${TINTIN_FIXTURE} is missing; record it with: LOOM_RECORD_FIXTURES=1 npx vitest run test/clients/tintin.test.ts`);
}
const fixture = fs.readFileSync(TINTIN_FIXTURE);
const client = scanTelnet(fixture);
const [, name, password] = /create (\w+) (\S+)\r\n/.exec(client.text) ?? [];
const said = /say (.*)\r\n/.exec(client.text)?.[1];
/** TTYPE IS answers in the transcript (payload byte 0 is IS). */
const clientTtypeAnswers = client.subnegotiations.filter((s) => s.option === T.TTYPE && s.payload[0] === 0).length;

describe("replaying TinTin++'s transcript on the telnet door", () => {
  let server: TestServer;
  const sockets: net.Socket[] = [];
  const lineClients: LineClient[] = [];

  beforeEach(async () => {
    server = await startTestServer();
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    for (const c of lineClients.splice(0)) c.close();
    await server.stop();
    removeDir(server.dataDir);
  });

  it("the fixture is a whole session", () => {
    expect(name, "the fixture has no `create <name> <password>` line").toBeDefined();
    expect(said).toBeDefined();
    expect(client.text).toContain("quit\r\n");
    expect(clientTtypeAnswers).toBeGreaterThan(0);
  });

  /** Connects, writes the transcript as `chunks`, and resolves with everything the server sent once it closes. */
  async function replay(chunks: readonly Buffer[]): Promise<Buffer> {
    const socket = net.connect({ port: server.ports.telnet, host: "127.0.0.1" });
    sockets.push(socket);
    socket.setNoDelay(true);
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    const closed = new Promise<void>((resolve, reject) => {
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    for (const chunk of chunks) await new Promise<void>((resolve, reject) => socket.write(chunk, (err) => (err ? reject(err) : resolve())));
    await closed; // the transcript ends with `quit`
    return Buffer.concat(received);
  }

  const splits: [string, Buffer[]][] = [
    ["in one write", [fixture]],
    ["one byte per write", [...fixture].map((b) => Buffer.from([b]))],
  ];

  it.each(splits)("%s: the server answers as it answered TinTin++", async (_how, chunks) => {
    const answer = scanTelnet(await replay(chunks));
    // The telnet door renders ANSI colour; read past it.
    const text = answer.text.replace(/\x1b\[[0-9;]*m/g, "");

    // The session the player had.
    expect(text).toContain("Your name:");
    expect(text).toContain(`Welcome, ${name}.`);
    expect(text).toContain(`You say, "${said}"`);
    expect(text).toContain(`Goodbye, ${name}.`);

    // One offer per option, and no answer to TinTin++'s agreements (T1, RFC 1143): it said
    // DO SGA, WILL NAWS, WILL TTYPE to our WILL SGA, DO NAWS, DO TTYPE.
    expect(count(answer.negotiations, T.DO, T.NAWS)).toBe(1);
    expect(count(answer.negotiations, T.DONT, T.NAWS)).toBe(0);
    expect(count(answer.negotiations, T.DO, T.TTYPE)).toBe(1);
    expect(count(answer.negotiations, T.DONT, T.TTYPE)).toBe(0);
    // SGA: one WILL (or, should the server stop offering it, one answer to TinTin++'s DO).
    expect(count(answer.negotiations, T.WILL, T.SGA) + count(answer.negotiations, T.WONT, T.SGA)).toBe(1);

    // TTYPE: asked at least once, never more often than TinTin++ answered (T7: the cycle stops
    // when a name repeats, and TinTin++'s last two answers are the same).
    const sends = answer.subnegotiations.filter((s) => s.option === T.TTYPE && s.payload.length === 1 && s.payload[0] === 1).length;
    expect(sends).toBeGreaterThanOrEqual(1);
    expect(sends).toBeLessThanOrEqual(clientTtypeAnswers);
    // Nothing else was ever subnegotiated at TinTin++.
    expect(answer.subnegotiations.filter((s) => s.option !== T.TTYPE)).toEqual([]);
  });

  it("the server plays on afterwards, and the account the transcript made is real", async () => {
    await replay([fixture]);
    const after = await LineClient.connect(server.ports.line);
    lineClients.push(after);
    await after.expect("Your name:");
    after.send(`connect ${name} ${password}`);
    await after.expect(`Welcome, ${name}.`);
  });
});
