/**
 * The out-of-band messages the page reads (issue 9 contract; GMCP names and IRE shapes, see
 * src/session/gmcp-packages.ts), checked before use: the server is trusted to send them right,
 * but a message of the wrong shape is ignored (`undefined`), never a crash (as server-frames.ts
 * does for whole frames). Every list is capped, every string bounded. Pure
 * (test/web/oob-messages.test.ts).
 */
import { isResumeToken } from "./resume-store.js";

/** Most entries read from any one list (the server caps its own lists lower: 50 people, 100 items). */
export const MAX_OOB_LIST = 200;

/** Longest string kept from any field; a longer one is cut. */
export const MAX_OOB_STRING = 2000;

/** A person in view (`Room.Players`, `Room.AddPlayer`). */
export interface Person {
  readonly name: string;
  readonly fullname: string;
}

/** A thing in view or carried (`Char.Items.*`). `attrib` "m" marks a creature. */
export interface Item {
  readonly id: string;
  readonly name: string;
  readonly attrib: string;
}

/** Where an item is: the room or the player's inventory. */
export type ItemLocation = "room" | "inv";

/** A channel the player is in (`Comm.Channel.List`). */
export interface ChannelEntry {
  readonly name: string;
  readonly caption: string;
  readonly command: string;
}

/** Every message the page acts on, parsed. */
export type OobEvent =
  | { readonly type: "room-info"; readonly name: string; readonly area: string; readonly exits: readonly string[] }
  | { readonly type: "room-players"; readonly people: readonly Person[] }
  | { readonly type: "room-add-player"; readonly person: Person }
  | { readonly type: "room-remove-player"; readonly name: string }
  | { readonly type: "char-name"; readonly name: string; readonly fullname: string }
  | { readonly type: "char-status"; readonly name: string; readonly pronouns: string; readonly role: string }
  | { readonly type: "items-list"; readonly location: ItemLocation; readonly items: readonly Item[] }
  | { readonly type: "items-add"; readonly location: ItemLocation; readonly item: Item }
  | { readonly type: "items-remove"; readonly location: ItemLocation; readonly item: Item }
  | { readonly type: "commands"; readonly commands: readonly string[] }
  | { readonly type: "channel-list"; readonly channels: readonly ChannelEntry[] }
  | { readonly type: "channel-text"; readonly channel: string; readonly talker: string; readonly text: string }
  | { readonly type: "resume-token"; readonly token: string; readonly expiresAt: number }
  | { readonly type: "resume-failed"; readonly reason: string };

type Fields = Readonly<Record<string, unknown>>;

function record(value: unknown): Fields | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" ? value.slice(0, MAX_OOB_STRING) : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  const s = text(value)?.trim();
  return s === undefined || s === "" ? undefined : s;
}

function list<T>(value: unknown, each: (entry: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: T[] = [];
  for (const entry of value.slice(0, MAX_OOB_LIST)) {
    const parsed = each(entry);
    if (parsed !== undefined) out.push(parsed);
  }
  return out;
}

function person(value: unknown): Person | undefined {
  const r = record(value);
  const name = nonEmpty(r?.["name"]);
  if (name === undefined) return undefined;
  return { name, fullname: nonEmpty(r?.["fullname"]) ?? name };
}

function item(value: unknown): Item | undefined {
  const r = record(value);
  const id = nonEmpty(r?.["id"]);
  const name = nonEmpty(r?.["name"]);
  if (id === undefined || name === undefined) return undefined;
  return { id, name, attrib: text(r?.["attrib"]) ?? "" };
}

function location(value: unknown): ItemLocation | undefined {
  return value === "room" || value === "inv" ? value : undefined;
}

function channelEntry(value: unknown): ChannelEntry | undefined {
  const r = record(value);
  const name = nonEmpty(r?.["name"]);
  if (name === undefined) return undefined;
  return { name, caption: nonEmpty(r?.["caption"]) ?? name, command: nonEmpty(r?.["command"]) ?? name };
}

function itemChange(type: "items-add" | "items-remove", data: unknown): OobEvent | undefined {
  const r = record(data);
  const where = location(r?.["location"]);
  const what = item(r?.["item"]);
  return where === undefined || what === undefined ? undefined : { type, location: where, item: what };
}

/**
 * Parses one out-of-band message; `undefined` for a channel the page does not read or data of
 * the wrong shape. GMCP names are case-insensitive.
 */
export function parseOob(channel: string, data: unknown): OobEvent | undefined {
  const r = record(data);
  switch (channel.toLowerCase()) {
    case "room.info": {
      const name = text(r?.["name"]);
      const exits = record(r?.["exits"]);
      if (name === undefined) return undefined;
      return { type: "room-info", name, area: text(r?.["area"]) ?? "", exits: exits === undefined ? [] : Object.keys(exits).slice(0, MAX_OOB_LIST) };
    }
    case "room.players": {
      const people = list(data, person);
      return people === undefined ? undefined : { type: "room-players", people };
    }
    case "room.addplayer": {
      const who = person(data);
      return who === undefined ? undefined : { type: "room-add-player", person: who };
    }
    case "room.removeplayer": {
      // IRE sends the bare name; an object with a name is read too.
      const name = nonEmpty(data) ?? nonEmpty(r?.["name"]);
      return name === undefined ? undefined : { type: "room-remove-player", name };
    }
    case "char.name": {
      const name = nonEmpty(r?.["name"]);
      return name === undefined ? undefined : { type: "char-name", name, fullname: nonEmpty(r?.["fullname"]) ?? name };
    }
    case "char.status": {
      const name = nonEmpty(r?.["name"]);
      if (name === undefined) return undefined;
      return { type: "char-status", name, pronouns: text(r?.["pronouns"]) ?? "", role: text(r?.["role"]) ?? "" };
    }
    case "char.items.list": {
      const where = location(r?.["location"]);
      const items = list(r?.["items"], item);
      return where === undefined || items === undefined ? undefined : { type: "items-list", location: where, items };
    }
    case "char.items.add":
      return itemChange("items-add", data);
    case "char.items.remove":
      return itemChange("items-remove", data);
    case "loom.commands": {
      const commands = list(data, (entry) => (typeof entry === "string" && /^\S{1,64}$/.test(entry) ? entry : undefined));
      return commands === undefined ? undefined : { type: "commands", commands };
    }
    case "comm.channel.list": {
      const channels = list(data, channelEntry);
      return channels === undefined ? undefined : { type: "channel-list", channels };
    }
    case "comm.channel.text": {
      const channelName = nonEmpty(r?.["channel"]);
      const talker = text(r?.["talker"]);
      const said = text(r?.["text"]);
      if (channelName === undefined || talker === undefined || said === undefined) return undefined;
      return { type: "channel-text", channel: channelName, talker, text: said };
    }
    case "loom.resume.token": {
      return isResumeToken(data) ? { type: "resume-token", token: data.token, expiresAt: data.expiresAt } : undefined;
    }
    case "loom.resume.failed":
      return { type: "resume-failed", reason: text(r?.["reason"]) ?? "invalid" };
    default:
      return undefined;
  }
}
