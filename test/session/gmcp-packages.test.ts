/**
 * The GMCP package schemas (src/session/gmcp-packages.ts) against what the world really sends:
 * the world's payload types agree with the schemas at compile time, and every out-of-band
 * message a session of play produces parses with its package's schema. Outbound payloads are
 * not checked at run time (see the module's comment), so this is where they are checked.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  charItemsChangeSchema,
  charItemsListSchema,
  charNameSchema,
  charStatusSchema,
  commChannelListSchema,
  commChannelTextSchema,
  coreSupportsSchema,
  GmcpServerMessages,
  isReplayed,
  loomCommandsSchema,
  MAX_LISTED_ITEMS,
  MAX_ROOM_PLAYERS,
  replayKey,
  roomAddPlayerSchema,
  roomInfoSchema,
  roomPlayersSchema,
  roomRemovePlayerSchema,
} from "../../src/session/gmcp-packages.js";
import type { ChannelListEntry, ChannelText } from "../../src/world/channels/channel-text.js";
import type { CharName, CharStatus } from "../../src/world/char-status.js";
import type { ItemChange, ItemList, RoomPlayer } from "../../src/world/room-contents.js";
import type { RoomInfo } from "../../src/world/room-view.js";
import { makeTestWorld, type TestWorld } from "../support/transcript.js";

/** True when each type is assignable to the other (readonly aside, which TypeScript lets through both ways). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// Compile-time: `npx tsc` fails here if the world's types and the schemas drift apart.
const agreements: [
  Same<RoomInfo, z.output<typeof roomInfoSchema>>,
  Same<CharName, z.output<typeof charNameSchema>>,
  Same<CharStatus, z.output<typeof charStatusSchema>>,
  Same<ChannelListEntry[], z.output<typeof commChannelListSchema>>,
  Same<ChannelText, z.output<typeof commChannelTextSchema>>,
  Same<RoomPlayer[], z.output<typeof roomPlayersSchema>>,
  Same<RoomPlayer, z.output<typeof roomAddPlayerSchema>>,
  Same<string, z.output<typeof roomRemovePlayerSchema>>,
  Same<ItemList, z.output<typeof charItemsListSchema>>,
  Same<ItemChange, z.output<typeof charItemsChangeSchema>>,
  Same<string[], z.output<typeof loomCommandsSchema>>,
] = [true, true, true, true, true, true, true, true, true, true, true];

const worlds: TestWorld[] = [];
afterEach(() => {
  for (const tw of worlds.splice(0)) tw.close();
});

describe("GMCP package schemas", () => {
  it("agree with the world's payload types", () => {
    expect(agreements.every(Boolean)).toBe(true);
  });

  it("accept every out-of-band message the world sends in a session of play, and know every package it uses", async () => {
    const tw = makeTestWorld();
    worlds.push(tw);
    const alice = await tw.join("Alice");
    await tw.join("Bob", "telnet");
    const commands = ["north", "south", "pronouns she", "chat hello", "leave chat", "join chat", "chat again", "get red apple", "drop apple", "get all"];
    for (const command of commands) tw.run(alice, command);
    const oob = tw.gateway.sent.flatMap((m) => (m.type === "oob" ? [m] : []));
    const seen = new Set(oob.map((m) => m.channel));
    expect([...seen].sort()).toEqual([
      "Char.Items.Add",
      "Char.Items.List",
      "Char.Items.Remove",
      "Char.Name",
      "Char.Status",
      "Comm.Channel.List",
      "Comm.Channel.Text",
      "Loom.Commands",
      "Room.AddPlayer",
      "Room.Info",
      "Room.Players",
      "Room.RemovePlayer",
    ]);
    for (const message of oob) {
      expect(Object.hasOwn(GmcpServerMessages, message.channel), message.channel).toBe(true);
      const schema = GmcpServerMessages[message.channel as keyof typeof GmcpServerMessages].schema;
      const parsed = schema.safeParse(message.data);
      expect(parsed.success, `${message.channel} ${JSON.stringify(message.data)}: ${parsed.error?.message ?? ""}`).toBe(true);
    }
  });

  it("replay state, not events", () => {
    const state = ["Room.Info", "Char.Name", "Char.Status", "Comm.Channel.List", "Room.Players", "Char.Items.List", "Loom.Commands"];
    expect(state.every(isReplayed)).toBe(true);
    const events = ["Comm.Channel.Text", "Core.Ping", "Room.Unknown", "room.info", "toString", "Room.AddPlayer", "Room.RemovePlayer", "Char.Items.Add", "Char.Items.Remove"];
    expect(events.some(isReplayed)).toBe(false);
  });

  it("keep the room's item list and the hands' apart for replay", () => {
    expect(replayKey("Char.Items.List", { location: "room", items: [] })).toBe("Char.Items.List room");
    expect(replayKey("Char.Items.List", { location: "inv", items: [] })).toBe("Char.Items.List inv");
    expect(replayKey("Room.Info", {})).toBe("Room.Info");
    expect(replayKey("Char.Items.Add", { location: "room" })).toBeUndefined();
  });

  it("bound the lists at their caps: 50 people, 100 items", () => {
    const people = Array.from({ length: MAX_ROOM_PLAYERS + 1 }, (_, i) => ({ name: `P${i}`, fullname: `P${i}` }));
    expect(roomPlayersSchema.safeParse(people.slice(0, MAX_ROOM_PLAYERS)).success).toBe(true);
    expect(roomPlayersSchema.safeParse(people).success).toBe(false);
    const items = Array.from({ length: MAX_LISTED_ITEMS + 1 }, (_, i) => ({ id: `coin-${i}`, name: "copper coin", attrib: "t" }));
    expect(charItemsListSchema.safeParse({ location: "room", items: items.slice(0, MAX_LISTED_ITEMS) }).success).toBe(true);
    expect(charItemsListSchema.safeParse({ location: "room", items }).success).toBe(false);
  });

  it("are strict: an item has no unknown key, and an absent attrib is absent, not undefined", () => {
    expect(charItemsChangeSchema.safeParse({ location: "inv", item: { id: "a", name: "a", colour: "red" } }).success).toBe(false);
    expect(charItemsChangeSchema.safeParse({ location: "inv", item: { id: "a", name: "a" } }).success).toBe(true);
    expect(charItemsChangeSchema.safeParse({ location: "inv", item: { id: "a", name: "a", attrib: undefined } }).success).toBe(false);
    expect(charItemsChangeSchema.safeParse({ location: "bag", item: { id: "a", name: "a" } }).success).toBe(false);
  });

  it("read Core.Supports entries with or without a version", () => {
    expect(coreSupportsSchema.parse(["Char 1", " Room 2 ", "room.info", "IRE.Composer\t1"])).toEqual([
      { module: "Char", version: 1 },
      { module: "Room", version: 2 },
      { module: "room.info", version: 1 },
      { module: "IRE.Composer", version: 1 },
    ]);
  });
});
