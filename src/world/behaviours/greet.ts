/**
 * `greet`: a character that welcomes each player arriving in its room, a moment after they
 * come in (`Marta says, "Welcome to the Drowsy Shuttle, Alice!"`). It hears the arrival as an
 * event, so it greets people walking in and people logging in where it stands, whatever door
 * they came by.
 */
import type { DelayedCall } from "../../reactor/clock.js";
import { playerText } from "../../session/sanitize.js";
import type { Thing } from "../model/thing.js";
import { defineBehaviour, type Behaviour } from "./behaviour.js";
import { greetParams } from "./params.js";

/** Greetings waiting at once, per greeter: a crowd logging in gets a greeting each, up to this many. */
const MAX_PENDING = 8;

/** The greet behaviour. */
export const greet: Behaviour = defineBehaviour<{ say: string; delaySeconds: number }>({
  name: "greet",
  params: greetParams,
  start(self, params, host) {
    // One greeting per arrival: someone who steps out and back in before the delay is greeted
    // once, a delay after they came back, not once per arrival.
    const pending = new Map<Thing, DelayedCall>();
    const greetNow = (arrival: Thing): void => {
      const place = self.location;
      // Only someone still here is greeted: a player who walked straight through is gone.
      if (place === null || arrival.location !== place) return;
      const words = playerText(params.say.replaceAll("{name}", arrival.name));
      host.world.narrate({ kind: "say", place, actor: self, target: arrival, text: `"${words}"`, phrase: { text: "{actor} {actor|say}, {text}" } });
    };
    return {
      onEvent(event) {
        if (event.kind !== "arrive" && event.kind !== "appear") return;
        const arrival = event.actor;
        if (arrival.character?.player === undefined || event.place !== self.location) return;
        const earlier = pending.get(arrival);
        if (earlier !== undefined) earlier.cancel();
        else if (pending.size >= MAX_PENDING) return;
        const call = host.clock.callLater(params.delaySeconds * 1000, () => {
          pending.delete(arrival);
          greetNow(arrival);
        });
        pending.set(arrival, call);
      },
      stop() {
        for (const call of pending.values()) call.cancel();
        pending.clear();
      },
    };
  },
});
