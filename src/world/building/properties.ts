/**
 * The properties `set <thing> <property> <value>` changes: what the model supports, each with
 * the values it takes and the kinds of thing that may have it. A property either refuses with a
 * sentence that says why (wrong value, wrong kind of thing, a missing lid or key) or changes the
 * live things and names those to save. The action saves them, then answers.
 */
import type { Thing } from "../model/thing.js";
import { WorldIdPattern } from "../world-vocabulary.js";
import { parseBehaviourParams } from "./behaviour-params.js";
import { putDoor, takeDoor, type Lookup } from "./doors.js";
import { kindOf, label } from "./labels.js";
import { MAX_BEHAVIOURS } from "./limits.js";
import { checkKeywords, checkName, type Checked } from "./naming.js";
import type { Building } from "./service.js";

/** What a property may use. */
export interface PropertyEnv {
  readonly lookup: Lookup;
  readonly building: Building;
}

/** A change made: the things to save, and what changed as the builder reads it back ("portable is now false"). */
export interface PropertyChange {
  readonly saved: readonly Thing[];
  readonly clause: string;
}

/** One property of `set`. */
export interface Property {
  readonly name: string;
  /** The values it takes, as a refusal lists them. */
  readonly values: string;
  /** Changes `thing`, or says why not. */
  set(thing: Thing, value: string, env: PropertyEnv): Checked<PropertyChange>;
}

/** A plain thing: not a room, an exit or a character. */
function isObject(thing: Thing): boolean {
  return thing.room === undefined && thing.exit === undefined && thing.character === undefined;
}

function refuse(reason: string): Checked<PropertyChange> {
  return { ok: false, reason };
}

function changed(saved: readonly Thing[], clause: string): Checked<PropertyChange> {
  return { ok: true, value: { saved, clause } };
}

/** "The Hall (hall) is a room; portable is for things." */
function notFor(thing: Thing, property: string, what: string): Checked<PropertyChange> {
  return refuse(`${label(thing, true)} is ${kindOf(thing)}; ${property} is for ${what}.`);
}

function bool(value: string): boolean | undefined {
  const word = value.toLowerCase();
  return word === "true" ? true : word === "false" ? false : undefined;
}

/** Whether the value is the word "none" (in any case). */
function isNone(value: string): boolean {
  return value.toLowerCase() === "none";
}

/** Why a thing has no closure to lock or key: "has no door" for an exit, "has no lid" for a container. */
function noClosure(thing: Thing, property: string): Checked<PropertyChange> {
  if (thing.exit !== undefined) return refuse(`${label(thing, true)} has no door; set its door first.`);
  if (thing.container !== undefined) return refuse(`${label(thing, true)} has no lid; set its container to closable first.`);
  return notFor(thing, property, "doors and lidded containers");
}

const portable: Property = {
  name: "portable",
  values: "true or false",
  set(thing, value) {
    if (!isObject(thing)) return notFor(thing, "portable", "things");
    const on = bool(value);
    if (on === undefined) return refuse(`portable is ${this.values}.`);
    thing.portable = on;
    return changed([thing], `portable is now ${on}`);
  },
};

const container: Property = {
  name: "container",
  values: "true, false, closable, closed or open",
  set(thing, value) {
    if (!isObject(thing)) return notFor(thing, "container", "things");
    const lid = thing.container?.closure;
    const word = value.toLowerCase();
    switch (word) {
      case "true":
        thing.container = {};
        break;
      case "false":
        if (thing.contents.size > 0) return refuse(`${label(thing, true)} is not empty; empty it first.`);
        thing.container = undefined;
        break;
      case "closable":
        thing.container = { closure: lid ?? { open: true, locked: false } };
        break;
      case "closed":
        thing.container = { closure: { ...(lid ?? { locked: false }), open: false } };
        break;
      case "open":
        thing.container = { closure: { ...(lid ?? {}), open: true, locked: false } };
        break;
      default:
        return refuse(`container is ${this.values}.`);
    }
    return changed([thing], `container is now ${word}`);
  },
};

