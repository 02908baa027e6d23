/**
 * Issue 5 item 15 over real sockets: a client that sends its commands and half-closes (a FIN
 * after its last line, as `printf '…' | nc -q 3 host 4001` does) gets every answer, then the
 * server closes with `peer-closed`. The password hash is asynchronous, so the answers to the
 * lines after `connect` come after the FIN.
 */
import { spawn } from "node:child_process";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { captureLogs } from "../support/logs.js";
import { uniqueName } from "../support/names.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";
import { Binaries, missing, titleWithSkipReason } from "../clients/support/tmux.js";

let server: TestServer | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await stopTestServer(server);
  server = undefined;
});

/** Makes a character on its own connection, and returns its name and password. */
async function character(): Promise<{ name: string; password: string }> {
  const name = uniqueName("script");
  const password = `pw-${name}`;
  const client = await LineClient.connect(server!.ports.line);
  await client.expect("Your name:");
  client.send(`create ${name} ${password}`);
  await client.expect(`Welcome, ${name}.`);
  client.send("quit");
  await client.closed;
  return { name, password };
}

/** Connects, writes `input`, half-closes, and resolves with everything received once the server closes. */
function sendAndHalfClose(port: number, input: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    sockets.push(socket);
    let got = "";
    socket.on("data", (d: Buffer) => {
      got += d.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(got));
    socket.on("connect", () => socket.end(input));
  });
}

describe("issue 5 item 15: half-close drops answers", () => {
  it("line door: connect, say and quit written at once with a FIN get every answer, then the close", async () => {
    server = await startTestServer();
    const { name, password } = await character();
    const got = await sendAndHalfClose(server.ports.line, `connect ${name} ${password}\nsay hi\nquit\n`);
    expect(got).toContain(`Welcome, ${name}.`);
    expect(got).toContain('You say, "hi"');
    expect(got).toContain(`Goodbye, ${name}.`);
  });

  it("line door: a last line without a line end is run, and without quit the server closes once it has answered", async () => {
    server = await startTestServer();
    const { name, password } = await character();
    const witness = await LineClient.connect(server.ports.line);
    sockets.push(witness.socket);
    await witness.expect("Your name:");
    const wname = uniqueName("witness");
    witness.send(`create ${wname} pw-${wname}`);
    await witness.expect(`Welcome, ${wname}.`);

    const got = await sendAndHalfClose(server.ports.line, `connect ${name} ${password}\nsay no line end`);
    expect(got).toContain(`Welcome, ${name}.`);
    expect(got).toContain('You say, "no line end"');
    await witness.expect(`${name} says, "no line end"`);
    // Closed as a departure, not a quit.
    await witness.expect(`${name} fades away.`);
  });

  it("telnet door: the same script through the telnet layer gets every answer", async () => {
    server = await startTestServer();
    const { name, password } = await character();
    const raw = await sendAndHalfClose(server.ports.telnet, `connect ${name} ${password}\r\nsay hi\r\nquit\r\n`);
    // Telnet output is coloured: read the words.
    const got = raw.replace(/\x1b\[[0-9;]*m/g, "");
    expect(got).toContain(`Welcome, ${name}.`);
    expect(got).toContain('You say, "hi"');
    expect(got).toContain(`Goodbye, ${name}.`);
  });

  it("the close after a half-close is logged with reason peer-closed", async () => {
    const logs = captureLogs();
    server = await startTestServer({ logTo: logs.sink });
    const { name, password } = await character();
    await sendAndHalfClose(server.ports.line, `connect ${name} ${password}\nlook\n`);
    await expect.poll(() => logs.lines.some((l) => l.includes('"reason":"peer-closed"') && l.includes("player left")), { interval: 5 }).toBe(true);
  });
});

const absent = missing("nc");

describe.skipIf(absent.length > 0)(titleWithSkipReason("issue 5 item 15: the real nc -q 3", absent), () => {
  it("printf 'connect …\\nsay hi\\nquit\\n' | nc -q 3 gets every answer", async () => {
    server = await startTestServer();
    const { name, password } = await character();
    const nc = spawn(Binaries.nc, ["-q", "3", "127.0.0.1", String(server.ports.line)], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    nc.stdout.on("data", (d: Buffer) => {
      out += d.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => nc.on("close", (code) => resolve(code)));
    nc.stdin.end(`connect ${name} ${password}\nsay hi\nquit\n`);
    const code = await exited;
    expect(out).toContain(`Welcome, ${name}.`);
    expect(out).toContain('You say, "hi"');
    expect(out).toContain(`Goodbye, ${name}.`);
    expect(code).toBe(0);
  });
});
