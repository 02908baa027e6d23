/**
 * Issue 11 target 6: a login's cost must not grow with the crowd. In a room holding more than
 * `limits.crowdThreshold` people, comings and goings are gathered and told once a second as one
 * summary with one fresh `Room.Players` (src/world/crowd-news.ts, docs/crowds.md); below it,
 * everything is as it always was (every other transcript test). On the FakeClock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PasswordHasher, type HashBackend } from "../../src/accounts/passwords.js";
import { CROWD_NEWS_MS, MAX_NAMED_IN_SUMMARY, MAX_TRACKED_PASSAGES } from "../../src/world/crowd-news.js";
import type { Thing } from "../../src/world/model/thing.js";
import { WHOLE_ROOM_WALK } from "../../src/world/room-view.js";
import { defaultHasherLimits, defaultWorldOptions } from "../support/default-config.js";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../support/transcript.js";

/** No argon2 at all: these tests are about the crowd, and a crowd of 2,000 must build in seconds. */
const instantBackend: HashBackend = {
  hash: (password) => Promise.resolve(`plain$${password}`),
  verify: (hash, password) => Promise.resolve(hash === `plain$${password}`),
};
const hasher = new PasswordHasher({ ...defaultHasherLimits, maxConcurrent: 10_000, maxQueued: 10_000, maxQueuedPerOwner: 10_000, backend: instantBackend });

/** A test world whose rooms count as crowded past `crowdThreshold` people. */
function crowdWorld(crowdThreshold: number): TestWorld {
  return makeTestWorld({
    deps: {
      hasher,
      options: defaultWorldOptions({ crowdThreshold, creationsPerHour: 1_000_000, failedLoginsPerMinute: 10_000, failedLoginsPerAddressPerMinute: 1_000_000 }),
    },
  });
}

/** Letters no two of which look alike to the name skeleton (no i/l, and nothing of rn, vv, cl). */
const PLAIN_LETTERS = "abdefghjkmopqstuwxyz";

/** A valid name for the i-th extra, distinct from every other one even to the skeleton ("Zzaaaa"...). */
function extraName(i: number): string {
  let s = "";
  for (let n = i, k = 0; k < 4; k++, n = Math.floor(n / PLAIN_LETTERS.length)) s = PLAIN_LETTERS[n % PLAIN_LETTERS.length]! + s;
  return `Zz${s}`;
}

let nextExtra = 100_000;

/** Logs `n` extras into the start room, bypassing the transcript's per-player bookkeeping; resolves with their sessions once all play. */
async function fill(tw: TestWorld, n: number): Promise<number[]> {
  const target = tw.world.playerCount + n;
  const sessions: number[] = [];
  for (let i = 0; i < n; i++) {
    const session = nextExtra++;
    sessions.push(session);
    tw.world.receive({ type: "connected", session, door: "line", peer: "127.0.0.1", caps: { ansi: false, width: 80, height: 24 } });
    tw.world.receive({ type: "line", session, text: `create ${extraName(session)} pw-extra-secret` });
  }
  await expect.poll(() => tw.world.playerCount, { timeout: 60_000, interval: 5 }).toBe(target);
  return sessions;
}

/** Counts every step any walk of `things` takes from now on (for-of, spread, forEach all start from its iterator). */
function countWalks(things: Set<Thing>): { readonly steps: () => number } {
  let steps = 0;
  const values = Set.prototype.values;
  const counted = function* (this: Set<Thing>): Generator<Thing> {
    for (const thing of values.call(this)) {
      steps++;
      yield thing;
    }
  };
  Object.defineProperty(things, Symbol.iterator, { value: counted, configurable: true });
  Object.defineProperty(things, "values", { value: counted, configurable: true });
  return { steps: () => steps };
}

