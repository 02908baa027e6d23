/**
 * Transcripts, in the style of Imaginary's `_test(line, [actor], [others])`: one command in,
 * the exact lines each observer reads out (docs/world.md, "Testing the world"). A World runs
 * on an in-memory store, a fake clock and a recording gateway; players log in through the real
 * login dialog with cheap hashes.
 */
import path from "node:path";
import { pino } from "pino";
import { expect } from "vitest";
import { PasswordHasher } from "../../src/accounts/passwords.js";
import { FakeClock } from "../../src/reactor/clock.js";
import type { Door, GatewayPort, OutboundMessage, SessionId } from "../../src/session/messages.js";
import { spansText } from "../../src/session/render.js";
import { openMemoryStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import { loadWorld } from "../../src/world/world-file.js";
import type { WorldDefinition } from "../../src/world/world-schema.js";
import { World, type WorldDeps } from "../../src/world/world.js";
import { defaultHasherLimits, defaultWorldOptions } from "./default-config.js";

/** The small world the transcript tests run in (test/fixtures/world/testshire.yaml). */
export const TESTSHIRE = path.resolve(import.meta.dirname, "../fixtures/world");
/** The starter world players meet (config/world/). */
export const STARTER_WORLD = path.resolve(import.meta.dirname, "../../config/world");

/** Records everything the world sends, per session. */
export class RecordingGateway implements GatewayPort {
  readonly sent: OutboundMessage[] = [];
  send(message: OutboundMessage): void {
    this.sent.push(message);
  }
  /** Text delivered to one session, one string per line read. */
  linesFor(session: SessionId, from = 0): string[] {
    const out: string[] = [];
    for (const m of this.sent.slice(from)) {
      if (m.type === "deliver" && m.to.includes(session)) out.push(...spansText(m.message.spans).split("\n"));
    }
    return out;
  }
  /** Out-of-band messages sent to one session. */
  oobFor(session: SessionId, from = 0): { channel: string; data: unknown }[] {
    return this.sent.slice(from).flatMap((m) => (m.type === "oob" && m.to.includes(session) ? [{ channel: m.channel, data: m.data }] : []));
  }
}

/** A logged-in test player. */
export interface TestPlayer {
  readonly name: string;
  readonly session: SessionId;
}

/** A world under test. */
export interface TestWorld {
  readonly world: World;
  readonly store: SqliteStore;
  readonly gateway: RecordingGateway;
  readonly clock: FakeClock;
  /**
   * Logs a character in and waits until it plays: a new one (`create`, the default), or one
   * the store already holds (`connect`, e.g. after a restart), with the same password.
   */
  join(name: string, door?: Door, how?: "create" | "connect"): Promise<TestPlayer>;
  /**
   * Runs one command as `actor` and returns what each player read because of it, by name:
   * `{ Alice: ["You give a red apple to Bob."], Bob: [...], Carol: [...] }`.
   */
  run(actor: TestPlayer, command: string): Record<string, string[]>;
  /** Advances the fake clock and returns what each player read meanwhile. */
  advance(ms: number): Record<string, string[]>;
  /** Disconnects a player. */
  leave(player: TestPlayer, how?: "quit" | "dropped"): Record<string, string[]>;
  /** Stops behaviours and closes the store. */
  close(): void;
}

// Cheap argon2 parameters: these tests are about the world, not the hash.
const hasher = new PasswordHasher({ ...defaultHasherLimits, memoryCost: 1024, timeCost: 1, maxConcurrent: 4 });
const definitions = new Map<string, WorldDefinition>();

/** A definition, loaded once per directory per test file. */
export function definitionOf(dir: string): WorldDefinition {
  let definition = definitions.get(dir);
  if (definition === undefined) definitions.set(dir, (definition = loadWorld(dir)));
  return definition;
}

/**
 * Alice, Bob and Carol, joined in that order, in a new test world on the testshire fixture: the
 * cast of most transcripts (actor, target, bystander). The caller closes `tw` after each test.
 */
export async function threePlayers(): Promise<{ tw: TestWorld; alice: TestPlayer; bob: TestPlayer; carol: TestPlayer }> {
  const tw = makeTestWorld();
  const alice = await tw.join("Alice");
  const bob = await tw.join("Bob");
  const carol = await tw.join("Carol");
  return { tw, alice, bob, carol };
}

/** What Alice alone reads, for {@link threePlayers}' cast: Bob and Carol read nothing (a refusal, a private answer). */
export function aliceAlone(...lines: string[]): Record<string, string[]> {
  return { Alice: lines, Bob: [], Carol: [] };
}

/** Builds a world on an in-memory store (or `store`), with a seeded random that always picks the first choice unless given. */
export function makeTestWorld(
  options: { dir?: string; definition?: WorldDefinition; store?: SqliteStore; clock?: FakeClock; random?: () => number; deps?: Partial<WorldDeps> } = {},
): TestWorld {
  const store = options.store ?? openMemoryStore();
  const gateway = new RecordingGateway();
  const clock = options.clock ?? new FakeClock();
  const world = new World({
    definition: options.definition ?? definitionOf(options.dir ?? TESTSHIRE),
    store,
    hasher,
    gateway,
    clock,
    logger: pino({ level: "silent" }),
    wallClock: () => clock.now(),
    random: options.random ?? (() => 0),
    // Every test player comes from one address: the account throttles have tests of their own.
    options: defaultWorldOptions({ creationsPerHour: 10_000, failedLoginsPerMinute: 10_000, failedLoginsPerAddressPerMinute: 10_000 }),
    ...options.deps,
  });
  const players: TestPlayer[] = [];
  let nextSession = 1;
  const readSince = (from: number): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (const p of players) out[p.name] = gateway.linesFor(p.session, from);
    return out;
  };
  return {
    world,
    store,
    gateway,
    clock,
    async join(name, door = "line", how = "create") {
      const session = nextSession++;
      const from = gateway.sent.length;
      world.receive({ type: "connected", session, door, peer: "127.0.0.1", caps: { ansi: false, width: 80, height: 24 } });
      world.receive({ type: "line", session, text: `${how} ${name} pw-${name}-secret` });
      await expect.poll(() => gateway.linesFor(session, from).some((t) => t.startsWith(`Welcome, ${name}.`))).toBe(true);
      const player = { name, session };
      players.push(player);
      return player;
    },
    run(actor, command) {
      const from = gateway.sent.length;
      world.receive({ type: "line", session: actor.session, text: command });
      return readSince(from);
    },
    advance(ms) {
      const from = gateway.sent.length;
      clock.advance(ms);
      return readSince(from);
    },
    leave(player, how = "dropped") {
      const from = gateway.sent.length;
      world.receive({ type: "disconnected", session: player.session, reason: { code: how === "quit" ? "quit" : "peer-closed", message: how } });
      players.splice(players.indexOf(player), 1);
      return readSince(from);
    },
    close() {
      world.shutdown();
      store.close();
    },
  };
}
