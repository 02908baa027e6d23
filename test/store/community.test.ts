/**
 * Migration 4 through the store: mutes and bans on the account, ignores, channels with their
 * memberships and trimmed history (issue 7).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { openMemoryStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import { storeError } from "./thing-fixtures.js";

const HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
let store: SqliteStore;

beforeEach(() => {
  store = openMemoryStore();
  for (const name of ["Alice", "Bob", "Carol"]) store.createPlayer({ key: name.toLowerCase(), name, passwordHash: HASH, room: "hall", now: 1 });
});

describe("moderation on the account", () => {
  it("a mute and a ban are stored, read back with the player, and lifted", () => {
    store.setMuted("bob", true);
    store.setBan("bob", { reason: "spam", by: "Alice", at: 42 });
    expect(store.findPlayer("bob")).toMatchObject({ muted: true, ban: { reason: "spam", by: "Alice", at: 42 } });
    store.setMuted("bob", false);
    store.setBan("bob", null);
    expect(store.findPlayer("bob")).toMatchObject({ muted: false, ban: null });
    storeError(() => store.setMuted("ghost", true), "no-such-player");
    storeError(() => store.setBan("ghost", null), "no-such-player");
  });
});

describe("ignores", () => {
  it("are kept in order, idempotent both ways, and need both players", () => {
    store.setIgnore("alice", "carol", true);
    store.setIgnore("alice", "bob", true);
    store.setIgnore("alice", "bob", true);
    expect(store.ignoresOf("alice")).toEqual(["carol", "bob"]);
    store.setIgnore("alice", "carol", false);
    store.setIgnore("alice", "carol", false);
    expect(store.ignoresOf("alice")).toEqual(["bob"]);
    expect(store.ignoresOf("bob")).toEqual([]);
    storeError(() => store.setIgnore("alice", "ghost", true), "no-such-player");
  });
});

describe("channels", () => {
  it("chat exists from the start and joins everyone by default; others are made and removed", () => {
    expect(store.channels()).toEqual([{ name: "chat", autojoin: true, createdAt: 0 }]);
    expect(store.createChannel({ name: "builders", autojoin: false, now: 5 })).toEqual({ name: "builders", autojoin: false, createdAt: 5 });
    storeError(() => store.createChannel({ name: "builders", autojoin: false, now: 6 }), "channel-exists");
    expect(store.channels().map((c) => c.name)).toEqual(["builders", "chat"]);
    expect(store.removeChannel("builders")).toBe(true);
    expect(store.removeChannel("builders")).toBe(false);
  });

  it("memberships override the default and go with their channel", () => {
    store.createChannel({ name: "builders", autojoin: false, now: 5 });
    store.setMembership("chat", "alice", false);
    store.setMembership("builders", "alice", true);
    expect(store.membershipsOf("alice")).toEqual(new Map([["chat", false], ["builders", true]]));
    store.removeChannel("builders");
    expect(store.membershipsOf("alice")).toEqual(new Map([["chat", false]]));
    storeError(() => store.setMembership("nowhere", "alice", true), "no-such-channel");
  });

  it("history keeps the newest lines, oldest first, and goes with its channel", () => {
    for (let i = 1; i <= 30; i++) store.appendChannelLine({ channel: "chat", at: i, sender: "Alice", text: `line ${i}` }, 25);
    const all = store.channelHistory("chat", 100);
    expect(all.map((l) => l.text)).toEqual(Array.from({ length: 25 }, (_, i) => `line ${i + 6}`));
    expect(store.channelHistory("chat", 3)).toEqual([
      { channel: "chat", at: 28, sender: "Alice", text: "line 28" },
      { channel: "chat", at: 29, sender: "Alice", text: "line 29" },
      { channel: "chat", at: 30, sender: "Alice", text: "line 30" },
    ]);
    storeError(() => store.appendChannelLine({ channel: "nowhere", at: 1, sender: "A", text: "x" }, 5), "no-such-channel");
    store.createChannel({ name: "gone", autojoin: false, now: 1 });
    store.appendChannelLine({ channel: "gone", at: 1, sender: "A", text: "x" }, 5);
    store.removeChannel("gone");
    expect(store.channelHistory("gone", 5)).toEqual([]);
  });
});
