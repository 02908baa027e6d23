/**
 * Transcripts for src/world/actions/channels.ts (issue 7, "Talking"): channels, join, leave,
 * posting by a channel's name (the dispatcher's fallback) or by post, history, the per-sender
 * rate limit on the fake clock (hardening F2), the admins' channel create and remove, and the
 * Comm.Channel.* out-of-band data.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../../src/session/messages.js";
import { makeTestWorld, type TestPlayer, type TestWorld, threePlayers } from "../../support/transcript.js";
import { defaultWorldOptions } from "../../support/default-config.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;
let carol: TestPlayer;

beforeEach(async () => {
  ({ tw, alice, bob, carol } = await threePlayers());
});
afterEach(() => tw.close());

/** Makes an online player an admin (the admins' `role` command is tested with it). */
function makeAdmin(name: string): void {
  tw.world.findOnline(name)!.role = "admin";
}

const CHAT_LIST = [{ name: "chat", caption: "Chat", command: "chat" }];

describe("posting", () => {
  it("chat <text>: every member reads [chat] Alice:, the poster [chat] You:, wherever they stand", () => {
    tw.run(carol, "north");
    expect(tw.run(alice, "chat hello, world")).toEqual({
      Alice: ["[chat] You: hello, world"],
      Bob: ["[chat] Alice: hello, world"],
      Carol: ["[chat] Alice: hello, world"],
    });
  });

  it("post <channel> <text> is the same, in any case", () => {
    expect(tw.run(bob, "post CHAT hi there")).toEqual({ Alice: ["[chat] Bob: hi there"], Bob: ["[chat] You: hi there"], Carol: ["[chat] Bob: hi there"] });
    expect(tw.run(bob, "Chat again").Alice).toEqual(["[chat] Bob: again"]);
  });

  it("the other members' text is one message, chatter, rendered once for all of them", () => {
    const from = tw.gateway.sent.length;
    tw.run(alice, "chat once");
    const delivered = tw.gateway.sent.slice(from).filter((m): m is Extract<OutboundMessage, { type: "deliver" }> => m.type === "deliver");
    expect(delivered.map((m) => ({ to: m.to, priority: m.message.priority }))).toEqual([
      { to: [alice.session], priority: undefined },
      { to: [bob.session, carol.session], priority: "chatter" },
    ]);
  });

  it("text is sanitised and spaces collapsed; text that looks like a slot is read as typed", () => {
    expect(tw.run(alice, "chat  a \x1b[31m  b {actor}").Bob).toEqual(["[chat] Alice: a b {actor}"]);
  });

  it("a channel you are not in: You are not in the chat channel. Type join chat.", () => {
    tw.run(bob, "leave chat");
    expect(tw.run(bob, "chat hello")).toEqual({ Alice: [], Bob: ["You are not in the chat channel. Type join chat."], Carol: [] });
    expect(tw.run(bob, "chat").Bob).toEqual(["You are not in the chat channel. Type join chat."]);
  });

  it("nothing to post: Post what?", () => {
    expect(tw.run(alice, "chat")).toEqual({ Alice: ["Post what? Type: chat <text>"], Bob: [], Carol: [] });
    expect(tw.run(alice, "post chat").Alice).toEqual(["Post what? Type: chat <text>"]);
    expect(tw.run(alice, "post").Alice).toEqual(["Usage: <channel> <text>   (or post <channel> <text>)"]);
  });

  it("post on a channel nobody made; a word that is no channel is still an unknown command", () => {
    expect(tw.run(alice, "post gossip hi").Alice).toEqual(["There is no channel called gossip. Type channels for the list."]);
    expect(tw.run(alice, "gossip hi").Alice).toEqual(['Unknown command "gossip". Type help for the list.']);
  });

  it("an exit of the room answers its name alone first; with words after it, the channel does", () => {
    makeAdmin("Alice");
    tw.run(alice, "channel create shed");
    tw.run(alice, "north");
    tw.run(alice, "west");
    expect(tw.run(alice, "shed").Alice![0]).toBe("The Shed");
    expect(tw.run(alice, "shed hello from the shed").Alice).toEqual(["[shed] You: hello from the shed"]);
  });

  it("members who left the world read nothing, and are not held", () => {
    tw.leave(carol);
    expect(tw.run(alice, "chat still here?")).toEqual({ Alice: ["[chat] You: still here?"], Bob: ["[chat] Alice: still here?"] });
    expect(tw.run(alice, "channels").Alice![1]).toBe("  chat: you are in it, 2 listening");
  });

  it("every post is saved to the channel's history before anyone reads it", () => {
    tw.run(alice, "chat one");
    tw.run(bob, "chat two");
    expect(tw.store.channelHistory("chat", 10)).toEqual([
      { channel: "chat", at: 0, sender: "Alice", text: "one" },
      { channel: "chat", at: 0, sender: "Bob", text: "two" },
    ]);
  });
});

