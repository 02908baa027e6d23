/**
 * The admin commands over real sockets (issue 7, "Admin"): an admin made the operator's way
 * (the role set in the data directory's store, then logging in again) kicks a netcat player,
 * who reads why and whose socket closes while the others see them go; announces to players on
 * all three doors; and `shutdown 0` drains the in-process server the way SIGTERM does.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { LineClient, TelnetClient, WsClient } from "../support/clients.js";
import { uniqueName } from "../support/names.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer;
let admin: WsClient;
let nc: LineClient;
let tn: TelnetClient;
const names = { admin: uniqueName("boss"), nc: uniqueName("nc"), tn: uniqueName("tn") };

beforeAll(async () => {
  server = await startTestServer();
  // The first admin: a character made in the game, promoted in the store (as `loom role` does
  // on a stopped server; WAL lets a second connection write beside the running one), then
  // logged in again, since the role is read at login.
  const first = await LineClient.connect(server.ports.line);
  await first.expect("Your name:");
  first.send(`create ${names.admin} pw-${names.admin}`);
  await first.expect(`Welcome, ${names.admin}.`);
  first.send("quit");
  await first.closed;
  const store = openSqliteStore({ dataDir: server.dataDir });
  try {
    store.setRole(names.admin.toLowerCase(), "admin");
  } finally {
    store.close();
  }
  admin = await WsClient.connect(server.ports.http, { json: true });
  nc = await LineClient.connect(server.ports.line);
  tn = await TelnetClient.connect(server.ports.telnet);
  for (const [client, name, how] of [
    [admin, names.admin, "connect"],
    [nc, names.nc, "create"],
    [tn, names.tn, "create"],
  ] as const) {
    await client.expect("Your name:");
    client.send(`${how} ${name} pw-${name}`);
    await client.expect(`Welcome, ${name}.`);
  }
});

afterAll(async () => {
  for (const c of [admin, nc, tn]) c.close();
  await stopTestServer(server);
});

it("a player may not use an admin's command", async () => {
  tn.mark();
  tn.send(`kick ${names.nc}`);
  await tn.expect("Only admins may use kick.");
});

it("announce reaches every door", async () => {
  for (const c of [admin, nc, tn]) c.mark();
  admin.send("announce The well is dry; use the river.");
  for (const c of [admin, nc, tn]) await c.expect("[Announcement] The well is dry; use the river.");
});

it("kick: the netcat player reads why and is disconnected; the room sees them go; the admin reads a confirmation", async () => {
  for (const c of [admin, nc, tn]) c.mark();
  admin.send(`kick ${names.nc} shouting in the square`);
  await nc.expect("An admin has kicked you out of the game: shouting in the square.");
  await nc.closed;
  await tn.expect(`${names.nc} fades away.`);
  await admin.expect(`You kick ${names.nc} out of the game: shouting in the square.`);
  admin.send("who");
  await admin.expect("2 players online:");
});

it("shutdown 0 drains the in-process server as SIGTERM does", async () => {
  for (const c of [admin, tn]) c.mark();
  admin.send("shutdown 0");
  await admin.expect("You shut the server down.");
  for (const c of [admin, tn]) await c.expect("The server is shutting down now.");
  await Promise.all([admin.closed, tn.closed]);
  expect(admin.closeCode).toBe(1001);
  // The drain the command started is the one stop() returns: it resolves once it is over.
  await server.stop();
  await expect(LineClient.connect(server.ports.line)).rejects.toThrow(/ECONNREFUSED/);
});
