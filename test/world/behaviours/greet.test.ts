/**
 * `greet` (src/world/behaviours/greet.ts) on the fake clock: Marta, in the Testshire yard,
 * welcomes each player who arrives there — by walking in or by logging in where she stands —
 * once the delay has passed, if they are still there; never a non-player character, and never
 * more than the pending cap at once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { makeTestWorld, type TestWorld } from "../../support/transcript.js";

/** The greet behaviour's cap on greetings waiting at once (MAX_PENDING in greet.ts). */
const PENDING_CAP = 8;

let tw: TestWorld | undefined;

afterEach(() => {
  tw?.close();
  tw = undefined;
});

function open(): TestWorld {
  tw = makeTestWorld();
  return tw;
}

const welcome = (name: string): string => `Marta says, "Welcome to the yard, ${name}!"`;

describe("greet", () => {
  it("greets a player who walks in, after the delay, and the bystanders hear it too", async () => {
    const t = open();
    const alice = await t.join("Alice");
    t.run(alice, "north");
    expect(t.advance(1000)).toEqual({ Alice: [welcome("Alice")] });
    const bob = await t.join("Bob");
    expect(t.run(bob, "north").Alice).toEqual(["Bob arrives from the south."]);
    // Not a moment before the delay.
    expect(t.advance(999)).toEqual({ Alice: [], Bob: [] });
    expect(t.advance(1)).toEqual({ Alice: [welcome("Bob")], Bob: [welcome("Bob")] });
    // Once: nothing more comes later.
    expect(t.advance(60_000)).toEqual({ Alice: [], Bob: [] });
  });

  it("does not greet a player who left before the delay", async () => {
    const t = open();
    const alice = await t.join("Alice");
    t.run(alice, "north");
    t.advance(1000);
    const bob = await t.join("Bob");
    t.run(bob, "north");
    t.advance(500);
    expect(t.run(bob, "south").Alice).toEqual(["Bob leaves south."]);
    expect(t.advance(10_000)).toEqual({ Alice: [], Bob: [] });
  });

  it("greets a player who walks out and back in within the delay once, a delay after the last arrival", async () => {
    const t = open();
    const bob = await t.join("Bob");
    t.run(bob, "north");
    t.advance(600);
    t.run(bob, "south");
    t.run(bob, "north");
    // The first arrival's greeting would have been due now; Bob came back 600 ms ago.
    expect(t.advance(400)).toEqual({ Bob: [] });
    expect(t.advance(600)).toEqual({ Bob: [welcome("Bob")] });
    expect(t.advance(10_000)).toEqual({ Bob: [] });
  });

  it("does not greet a non-player character", async () => {
    const t = open();
    const alice = await t.join("Alice");
    t.run(alice, "north");
    t.advance(1000);
    // The cat, let out of the vault into the hall, walks north into the yard on its next step.
    const cat = t.world.thing("cat")!;
    t.world.move(cat, t.world.thing("hall")!);
    expect(t.advance(15_000)).toEqual({ Alice: ["A grey cat pads in from the south."] });
    expect(cat.location?.id).toBe("yard");
    expect(t.advance(1000)).toEqual({ Alice: [] });
  });

  it("greets a player who logs in where she stands", async () => {
    const t = open();
    const alice = await t.join("Alice");
    t.run(alice, "north");
    t.advance(1000);
    const bob = await t.join("Bob");
    t.run(bob, "north");
    t.advance(1000);
    expect(t.leave(bob).Alice).toEqual(["Bob fades away."]);
    const again = await t.join("Bob", "line", "connect");
    expect(t.gateway.linesFor(again.session)).toContain("The Yard");
    expect(t.advance(1000)).toEqual({ Alice: [welcome("Bob")], Bob: [welcome("Bob")] });
  });

  it(`greets a crowd arriving at once up to the pending cap (${PENDING_CAP})`, async () => {
    const t = open();
    const names = ["Abe", "Bea", "Cal", "Dot", "Eve", "Fay", "Gus", "Hal", "Ida", "Jon", "Kay"];
    const crowd = [];
    for (const name of names) crowd.push(await t.join(name));
    for (const p of crowd) t.run(p, "north");
    const heard = t.advance(1000);
    const greeted = new Set(heard["Kay"]!.filter((l) => l.startsWith("Marta says")));
    expect(greeted.size).toBe(PENDING_CAP);
    expect([...greeted]).toEqual(names.slice(0, PENDING_CAP).map(welcome));
    // The cap frees as the greetings go out: the next arrival is greeted again.
    const late = await t.join("Lou");
    t.run(late, "north");
    expect(t.advance(1000)["Lou"]).toEqual([welcome("Lou")]);
  });
});
