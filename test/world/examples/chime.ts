/**
 * A worked example of a new behaviour (docs/world.md, "Adding a behaviour"): `chime`, a
 * clock that sounds every so often in the room it stands in. Parameters come from the world
 * files, checked by the zod schema; the timer runs on the world's clock, so a test advances
 * it instead of waiting.
 */
import { z } from "zod";
import type { DelayedCall } from "../../../src/reactor/clock.js";
import { defineBehaviour, type Behaviour } from "../../../src/world/behaviours/behaviour.js";

const chimeParams = z.strictObject({
  /** Seconds between chimes. */
  everySeconds: z.number().min(1).max(86_400),
  /** What it does, as a verb phrase in the base form: "chime", "strike the hour". */
  sound: z.string().regex(/^[a-z]+( [a-z]+){0,3}$/).default("chime"),
});

export const chime: Behaviour = defineBehaviour<z.infer<typeof chimeParams>>({
  name: "chime",
  params: chimeParams,
  start(self, params, host) {
    let timer: DelayedCall | undefined;
    const ring = (): void => {
      const place = self.location;
      if (place !== null) host.world.narrate({ kind: "chime", place, actor: self, phrase: { text: `{actor.the} {actor|${params.sound}}.` } });
      timer = host.clock.callLater(params.everySeconds * 1000, ring);
    };
    timer = host.clock.callLater(params.everySeconds * 1000, ring);
    return {
      stop() {
        timer?.cancel();
      },
    };
  },
});
