/**
 * What `examine` shows a builder: a thing as the store holds it — its id and number, its
 * location's id, its contents' ids, and every property (facets, closure state, key, twin,
 * behaviours with their parameters and saved state, template). Pure: a message from a thing.
 */
import { styled, type OutputMessage, type Span } from "../../session/messages.js";
import type { ClosureState, Thing } from "../model/thing.js";
import { kindOf, label } from "./labels.js";
import { MAX_EXAMINED_CONTENTS } from "./limits.js";

/** The examined thing, one property a line. */
export function examineView(thing: Thing): OutputMessage {
  const lines: [string, string][] = [
    ["Kind", kindOf(thing).replace(/^an? /, "")],
    ["Name", thing.name],
  ];
  if (thing.plural !== undefined) lines.push(["Plural", thing.plural]);
  lines.push(["Keywords", thing.keywords.join(", ")]);
  lines.push(["Description", thing.description === "" ? "(none)" : thing.description]);
  lines.push(["Location", thing.location?.id ?? "none"]);
  if (thing.room !== undefined) lines.push(["Area", thing.room.area]);
  const exit = thing.exit;
  if (exit !== undefined) {
    lines.push(["Exit", `${exit.direction} to ${exit.to}`]);
    lines.push(["Door", exit.door === undefined ? "none" : `${exit.door.name}; ${closureText(exit.door)}`]);
    lines.push(["Twin", exit.twin ?? "none"]);
  }
  if (thing.room === undefined && thing.exit === undefined && thing.character === undefined) {
    lines.push(["Portable", thing.portable ? "yes" : "no"]);
    const box = thing.container;
    lines.push(["Container", box === undefined ? "no" : box.closure === undefined ? "yes, no lid" : `yes, a lid ${closureText(box.closure)}`]);
  }
  const character = thing.character;
  if (character !== undefined) {
    lines.push(["Pronouns", character.pronouns]);
    lines.push(["Player", character.player ?? "none (a non-player character)"]);
  }
  lines.push(["Template", thing.template ?? "none"]);
  lines.push(["Behaviours", thing.behaviours.length === 0 ? "none" : thing.behaviours.map((b) => `${b.name} ${JSON.stringify(b.params)}`).join("; ")]);
  const state = Object.entries(thing.behaviourState);
  if (state.length > 0) lines.push(["State", state.map(([name, value]) => `${name} ${JSON.stringify(value)}`).join("; ")]);
  lines.push(["Contents", contentsText(thing)]);
  const spans: Span[] = [styled("title", label(thing, true)), styled("dim", ` num ${thing.num}`)];
  for (const [key, value] of lines) spans.push(`\n${key}: `, value);
  return { kind: "line", spans };
}

/** "closed, locked, key brass-key"; "open, no lock". */
function closureText(closure: ClosureState): string {
  const state = closure.open ? "open" : closure.locked ? "closed, locked" : "closed";
  return `${state}, ${closure.key === undefined ? "no lock" : `key ${closure.key}`}`;
}

/** The contents' ids in order, at most {@link MAX_EXAMINED_CONTENTS}, then how many more. */
function contentsText(thing: Thing): string {
  if (thing.contents.size === 0) return "none";
  const ids: string[] = [];
  for (const inner of thing.contents) {
    if (ids.length === MAX_EXAMINED_CONTENTS) break;
    ids.push(inner.id);
  }
  const more = thing.contents.size - ids.length;
  return more > 0 ? `${ids.join(", ")} and ${more} more` : ids.join(", ");
}
