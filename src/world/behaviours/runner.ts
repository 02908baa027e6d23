/**
 * Runs behaviours: the registry of behaviours by name, and the ones started on things. The
 * world tells the runner when things appear, move and go away, and hands it the events the
 * narrator delivers to listening things. A behaviour that throws is logged and contained:
 * its thing stays, everyone plays on.
 */
import type { Logger } from "pino";
import type { Clock, DelayedCall } from "../../reactor/clock.js";
import type { Thing } from "../model/thing.js";
import type { WorldEvent } from "../narrator.js";
import type { Behaviour, BehaviourHost, RunningBehaviour } from "./behaviour.js";
import type { BehaviourSchemas } from "./params.js";

/** Behaviours by name. */
export class BehaviourRegistry {
  readonly #byName = new Map<string, Behaviour>();

  /** Registers behaviours. Throws if a name is taken. */
  register(...behaviours: readonly Behaviour[]): this {
    for (const behaviour of behaviours) {
      if (this.#byName.has(behaviour.name)) throw new Error(`the behaviour name "${behaviour.name}" is already taken`);
      this.#byName.set(behaviour.name, behaviour);
    }
    return this;
  }

  /** The behaviour called `name`, if any. */
  find(name: string): Behaviour | undefined {
    return this.#byName.get(name);
  }

  /** Each behaviour's parameter schema, for the world loader. */
  schemas(): BehaviourSchemas {
    return new Map([...this.#byName].map(([name, b]) => [name, b.params]));
  }
}

/** The running behaviours of every thing that has some. */
export class BehaviourRunner {
  readonly #registry: BehaviourRegistry;
  readonly #host: BehaviourHost;
  readonly #log: Logger;
  readonly #running = new Map<Thing, Map<string, RunningBehaviour>>();

  constructor(registry: BehaviourRegistry, host: Omit<BehaviourHost, "clock"> & { clock: Clock }, log: Logger) {
    this.#registry = registry;
    this.#log = log;
    this.#host = { ...host, clock: guardedClock(host.clock, log) };
  }

  /** Starts every behaviour `thing` carries (at boot, or when it is made or loaded). */
  start(thing: Thing): void {
    for (const { name, params } of thing.behaviours) {
      const behaviour = this.#registry.find(name);
      if (behaviour === undefined) {
        this.#log.warn({ thing: thing.id, behaviour: name }, "unknown behaviour; not started");
        continue;
      }
      const parsed = behaviour.params.safeParse(params);
      if (!parsed.success) {
        this.#log.warn({ thing: thing.id, behaviour: name, issues: parsed.error.issues.length }, "behaviour parameters invalid; not started");
        continue;
      }
      const running = this.#guard(thing, name, () => behaviour.start(thing, parsed.data, this.#host));
      if (running === undefined) continue;
      let byName = this.#running.get(thing);
      if (byName === undefined) this.#running.set(thing, (byName = new Map()));
      byName.get(name)?.stop();
      byName.set(name, running);
    }
  }

  /** Stops the behaviours of `thing` (it went away), or of every thing (shutdown). */
  stop(thing?: Thing): void {
    const things = thing === undefined ? [...this.#running.keys()] : [thing];
    for (const t of things) {
      for (const running of this.#running.get(t)?.values() ?? []) running.stop();
      this.#running.delete(t);
    }
  }

  /** Stops one behaviour of `thing`. */
  stopOne(thing: Thing, name: string): void {
    const byName = this.#running.get(thing);
    byName?.get(name)?.stop();
    byName?.delete(name);
    if (byName?.size === 0) this.#running.delete(thing);
  }

  /** The narrator's listener: an event reaches a thing that listens. */
  readonly hear = (event: WorldEvent, listener: Thing): void => {
    for (const [name, running] of this.#running.get(listener) ?? []) {
      if (running.onEvent !== undefined) this.#guard(listener, name, () => running.onEvent!(event));
    }
  };

  /** `thing` moved (saved and placed). */
  moved(thing: Thing, from: Thing | null): void {
    for (const [name, running] of this.#running.get(thing) ?? []) {
      if (running.onMoved !== undefined) this.#guard(thing, name, () => running.onMoved!(from));
    }
  }

  #guard<T>(thing: Thing, name: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.#log.error({ err, thing: thing.id, behaviour: name }, "behaviour failed");
      return undefined;
    }
  }
}

/** The clock behaviours see: a callback that throws is logged, never thrown out of a timer. */
function guardedClock(clock: Clock, log: Logger): Clock {
  const guard = (fn: () => void) => (): void => {
    try {
      fn();
    } catch (err) {
      log.error({ err }, "behaviour timer failed");
    }
  };
  return {
    now: () => clock.now(),
    callLater: (delayMs: number, fn: () => void): DelayedCall => clock.callLater(delayMs, guard(fn)),
    callEvery: (intervalMs: number, fn: () => void): DelayedCall => clock.callEvery(intervalMs, guard(fn)),
  };
}
