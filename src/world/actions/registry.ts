/**
 * The actions the world knows, by every name they answer to. The world is given a registry
 * (it imports no command table), so a module adds commands by registering into it, and a
 * server can register its own (docs/world.md, "Adding an action").
 */
import { compilePattern, type Pattern } from "../parser/grammar.js";
import type { Action } from "./action.js";

/** A registered action with its compiled grammar. */
export interface RegisteredAction {
  readonly action: Action;
  readonly patterns: readonly Pattern[];
}

/** Actions by name. */
export class ActionRegistry {
  readonly #byName = new Map<string, RegisteredAction>();
  readonly #actions: Action[] = [];

  /** Registers actions, in the order `help` lists them. Throws if a name is taken or a syntax is malformed. */
  register(...actions: readonly Action[]): this {
    for (const action of actions) {
      const entry: RegisteredAction = { action, patterns: action.syntax.map(compilePattern) };
      for (const name of action.names) {
        const key = name.toLowerCase();
        const taken = this.#byName.get(key);
        if (taken !== undefined) throw new Error(`the command name "${key}" is already taken by "${taken.action.names[0]}"`);
        this.#byName.set(key, entry);
      }
      this.#actions.push(action);
    }
    return this;
  }

  /** The action answering to `verb` (lowercase), if any. */
  find(verb: string): RegisteredAction | undefined {
    return this.#byName.get(verb);
  }

  /** Every action, in registration order. */
  all(): readonly Action[] {
    return this.#actions;
  }

  /** Every name and alias, lowercase: words no character may be called. */
  names(): IterableIterator<string> {
    return this.#byName.keys();
  }
}
