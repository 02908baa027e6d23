/**
 * The login and creation throttles over real sockets (issue 5 items 4 and 5; hardening A2, A3,
 * A5). Hashes go through an instrumented backend that holds each one until the test releases
 * it, so "simultaneous" means exactly that: every guess is on the wire, and in the server,
 * before any hash answers.
 */
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { Argon2Parameters, HashBackend } from "../../src/accounts/passwords.js";
import type { ConfigOverrides } from "../../src/config/schema.js";
import { FakeClock } from "../../src/reactor/clock.js";
import { LineClient } from "../support/clients.js";
import { captureLogs } from "../support/logs.js";
import { uniqueName } from "../support/names.js";
import { startTestServer, stopTestServer, type TestServer } from "../support/server-harness.js";

/** A backend with fake but checkable hashes, which can hold every call until released. */
class HeldBackend implements HashBackend {
  /** Every password the server asked to verify, in the order the hasher started them. */
  readonly verified: string[] = [];
  readonly #pending: Array<() => void> = [];
  holding = false;

  hash(password: string, _params: Argon2Parameters): Promise<string> {
    return this.#maybeHold(() => `fake$${password}`);
  }

  verify(hash: string, password: string): Promise<boolean> {
    this.verified.push(password);
    return this.#maybeHold(() => hash === `fake$${password}`);
  }

  /** Calls started and not yet released. */
  get held(): number {
    return this.#pending.length;
  }

  /** Lets the oldest held call answer. */
  releaseOne(): void {
    this.#pending.shift()?.();
  }

  #maybeHold<T>(answer: () => T): Promise<T> {
    if (!this.holding) return Promise.resolve(answer());
    return new Promise((resolve) => this.#pending.push(() => resolve(answer())));
  }
}

/** The defaults of config/default.yaml, which the harness lifts for other tests. */
function accounts(extra: NonNullable<ConfigOverrides["accounts"]> = {}): ConfigOverrides {
  return {
    accounts: {
      hashConcurrency: 2,
      maxQueuedHashesPerAddress: 4,
      maxQueuedHashes: 200,
      failedLoginsPerMinute: 5,
      failedLoginsPerAddressPerMinute: 20,
      accountFreeAttempts: 10,
      accountBackoffMaxSeconds: 300,
      creationsPerHour: 5,
      ...extra,
    },
  };
}

let server: TestServer | undefined;
const clients: LineClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await stopTestServer(server);
  server = undefined;
});

async function connect(address: string): Promise<LineClient> {
  const client = await LineClient.connect(server!.ports.line, address);
  clients.push(client);
  await client.expect("Your name:");
  return client;
}

/** Creates `name` from `address` (hashes not held) and disconnects. */
async function createCharacter(name: string, password: string, address: string): Promise<void> {
  const client = await connect(address);
  client.send(`create ${name} ${password}`);
  await client.expect(`Welcome, ${name}.`);
  client.close();
}

/** A value from the server's /metrics. */
async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server!.ports.http}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return Number(line?.slice(name.length + 1));
}

/** Waits until the server has started `n` backend calls (polls the event loop; no sleeps). */
async function untilHeld(backend: HeldBackend, n: number): Promise<void> {
  await expect.poll(() => backend.held, { interval: 5 }).toBe(n);
}

