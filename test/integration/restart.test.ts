/**
 * Durability: what a player did before a stop is there after a restart: their room, what
 * they carry, what they dropped.
 */
import { afterEach, expect, it } from "vitest";
import { LineClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await server?.stop();
  if (dataDir !== undefined) removeDir(dataDir);
  server = undefined;
  dataDir = undefined;
});

it("a returning player reconnects where they left, with what they carried", async () => {
  server = await startTestServer();
  dataDir = server.dataDir;
  const name = uniqueName("durable");
  const first = await LineClient.connect(server.ports.line);
  await first.expect("Your name:");
  first.send(`create ${name} keep-me-safe`);
  await first.expect(`Welcome, ${name}.`);
  first.send("east");
  await first.expect("The Drowsy Shuttle");
  first.send("get lantern");
  await first.expect("You pick up a brass lantern.");
  first.send("get mug");
  await first.expect("You pick up a pewter mug.");
  first.send("drop mug");
  await first.expect("You drop a pewter mug.");
  first.send("up");
  await first.expect("A Room Upstairs");
  // No quit: the server stops under the player's feet.
  await server.stop();
  await first.closed;
  expect(first.text).toContain("shutting down");

  server = await startTestServer({ dataDir });
  const again = await LineClient.connect(server.ports.line);
  await again.expect("Your name:");
  again.send(`connect ${name} keep-me-safe`);
  await again.expect(`Welcome, ${name}.`);
  const text = await again.expect("Exits:");
  expect(text).toContain("A Room Upstairs");
  again.send("inventory");
  await again.expect("a brass lantern");
  again.send("down");
  const inn = await again.expect("Exits:");
  expect(inn.slice(inn.lastIndexOf("The Drowsy Shuttle"))).toContain("a pewter mug");
  again.close();
});

it("a wrong password still fails after a restart (only the hash was stored)", async () => {
  server = await startTestServer();
  dataDir = server.dataDir;
  const name = uniqueName("hashed");
  const c = await LineClient.connect(server.ports.line);
  await c.expect("Your name:");
  c.send(`create ${name} right-one`);
  await c.expect(`Welcome, ${name}.`);
  c.close();
  await server.stop();
  server = await startTestServer({ dataDir });
  const d = await LineClient.connect(server.ports.line);
  await d.expect("Your name:");
  d.send(`connect ${name} wrong-one`);
  await d.expect("That name and password do not match.");
  d.send(`connect ${name} right-one`);
  await d.expect(`Welcome, ${name}.`);
  d.close();
});
