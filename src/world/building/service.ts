/**
 * What building commands may do to the world besides what every action may (issue 7,
 * "Building"): make things, take them away for good, save several at once, start and stop
 * behaviours by name. Each change is saved through the live world before the builder or anyone
 * else is told, so what was built survives a restart and `kill -9`. Things made here have no
 * seed in the store, so the seeding rule treats them as made in play.
 */
import type { Logger } from "pino";
import { flattenIssues } from "../../config/issues.js";
import type { Store } from "../../store/store.js";
import type { BehaviourRegistry, BehaviourRunner } from "../behaviours/runner.js";
import type { LiveWorld } from "../model/live-world.js";
import type { Thing } from "../model/thing.js";
import type { ThingRecord } from "../model/thing-record.js";
import type { Checked } from "./naming.js";

/** The building service, as actions see it (`ctx.world.building`). */
export interface Building {
  /** Runs `fn` in one store transaction: everything it saves commits together, or nothing does. */
  transaction<T>(fn: () => T): T;
  /** Makes a thing from `record` inside `into` (or nowhere, for `null`): saved, placed, its behaviours started. */
  create(record: Omit<ThingRecord, "location">, into: Thing | null): Thing;
  /** `base`, or `base-2`, `base-3`…: the first id no thing has, loaded or not. */
  freeId(base: string): string;
  /** Whether some thing has this id, loaded or not (a key an offline player carries). */
  has(id: string): boolean;
  /** Saves changed things together (a door and its way back). */
  saveAll(things: Iterable<Thing>): void;
  /**
   * Destroys `thing` for `by` (a builder's key, for the log): what it held is moved into
   * `dropTo` first, and it is gone for good, all in one transaction; its behaviours stop.
   * Returns what it held. The caller refuses rooms and characters, and takes an exit's door off
   * first (`takeDoor`), so that no twin names a thing that is gone.
   */
  destroy(thing: Thing, dropTo: Thing, by: string): readonly Thing[];
  /**
   * Attaches behaviour `name` with parameters as typed, parsed by the behaviour's zod schema
   * (defaults applied); replaces one of that name. Saved, then started at once. Refused with
   * zod's messages for bad parameters, or for a behaviour nobody registered.
   */
  attachBehaviour(thing: Thing, name: string, params: Record<string, unknown>): Checked<Readonly<Record<string, unknown>>>;
  /** Stops and removes behaviour `name` and its saved state; false if `thing` has none by that name. */
  detachBehaviour(thing: Thing, name: string): boolean;
  /** The registered behaviours' names, sorted. */
  behaviourNames(): readonly string[];
}

/** What the service is built from; the world composes it. */
export interface BuildingDeps {
  readonly live: LiveWorld;
  readonly store: Store;
  readonly runner: BehaviourRunner;
  readonly behaviours: BehaviourRegistry;
  /** The world's move: saved, and what the move sets off (a respawn) with it. */
  readonly move: (thing: Thing, into: Thing) => void;
  /** The world's create: saved, placed, behaviours started. */
  readonly create: (record: Omit<ThingRecord, "location">, into: Thing | null) => Thing;
  readonly log: Logger;
}

/** The building service over the live world. */
export class BuildingService implements Building {
  readonly #deps: BuildingDeps;

  constructor(deps: BuildingDeps) {
    this.#deps = deps;
  }

  transaction<T>(fn: () => T): T {
    return this.#deps.store.transaction(fn);
  }

  create(record: Omit<ThingRecord, "location">, into: Thing | null): Thing {
    return this.#deps.create(record, into);
  }

  freeId(base: string): string {
    return this.#deps.live.freeId(base);
  }

  has(id: string): boolean {
    return this.#deps.live.has(id);
  }

  saveAll(things: Iterable<Thing>): void {
    this.#deps.live.saveAll(things);
  }

  destroy(thing: Thing, dropTo: Thing, by: string): readonly Thing[] {
    const held = [...thing.contents];
    this.transaction(() => {
      for (const inner of held) this.#deps.move(inner, dropTo);
      this.#deps.live.remove(thing);
    });
    this.#deps.runner.stop(thing);
    this.#deps.log.info({ thing: thing.id, by }, "destroyed by a builder");
    return held;
  }

  attachBehaviour(thing: Thing, name: string, params: Record<string, unknown>): Checked<Readonly<Record<string, unknown>>> {
    const behaviour = this.#deps.behaviours.find(name);
    if (behaviour === undefined) {
      return { ok: false, reason: `There is no behaviour called "${name}". Behaviours: ${this.behaviourNames().join(", ")}.` };
    }
    const parsed = behaviour.params.safeParse(params, { reportInput: true });
    if (!parsed.success) {
      const problems = flattenIssues(parsed.error.issues).map(({ path, message }) => (path.length === 0 ? message : `${path.join(".")}: ${message}`));
      return { ok: false, reason: `Those are not ${name}'s parameters: ${problems.join("; ")}.` };
    }
    const record = { name, params: parsed.data };
    const at = thing.behaviours.findIndex((b) => b.name === name);
    thing.behaviours = at < 0 ? [...thing.behaviours, record] : thing.behaviours.map((b, i) => (i === at ? record : b));
    this.#deps.live.save(thing);
    // The runner starts a thing's behaviours together; the others restart with it (their saved
    // state carries what they must remember, as after a boot).
    this.#deps.runner.stopOne(thing, name);
    this.#deps.runner.start(thing);
    return { ok: true, value: parsed.data };
  }

  detachBehaviour(thing: Thing, name: string): boolean {
    if (!thing.behaviours.some((b) => b.name === name)) return false;
    thing.behaviours = thing.behaviours.filter((b) => b.name !== name);
    delete thing.behaviourState[name];
    this.#deps.live.save(thing);
    this.#deps.runner.stopOne(thing, name);
    return true;
  }

  behaviourNames(): readonly string[] {
    return [...this.#deps.behaviours.schemas().keys()].sort();
  }
}
