/**
 * `respawn`: a thing that grows back. When it is taken from where it lay (its home), it stops
 * being the one that respawns: a copy is made at once, kept nowhere, carrying the behaviour
 * and the due time; when the time comes the copy appears at home, and it is the one watched
 * from then on. The due time is wall-clock and saved with the copy, so a restart — or
 * `kill -9` — neither loses a respawn nor makes two.
 */
import type { DelayedCall } from "../../reactor/clock.js";
import type { Thing } from "../model/thing.js";
import { cameIn } from "../room-contents.js";
import { defineBehaviour, type Behaviour } from "./behaviour.js";
import { respawnParams } from "./params.js";

/** What a respawning thing remembers. */
interface RespawnState {
  /** The id of the place it lies in and grows back into. */
  readonly home: string;
  /** Wall-clock ms when a copy waiting nowhere appears at home; absent when it is at home. */
  readonly dueAt?: number;
}

function stateOf(self: Thing): RespawnState | undefined {
  const raw = self.behaviourState["respawn"];
  if (typeof raw !== "object" || raw === null) return undefined;
  const { home, dueAt } = raw as { home?: unknown; dueAt?: unknown };
  if (typeof home !== "string") return undefined;
  return typeof dueAt === "number" ? { home, dueAt } : { home };
}

/** The respawn behaviour. */
export const respawn: Behaviour = defineBehaviour<{ afterSeconds: number }>({
  name: "respawn",
  params: respawnParams,
  start(self, params, host) {
    let timer: DelayedCall | undefined;
    let state = stateOf(self);
    if (state === undefined) {
      // First start: home is where the world files put it.
      if (self.location === null) return { stop() {} };
      state = { home: self.location.id };
      host.saveState(self, "respawn", state);
    }
    const home = state.home;
    const template = self.template ?? self.id;
    const appear = (): void => {
      const place = host.world.thing(home);
      if (place === undefined || self.location !== null) return; // home is gone: it waits
      if (holdsOneOf(place, template)) {
        // One of its kind already lies there (taken and put back): wait another round rather
        // than heap copies up in the room, so a respawning thing never multiplies in place.
        const dueAt = host.wallClock() + params.afterSeconds * 1000;
        host.saveState(self, "respawn", { home, dueAt });
        timer = host.clock.callLater(params.afterSeconds * 1000, appear);
        return;
      }
      host.world.move(self, place);
      host.saveState(self, "respawn", { home });
      // Silent, but the room's item panels show it (issue 9): one walk of the room, as a narration.
      host.world.narrate({ kind: "respawn", place, actor: self, phrase: { text: "" }, oob: { others: [cameIn(self)] } });
    };
    if (state.dueAt !== undefined) timer = host.clock.callLater(Math.max(0, state.dueAt - host.wallClock()), appear);
    return {
      onMoved() {
        if (self.location?.id === home) return;
        // Taken: this one is an ordinary thing now, and a copy waits to grow back.
        const record = self.toRecord();
        host.detach(self, "respawn");
        host.create(
          {
            ...record,
            id: host.copyId(template),
            template,
            behaviourState: { respawn: { home, dueAt: host.wallClock() + params.afterSeconds * 1000 } },
          },
          null,
        );
      },
      stop() {
        timer?.cancel();
      },
    };
  },
});

/** Whether `place` holds a thing of the family `template` (the original or a copy of it). */
function holdsOneOf(place: Thing, template: string): boolean {
  for (const thing of place.contents) if (thing.id === template || thing.template === template) return true;
  return false;
}
