import { describe, expect, it } from "vitest";
import { DEFAULT_GMCP_LIMITS, GmcpCore, type GmcpLimits } from "../../../protocols/gmcp/gmcp-core.js";
import type { GmcpMessage } from "../../../protocols/gmcp/gmcp-message.js";
import { FakeClock } from "../../../src/reactor/clock.js";
import { MAX_GMCP_SUPPORTS } from "../../../src/session/gmcp-packages.js";

const ROOM = { num: 3, id: "square", name: "Town Square", area: "Shuttleford", environment: "urban", exits: { n: 4 } };
const NAME = { name: "Alice", fullname: "Alice" };
const STATUS = { name: "Alice", fullname: "Alice", pronouns: "she", role: "player" };
const TEXT = { channel: "chat", talker: "Bob", text: "hi" };
const LIST = [{ name: "chat", caption: "Chat", command: "chat" }];

function setup(limits: GmcpLimits = {}, enabled = true) {
  const clock = new FakeClock();
  const sent: GmcpMessage[] = [];
  const core = new GmcpCore({ send: (message) => sent.push(message) }, clock, limits);
  core.setEnabled(enabled);
  const names = () => sent.map((m) => m.name);
  const receive = (name: string, data?: unknown) => core.receive({ name, data });
  return { clock, core, sent, names, receive };
}

