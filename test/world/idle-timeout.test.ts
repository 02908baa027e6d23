/**
 * Hardening F8: the idle timeout for logged-in players, as transcripts on the FakeClock. Off by
 * default; when on, the player is warned `idleWarningSeconds` before the end, any line they type
 * starts the count again, and at the end they read why and are disconnected; others play on.
 */
import { afterEach, describe, expect, it } from "vitest";
import { makeTestWorld, type TestWorld } from "../support/transcript.js";
import { defaultConfig, defaultWorldOptions } from "../support/default-config.js";

let tw: TestWorld | undefined;
afterEach(() => {
  tw?.close();
  tw = undefined;
});

const MINUTE = 60_000;
const WARNING = "You have been idle for 29 minutes; you will be disconnected in 1 minute unless you do something.";
const CLOSED = "Disconnected after 30 minutes idle.";

/** A test world with the idle timeout at `timeoutSeconds` (0: off) and the default warning. */
function world(timeoutSeconds: number, warningSeconds = defaultConfig.limits.idleWarningSeconds): TestWorld {
  const options = defaultWorldOptions({ creationsPerHour: 10_000, idleTimeoutSeconds: timeoutSeconds, idleWarningSeconds: warningSeconds });
  return makeTestWorld({ deps: { options } });
}

/** The close messages the world sent, as [session, reason code]. */
function closes(t: TestWorld): [number, string][] {
  return t.gateway.sent.flatMap((m) => (m.type === "close" ? [[m.session, m.reason.code] as [number, string]] : []));
}

describe("F8: idle timeout", () => {
  it("is off by default: hours of silence close nobody", async () => {
    expect(defaultConfig.limits.idleTimeoutSeconds).toBe(0);
    tw = world(defaultConfig.limits.idleTimeoutSeconds);
    const alice = await tw.join("Alice");
    const pending = tw.clock.pendingCount;
    const read = tw.advance(24 * 60 * MINUTE);
    expect(read.Alice?.join("\n")).not.toMatch(/idle/);
    expect(closes(tw)).toEqual([]);
    expect(tw.world.playerCount).toBe(1);
    // No idle timer was ever set: nothing pending beyond what was there.
    expect(tw.clock.pendingCount).toBeLessThanOrEqual(pending);
    expect(tw.run(alice, "say still here").Alice).toEqual(['You say, "still here"']);
  });

  it("warns at the timeout less the warning, not a millisecond before", async () => {
    tw = world(1800);
    const alice = await tw.join("Alice");
    expect(tw.advance(29 * MINUTE - 1).Alice).toEqual([]);
    expect(tw.advance(1).Alice).toEqual([WARNING]);
    // Warned once, not again while they stay idle.
    expect(tw.advance(MINUTE - 1).Alice).toEqual([]);
    expect(closes(tw)).toEqual([]);
    const last = tw.advance(1);
    expect(last.Alice).toEqual([CLOSED]);
    expect(closes(tw)).toEqual([[alice.session, "idle-timeout"]]);
    expect(tw.world.playerCount).toBe(0);
  });

  it("any line resets the count, even an empty one; a warned player who types is warned afresh later", async () => {
    tw = world(1800);
    const alice = await tw.join("Alice");
    tw.advance(29 * MINUTE);
    tw.run(alice, "look");
    // The old deadline passes: nothing happens.
    expect(tw.advance(MINUTE).Alice).toEqual([]);
    expect(closes(tw)).toEqual([]);
    tw.advance(10 * MINUTE);
    tw.run(alice, "");
    expect(tw.advance(29 * MINUTE - 1).Alice).toEqual([]);
    expect(tw.advance(1).Alice).toEqual([WARNING]);
    expect(tw.advance(MINUTE).Alice).toEqual([CLOSED]);
    expect(closes(tw)).toEqual([[alice.session, "idle-timeout"]]);
  });

  it("closes only the idle player; the others play on and see them fade away", async () => {
    tw = world(1800);
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    tw.advance(20 * MINUTE);
    tw.run(bob, "say still here");
    const warned = tw.advance(9 * MINUTE);
    expect(warned.Alice).toEqual([WARNING]);
    expect(warned.Bob).toEqual([]);
    const closed = tw.advance(MINUTE);
    expect(closed.Alice).toEqual([CLOSED]);
    expect(closed.Bob).toEqual(["Alice fades away."]);
    expect(closes(tw)).toEqual([[alice.session, "idle-timeout"]]);
    // Bob's own count started at his line: warned 29 minutes after it, not before.
    expect(tw.advance(19 * MINUTE - 1).Bob).toEqual([]);
    expect(tw.advance(1).Bob).toEqual([WARNING]);
    expect(tw.run(bob, "say back").Bob).toEqual(['You say, "back"']);
    expect(tw.advance(MINUTE).Bob).toEqual([]);
    expect(tw.world.playerCount).toBe(1);
  });

  it("costs no timer per command: one per player, whatever they type", async () => {
    tw = world(1800);
    const alice = await tw.join("Alice");
    const pending = tw.clock.pendingCount;
    for (let i = 0; i < 200; i++) tw.run(alice, i % 2 === 0 ? "look" : "");
    expect(tw.clock.pendingCount).toBe(pending);
    // The one timer, woken at the old moment, moves itself on instead of warning.
    expect(tw.advance(29 * MINUTE).Alice).toEqual([WARNING]);
  });

  it("with no warning (0), closes at the timeout without one", async () => {
    tw = world(600, 0);
    const alice = await tw.join("Alice");
    expect(tw.advance(10 * MINUTE - 1).Alice).toEqual([]);
    expect(tw.advance(1).Alice).toEqual(["Disconnected after 10 minutes idle."]);
    expect(closes(tw)).toEqual([[alice.session, "idle-timeout"]]);
  });

  it("a player who leaves takes their timer with them", async () => {
    tw = world(1800);
    const pending = tw.clock.pendingCount;
    const alice = await tw.join("Alice");
    expect(tw.clock.pendingCount).toBe(pending + 1);
    tw.leave(alice, "quit");
    expect(tw.clock.pendingCount).toBe(pending);
    tw.advance(60 * MINUTE);
    expect(closes(tw)).toEqual([]);
  });
});
