/**
 * Hardening D1, on the real process: what a player saw acknowledged survives `kill -9` of the
 * whole server. No shutdown code runs, no checkpoint, no close: only what the store committed
 * before the acknowledgement went out.
 */
import { expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { processResources } from "./support/process-resources.js";

const { clients, spawn, tempDir } = processResources();

async function login(port: number, command: "create" | "connect", name: string, password: string): Promise<LineClient> {
  const client = await LineClient.connect(port);
  clients.push(client);
  await client.expect("Your name:");
  client.send(`${command} ${name} ${password}`);
  await client.expect(`Welcome, ${name}.`);
  return client;
}

it("D1: a lantern picked up and acknowledged is still carried, in the same room, after kill -9", async () => {
  const dataDir = tempDir("loom-d1");
  const name = uniqueName("kilnine");
  const password = "survives-kill-9";

  const first = spawn({ dataDir });
  const ports = await first.ready();
  const player = await login(ports.line, "create", name, password);
  player.send("east");
  await player.expect("The Drowsy Shuttle");
  player.send("get lantern");
  await player.expect("You pick up a brass lantern.");
  // The acknowledgement is all the player has: pull the plug the moment it arrives.
  first.signal("SIGKILL");
  expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
  // Nothing ran on the way down: no "shutting down", no "stopped".
  expect(first.logs.map((r) => r.msg)).not.toContain("shutting down");
  expect(first.logs.map((r) => r.msg)).not.toContain("stopped");
  await player.closed;

  const second = spawn({ dataDir });
  const again = await second.ready();
  const back = await login(again.line, "connect", name, password);
  const room = await back.expect("Exits:");
  expect(room.slice(room.lastIndexOf(`Welcome, ${name}.`))).toContain("The Drowsy Shuttle");
  back.mark();
  back.send("inventory");
  await back.expect("a brass lantern");
  // Carried, not also lying in the room: taking it again finds it already in hand.
  back.send("get lantern");
  await back.expect("You already have that.");
  // A4: neither run logged the password, at creation or at login.
  expect(first.stdout + second.stdout).not.toContain(password);
});