describe("F2: posts are rate-limited per sender", () => {
  it("five at once, then one a second; over it nothing is sent or kept", () => {
    for (let i = 1; i <= 5; i++) expect(tw.run(alice, `chat ${i}`).Alice).toEqual([`[chat] You: ${i}`]);
    expect(tw.run(alice, "chat 6")).toEqual({ Alice: ["You are posting too fast. Wait a moment, then try again."], Bob: [], Carol: [] });
    expect(tw.store.channelHistory("chat", 100).map((l) => l.text)).toEqual(["1", "2", "3", "4", "5"]);
    // Another sender has an allowance of their own.
    expect(tw.run(bob, "chat mine").Bob).toEqual(["[chat] You: mine"]);
    tw.advance(999);
    expect(tw.run(alice, "chat 7").Alice).toEqual(["You are posting too fast. Wait a moment, then try again."]);
    tw.advance(1);
    expect(tw.run(alice, "chat 8").Bob).toEqual(["[chat] Alice: 8"]);
    expect(tw.run(alice, "chat 9").Bob).toEqual([]);
  });

  it("the settings come from the world's options", async () => {
    const other = makeTestWorld({ deps: { options: defaultWorldOptions({ creationsPerHour: 10_000, channelPostsPerSecond: 2, channelBurst: 1 }) } });
    try {
      const dave = await other.join("Dave");
      expect(other.run(dave, "chat a").Dave).toEqual(["[chat] You: a"]);
      expect(other.run(dave, "chat b").Dave).toEqual(["You are posting too fast. Wait a moment, then try again."]);
      other.advance(500);
      expect(other.run(dave, "chat c").Dave).toEqual(["[chat] You: c"]);
    } finally {
      other.close();
    }
  });
});

describe("channels, join and leave", () => {
  it("channels lists each channel, whether you are in it and how many online are", () => {
    makeAdmin("Alice");
    tw.run(alice, "channel create gossip");
    tw.run(bob, "leave chat");
    expect(tw.run(bob, "channels")).toEqual({
      Alice: [],
      Bob: [
        "Channels:",
        "  chat: you are not in it, 2 listening",
        "  gossip: you are not in it, 1 listening",
        "Type join <channel> or leave <channel>. Post with <channel> <text>, as in chat hello.",
      ],
      Carol: [],
    });
  });

  it("join: You join; already in: You are already; no such: There is no channel", () => {
    makeAdmin("Alice");
    tw.run(alice, "channel create gossip");
    expect(tw.run(bob, "join Gossip")).toEqual({ Alice: [], Bob: ["You join the gossip channel. Type gossip <text> to post on it."], Carol: [] });
    expect(tw.run(bob, "join gossip").Bob).toEqual(["You are already in the gossip channel."]);
    expect(tw.run(bob, "join nowhere").Bob).toEqual(["There is no channel called nowhere. Type channels for the list."]);
    expect(tw.run(bob, "join").Bob).toEqual(["Usage: join <channel>"]);
    expect(tw.run(bob, "gossip psst")).toEqual({ Alice: ["[gossip] Bob: psst"], Bob: ["[gossip] You: psst"], Carol: [] });
  });

  it("leave: You leave; not in it: You are not in; no such: There is no channel", () => {
    expect(tw.run(carol, "leave chat")).toEqual({ Alice: [], Bob: [], Carol: ["You leave the chat channel. Type join chat to listen again."] });
    expect(tw.run(carol, "leave chat").Carol).toEqual(["You are not in the chat channel."]);
    expect(tw.run(carol, "leave nowhere").Carol).toEqual(["There is no channel called nowhere. Type channels for the list."]);
    expect(tw.run(alice, "chat without Carol")).toEqual({ Alice: ["[chat] You: without Carol"], Bob: ["[chat] Alice: without Carol"], Carol: [] });
    tw.run(carol, "join chat");
    expect(tw.run(alice, "chat with Carol").Carol).toEqual(["[chat] Alice: with Carol"]);
  });

  it("a choice is saved: who left chat is still out of it after logging in again", async () => {
    tw.run(bob, "leave chat");
    tw.leave(bob, "quit");
    bob = await tw.join("Bob", "line", "connect");
    expect(tw.run(alice, "chat are you there?").Bob).toEqual([]);
    expect(tw.run(bob, "channels").Bob![1]).toBe("  chat: you are not in it, 2 listening");
    expect(tw.store.membershipsOf("bob")).toEqual(new Map([["chat", false]]));
  });
});