describe("crowd news: comings and goings in a crowded room are told once a second", () => {
  let tw: TestWorld | undefined;
  afterEach(() => {
    tw?.close();
    tw = undefined;
  });

  /** Alice, Bob and Carol in the hall, which is crowded past three people. */
  async function threeInASmallHall(): Promise<{ tw: TestWorld; alice: TestPlayer; bob: TestPlayer; carol: TestPlayer }> {
    const world = crowdWorld(3);
    tw = world;
    return { tw: world, alice: await world.join("Alice"), bob: await world.join("Bob"), carol: await world.join("Carol") };
  }

  it("at the threshold an arrival is told at once; one past it, the room reads one summary a second later", async () => {
    const { tw, alice, bob } = await threeInASmallHall();
    // Carol's arrival made three: at the threshold, told as it always was.
    expect(tw.gateway.linesFor(alice.session).at(-1)).toBe("Carol arrives in the world for the first time.");
    const from = tw.gateway.sent.length;
    const dave = await tw.join("Dave");
    // Four in a room crowded past three: nobody is told yet; Dave reads his welcome and the room.
    expect(tw.gateway.linesFor(alice.session, from)).toEqual([]);
    expect(tw.gateway.linesFor(bob.session, from)).toEqual([]);
    const daveRead = tw.gateway.linesFor(dave.session, from);
    expect(daveRead.slice(daveRead.findIndex((text) => text.startsWith("Welcome, Dave.")))).toEqual([
      "Welcome, Dave. Your character has been made. Type help to see what you can do.",
      "The Hall",
      "A plain hall with doors.",
      "Exits: north, east (closed), in (closed).",
      "You see an oak chest, a red apple, a green apple, a stone fountain and a wicker basket here.",
      "Alice, Bob and Carol are here.",
    ]);
    expect(tw.advance(CROWD_NEWS_MS - 1)).toEqual({ Alice: [], Bob: [], Carol: [], Dave: [] });
    // The newcomer is not told of himself: he was shown the room.
    expect(tw.advance(1)).toEqual({ Alice: ["Dave arrives."], Bob: ["Dave arrives."], Carol: ["Dave arrives."], Dave: [] });
    expect(tw.advance(10 * CROWD_NEWS_MS)).toEqual({ Alice: [], Bob: [], Carol: [], Dave: [] });
  });

  it("many arrivals in one second: three names and a count; a fresh Room.Players, each reader's without themselves", async () => {
    const { tw, alice } = await threeInASmallHall();
    const joined = tw.gateway.sent.length;
    for (const name of ["Dave", "Erin", "Fay", "Gus", "Hal"]) await tw.join(name);
    const from = tw.gateway.sent.length;
    const read = tw.advance(CROWD_NEWS_MS);
    expect(MAX_NAMED_IN_SUMMARY).toBe(3);
    expect(read).toEqual({
      Alice: ["Dave, Erin, Fay and 2 others arrive."],
      Bob: ["Dave, Erin, Fay and 2 others arrive."],
      Carol: ["Dave, Erin, Fay and 2 others arrive."],
      Dave: [],
      Erin: [],
      Fay: [],
      Gus: [],
      Hal: [],
    });
    const people = (session: number): unknown => tw.gateway.oobFor(session, from).find((m) => m.channel === "Room.Players")?.data;
    const everyone = ["Alice", "Bob", "Carol", "Dave", "Erin", "Fay", "Gus", "Hal"];
    expect(people(alice.session)).toEqual(everyone.filter((n) => n !== "Alice").map((name) => ({ name, fullname: name })));
    // No per-arrival Room.AddPlayer went to anyone in the crowd.
    const added = tw.gateway.sent.slice(joined).filter((m) => m.type === "oob" && m.channel === "Room.AddPlayer" && m.to.includes(alice.session));
    expect(added).toHaveLength(0);
  });

  it("departures are gathered too; someone who came and went within the second is never mentioned", async () => {
    const { tw, alice, bob } = await threeInASmallHall();
    await tw.join("Dave");
    tw.advance(CROWD_NEWS_MS);
    const erin = await tw.join("Erin");
    // Erin arrives and drops within the same second: the room needs telling nothing about her.
    expect(tw.leave(erin)).toEqual({ Alice: [], Bob: [], Carol: [], Dave: [] });
    expect(tw.leave(bob, "quit")).toEqual({ Alice: [], Carol: [], Dave: [] });
    expect(tw.advance(CROWD_NEWS_MS)).toEqual({ Alice: ["Bob leaves."], Carol: ["Bob leaves."], Dave: ["Bob leaves."] });
    // Three left: at the threshold again, departures are told as they happen.
    const dave = tw.run(alice, "look");
    expect(dave["Alice"]?.at(-1)).toBe("Carol and Dave are here.");
    expect(tw.leave(alice)).toEqual({ Carol: ["Alice fades away."], Dave: ["Alice fades away."] });
  });

  it("arrivals and departures in one second: one message, arrivals first", async () => {
    const { tw, bob } = await threeInASmallHall();
    await tw.join("Dave");
    tw.advance(CROWD_NEWS_MS);
    await tw.join("Erin");
    tw.leave(bob);
    const from = tw.gateway.sent.length;
    expect(tw.advance(CROWD_NEWS_MS)).toEqual({ Alice: ["Erin arrives.", "Bob leaves."], Carol: ["Erin arrives.", "Bob leaves."], Dave: ["Erin arrives.", "Bob leaves."], Erin: [] });
    expect(tw.gateway.sent.slice(from).filter((m) => m.type === "deliver")).toHaveLength(1);
  });

  it("walking into and out of a crowded room is gathered the same way; the quiet room it came from is told at once", async () => {
    const { tw, alice, bob, carol } = await threeInASmallHall();
    const dave = await tw.join("Dave");
    tw.advance(CROWD_NEWS_MS);
    // Dave leaves the crowded hall (four, so the departure is gathered) for the empty yard.
    expect(tw.run(dave, "north")).toEqual({
      Alice: [],
      Bob: [],
      Carol: [],
      Dave: ["The Yard", "A cobbled yard under an open sky.", "Exits: south, west.", "You see a brass key and a yellow pear here.", "Marta is here."],
    });
    expect(tw.advance(CROWD_NEWS_MS)).toEqual({
      Alice: ["Dave leaves."],
      Bob: ["Dave leaves."],
      Carol: ["Dave leaves."],
      Dave: ['Marta says, "Welcome to the yard, Dave!"'], // the yard is quiet: its greeter heard him arrive
    });
    // Bob walks out of the hall, now three (at the threshold): told at once, with its direction.
    expect(tw.run(bob, "north")["Alice"]).toEqual(["Bob leaves north."]);
    expect(tw.gateway.linesFor(dave.session).at(-1)).toBe("Bob arrives from the south.");
    // Bob and Carol... back into the hall of two: quiet.
    expect(tw.run(bob, "south")["Alice"]).toEqual(["Bob arrives from the north."]);
    expect(carol.name).toBe("Carol");
    expect(alice.name).toBe("Alice");
  });

  it("a storm past MAX_TRACKED_PASSAGES in one second: the rest are counted, and the newcomers past it read the summary", async () => {
    const { tw, alice } = await threeInASmallHall();
    const extras = await fill(tw, MAX_TRACKED_PASSAGES + 1);
    const from = tw.gateway.sent.length;
    tw.advance(CROWD_NEWS_MS);
    const names = extras.slice(0, 3).map(extraName);
    const summary = `${names.join(", ")} and ${MAX_TRACKED_PASSAGES - 2} others arrive.`;
    expect(tw.gateway.linesFor(alice.session, from)).toEqual([summary]);
    // The last one remembered by name is spared it; the one past the cap is only counted.
    expect(tw.gateway.linesFor(extras[MAX_TRACKED_PASSAGES - 1]!, from)).toEqual([]);
    expect(tw.gateway.linesFor(extras[MAX_TRACKED_PASSAGES]!, from)).toEqual([summary]);
    // One message for the whole room, whatever the storm.
    expect(tw.gateway.sent.slice(from).filter((m) => m.type === "deliver")).toHaveLength(1);
  });

  it("the room shown to a newcomer in a crowd of 300: its things, twenty names and the rest counted, Room.Players of 50", async () => {
    tw = crowdWorld(defaultWorldOptions().crowdThreshold);
    const extras = await fill(tw, 300);
    const from = tw.gateway.sent.length;
    const newbie = await tw.join("Newbie");
    const read = tw.gateway.linesFor(newbie.session, from);
    expect(read.slice(-3)).toEqual([
      "Exits: north, east (closed), in (closed).",
      "You see an oak chest, a red apple, a green apple, a stone fountain and a wicker basket here.",
      `${extras.slice(0, 20).map(extraName).join(", ")} and 280 others are here.`,
    ]);
    const players = tw.gateway.oobFor(newbie.session, from).find((m) => m.channel === "Room.Players")?.data;
    expect(players).toEqual(extras.slice(0, 50).map((session) => ({ name: extraName(session), fullname: extraName(session) })));
  });

  it("crowdThreshold 0 never gathers", async () => {
    tw = crowdWorld(0);
    const alice = await tw.join("Alice");
    await fill(tw, 5);
    const from = tw.gateway.sent.length;
    await tw.join("Bob");
    expect(tw.gateway.linesFor(alice.session, from)).toEqual(["Bob arrives in the world for the first time."]);
  });
});

