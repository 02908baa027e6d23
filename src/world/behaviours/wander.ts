/**
 * `wander`: a character that walks through a random open exit every so often, staying within
 * its area (`A grey cat pads off north.` / `A grey cat pads in from the south.`). It walks the
 * same way players do (actions/moving.ts), so closed doors stop it and its position is saved
 * with every step.
 */
import type { DelayedCall } from "../../reactor/clock.js";
import { walk } from "../actions/moving.js";
import type { Thing } from "../model/thing.js";
import { defineBehaviour, type Behaviour } from "./behaviour.js";
import { wanderParams } from "./params.js";

/** The wander behaviour. */
export const wander: Behaviour = defineBehaviour<{ everySeconds: number; area?: string | undefined; leaves: string; arrives: string }>({
  name: "wander",
  params: wanderParams,
  start(self, params, host) {
    const area = params.area ?? self.location?.room?.area;
    let timer: DelayedCall | undefined;
    const schedule = (): void => {
      // Between half and one and a half times the mean, so several wanderers do not march in step.
      const wait = params.everySeconds * 1000 * (0.5 + host.random());
      timer = host.clock.callLater(wait, step);
    };
    const step = (): void => {
      const room = self.location;
      if (room !== null) {
        const ways: Thing[] = [];
        // The room's objects (exits among them), in the same order, not the crowd in it (issue 11).
        for (const exit of room.objects ?? []) {
          const facet = exit.exit;
          if (facet === undefined || (facet.door !== undefined && !facet.door.open)) continue;
          const to = host.world.thing(facet.to);
          if (to?.room !== undefined && (area === undefined || to.room.area === area)) ways.push(exit);
        }
        const way = ways[Math.floor(host.random() * ways.length)];
        if (way !== undefined) walk(host.world, self, way, { leave: params.leaves, arrive: params.arrives });
      }
      schedule();
    };
    schedule();
    return {
      stop() {
        timer?.cancel();
      },
    };
  },
});