describe("history", () => {
  it("the last lines, oldest first, with their time in UTC", () => {
    tw.advance(14 * 3_600_000 + 5 * 60_000);
    tw.run(alice, "chat hello");
    tw.advance(60_000);
    tw.run(bob, "chat hi Alice");
    expect(tw.run(carol, "history chat")).toEqual({
      Alice: [],
      Bob: [],
      Carol: ["The last 2 lines on chat (times in UTC):", "[chat 14:05] Alice: hello", "[chat 14:06] Bob: hi Alice"],
    });
  });

  it("a line from before today carries its date", () => {
    tw.run(alice, "chat first day");
    tw.advance(86_400_000 + 60_000);
    tw.run(alice, "chat second day");
    expect(tw.run(bob, "history chat").Bob).toEqual([
      "The last 2 lines on chat (times in UTC):",
      "[chat 1970-01-01 00:00] Alice: first day",
      "[chat 00:01] Alice: second day",
    ]);
  });

  it("shows 20 lines of the 100 kept", () => {
    for (let i = 1; i <= 25; i++) {
      tw.run(alice, `chat line ${i}`);
      tw.advance(1000);
    }
    const shown = tw.run(bob, "history chat").Bob!;
    expect(shown).toHaveLength(21);
    expect(shown[0]).toBe("The last 20 lines on chat (times in UTC):");
    expect(shown[1]).toBe("[chat 00:00] Alice: line 6");
    expect(shown[20]).toBe("[chat 00:00] Alice: line 25");
  });

  it("one line; nothing yet; no such channel; a non-member may read it", () => {
    expect(tw.run(alice, "history chat").Alice).toEqual(["Nothing has been posted on chat yet."]);
    tw.run(alice, "chat solo");
    tw.run(bob, "leave chat");
    expect(tw.run(bob, "history CHAT").Bob).toEqual(["The last line on chat (times in UTC):", "[chat 00:00] Alice: solo"]);
    expect(tw.run(bob, "history nowhere").Bob).toEqual(["There is no channel called nowhere. Type channels for the list."]);
    expect(tw.run(bob, "history").Bob).toEqual(["Usage: history <channel>"]);
  });

  it("leaves out the lines of people you ignore", () => {
    tw.run(alice, "chat from alice");
    tw.run(bob, "chat from bob");
    tw.run(carol, "ignore bob");
    expect(tw.run(carol, "history chat").Carol).toEqual(["The last line on chat (times in UTC):", "[chat 00:00] Alice: from alice"]);
  });
});

