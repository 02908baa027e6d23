/**
 * What a behaviour is (docs/world.md, "Adding a behaviour"): a named piece of life attached to
 * a thing in the world files — a greeter's welcome, a cat's wandering, an apple's regrowth.
 * It declares its parameters as a zod schema, is started once per thing that carries it, runs
 * on the injected clock (so tests are instant), hears the events of the place its thing is in
 * as data, and saves whatever it must remember in the thing's behaviour state.
 */
import type { z } from "zod";
import type { Clock } from "../../reactor/clock.js";
import type { WorldServices } from "../actions/action.js";
import type { Thing } from "../model/thing.js";
import type { ThingRecord } from "../model/thing-record.js";
import type { WorldEvent } from "../narrator.js";

/** What a running behaviour may do besides what actions may. */
export interface BehaviourHost {
  readonly world: WorldServices;
  readonly clock: Clock;
  /** A number in [0, 1): which exit a wanderer takes, how long it waits. Seeded in tests. */
  random(): number;
  /** Wall-clock milliseconds, for due times that must survive a restart. */
  wallClock(): number;
  /** Makes a new thing (saved) in `into`, or nowhere for `null`, and starts its behaviours. */
  create(record: Omit<ThingRecord, "location">, into: Thing | null): Thing;
  /** A fresh id for a copy of `template`. */
  copyId(template: string): string;
  /** Saves `state` as `self`'s state for behaviour `name` (`undefined` clears it). */
  saveState(self: Thing, name: string, state: unknown): void;
  /** Takes behaviour `name` off `self` (saved) and stops it. */
  detach(self: Thing, name: string): void;
}

/** One behaviour started on one thing. */
export interface RunningBehaviour {
  /** An event in the place where the thing is, or one in which it is the target. */
  onEvent?(event: WorldEvent): void;
  /** The thing was moved (it is already in its new place, and saved there). */
  onMoved?(from: Thing | null): void;
  /** Cancels its timers. Idempotent. */
  stop(): void;
}

/** A behaviour as registered. */
export interface Behaviour<P extends Record<string, unknown> = Record<string, unknown>> {
  readonly name: string;
  /** The parameters it takes; the world loader checks files against it. */
  readonly params: z.ZodType<P>;
  /** Starts it on `self` with parsed parameters. Called at boot, and when a thing carrying it is made. */
  start(self: Thing, params: P, host: BehaviourHost): RunningBehaviour;
}

/**
 * Declares a behaviour with its parameters' type checked inside it, and erased outside: the
 * registry holds behaviours of every parameter type, and parses each one's parameters with its
 * own schema before it starts it.
 */
export function defineBehaviour<P extends Record<string, unknown>>(behaviour: Behaviour<P>): Behaviour {
  return behaviour as unknown as Behaviour;
}
