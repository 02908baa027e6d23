/**
 * The world behind the message boundary, with no sockets: a recording gateway stands in for
 * the session hub. Checks that each event is narrated once per kind of observer (the actor,
 * everyone else) whatever the crowd, that a failing command is contained, and that a second
 * login takes over the first connection.
 */
import path from "node:path";
import { pino } from "pino";
import { beforeEach, describe, expect, it } from "vitest";
import { PasswordHasher } from "../../src/accounts/passwords.js";
import { FakeClock } from "../../src/reactor/clock.js";
import type { GatewayPort, OutboundMessage, SessionId } from "../../src/session/messages.js";
import { spansText } from "../../src/session/render.js";
import { openMemoryStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import { World, type WorldOptions } from "../../src/world/world.js";
import { loadWorld } from "../../src/world/world-file.js";
import { DISTINCT_LETTERS } from "../support/names.js";
import { defaultHasherLimits, defaultWorldOptions } from "../support/default-config.js";

class RecordingGateway implements GatewayPort {
  readonly sent: OutboundMessage[] = [];
  send(message: OutboundMessage): void {
    this.sent.push(message);
  }
  /** Text delivered to one session, one string per message. */
  textFor(session: SessionId): string[] {
    return this.sent.flatMap((m) => (m.type === "deliver" && m.to.includes(session) ? [spansText(m.message.spans)] : []));
  }
  clear(): void {
    this.sent.length = 0;
  }
}

const definition = loadWorld(path.resolve(import.meta.dirname, "../../config/world"));
// Cheap argon2 parameters: these tests are about the world, not the hash.
const hasher = new PasswordHasher({ ...defaultHasherLimits, memoryCost: 1024, timeCost: 1, maxConcurrent: 4 });

let store: SqliteStore;
let gateway: RecordingGateway;
let world: World;

/** A world on a fresh in-memory store, speaking to the shared recording gateway. */
function makeWorld(options: WorldOptions = defaultWorldOptions({ creationsPerHour: 1000 }), worldStore: SqliteStore = openMemoryStore()): World {
  return new World({ definition, store: worldStore, hasher, gateway, clock: new FakeClock(), logger: pino({ level: "silent" }), options });
}

beforeEach(() => {
  store = openMemoryStore();
  gateway = new RecordingGateway();
  world = makeWorld(undefined, store);
});

/** Connects a session and logs it in with `create`, resolving once it plays. */
async function join(session: SessionId, name: string): Promise<void> {
  world.receive({ type: "connected", session, door: "line", peer: "127.0.0.1", caps: { ansi: false, width: 80, height: 24 } });
  world.receive({ type: "line", session, text: `create ${name} pw-${name}` });
  await expect.poll(() => gateway.textFor(session).some((t) => t.startsWith(`Welcome, ${name}.`))).toBe(true);
}

describe("World", () => {
  it("narrates a say once for the speaker and once for the whole room, whatever its size", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `Crowd${DISTINCT_LETTERS[i % 16]!}${DISTINCT_LETTERS[Math.floor(i / 16)]!}`);
    for (const [i, name] of names.entries()) await join(i + 1, name);
    gateway.clear();
    world.receive({ type: "line", session: 1, text: "say hello, everyone" });
    expect(gateway.sent).toHaveLength(2);
    const [toActor, toRoom] = gateway.sent;
    expect(toActor?.type === "deliver" && toActor.to).toEqual([1]);
    expect(toActor?.type === "deliver" && spansText(toActor.message.spans)).toBe('You say, "hello, everyone"');
    expect(toRoom?.type === "deliver" && toRoom.to.length).toBe(29);
    expect(toRoom?.type === "deliver" && spansText(toRoom.message.spans)).toBe(`${names[0]} says, "hello, everyone"`);
  });

  it("answers an unknown command politely, and contains a command that throws", async () => {
    await join(1, "Careful");
    world.receive({ type: "line", session: 1, text: "dance wildly" });
    expect(gateway.textFor(1).at(-1)).toBe('Unknown command "dance". Type help for the list.');
    // A store failure in the middle of a move is the command's problem, not the server's.
    store.close();
    world.receive({ type: "line", session: 1, text: "north" });
    expect(gateway.textFor(1).at(-1)).toContain("Something went wrong running that command");
  });

  it("a second login of the same character takes over and closes the first connection", async () => {
    await join(1, "Twice");
    world.receive({ type: "connected", session: 2, door: "telnet", peer: "127.0.0.1", caps: { ansi: true, width: 80, height: 24 } });
    world.receive({ type: "line", session: 2, text: "connect Twice pw-Twice" });
    await expect.poll(() => gateway.sent.some((m) => m.type === "close" && m.session === 1)).toBe(true);
    const close = gateway.sent.find((m) => m.type === "close" && m.session === 1);
    expect(close?.type === "close" && close.reason.code).toBe("replaced");
    // The old session's disconnect must not take the character out of the world.
    world.receive({ type: "disconnected", session: 1, reason: { code: "replaced", message: "" } });
    expect(world.playerCount).toBe(1);
    gateway.clear();
    world.receive({ type: "line", session: 2, text: "who" });
    expect(gateway.textFor(2).join("")).toMatch(/Twice\s+telnet/);
  });

  it("typed-ahead commands sent while the password is checked run after login, in order", async () => {
    world.receive({ type: "connected", session: 7, door: "line", peer: "127.0.0.1", caps: { ansi: false, width: 80, height: 24 } });
    world.receive({ type: "line", session: 7, text: "create Eager pw-Eager" });
    world.receive({ type: "line", session: 7, text: "say one" });
    world.receive({ type: "line", session: 7, text: "say two" });
    await expect.poll(() => gateway.textFor(7).filter((t) => t.startsWith("You say")).length).toBe(2);
    const says = gateway.textFor(7).filter((t) => t.startsWith("You say"));
    expect(says).toEqual(['You say, "one"', 'You say, "two"']);
  });
});