describe("GmcpCore: Core.Supports gating", () => {
  it("sends Comm.Channel.* and Core.* to any GMCP client; Room.* and Char.* only once listed", () => {
    const { core, names } = setup();
    expect(core.send("Room.Info", ROOM)).toBe(false);
    expect(core.send("Char.Name", NAME)).toBe(false);
    expect(core.send("Comm.Channel.Text", TEXT)).toBe(true);
    expect(core.send("Comm.Channel.List", LIST)).toBe(true);
    expect(core.send("Core.Goodbye", "bye")).toBe(true);
    expect(core.send("Comm.Other", {})).toBe(false);
    expect(names()).toEqual(["Comm.Channel.Text", "Comm.Channel.List", "Core.Goodbye"]);
  });

  it("Set replaces the list, Add merges, Remove removes; names compare case-insensitively", () => {
    const { core, receive } = setup();
    expect(receive("Core.Supports.Set", ["Char 1", "Room 1"])).toEqual({ type: "handled" });
    expect(core.allows("Room.Info") && core.allows("Char.Name") && core.allows("char.status")).toBe(true);
    receive("core.supports.set", ["Room 1"]);
    expect(core.allows("Char.Name")).toBe(false);
    receive("Core.Supports.Add", ["CHAR 2"]);
    expect(core.supports).toEqual(["Room 1", "CHAR 2"]);
    receive("Core.Supports.Remove", ["room"]);
    expect(core.allows("Room.Info")).toBe(false);
    expect(core.supports).toEqual(["CHAR 2"]);
    receive("Core.Supports.Add", ["char 1"]);
    expect(core.supports).toEqual(["char 1"]); // a later version wins, even a lower one (IRE)
  });

  it("a module covers its messages and sub-modules, not its parent's other messages", () => {
    const { core, receive } = setup();
    receive("Core.Supports.Set", ["Char.Items 1"]);
    expect(core.allows("Char.Items.List")).toBe(true);
    expect(core.allows("Char.Name")).toBe(false);
    expect(core.allows("Char.ItemsX.List")).toBe(false);
    receive("Core.Supports.Set", ["room.info"]); // as some MUSHclient plug-ins list it
    expect(core.allows("Room.Info")).toBe(true);
    expect(core.allows("Room.Players")).toBe(false);
  });

  it("sends nothing before the client agrees to GMCP, and the latest state once it does", () => {
    const { core, sent, receive } = setup({}, false);
    core.send("Room.Info", { ...ROOM, num: 1 });
    core.send("Room.Info", ROOM);
    core.send("Comm.Channel.List", LIST);
    core.send("Comm.Channel.Text", TEXT);
    receive("Core.Supports.Set", ["Room 1"]);
    expect(sent).toEqual([]);
    core.setEnabled(true);
    // The module list was sent before agreement: it counts; Room.Info is the latest; no event is replayed.
    expect(sent).toEqual([
      { name: "Room.Info", data: ROOM },
      { name: "Comm.Channel.List", data: LIST },
    ]);
  });

  it("sends the latest state of a module as soon as the client lists it, once", () => {
    const { core, sent, receive } = setup();
    core.send("Char.Name", NAME);
    core.send("Char.Status", STATUS);
    core.send("Room.Info", ROOM);
    expect(sent).toEqual([]);
    receive("Core.Supports.Set", ["Char 1"]);
    expect(sent).toEqual([
      { name: "Char.Name", data: NAME },
      { name: "Char.Status", data: STATUS },
    ]);
    receive("Core.Supports.Add", ["Char 1", "Room 1"]);
    expect(sent.slice(2)).toEqual([{ name: "Room.Info", data: ROOM }]);
    receive("Core.Supports.Add", ["Room 1"]);
    expect(sent).toHaveLength(3);
  });

  it("replays the room's Char.Items.List and the hands' apart, and Loom.Commands once Loom is listed (issue 9)", () => {
    const { core, sent, receive } = setup();
    const room = { location: "room", items: [{ id: "red-apple", name: "red apple", attrib: "t" }] };
    const inv = { location: "inv", items: [] };
    core.send("Char.Items.List", { location: "room", items: [] });
    core.send("Char.Items.List", room);
    core.send("Char.Items.List", inv);
    core.send("Char.Items.Add", { location: "room", item: { id: "pear", name: "yellow pear" } });
    core.send("Loom.Commands", ["look", "n", "north"]);
    expect(sent).toEqual([]);
    receive("Core.Supports.Set", ["Char.Items 1"]);
    expect(sent).toEqual([
      { name: "Char.Items.List", data: room },
      { name: "Char.Items.List", data: inv },
    ]);
    receive("Core.Supports.Add", ["Loom 1"]);
    expect(sent.slice(2)).toEqual([{ name: "Loom.Commands", data: ["look", "n", "north"] }]);
  });

  it("keeps no state once refused or stopped, and says so when the client agrees again (issue 11 target 3)", () => {
    const { core, sent, receive } = setup({}, false);
    core.send("Room.Info", ROOM);
    core.refused();
    core.send("Char.Name", NAME);
    receive("Core.Supports.Set", ["Room 1", "Char 1"]);
    expect(core.setEnabled(true)).toBe(true);
    expect(sent).toEqual([]);
    // From agreement on, state is kept again, and a refusal while on changes nothing.
    core.refused();
    receive("Core.Supports.Set", ["Room 1"]);
    core.send("Char.Name", NAME);
    receive("Core.Supports.Add", ["Char 1"]);
    expect(sent).toEqual([{ name: "Char.Name", data: NAME }]);
    expect(core.setEnabled(false)).toBe(false);
    expect(core.setEnabled(true)).toBe(true);
    expect(core.setEnabled(true)).toBe(false);
  });

  it("forgets the module list when the client stops GMCP", () => {
    const { core, receive } = setup();
    receive("Core.Supports.Set", ["Room 1"]);
    core.setEnabled(false);
    expect(core.supports).toEqual([]);
    core.setEnabled(true);
    expect(core.allows("Room.Info")).toBe(false);
  });
});

