/**
 * Hardening F8 over real sockets, on every door: with `limits.idleTimeoutSeconds` on, a
 * logged-in player who types nothing is warned, a command starts the count again, and at the
 * end they read why, their connection closes, and the server logs it. The timeout lives above
 * the doors (src/world/idle-timeout.ts), so the same words arrive on each. Times are short
 * (20 s, warned at 10 s) so that no keepalive ping falls inside a FakeClock advance.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/reactor/clock.js";
import type { Door } from "../../src/session/messages.js";
import { connectDoor, type TextClient } from "../support/clients.js";
import { captureLogs } from "../support/logs.js";
import { uniqueName } from "../support/names.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

const clock = new FakeClock();
const logs = captureLogs();
let server: TestServer | undefined;
const clients: TextClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ clock, logTo: logs.sink, overrides: { limits: { idleTimeoutSeconds: 20, idleWarningSeconds: 10 } } });
});

afterAll(async () => {
  await stopTestServer(server);
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function loggedIn(door: Door): Promise<{ client: TextClient; name: string }> {
  if (server === undefined) throw new Error("no server");
  const client = await connectDoor(door, server.ports);
  clients.push(client);
  await client.expect("Your name:");
  const name = uniqueName(`idle${door.slice(0, 2)}`);
  client.send(`create ${name} secret-${name}`);
  await client.expect(`Welcome, ${name}.`);
  await client.expect("Exits:");
  return { client, name };
}

/** `text` as the player reads it, wherever the door wrapped it (80 columns on the TCP doors). */
function wrapped(text: string): RegExp {
  return new RegExp(text.split(" ").map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+"));
}

/** The F8 warning, read 10 s before the end. */
const IDLE_WARNING = wrapped("You have been idle for 10 seconds; you will be disconnected in 10 seconds unless you do something.");

/** `client` says `words` and reads them back: the server took a command from them. */
async function say(client: TextClient, words: string): Promise<void> {
  client.send(`say ${words}`);
  await client.expect(`You say, "${words}"`);
}

describe.each<Door>(["line", "telnet", "websocket"])("F8 idle timeout: %s", (door) => {
  it("warns, is reset by a command, then closes with the reason; a player who types stays", async () => {
    const { client, name } = await loggedIn(door);
    const { client: busy } = await loggedIn("line");

    // t=9: the other player types; t=10: ours, idle since t=0, is warned (and only ours).
    clock.advance(9_000);
    await say(busy, "still here");
    busy.mark();
    clock.advance(1_000);
    await client.expect(IDLE_WARNING);

    // A command starts the count again: at t=20, the old deadline, nothing happens to them.
    client.send("look");
    await client.expect("Exits:");
    client.mark();
    clock.advance(10_000);
    await say(client, "after the old deadline");
    expect(client.text).not.toContain("Disconnected after");

    // t=25: the other player types again; t=40: ours, idle since t=20, is warned at 30 and closed.
    clock.advance(5_000);
    await say(busy, "me too");
    busy.mark();
    clock.advance(15_000);
    await client.expect(IDLE_WARNING);
    await client.expect("Disconnected after 20 seconds idle.");
    await client.closed;
    await busy.expect(`${name} fades away.`);
    await say(busy, "I stayed");
    expect(logs.records()).toContainEqual(expect.objectContaining({ msg: "idle timeout: disconnecting", player: name.toLowerCase(), idleSeconds: 20 }));
    expect(logs.records()).toContainEqual(expect.objectContaining({ msg: "player left", player: name.toLowerCase(), reason: "idle-timeout" }));
    busy.close();
  });
});
