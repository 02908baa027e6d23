/**
 * The behaviour runner contains a behaviour that throws (src/world/behaviours/runner.ts): when
 * it starts, when it hears an event, when its timer fires. Its failure is logged, the command
 * that set it off still answers its player, the world keeps serving commands, and every other
 * behaviour keeps running.
 */
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { greetParams } from "../../../src/world/behaviours/params.js";
import { defineBehaviour, type Behaviour } from "../../../src/world/behaviours/behaviour.js";
import { respawn } from "../../../src/world/behaviours/respawn.js";
import { BehaviourRegistry } from "../../../src/world/behaviours/runner.js";
import { wander } from "../../../src/world/behaviours/wander.js";
import { captureLogs, type CapturedLogs } from "../../support/logs.js";
import { makeTestWorld, type TestWorld } from "../../support/transcript.js";

let tw: TestWorld | undefined;

afterEach(() => {
  tw?.close();
  tw = undefined;
});

/** Where it throws. */
type Fault = "start" | "event" | "timer";

/**
 * A "greet" that throws (Marta carries greet in the Testshire files, so it is attached to her):
 * at start, or on every event it hears, or from a timer it sets when it hears one.
 */
function faulty(fault: Fault): Behaviour {
  return defineBehaviour({
    name: "greet",
    params: greetParams,
    start(_self, _params, host) {
      if (fault === "start") throw new Error("boom at start");
      return {
        onEvent() {
          if (fault === "event") throw new Error("boom on an event");
          host.clock.callLater(1000, () => {
            throw new Error("boom in a timer");
          });
        },
        stop() {},
      };
    },
  });
}

function worldWith(fault: Fault, logs: CapturedLogs): TestWorld {
  const behaviours = new BehaviourRegistry().register(faulty(fault), wander, respawn);
  tw = makeTestWorld({ deps: { behaviours, logger: pino({ level: "error" }, logs.sink) } });
  return tw;
}

describe("a behaviour that throws", () => {
  for (const fault of ["start", "event", "timer"] as const) {
    it(`is contained when it throws ${fault === "start" ? "as it starts" : fault === "event" ? "on an event" : "in a timer"}`, async () => {
      const logs = captureLogs();
      const t = worldWith(fault, logs);
      const alice = await t.join("Alice");
      const bob = await t.join("Bob");
      t.run(bob, "north");
      // The walk that Marta hears still answers its walker and is told to the yard.
      const walked = t.run(alice, "north");
      expect(walked.Alice?.[0]).toBe("The Yard");
      expect(walked.Bob).toEqual(["Alice arrives from the south."]);
      expect(t.advance(1000)).toEqual({ Alice: [], Bob: [] });
      // The world serves commands as before.
      expect(t.run(alice, "say still here").Bob).toEqual(['Alice says, "still here"']);
      // Other behaviours run on: the pear grows back, the cat (let out) wanders.
      expect(t.run(alice, "get pear").Alice).toEqual(["You pick up a yellow pear."]);
      t.advance(60_000);
      expect([...t.world.thing("yard")!.contents].some((th) => th.template === "pear")).toBe(true);
      const cat = t.world.thing("cat")!;
      t.world.move(cat, t.world.thing("hall")!);
      t.advance(15_000);
      expect(cat.location?.id).toBe("yard");
      await expect.poll(() => logs.records().length).toBeGreaterThan(0);
      const messages = logs.records().map((r) => r["msg"]);
      expect(messages).toContain(fault === "timer" ? "behaviour timer failed" : "behaviour failed");
    });
  }
});