describe("GmcpCore: inbound Core", () => {
  it("keeps Core.Hello, cleaned, reading Client/Version keys too", () => {
    const { core, receive } = setup();
    expect(receive("Core.Hello", { client: "Mudlet", version: "4.17.2" })).toEqual({ type: "hello", hello: { client: "Mudlet", version: "4.17.2" } });
    expect(receive("Core.Hello", { client: "Mudlet", version: "4.17.2" })).toEqual({ type: "handled" });
    receive("Core.Hello", { Client: "Dark\u001b[31mWind", Version: "1.0.0" });
    expect(core.hello).toEqual({ client: "Dark[31mWind", version: "1.0.0" });
    receive("Core.Hello", { client: "NoVersion" });
    expect(core.hello).toEqual({ client: "NoVersion", version: "" });
  });

  it("rejects bad Core payloads and changes nothing", () => {
    const { core, receive, sent } = setup();
    receive("Core.Supports.Set", ["Room 1"]);
    receive("Core.Hello", { client: "Mudlet", version: "1" });
    const bad: Array<[string, unknown]> = [
      ["Core.Hello", undefined],
      ["Core.Hello", "Mudlet"],
      ["Core.Hello", { client: "" }],
      ["Core.Hello", { client: 7 }],
      ["Core.Hello", { client: "x".repeat(65) }],
      ["Core.Supports.Set", "Room 1"],
      ["Core.Supports.Set", { Room: 1 }],
      ["Core.Supports.Set", [1]],
      ["Core.Supports.Set", ["Room one"]],
      ["Core.Supports.Set", ["Room 1 2"]],
      ["Core.Supports.Set", [`${"R".repeat(65)} 1`]],
      ["Core.Supports.Add", null],
      ["Core.Supports.Remove", [null]],
      ["Core.Ping", "now"],
      ["Core.Ping", -1],
    ];
    for (const [name, data] of bad) expect(receive(name, data), `${name} ${JSON.stringify(data)}`).toMatchObject({ type: "rejected", code: "bad-payload" });
    expect(core.supports).toEqual(["Room 1"]);
    expect(core.hello).toEqual({ client: "Mudlet", version: "1" });
    expect(sent).toEqual([]);
  });

  it(`bounds the module list at ${MAX_GMCP_SUPPORTS} entries, at the limit and one past`, () => {
    const { core, receive } = setup();
    const modules = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `Mod${i + from} 1`);
    expect(receive("Core.Supports.Set", modules(MAX_GMCP_SUPPORTS))).toEqual({ type: "handled" });
    expect(core.supports).toHaveLength(MAX_GMCP_SUPPORTS);
    expect(receive("Core.Supports.Add", modules(1, MAX_GMCP_SUPPORTS))).toMatchObject({ type: "rejected", code: "too-many-supports" });
    expect(receive("Core.Supports.Set", modules(MAX_GMCP_SUPPORTS + 1))).toMatchObject({ type: "rejected", code: "bad-payload" });
    expect(core.supports).toHaveLength(MAX_GMCP_SUPPORTS);
    // Re-adding listed modules adds nothing, so it fits.
    expect(receive("Core.Supports.Add", modules(3))).toEqual({ type: "handled" });
  });

  it("answers Core.Ping with an empty Core.Ping, within the reply budget", () => {
    const { clock, sent, receive } = setup();
    expect(receive("Core.Ping")).toEqual({ type: "handled" });
    expect(receive("Core.Ping", 120)).toEqual({ type: "handled" });
    expect(sent).toEqual([
      { name: "Core.Ping", data: undefined },
      { name: "Core.Ping", data: undefined },
    ]);
    for (let i = 0; i < 1000; i += 1) receive("Core.Ping");
    expect(sent).toHaveLength(DEFAULT_GMCP_LIMITS.replyBurst);
    expect(receive("Core.Ping")).toMatchObject({ type: "rejected", code: "throttled" });
    clock.advance(1000);
    for (let i = 0; i < 10; i += 1) receive("Core.Ping");
    expect(sent).toHaveLength(DEFAULT_GMCP_LIMITS.replyBurst + DEFAULT_GMCP_LIMITS.repliesPerSecond);
  });

  it("a client cannot make the server resend state without bound by flapping Core.Supports", () => {
    const { core, sent, receive } = setup({ replyBurst: 3, repliesPerSecond: 1 });
    core.send("Room.Info", ROOM);
    for (let i = 0; i < 1000; i += 1) {
      receive("Core.Supports.Add", ["Room 1"]);
      receive("Core.Supports.Remove", ["Room"]);
    }
    expect(sent).toHaveLength(3);
    // The list itself still follows the client.
    receive("Core.Supports.Add", ["Room 1"]);
    expect(core.allows("Room.Info")).toBe(true);
  });

  it("passes any other message on, within the message budget", () => {
    const { clock, receive } = setup({ messageBurst: 2, messagesPerSecond: 1 });
    expect(receive("Char.Items.Inv")).toEqual({ type: "pass", message: { name: "Char.Items.Inv", data: undefined } });
    expect(receive("Core.KeepAlive")).toEqual({ type: "pass", message: { name: "Core.KeepAlive", data: undefined } });
    expect(receive("External.Discord.Hello", {})).toMatchObject({ type: "rejected", code: "throttled" });
    clock.advance(1000);
    expect(receive("Comm.Channel.Players")).toMatchObject({ type: "pass" });
  });

  it("refuses limits that are not positive", () => {
    expect(() => setup({ replyBurst: 0 })).toThrow(RangeError);
    expect(() => setup({ messagesPerSecond: Number.NaN })).toThrow(RangeError);
  });
});
