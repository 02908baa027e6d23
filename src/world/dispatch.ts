/**
 * From a typed line to an action: the verb, the action registered under it (or an exit of the
 * room, so "gate" walks through the gate), the role check, the grammar, and the "which one?"
 * question (docs/world.md, "Naming things"). A failing action costs only its own player a
 * polite apology.
 */
import type { Logger } from "pino";
import { line, styled, type OutputMessage, type Span } from "../session/messages.js";
import { sanitizeText } from "../session/sanitize.js";
import { Roles, type Role } from "../store/store.js";
import type { ActionContext, WorldServices } from "./actions/action.js";
import type { ActionRegistry, RegisteredAction } from "./actions/registry.js";
import { numberWord } from "./language/sentence.js";
import type { Thing } from "./model/thing.js";
import { matchPattern, type Slots } from "./parser/grammar.js";
import { resolve, type ResolveScope } from "./parser/resolve.js";
import type { Player } from "./seats.js";

/** Choices made by answering "which one?": reference as typed -> the thing picked. */
type Choices = ReadonlyMap<string, Thing>;

/** Runs players' commands. */
export class Dispatcher {
  readonly #registry: ActionRegistry;
  readonly #world: WorldServices;
  readonly #log: Logger;

  constructor(registry: ActionRegistry, world: WorldServices, log: Logger) {
    this.#registry = registry;
    this.#world = world;
    this.#log = log;
  }

  /** Runs one line typed by `player`. */
  run(player: Player, raw: string): void {
    const text = raw.trim();
    if (text === "") return;
    player.lastActiveAt = this.#world.now();
    const pending = player.pending;
    if (pending !== undefined && /^\d{1,4}$/.test(text)) {
      const chosen = pending.candidates[Number(text) - 1];
      if (chosen === undefined) {
        this.#reply(player, line(`Type a number from 1 to ${pending.candidates.length}, or another command.`));
        return;
      }
      player.pending = undefined;
      this.#execute(player, pending.line, new Map([[pending.reference, chosen]]));
      return;
    }
    player.pending = undefined;
    this.#execute(player, text, undefined);
  }

  #execute(player: Player, text: string, choices: Choices | undefined): void {
    let verb: string;
    let args: string;
    const first = text[0]!;
    if (first === "'" || first === '"' || first === ":") {
      verb = first;
      args = text.slice(1).trim();
    } else {
      const space = text.search(/\s/);
      verb = (space < 0 ? text : text.slice(0, space)).toLowerCase();
      args = space < 0 ? "" : text.slice(space + 1).trim();
    }
    let entry = this.#registry.find(verb);
    if (entry === undefined && args === "" && this.#exitNamed(player.character, verb)) {
      // Any exit a room names is a command in that room: "in", "bridge", "gate".
      entry = this.#registry.find("go");
      args = verb;
    }
    if (entry === undefined && this.#world.channels.has(verb)) {
      // A channel's name posts on it (issue 7): "chat hello" is "post chat hello".
      entry = this.#registry.find("post");
      args = args === "" ? verb : `${verb} ${args}`;
    }
    if (entry === undefined) {
      this.#reply(player, line(`Unknown command "${sanitizeText(verb).slice(0, 30)}". Type help for the list.`));
      return;
    }
    const needed = entry.action.role ?? "player";
    if (rank(player.role) < rank(needed)) {
      this.#reply(player, line(styled("error", `Only ${needed}s may use ${entry.action.names[0]}.`)));
      return;
    }
    const fit = this.#fit(entry, args);
    if (fit === undefined) {
      // The action's own usage is written for players ("get <thing> [from <box>]"); its grammar lines are not.
      const usage = entry.action.usage ?? entry.action.syntax.join("  or  ");
      this.#reply(player, line(`Usage: ${usage}`));
      return;
    }
    const ctx = this.#context(player, text, verb, args, fit.syntax, fit.slots, choices);
    try {
      entry.action.run(ctx);
    } catch (err) {
      this.#log.error({ err, player: player.key, verb }, "command failed");
      this.#reply(player, line(styled("error", "Something went wrong running that command. It has been logged.")));
    }
  }

  #fit(entry: RegisteredAction, args: string): { syntax: string; slots: Slots } | undefined {
    for (const pattern of entry.patterns) {
      const slots = matchPattern(pattern, args);
      if (slots !== undefined) return { syntax: pattern.source, slots };
    }
    return undefined;
  }

  #exitNamed(character: Thing, word: string): boolean {
    const room = character.location;
    if (room === null) return false;
    // Its objects, not the crowd in it: every command is checked here (issue 11).
    for (const thing of room.objects ?? []) if (thing.exit?.direction === word) return true;
    return false;
  }

  #context(player: Player, line_: string, verb: string, args: string, syntax: string, slots: Slots, choices: Choices | undefined): ActionContext {
    const world = this.#world;
    const reply = (message: OutputMessage): void => this.#reply(player, message);
    const lookUp = (slot: string, scope: Omit<ResolveScope, "many">, notFound: string, many: boolean): readonly Thing[] | undefined => {
      const reference = slots[slot];
      if (reference === undefined || reference === "") {
        reply(line(notFound));
        return undefined;
      }
      const chosen = choices?.get(reference);
      if (chosen !== undefined) {
        if ([...scope.things].includes(chosen)) return [chosen];
        // What was chosen has gone (someone took the green apple): never act on another thing instead.
        reply(line(notFound));
        return undefined;
      }
      const result = resolve(reference, { ...scope, many });
      switch (result.kind) {
        case "found":
          return result.things;
        case "none":
          reply(line(notFound));
          return undefined;
        case "too-few":
          reply(line(`You see only ${numberWord(result.count)} of those.`));
          return undefined;
        case "not-many":
          reply(line("You can do that to only one thing at a time."));
          return undefined;
        case "ambiguous":
          player.pending = { line: line_, reference, candidates: result.candidates };
          reply(whichOne(reference, result.candidates));
          return undefined;
        default: {
          const unreachable: never = result;
          throw new Error(`unknown resolution ${JSON.stringify(unreachable)}`);
        }
      }
    };
    return {
      world,
      player,
      actor: player.character,
      verb,
      args,
      syntax,
      slots,
      reply: (...spans: Span[]) => reply(line(...spans)),
      send: reply,
      phrase: (template, values = {}) => reply(line(...world.narrator.render(template, { ...values, actor: player.character }, player.character))),
      one: (slot, scope, notFound) => lookUp(slot, scope, notFound, false)?.[0],
      many: (slot, scope, notFound) => lookUp(slot, scope, notFound, true),
    };
  }

  #reply(player: Player, message: OutputMessage): void {
    this.#world.narrator.tell(player.character, message);
  }
}

/** The "which one?" question: the candidates numbered, answered by typing a number alone. */
function whichOne(reference: string, candidates: readonly Thing[]): OutputMessage {
  const shown = sanitizeText(reference).slice(0, 30);
  const spans: Span[] = [`Which "${shown}" do you mean?`];
  for (const [i, thing] of candidates.entries()) spans.push(`\n  ${i + 1}. `, styled(thing.isCharacter ? "name" : "thing", thing.exit?.door?.name ?? thing.name));
  spans.push("\nType the number.");
  return { kind: "line", spans };
}

function rank(role: Role): number {
  return Roles.indexOf(role);
}