const locked: Property = {
  name: "locked",
  values: "true or false",
  set(thing, value) {
    const closure = thing.closure;
    if (closure === undefined) return noClosure(thing, "locked");
    const on = bool(value);
    if (on === undefined) return refuse(`locked is ${this.values}.`);
    if (on && closure.key === undefined) return refuse(`${label(thing, true)} has no lock; set its key first.`);
    // Only a closed closure can be locked (the files' rule): locking it shuts it.
    if (on) closure.open = false;
    closure.locked = on;
    return changed([thing], `locked is now ${on}`);
  },
};

const key: Property = {
  name: "key",
  values: "the id of the thing that opens it, or none",
  set(thing, value, env) {
    const closure = thing.closure;
    if (closure === undefined) return noClosure(thing, "key");
    if (isNone(value)) {
      delete closure.key;
      // A lock without a key could never be opened again.
      closure.locked = false;
      return changed([thing], "key is now none");
    }
    const id = value.toLowerCase();
    if (!WorldIdPattern.test(id) || !env.building.has(id)) return refuse(`key is ${this.values}; no thing has the id "${id.slice(0, 40)}".`);
    const opener = env.lookup(id);
    if (opener !== undefined && !isObject(opener)) return refuse(`${label(opener, true)} is ${kindOf(opener)}; a key is a thing.`);
    closure.key = id;
    return changed([thing], `key is now ${id}`);
  },
};

const door: Property = {
  name: "door",
  values: "a door's name (an oak door) or none",
  set(thing, value, env) {
    if (thing.exit === undefined) return notFor(thing, "door", "exits");
    if (isNone(value)) {
      if (thing.exit.door === undefined) return refuse(`${label(thing, true)} has no door.`);
      return changed(takeDoor(thing, env.lookup), "door is now none");
    }
    const name = checkName(value);
    if (!name.ok) return refuse(name.reason);
    const sides = putDoor(thing, name.value, env.lookup);
    return sides.ok ? changed(sides.value, `door is now ${name.value}`) : refuse(sides.reason);
  },
};

const keywords: Property = {
  name: "keywords",
  values: "words",
  set(thing, value) {
    if (thing.exit !== undefined) return refuse(`${label(thing, true)} is an exit; it answers to its direction and its door's words.`);
    if (thing.room !== undefined) return notFor(thing, "keywords", "things and characters (a room is named here)");
    if (thing.character?.player !== undefined) return notFor(thing, "keywords", "things and the world's own characters");
    const words = checkKeywords(value);
    if (!words.ok) return refuse(words.reason);
    thing.keywords = words.value;
    return changed([thing], `keywords are now ${words.value.join(", ")}`);
  },
};

const behaviour: Property = {
  name: "behaviour",
  values: "a behaviour's name, then its parameters as name=value, or then none",
  set(thing, value, env) {
    if (thing.room !== undefined || thing.exit !== undefined || thing.character?.player !== undefined) {
      return notFor(thing, "behaviour", "things and the world's own characters");
    }
    const [name = "", ...rest] = value.split(/\s+/);
    const args = value.slice(name.length).trim();
    if (!/^[a-z][a-z0-9_-]*$/i.test(name)) return refuse(`behaviour is ${this.values}.`);
    if (rest.length === 1 && isNone(rest[0] ?? "")) {
      if (!env.building.detachBehaviour(thing, name)) return refuse(`${label(thing, true)} has no behaviour called "${name}".`);
      return changed([], `behaviour ${name} is removed`);
    }
    if (!thing.behaviours.some((b) => b.name === name) && thing.behaviours.length >= MAX_BEHAVIOURS) {
      return refuse(`${label(thing, true)} has ${MAX_BEHAVIOURS} behaviours already, the most a thing may carry.`);
    }
    const params = parseBehaviourParams(args);
    if (!params.ok) return refuse(params.reason);
    // The service saves and starts it itself: nothing more to save.
    const attached = env.building.attachBehaviour(thing, name, params.value);
    return attached.ok ? changed([], `behaviour ${name} is now ${JSON.stringify(attached.value)}`) : refuse(attached.reason);
  },
};

/** Every property `set` knows, by name, in the order a refusal lists them. */
export const PROPERTIES: ReadonlyMap<string, Property> = new Map(
  [portable, container, locked, key, door, keywords, behaviour].map((p) => [p.name, p] as const),
);