describe("channel create and remove (admins)", () => {
  it("a player may not: Only admins may use channel.", () => {
    expect(tw.run(bob, "channel create gossip")).toEqual({ Alice: [], Bob: ["Only admins may use channel."], Carol: [] });
    expect(tw.store.channels().map((c) => c.name)).toEqual(["chat"]);
  });

  it("create: the admin is in it, nobody else until they join; saved", () => {
    makeAdmin("Alice");
    expect(tw.run(alice, "channel create Gossip")).toEqual({
      Alice: ["You create the gossip channel, and join it. Players can type join gossip to listen."],
      Bob: [],
      Carol: [],
    });
    expect(tw.store.channels().map((c) => ({ name: c.name, autojoin: c.autojoin }))).toEqual([
      { name: "chat", autojoin: true },
      { name: "gossip", autojoin: false },
    ]);
    expect(tw.run(alice, "gossip anyone?")).toEqual({ Alice: ["[gossip] You: anyone?"], Bob: [], Carol: [] });
  });

  it("names: 2 to 16 lowercase letters or digits, not a command, not taken", () => {
    makeAdmin("Alice");
    const rule = "Channel names are 2 to 16 letters or digits, a to z and 0 to 9.";
    expect(tw.run(alice, "channel create x").Alice).toEqual([rule]);
    expect(tw.run(alice, "channel create ab").Alice![0]).toMatch(/^You create the ab channel/);
    expect(tw.run(alice, `channel create ${"a".repeat(16)}`).Alice![0]).toMatch(/^You create/);
    expect(tw.run(alice, `channel create ${"a".repeat(17)}`).Alice).toEqual([rule]);
    expect(tw.run(alice, "channel create new-s").Alice).toEqual([rule]);
    expect(tw.run(alice, "channel create two words").Alice).toEqual([rule]);
    expect(tw.run(alice, "channel create look").Alice).toEqual(['"look" is a command; a channel of that name could not be posted on.']);
    expect(tw.run(alice, "channel create l").Alice).toEqual([rule]);
    expect(tw.run(alice, "channel create inv").Alice).toEqual(['"inv" is a command; a channel of that name could not be posted on.']);
    expect(tw.run(alice, "channel create chat").Alice).toEqual(["There is already a channel called chat."]);
    expect(tw.run(alice, "channel create room101").Alice![0]).toMatch(/^You create the room101 channel/);
    expect(tw.run(alice, "channel").Alice).toEqual(["Usage: channel create|remove <name>"]);
  });

  it("remove: its members are told, its history goes, it is no command any more", () => {
    makeAdmin("Alice");
    tw.run(alice, "channel create gossip");
    tw.run(bob, "join gossip");
    tw.run(bob, "gossip a secret");
    expect(tw.run(alice, "channel remove gossip")).toEqual({
      Alice: ["You remove the gossip channel, with its history."],
      Bob: ["The gossip channel has been removed; you are no longer in it."],
      Carol: [],
    });
    expect(tw.store.channels().map((c) => c.name)).toEqual(["chat"]);
    expect(tw.store.channelHistory("gossip", 10)).toEqual([]);
    expect(tw.run(bob, "gossip hello?").Bob).toEqual(['Unknown command "gossip". Type help for the list.']);
    expect(tw.run(alice, "channel remove gossip").Alice).toEqual(["There is no channel called gossip. Type channels for the list."]);
  });

  it("chat can be removed too; then there are no channels", () => {
    makeAdmin("Alice");
    expect(tw.run(alice, "channel remove chat")).toEqual({
      Alice: ["You remove the chat channel, with its history."],
      Bob: ["The chat channel has been removed; you are no longer in it."],
      Carol: ["The chat channel has been removed; you are no longer in it."],
    });
    expect(tw.run(bob, "channels").Bob).toEqual(["There are no channels."]);
  });
});

describe("out-of-band: Comm.Channel.List and Comm.Channel.Text", () => {
  it("a player entering gets the list of channels they are in", () => {
    expect(tw.gateway.oobFor(alice.session).filter((o) => o.channel === "Comm.Channel.List")).toEqual([{ channel: "Comm.Channel.List", data: CHAT_LIST }]);
  });

  it("a post is one Comm.Channel.Text message to every member, the poster included", () => {
    tw.run(carol, "leave chat");
    const from = tw.gateway.sent.length;
    tw.run(alice, "chat hello");
    const oob = tw.gateway.sent.slice(from).filter((m) => m.type === "oob");
    expect(oob).toEqual([{ type: "oob", channel: "Comm.Channel.Text", data: { channel: "chat", talker: "Alice", text: "hello" }, to: [alice.session, bob.session] }]);
  });

  it("the list is sent again when the player joins or leaves, and when a channel they are in is made or removed", () => {
    makeAdmin("Alice");
    const from = tw.gateway.sent.length;
    const lists = (p: TestPlayer): unknown[] => tw.gateway.oobFor(p.session, from).filter((o) => o.channel === "Comm.Channel.List").map((o) => o.data);
    tw.run(alice, "channel create gossip");
    tw.run(bob, "join gossip");
    tw.run(bob, "leave chat");
    tw.run(alice, "channel remove gossip");
    const gossip = { name: "gossip", caption: "Gossip", command: "gossip" };
    expect(lists(alice)).toEqual([[...CHAT_LIST, gossip], CHAT_LIST]);
    expect(lists(bob)).toEqual([[...CHAT_LIST, gossip], [gossip], []]);
    expect(lists(carol)).toEqual([]);
  });
});

describe("help", () => {
  it("lists <channel> <text> with the talking commands; admins also see channel", () => {
    const list = tw.run(bob, "help").Bob!.join("\n");
    for (const usage of ["<channel> <text>", "channels", "join <channel>", "leave <channel>", "history <channel>", "reply <text>", "whisper <person> <text>", "ignore [name]", "unignore <name>"]) {
      expect(list).toContain(`  ${usage}`);
    }
    expect(list).not.toContain("channel create");
    makeAdmin("Bob");
    expect(tw.run(bob, "help").Bob!.join("\n")).toContain("  channel create|remove <name>");
  });
});
