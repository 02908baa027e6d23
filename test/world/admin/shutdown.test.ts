/**
 * Transcripts for `shutdown [seconds]` and `shutdown cancel`, on the fake clock: a countdown
 * told to every connection at the start and as marks pass, then WorldDeps.requestShutdown
 * called exactly once at the end (server.ts wires it to the same drain as SIGTERM); cancel
 * stops it; each refusal.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";
import { connectAt, joinAs } from "./admin-world.js";

let tw: TestWorld;
let alice: TestPlayer;
let requestShutdown: ReturnType<typeof vi.fn<() => void>>;

beforeEach(async () => {
  requestShutdown = vi.fn<() => void>();
  tw = makeTestWorld({ deps: { requestShutdown } });
  alice = await joinAs(tw, "Alice", "admin");
  await tw.join("Bob");
});
afterEach(() => tw.close());

const notice = (text: string): string[] => [`[Shutdown] ${text}`];

describe("shutdown", () => {
  it("with no number: 10 seconds, told at the start and at 5 seconds left, then the server is asked to stop once", () => {
    expect(tw.run(alice, "shutdown")).toEqual({
      Alice: ["[Shutdown] The server will shut down in 10 seconds.", "Type shutdown cancel to stop the countdown."],
      Bob: ["[Shutdown] The server will shut down in 10 seconds."],
    });
    expect(tw.advance(4999)).toEqual({ Alice: [], Bob: [] });
    expect(tw.advance(1)).toEqual({ Alice: notice("The server will shut down in 5 seconds."), Bob: notice("The server will shut down in 5 seconds.") });
    tw.advance(4999);
    expect(requestShutdown).not.toHaveBeenCalled();
    expect(tw.advance(1)).toEqual({ Alice: [], Bob: [] });
    expect(requestShutdown).toHaveBeenCalledOnce();
    tw.advance(3_600_000);
    expect(requestShutdown).toHaveBeenCalledOnce();
  });

  it("a longer countdown is told at each mark it passes: 1 minute and 30 seconds, 1 minute, 30, 10, 5 seconds", () => {
    const heard: string[] = [];
    heard.push(...(tw.run(alice, "shutdown 90").Bob ?? []));
    for (let s = 0; s < 90; s++) heard.push(...(tw.advance(1000).Bob ?? []));
    expect(heard).toEqual([
      "[Shutdown] The server will shut down in 1 minute and 30 seconds.",
      "[Shutdown] The server will shut down in 1 minute.",
      "[Shutdown] The server will shut down in 30 seconds.",
      "[Shutdown] The server will shut down in 10 seconds.",
      "[Shutdown] The server will shut down in 5 seconds.",
    ]);
    expect(requestShutdown).toHaveBeenCalledOnce();
  });

  it("the marks are reached on time: at 60 s left of 3600, then the end at 3600 s", () => {
    expect(tw.run(alice, "shutdown 3600").Bob).toEqual(notice("The server will shut down in 1 hour."));
    expect(tw.advance(1800_000).Bob).toEqual(notice("The server will shut down in 30 minutes."));
    expect(tw.advance(1200_000).Bob).toEqual(notice("The server will shut down in 10 minutes."));
    expect(tw.advance(300_000).Bob).toEqual(notice("The server will shut down in 5 minutes."));
    expect(tw.advance(180_000).Bob).toEqual(notice("The server will shut down in 2 minutes."));
    expect(tw.advance(60_000).Bob).toEqual(notice("The server will shut down in 1 minute."));
    tw.advance(59_999);
    expect(requestShutdown).not.toHaveBeenCalled();
    tw.advance(1);
    expect(requestShutdown).toHaveBeenCalledOnce();
  });

  it("shutdown 0 asks at once — on the clock's next turn, not inside the command — and tells only the admin", () => {
    expect(tw.run(alice, "shutdown 0")).toEqual({ Alice: ["You shut the server down."], Bob: [] });
    expect(requestShutdown).not.toHaveBeenCalled();
    tw.advance(0);
    expect(requestShutdown).toHaveBeenCalledOnce();
  });

  it("connections still at the login prompt are told too: they are about to be closed", () => {
    connectAt(tw, 99);
    const from = tw.gateway.sent.length;
    tw.run(alice, "shutdown 30");
    expect(tw.gateway.linesFor(99, from)).toEqual(["[Shutdown] The server will shut down in 30 seconds."]);
  });

  it("cancel stops the countdown and tells everyone; the server is never asked", () => {
    tw.run(alice, "shutdown 60");
    tw.advance(40_000);
    expect(tw.run(alice, "shutdown cancel")).toEqual({ Alice: notice("The shutdown has been cancelled."), Bob: notice("The shutdown has been cancelled.") });
    expect(tw.advance(3_600_000)).toEqual({ Alice: [], Bob: [] });
    expect(requestShutdown).not.toHaveBeenCalled();
    // And a new one may start.
    tw.run(alice, "shutdown 5");
    tw.advance(5000);
    expect(requestShutdown).toHaveBeenCalledOnce();
  });

  it("the world stopping (SIGTERM meanwhile) stops the countdown without a word", () => {
    tw.run(alice, "shutdown 60");
    tw.world.shutdown();
    const from = tw.gateway.sent.length;
    tw.clock.advance(3_600_000);
    expect(requestShutdown).not.toHaveBeenCalled();
    expect(tw.gateway.sent.length).toBe(from);
  });
});

describe("shutdown refusals", () => {
  it("a second countdown while one runs", () => {
    tw.run(alice, "shutdown 60");
    tw.advance(10_500);
    expect(tw.run(alice, "shutdown 5")).toEqual({ Alice: ["A shutdown is already counting down: 50 seconds left. Type shutdown cancel to stop it."], Bob: [] });
    tw.advance(49_500);
    expect(requestShutdown).toHaveBeenCalledOnce();
  });

  it("cancel with nothing counting down", () => {
    expect(tw.run(alice, "shutdown cancel")).toEqual({ Alice: ["No shutdown is counting down."], Bob: [] });
  });

  it("seconds out of 0 to 3600, or not a number: nothing starts", () => {
    for (const bad of ["3601", "-1", "soon", "10.5", "99999"]) {
      expect(tw.run(alice, `shutdown ${bad}`), bad).toEqual({ Alice: ["Type shutdown with 0 to 3600 seconds, or shutdown cancel."], Bob: [] });
    }
    tw.advance(3_600_000);
    expect(requestShutdown).not.toHaveBeenCalled();
  });

  it("without requestShutdown in the world's deps, the countdown ends quietly", async () => {
    const quiet = makeTestWorld();
    try {
      const admin = await joinAs(quiet, "Dora", "admin");
      quiet.run(admin, "shutdown 5");
      expect(quiet.advance(5000)).toEqual({ Dora: [] });
    } finally {
      quiet.close();
    }
  });
});
