/**
 * Transcripts for `announce <text>`: everyone playing reads `[Announcement] <text>`, whichever
 * door they came by, from one message sent once to all their sessions (so the hub renders it
 * once per variant); connections still at the login prompt are not interrupted; the text is
 * sanitised and bounded.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../../src/session/messages.js";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";
import { connectAt, joinAs } from "./admin-world.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;
let carol: TestPlayer;

beforeEach(async () => {
  tw = makeTestWorld();
  alice = await joinAs(tw, "Alice", "admin");
  bob = await tw.join("Bob", "telnet");
  carol = await tw.join("Carol", "websocket");
  tw.run(carol, "north"); // Somewhere else: an announcement is not a room's.
});
afterEach(() => tw.close());

describe("announce", () => {
  it("everyone online, on every door, wherever they are, reads it — from one message to all their sessions", () => {
    connectAt(tw, 99); // at the login prompt
    const from = tw.gateway.sent.length;
    expect(tw.run(alice, "announce The market opens at noon.")).toEqual({
      Alice: ["[Announcement] The market opens at noon."],
      Bob: ["[Announcement] The market opens at noon."],
      Carol: ["[Announcement] The market opens at noon."],
    });
    const sent = tw.gateway.sent.slice(from);
    expect(sent).toEqual<OutboundMessage[]>([
      {
        type: "deliver",
        message: { kind: "line", spans: [{ text: "[Announcement] The market opens at noon.", style: "notice" }] },
        to: [alice.session, bob.session, carol.session],
      },
    ]);
    expect(tw.gateway.linesFor(99, from)).toEqual([]);
  });

  it("the text is sanitised: no escape sequences, controls or runs of spaces", () => {
    expect(tw.run(alice, "announce \u001b[31mred\u001b[0m   alert\u0007 \u202eok").Bob).toEqual(["[Announcement] red alert ok"]);
  });

  it("nothing left after sanitising: Announce what?", () => {
    expect(tw.run(alice, "announce \u0007\u0007")).toEqual({ Alice: ["Announce what?"], Bob: [], Carol: [] });
  });

  it("at most 1000 characters: 1000 is read, 1001 refused", () => {
    expect(tw.run(alice, `announce ${"z".repeat(1001)}`)).toEqual({ Alice: ["An announcement is at most 1000 characters."], Bob: [], Carol: [] });
    expect(tw.run(alice, `announce ${"z".repeat(1000)}`).Carol).toEqual([`[Announcement] ${"z".repeat(1000)}`]);
  });

  it("no text: the usage", () => {
    expect(tw.run(alice, "announce").Alice).toEqual(["Usage: announce <text>"]);
  });
});