describe("issue 5 item 4: throttles count an attempt when it starts", () => {
  it("99 simultaneous wrong guesses and then the right password: 5 are verified and the right one does not get in", async () => {
    const clock = new FakeClock();
    const backend = new HeldBackend();
    server = await startTestServer({ clock, hashBackend: backend, overrides: accounts() });
    const name = uniqueName("target");
    await createCharacter(name, "the-right-one", "127.0.0.2");
    backend.verified.length = 0;

    backend.holding = true;
    const guessers = await Promise.all(Array.from({ length: 100 }, () => connect("127.0.0.3")));
    // Each guess on its own connection, every one written before any hash answers; the right
    // password comes last.
    guessers.forEach((c, i) => c.send(`connect ${name} ${i < 99 ? `wrong-${i}` : "the-right-one"}`));
    const refused = guessers.slice(5);
    await Promise.all(refused.map((c) => c.expect("Too many failed logins")));
    // Only the first five were admitted: two hashing, three queued.
    await untilHeld(backend, 2);
    backend.holding = false;
    while (backend.held > 0) backend.releaseOne();
    await Promise.all(guessers.slice(0, 5).map((c) => c.expect("That name and password do not match.")));
    expect(backend.verified).toHaveLength(5);
    expect(backend.verified).not.toContain("the-right-one");
    expect(guessers.some((c) => c.text.includes(`Welcome, ${name}.`))).toBe(false);

    // While the minute lasts, the right password from that address is still refused...
    const again = await connect("127.0.0.3");
    again.send(`connect ${name} the-right-one`);
    await again.expect("Too many failed logins");
    // ...and once it is over, it gets in.
    clock.advance(60_000);
    const later = await connect("127.0.0.3");
    later.send(`connect ${name} the-right-one`);
    await later.expect(`Welcome, ${name}.`);
  });

  it("10 simultaneous creates from one address make 5 characters", async () => {
    const backend = new HeldBackend();
    server = await startTestServer({ hashBackend: backend, overrides: accounts({ maxQueuedHashesPerAddress: 10 }) });
    backend.holding = true;
    const creators = await Promise.all(Array.from({ length: 10 }, () => connect("127.0.0.4")));
    const names = creators.map(() => uniqueName("maker"));
    creators.forEach((c, i) => c.send(`create ${names[i]!} pw-${i}-secret`));
    await Promise.all(creators.slice(5).map((c) => c.expect("Too many new characters from your address")));
    await untilHeld(backend, 2);
    backend.holding = false;
    while (backend.held > 0) backend.releaseOne();
    await Promise.all(creators.slice(0, 5).map((c, i) => c.expect(`Welcome, ${names[i]!}.`)));
    const db = new Database(path.join(server.dataDir, "loom.db"), { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) FROM players").pluck().get()).toBe(5);
    } finally {
      db.close();
    }
  });

  it("one address flooding the hash queue delays another address's login by one turn, and busy is polite and unlogged", async () => {
    const logs = captureLogs();
    const backend = new HeldBackend();
    server = await startTestServer({ hashBackend: backend, logTo: logs.sink, overrides: accounts({ hashConcurrency: 1 }) });
    const owner = uniqueName("owner");
    await createCharacter(owner, "owner-secret", "127.0.0.5");
    backend.verified.length = 0;

    backend.holding = true;
    // The flooder guesses at twenty accounts at once: its per-address limit admits them all,
    // but it gets one hash running and four waiting; the rest are told the server is busy.
    const flood = await Promise.all(Array.from({ length: 20 }, () => connect("127.0.0.6")));
    flood.forEach((c, i) => c.send(`connect ${uniqueName("victim")} guess-${i}`));
    await Promise.all(flood.slice(5).map((c) => c.expect("The server is busy checking other logins; please try again in a moment.")));
    await untilHeld(backend, 1);

    const player = await connect("127.0.0.7");
    player.send(`connect ${owner} owner-secret`);
    // The owner's hash is waiting behind the flooder's four (seen in /metrics) before any is released.
    await expect.poll(() => metric("loom_password_hashes_queued"), { interval: 5 }).toBe(5);
    expect(await metric("loom_password_hashes_refused_total")).toBe(15);
    // Release one hash at a time until the owner is in: it ran after the hash already running
    // and one turn of the flooder, not after the flooder's whole queue.
    const welcome = `Welcome, ${owner}.`;
    for (let released = 0; !player.text.includes(welcome); released++) {
      expect(released).toBeLessThan(6);
      backend.releaseOne();
      await expect.poll(() => backend.held === 1 || player.text.includes(welcome), { interval: 5 }).toBe(true);
    }
    expect(backend.verified.indexOf("owner-secret")).toBeLessThanOrEqual(2);
    backend.holding = false;
    while (backend.held > 0) backend.releaseOne();
    expect(logs.lines.join("\n")).not.toMatch(/hasher-busy|"stack"/);
  });
});

describe("issue 5 item 5: a stranger cannot lock the owner out", () => {
  it("an attacker address hammering an account does not stop the owner from another address", async () => {
    server = await startTestServer({ overrides: accounts() });
    const name = uniqueName("owned");
    await createCharacter(name, "owner-secret", "127.0.0.8");
    const attackers = await Promise.all(Array.from({ length: 10 }, () => connect("127.0.0.9")));
    for (const [i, attacker] of attackers.entries()) {
      attacker.send(`connect ${name} guess-${i}`);
      await attacker.expect(i < 5 ? "do not match" : "Too many failed logins");
    }
    // The old rule locked the account for everyone after five failures.
    const owner = await connect("127.0.0.8");
    owner.send(`connect ${name} owner-secret`);
    await owner.expect(`Welcome, ${name}.`);
  });
});

describe("issue 5 item 7: names that read as server text or as another's name are refused at creation", () => {
  it("a look-alike of an existing character, a command word and a system word are refused; a plain name is not", async () => {
    server = await startTestServer();
    await createCharacter("Mary", "mary-secret", "127.0.0.10");
    const client = await connect("127.0.0.11");
    client.send("create Rnary some-secret");
    await client.expect("Rnary reads too much like Mary, who already exists.");
    client.send("Rnary");
    await client.expect("Rnary reads too much like Mary, who already exists.");
    for (const word of ["Look", "Welcome", "Sysadmin"]) {
      client.send(`create ${word} some-secret`);
      await client.expect(`"${word}" is reserved.`);
    }
    client.send("create Marya some-secret");
    await client.expect("Welcome, Marya.");
  });
});
