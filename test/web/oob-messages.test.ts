/**
 * web/oob-messages.ts: every out-of-band message the page reads, in the contract's shapes, and
 * anything else ignored without throwing (fast-check, fixed seed).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_OOB_LIST, MAX_OOB_STRING, parseOob } from "../../web/oob-messages.js";

describe("parseOob", () => {
  it("reads Room.Info: name, area and the exits' keys", () => {
    expect(parseOob("Room.Info", { num: 3, id: "square", name: "Town Square", area: "Shuttleford", environment: "", exits: { n: 4, e: 5 } })).toEqual({
      type: "room-info",
      name: "Town Square",
      area: "Shuttleford",
      exits: ["n", "e"],
    });
  });

  it("reads the people messages, Room.RemovePlayer as a bare string (IRE) or an object", () => {
    expect(parseOob("Room.Players", [{ name: "Alice", fullname: "Alice the Bold" }, { name: "" }, 7, { name: "Bob" }])).toEqual({
      type: "room-players",
      people: [{ name: "Alice", fullname: "Alice the Bold" }, { name: "Bob", fullname: "Bob" }],
    });
    expect(parseOob("Room.AddPlayer", { name: "Carol", fullname: "Carol" })).toEqual({ type: "room-add-player", person: { name: "Carol", fullname: "Carol" } });
    expect(parseOob("Room.RemovePlayer", "Carol")).toEqual({ type: "room-remove-player", name: "Carol" });
    expect(parseOob("Room.RemovePlayer", { name: "Carol" })).toEqual({ type: "room-remove-player", name: "Carol" });
  });

  it("reads the character and the items", () => {
    expect(parseOob("Char.Name", { name: "Ann", fullname: "Ann" })).toEqual({ type: "char-name", name: "Ann", fullname: "Ann" });
    expect(parseOob("Char.Status", { name: "Ann", fullname: "Ann", pronouns: "she", role: "player" })).toEqual({ type: "char-status", name: "Ann", pronouns: "she", role: "player" });
    expect(parseOob("Char.Items.List", { location: "room", items: [{ id: "12", name: "red apple" }, { id: 13, name: "grey cat", attrib: "m" }, { name: "no id" }] })).toEqual({
      type: "items-list",
      location: "room",
      items: [{ id: "12", name: "red apple", attrib: "" }, { id: "13", name: "grey cat", attrib: "m" }],
    });
    expect(parseOob("Char.Items.Add", { location: "inv", item: { id: "12", name: "red apple" } })).toEqual({ type: "items-add", location: "inv", item: { id: "12", name: "red apple", attrib: "" } });
    expect(parseOob("Char.Items.Remove", { location: "bag", item: { id: "12", name: "red apple" } })).toBeUndefined();
  });

  it("reads commands, channels and the resume messages", () => {
    expect(parseOob("Loom.Commands", ["look", "say", "two words", 3, ""])).toEqual({ type: "commands", commands: ["look", "say"] });
    expect(parseOob("Comm.Channel.List", [{ name: "chat", caption: "Chat", command: "chat" }])).toEqual({ type: "channel-list", channels: [{ name: "chat", caption: "Chat", command: "chat" }] });
    expect(parseOob("Comm.Channel.Text", { channel: "chat", talker: "Ann", text: "hi" })).toEqual({ type: "channel-text", channel: "chat", talker: "Ann", text: "hi" });
    expect(parseOob("Loom.Resume.Token", { token: "abc", expiresAt: 5 })).toEqual({ type: "resume-token", token: "abc", expiresAt: 5 });
    expect(parseOob("Loom.Resume.Token", { token: "abc", expiresAt: "5" })).toBeUndefined();
    expect(parseOob("Loom.Resume.Failed", { reason: "expired" })).toEqual({ type: "resume-failed", reason: "expired" });
    expect(parseOob("Loom.Resume.Failed", null)).toEqual({ type: "resume-failed", reason: "invalid" });
  });

  it("takes GMCP names in any case", () => {
    expect(parseOob("room.removeplayer", "Carol")?.type).toBe("room-remove-player");
    expect(parseOob("CHAR.NAME", { name: "Ann" })?.type).toBe("char-name");
  });

  it("caps lists at MAX_OOB_LIST and strings at MAX_OOB_STRING", () => {
    const people = Array.from({ length: MAX_OOB_LIST + 1 }, (_, i) => ({ name: `P${i}` }));
    const parsed = parseOob("Room.Players", people);
    expect(parsed?.type === "room-players" && parsed.people.length).toBe(MAX_OOB_LIST);
    const long = parseOob("Char.Name", { name: "x".repeat(MAX_OOB_STRING + 1) });
    expect(long?.type === "char-name" && long.name.length).toBe(MAX_OOB_STRING);
  });

  it("ignores unknown channels and wrong shapes, and never throws on anything", () => {
    expect(parseOob("Char.Vitals", { hp: 1 })).toBeUndefined();
    expect(parseOob("Room.Info", "Town Square")).toBeUndefined();
    expect(parseOob("Room.Players", { name: "Alice" })).toBeUndefined();
    const channels = ["Room.Info", "Room.Players", "Room.AddPlayer", "Room.RemovePlayer", "Char.Name", "Char.Status", "Char.Items.List", "Char.Items.Add", "Char.Items.Remove", "Loom.Commands", "Comm.Channel.List", "Comm.Channel.Text", "Loom.Resume.Token", "Loom.Resume.Failed", "Other"];
    fc.assert(
      fc.property(fc.constantFrom(...channels), fc.jsonValue(), (channel, data) => {
        parseOob(channel, data);
      }),
      { seed: 9, numRuns: 2000 },
    );
  });
});
