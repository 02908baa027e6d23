/** web/world-view.ts and web/channel-log.ts: the models behind the panels and completion. */
import { describe, expect, it } from "vitest";
import { ChannelLog, MAX_CHANNEL_LINES, MAX_CHANNELS } from "../../web/channel-log.js";
import { DEFAULT_COMMANDS, MAX_TRACKED, WorldView } from "../../web/world-view.js";

describe("WorldView", () => {
  it("tracks the people in view through Room.Players, AddPlayer and RemovePlayer", () => {
    const view = new WorldView();
    expect(view.apply({ type: "room-players", people: [{ name: "Alice", fullname: "Alice" }] })).toBe("people");
    view.apply({ type: "room-add-player", person: { name: "Bob", fullname: "Bob" } });
    expect(view.people.map((p) => p.name)).toEqual(["Alice", "Bob"]);
    expect(view.isPresent("alice")).toBe(true);
    expect(view.apply({ type: "room-remove-player", name: "ALICE" })).toBe("people");
    expect(view.apply({ type: "room-remove-player", name: "Nobody" })).toBeUndefined();
    expect(view.people.map((p) => p.name)).toEqual(["Bob"]);
  });

  it("counts creatures among the room's things as present, not other things", () => {
    const view = new WorldView();
    view.apply({ type: "items-list", location: "room", items: [{ id: "1", name: "grey cat", attrib: "m" }, { id: "2", name: "red apple", attrib: "" }] });
    expect(view.isPresent("Grey Cat")).toBe(true);
    expect(view.isPresent("red apple")).toBe(false);
    view.apply({ type: "items-remove", location: "room", item: { id: "1", name: "grey cat", attrib: "m" } });
    expect(view.isPresent("grey cat")).toBe(false);
  });

  it("keeps inventory and room apart, and at most MAX_TRACKED of each", () => {
    const view = new WorldView();
    view.apply({ type: "items-add", location: "inv", item: { id: "9", name: "lantern", attrib: "" } });
    expect(view.items("inv").map((i) => i.name)).toEqual(["lantern"]);
    expect(view.items("room")).toEqual([]);
    for (let i = 0; i <= MAX_TRACKED; i++) view.apply({ type: "items-add", location: "room", item: { id: String(i), name: `thing ${i}`, attrib: "" } });
    expect(view.items("room")).toHaveLength(MAX_TRACKED);
  });

  it("offers exits as typed keys and long names; commands default until Loom.Commands", () => {
    const view = new WorldView();
    view.apply({ type: "room-info", name: "Square", area: "Town", exits: ["n", "gate"] });
    expect(view.exitWords()).toEqual(["n", "north", "gate"]);
    expect(view.commands).toBe(DEFAULT_COMMANDS);
    view.apply({ type: "commands", commands: ["look", "say"] });
    expect(view.commands).toEqual(["look", "say"]);
    view.apply({ type: "char-status", name: "Ann", pronouns: "she", role: "player" });
    view.apply({ type: "char-name", name: "Ann", fullname: "Ann the Weaver" });
    expect(view.character).toEqual({ name: "Ann", fullname: "Ann the Weaver", pronouns: "she", role: "player" });
    view.reset();
    expect(view.character).toBeUndefined();
    expect(view.exits).toEqual([]);
  });

  it("gives Tab completion the commands, exit words, things here and carried, and people in view", () => {
    const view = new WorldView();
    view.apply({ type: "room-info", name: "Square", area: "Town", exits: ["n"] });
    view.apply({ type: "items-list", location: "room", items: [{ id: "1", name: "grey cat", attrib: "m" }] });
    view.apply({ type: "items-list", location: "inv", items: [{ id: "2", name: "lantern", attrib: "" }] });
    view.apply({ type: "room-players", people: [{ name: "Alice", fullname: "Alice" }] });
    expect(view.completions()).toEqual({ commands: DEFAULT_COMMANDS, exits: ["n", "north"], things: ["grey cat", "lantern"], people: ["Alice"] });
  });
});

describe("ChannelLog", () => {
  it("counts posts unread until the channel is opened; an open channel's posts are read", () => {
    const log = new ChannelLog();
    log.setList([{ name: "chat", caption: "Chat", command: "chat" }, { name: "ooc", caption: "OOC", command: "ooc" }]);
    log.post("chat", "Ann", "hi");
    log.post("Chat", "Bob", "hello");
    expect(log.channels.map((c) => [c.entry.name, c.unread])).toEqual([["chat", 2], ["ooc", 0]]);
    log.open("chat");
    expect(log.opened).toBe("chat");
    expect(log.channels[0]?.unread).toBe(0);
    log.post("chat", "Ann", "again");
    log.post("ooc", "Ann", "elsewhere");
    expect(log.channels.map((c) => c.unread)).toEqual([0, 1]);
    expect(log.posts("chat").map((p) => p.text)).toEqual(["hi", "hello", "again"]);
  });

  it("does not count the player's own posts as unread", () => {
    const log = new ChannelLog();
    log.post("chat", "Ann", "mine", true);
    expect(log.channels[0]?.unread).toBe(0);
    expect(log.posts("chat")).toHaveLength(1);
  });

  it("keeps MAX_CHANNEL_LINES posts per channel and MAX_CHANNELS channels", () => {
    const log = new ChannelLog();
    for (let i = 0; i <= MAX_CHANNEL_LINES; i++) log.post("chat", "Ann", String(i));
    expect(log.posts("chat")).toHaveLength(MAX_CHANNEL_LINES);
    expect(log.posts("chat")[0]?.text).toBe("1");
    for (let i = 0; i <= MAX_CHANNELS; i++) log.post(`c${i}`, "Ann", "x");
    expect(log.channels).toHaveLength(MAX_CHANNELS);
  });

  it("drops channels the player left, and closes the open one if it went", () => {
    const log = new ChannelLog();
    log.setList([{ name: "chat", caption: "Chat", command: "chat" }]);
    log.open("chat");
    log.setList([]);
    expect(log.channels).toEqual([]);
    expect(log.opened).toBeUndefined();
  });
});
