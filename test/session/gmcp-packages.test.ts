/**
 * The GMCP package schemas (src/session/gmcp-packages.ts) against what the world really sends:
 * the world's payload types agree with the schemas at compile time, and every out-of-band
 * message a session of play produces parses with its package's schema. Outbound payloads are
 * not checked at run time (see the module's comment), so this is where they are checked.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  charNameSchema,
  charStatusSchema,
  commChannelListSchema,
  commChannelTextSchema,
  coreSupportsSchema,
  GmcpServerMessages,
  isReplayed,
  roomInfoSchema,
} from "../../src/session/gmcp-packages.js";
import type { ChannelListEntry, ChannelText } from "../../src/world/channels/channel-text.js";
import type { CharName, CharStatus } from "../../src/world/char-status.js";
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
] = [true, true, true, true, true];

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
    for (const command of ["north", "south", "pronouns she", "chat hello", "leave chat", "join chat", "chat again"]) tw.run(alice, command);
    const oob = tw.gateway.sent.flatMap((m) => (m.type === "oob" ? [m] : []));
    const seen = new Set(oob.map((m) => m.channel));
    expect([...seen].sort()).toEqual(["Char.Name", "Char.Status", "Comm.Channel.List", "Comm.Channel.Text", "Room.Info"]);
    for (const message of oob) {
      expect(Object.hasOwn(GmcpServerMessages, message.channel), message.channel).toBe(true);
      const schema = GmcpServerMessages[message.channel as keyof typeof GmcpServerMessages].schema;
      const parsed = schema.safeParse(message.data);
      expect(parsed.success, `${message.channel} ${JSON.stringify(message.data)}: ${parsed.error?.message ?? ""}`).toBe(true);
    }
  });

  it("replay state, not events", () => {
    expect(["Room.Info", "Char.Name", "Char.Status", "Comm.Channel.List"].every(isReplayed)).toBe(true);
    expect(["Comm.Channel.Text", "Core.Ping", "Room.Unknown", "room.info", "toString"].some(isReplayed)).toBe(false);
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
