/**
 * Looking around: `look` (the room), `look <thing|person|exit>`, `look in <container>`, and
 * `inventory`.
 */
import { styled, type Span } from "../../session/messages.js";
import { countedItems } from "../language/lists.js";
import { capitalise } from "../language/sentence.js";
import type { Thing } from "../model/thing.js";
import { nounOf, pronounsFor, thingList } from "../phrase.js";
import { conjugate } from "../language/verbs.js";
import type { Action, ActionContext } from "./action.js";
import { inReach } from "./scope.js";

/** "two copper coins and a folded letter", or undefined for nothing. */
function contentsText(thing: Thing): string | undefined {
  if (thing.contents.size === 0) return undefined;
  return thingList(thing.contents);
}

function lookInside(ctx: ActionContext, container: Thing): void {
  if (container.container === undefined) return ctx.phrase("You can't look inside {thing.the}.", { thing: container });
  if (container.container.closure?.open === false) return ctx.phrase("{thing.the} is closed.", { thing: container });
  const inside = contentsText(container);
  if (inside === undefined) return ctx.phrase("{thing.the} is empty.", { thing: container });
  ctx.reply(capitalise(`in ${nounOf(container, "definite")} you see `), styled("thing", inside), ".");
}

function lookAtPerson(ctx: ActionContext, person: Thing): void {
  const self = person === ctx.actor;
  const pronouns = pronounsFor(person);
  const set = person.character?.pronouns ?? "they";
  const spans: Span[] = [styled("name", capitalise(nounOf(person, "indefinite"))), styled("dim", ` (${pronouns.subject}/${pronouns.object})`)];
  const subject = self ? "You" : capitalise(pronouns.subject);
  const be = conjugate("be", self || pronouns.plural);
  spans.push(`\n${person.description !== "" ? person.description : self ? "You look like any other traveller." : `${subject} ${conjugate("look", pronouns.plural)} like any other traveller.`}`);
  const carried = contentsText(person);
  spans.push(`\n${subject} ${be} `, carried === undefined ? "empty-handed." : `carrying `);
  if (carried !== undefined) spans.push(styled("thing", carried), ".");
  if (self) spans.push(styled("dim", `\nYour pronouns are ${set}; type pronouns to change them.`));
  ctx.send({ kind: "line", spans });
}

function lookAtExit(ctx: ActionContext, exit: Thing): void {
  const facet = exit.exit!;
  const to = ctx.world.thing(facet.to);
  const sentences: Span[][] = [];
  if (exit.description !== "") sentences.push([exit.description]);
  const door = facet.door;
  if (door !== undefined) {
    const state = door.open ? "open" : door.locked ? "closed and locked" : "closed";
    sentences.push([capitalise(`${nounOf(exit, "definite")} is ${state}.`)]);
  }
  if (to !== undefined && (door === undefined || door.open)) sentences.push([`The way ${facet.direction} leads to `, styled("title", to.name), "."]);
  ctx.reply(...sentences.flatMap((sentence, i) => (i === 0 ? sentence : [" ", ...sentence])));
}

function lookAtThing(ctx: ActionContext, thing: Thing): void {
  const spans: Span[] = [styled("thing", capitalise(nounOf(thing, "indefinite"))), `\n${thing.description}`];
  const closure = thing.container?.closure;
  if (closure !== undefined) spans.push(closure.open ? "\nIt is open." : closure.locked ? "\nIt is closed and locked." : "\nIt is closed.");
  if (thing.container !== undefined && closure?.open !== false) {
    const inside = contentsText(thing);
    spans.push(inside === undefined ? "\nIt is empty." : "\nIn it you see ", ...(inside === undefined ? [] : [styled("thing", inside), "."]));
  }
  ctx.send({ kind: "line", spans });
}

/** `look`, `look <thing>`, `look in <container>`. */
export const look: Action = {
  names: ["look", "l"],
  syntax: ["look", "look in|inside <container>", "look [at] <thing>"],
  summary: "Look around, at something or someone, or into a container.",
  help: "With nothing after it, describes the room you are in, its exits, what lies here and who is here. look lantern describes the lantern, whether you carry it or it lies here; look Bob looks at Bob; look north looks at the way north; look in chest shows what an open chest holds. look me shows how others see you.",
  run(ctx) {
    const { actor } = ctx;
    const room = actor.location;
    if (room === null) return;
    if (ctx.slots["container"] !== undefined) {
      const container = ctx.one("container", { things: inReach(actor) }, "You see nothing like that here.");
      if (container !== undefined) lookInside(ctx, container);
      return;
    }
    if (ctx.slots["thing"] === undefined) {
      ctx.world.showRoom(actor);
      return;
    }
    const thing = ctx.one("thing", { things: inReach(actor), me: actor, here: room }, "You see nothing like that here.");
    if (thing === undefined) return;
    if (thing === room) ctx.world.showRoom(actor);
    else if (thing.character !== undefined) lookAtPerson(ctx, thing);
    else if (thing.exit !== undefined) lookAtExit(ctx, thing);
    else lookAtThing(ctx, thing);
  },
};

/** `inventory`. */
export const inventory: Action = {
  names: ["inventory", "inv", "i"],
  syntax: ["inventory"],
  summary: "List what you are carrying.",
  help: "Lists what you carry. What you carry stays with you when you quit and come back.",
  run(ctx) {
    const items = countedItems([...ctx.actor.contents].map((t) => t.phrase));
    if (items.length === 0) {
      ctx.reply("You are carrying nothing.");
      return;
    }
    ctx.send({ kind: "line", spans: ["You are carrying:", ...items.flatMap((n) => ["\n  ", styled("thing", n)])] });
  },
};