describe("one login costs the same in a crowd of 100 and of 2,000 (issue 11 target 6)", () => {
  let tw: TestWorld | undefined;
  afterEach(() => {
    tw?.close();
    tw = undefined;
  });

  /** What one more login, then its logout, sends and walks in a hall of `crowd` people (the news before each told first, off the count). */
  async function oneLoginIn(crowd: number): Promise<Cost> {
    const world = crowdWorld(defaultWorldOptions().crowdThreshold);
    tw = world;
    await fill(world, crowd);
    world.clock.advance(CROWD_NEWS_MS);
    const hall = world.world.thing("hall")!;
    const contents = countWalks(hall.contents);
    const people = countWalks(hall.people!);
    const objects = countWalks(hall.objects!);
    const steps = (): number => contents.steps() + people.steps() + objects.steps();
    const from = world.gateway.sent.length;
    const newcomer = await world.join("Newbie");
    const login = world.gateway.sent.slice(from);
    const loginSteps = steps();
    world.clock.advance(CROWD_NEWS_MS);
    const beforeLogout = steps();
    const out = world.gateway.sent.length;
    world.leave(newcomer);
    const logout = world.gateway.sent.slice(out);
    const recipients = (ms: typeof login): number => ms.reduce((n, m) => n + ("to" in m ? m.to.length : 1), 0);
    const cost = {
      messages: login.length,
      deliveries: recipients(login),
      steps: loginSteps,
      logoutMessages: logout.length,
      logoutDeliveries: recipients(logout),
      logoutSteps: steps() - beforeLogout,
    };
    world.close();
    tw = undefined;
    return cost;
  }

  it("messages and deliveries are equal at 100 and 2,000; walks of the room are equal at 300 and 2,000, and bounded", { timeout: 180_000 }, async () => {
    const at100 = await oneLoginIn(100);
    const at300 = await oneLoginIn(300);
    const at2000 = await oneLoginIn(2000);
    const sent = ({ messages, deliveries, logoutMessages, logoutDeliveries }: Cost): unknown => ({ messages, deliveries, logoutMessages, logoutDeliveries });
    expect(sent(at2000)).toEqual(sent(at100));
    expect(at2000).toEqual(at300);
    // The newcomer's own messages only: nobody else is sent anything by the login or the logout.
    expect(at2000.deliveries).toBe(at2000.messages);
    expect(at2000.logoutDeliveries).toBe(at2000.logoutMessages);
    // A hall of 100 is walked whole (WHOLE_ROOM_WALK), a crowd by its exits and first 150 people.
    expect(Math.max(at100.steps, at300.steps, at2000.steps)).toBeLessThanOrEqual(WHOLE_ROOM_WALK + 5);
    expect(at2000.logoutSteps).toBe(0);
  });
});

/** What one login and one logout cost in one world. */
interface Cost {
  readonly messages: number;
  readonly deliveries: number;
  readonly steps: number;
  readonly logoutMessages: number;
  readonly logoutDeliveries: number;
  readonly logoutSteps: number;
}
