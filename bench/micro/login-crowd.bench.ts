/**
 * One login and its logout into a hall of 100 and of 5,000 players, through the whole world
 * (login dialog, store, seating, narration, the room shown, channels), the password hash stubbed
 * out: issue 11 target 6 asks that everything but the hash be O(1) per login whatever the
 * crowd. The crowd is real players logged in the same way; the gateway only counts recipients.
 * The crowd's own news waits on a fake clock that never moves, so what is timed is the
 * synchronous work of the login itself (crowd-news.ts tells the room once a second, apart).
 */
import { pino } from "pino";
import { bench, describe } from "vitest";
import { PasswordHasher, type HashBackend } from "../../src/accounts/passwords.js";
import { FakeClock } from "../../src/reactor/clock.js";
import type { GatewayPort, OutboundMessage, SessionId } from "../../src/session/messages.js";
import { openMemoryStore } from "../../src/store/sqlite-store.js";
import { World } from "../../src/world/world.js";
import { loadWorld } from "../../src/world/world-file.js";
import { defaultHasherLimits, defaultWorldOptions } from "../../test/support/default-config.js";
import { TESTSHIRE } from "../../test/support/transcript.js";

/** Counts recipients, and wakes whoever waits for a session's welcome. */
class CountingGateway implements GatewayPort {
  recipients = 0;
  readonly #waiting = new Map<SessionId, () => void>();
  send(message: OutboundMessage): void {
    if (message.type !== "deliver") return;
    this.recipients += message.to.length;
    const first = message.message.spans[0];
    const text = typeof first === "string" ? first : first?.text;
    if (message.to.length === 1 && text?.startsWith("Welcome, ") === true) this.#waiting.get(message.to[0]!)?.();
  }
  welcomed(session: SessionId): Promise<void> {
    return new Promise((resolve) => this.#waiting.set(session, resolve));
  }
}

/** No argon2: the hash is the one part of a login allowed to cost what it costs. */
const stubbed: HashBackend = {
  hash: (password) => Promise.resolve(`plain$${password}`),
  verify: (hash, password) => Promise.resolve(hash === `plain$${password}`),
};

const LETTERS = "abdefghjkmopqstuwxyz"; // no two alike to the name skeleton
function nameOf(i: number): string {
  let s = "";
  for (let n = i, k = 0; k < 4; k++, n = Math.floor(n / LETTERS.length)) s = LETTERS[n % LETTERS.length]! + s;
  return `Zz${s}`;
}

/** A world with `crowd` players in its hall, and a function that logs one more in and out. */
async function hallOf(crowd: number): Promise<{ loginAndOut: () => Promise<void>; gateway: CountingGateway }> {
  const gateway = new CountingGateway();
  const clock = new FakeClock();
  const world = new World({
    definition: loadWorld(TESTSHIRE),
    store: openMemoryStore(),
    hasher: new PasswordHasher({ ...defaultHasherLimits, maxConcurrent: 100_000, maxQueued: 100_000, maxQueuedPerOwner: 100_000, backend: stubbed }),
    gateway,
    clock,
    logger: pino({ level: "silent" }),
    wallClock: () => clock.now(),
    random: () => 0,
    options: defaultWorldOptions({ creationsPerHour: 1_000_000, failedLoginsPerMinute: 1_000_000, failedLoginsPerAddressPerMinute: 1_000_000 }),
  });
  let session = 0;
  const join = async (text: string): Promise<SessionId> => {
    const id = ++session;
    const welcomed = gateway.welcomed(id);
    world.receive({ type: "connected", session: id, door: "line", peer: "127.0.0.1", caps: { ansi: false, width: 80, height: 24 } });
    world.receive({ type: "line", session: id, text });
    await welcomed;
    return id;
  };
  for (let i = 0; i < crowd; i++) await join(`create ${nameOf(i)} crowd-secret`);
  world.receive({ type: "disconnected", session: await join("create Newbie newbie-secret"), reason: { code: "quit", message: "quit" } });
  clock.advance(10_000); // the crowd's arrivals told: the hall is quiet but full
  return {
    gateway,
    loginAndOut: async () => {
      const id = await join("connect Newbie newbie-secret");
      world.receive({ type: "disconnected", session: id, reason: { code: "peer-closed", message: "gone" } });
    },
  };
}

describe("one login and logout, the hash stubbed", async () => {
  for (const crowd of [100, 5000]) {
    const hall = await hallOf(crowd);
    bench(`hall of ${crowd.toLocaleString("en")}`, hall.loginAndOut);
  }
});