it("A3: character creation is throttled per address", async () => {
  const strict = makeWorld(defaultWorldOptions({ creationsPerHour: 2 }));
  const caps = { ansi: false, width: 80, height: 24 };
  for (const [session, name] of [
    [1, "Firsta"],
    [2, "Secondb"],
    [3, "Thirdc"],
  ] as const) {
    strict.receive({ type: "connected", session, door: "line", peer: "127.0.0.9", caps });
    strict.receive({ type: "line", session, text: `create ${name} pw-${name}` });
    await expect.poll(() => gateway.textFor(session).some((t) => t.startsWith("Welcome, ") || t.startsWith("Too many"))).toBe(true);
  }
  expect(gateway.textFor(3).join("\n")).toContain("Too many new characters from your address");
  strict.receive({ type: "connected", session: 4, door: "line", peer: "127.0.0.10", caps });
  strict.receive({ type: "line", session: 4, text: "create Elsewhere pw-else" });
  await expect.poll(() => gateway.textFor(4).some((t) => t.startsWith("Welcome, Elsewhere."))).toBe(true);
});

it("a crowded room names twenty people and counts the rest", async () => {
  const crowd = makeWorld();
  const caps = { ansi: false, width: 80, height: 24 };
  // Letters that never read alike, so the store takes all 26 names (issue 5 item 7).
  const letters = (n: number): string => DISTINCT_LETTERS[Math.floor(n / 16)]! + DISTINCT_LETTERS[n % 16]!;
  for (let i = 0; i < 26; i++) {
    crowd.receive({ type: "connected", session: 100 + i, door: "line", peer: `127.0.1.${i}`, caps });
    crowd.receive({ type: "line", session: 100 + i, text: `create Crowd${letters(i)} pw-crowd` });
    await expect.poll(() => gateway.textFor(100 + i).some((t) => t.startsWith("Welcome, "))).toBe(true);
  }
  crowd.receive({ type: "line", session: 125, text: "look" });
  expect(gateway.textFor(125).at(-1)).toMatch(/Crowdaa, Crowdab, .*, Crowdbf and 5 others are here\.$/);
});
