/**
 * src/world/channels/channel-service.ts: what it keeps and for how long. Members are held for
 * online players only; history rows are trimmed to the newest 100 per channel; channels are
 * capped; and what a channel holds in the store — the channel, memberships, its history —
 * survives a restart (a file store reopened under a new world, as in
 * test/world/persistence/restart.test.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../../src/reactor/clock.js";
import { openSqliteStore } from "../../../src/store/sqlite-store.js";
import { HISTORY_KEEP, MAX_CHANNELS } from "../../../src/world/channels/channel-service.js";
import { makeTestWorld, type TestWorld } from "../../support/transcript.js";

const worlds: TestWorld[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function world(options: Parameters<typeof makeTestWorld>[0] = {}): TestWorld {
  const w = makeTestWorld(options);
  worlds.push(w);
  return w;
}

/** A world on a file store in `dataDir`, its clocks starting `at` ms in. */
function boot(dataDir: string, at: number): TestWorld {
  const clock = new FakeClock();
  clock.advance(at);
  return world({ store: openSqliteStore({ dataDir }), clock });
}

function stop(w: TestWorld): void {
  worlds.splice(worlds.indexOf(w), 1);
  w.close();
}

describe("bounds", () => {
  it("members are held only while they play", async () => {
    const w = world();
    const players = [];
    for (const name of ["Alice", "Bob", "Carol", "Dave"]) players.push(await w.join(name));
    const alice = w.world.findOnline("alice")!;
    expect(w.world.channels.summaries(alice)).toEqual([{ name: "chat", member: true, listening: 4 }]);
    for (const p of players.slice(1)) w.leave(p);
    expect(w.world.channels.summaries(alice)).toEqual([{ name: "chat", member: true, listening: 1 }]);
    w.leave(players[0]!);
    expect(w.world.channels.summaries(alice)).toEqual([{ name: "chat", member: false, listening: 0 }]);
  });

  it(`history keeps the newest ${HISTORY_KEEP} lines of each channel in the store`, async () => {
    const w = world();
    const alice = await w.join("Alice");
    for (let i = 1; i <= HISTORY_KEEP + 5; i++) {
      w.run(alice, `chat ${i}`);
      w.advance(1000);
    }
    const kept = w.store.channelHistory("chat", 1000);
    expect(kept).toHaveLength(HISTORY_KEEP);
    expect(kept[0]!.text).toBe("6");
    expect(kept.at(-1)!.text).toBe(String(HISTORY_KEEP + 5));
  });

  it(`at most ${MAX_CHANNELS} channels`, async () => {
    const w = world();
    const alice = await w.join("Alice");
    const admin = w.world.findOnline("alice")!;
    admin.role = "admin";
    for (let i = 1; i < MAX_CHANNELS; i++) expect(w.world.channels.create(`c${i}`, admin)).toBe("created");
    expect(w.run(alice, "channel create onetoomany").Alice).toEqual([`There are already ${MAX_CHANNELS} channels; remove one first.`]);
    expect(w.store.channels()).toHaveLength(MAX_CHANNELS);
    w.run(alice, "channel remove c1");
    expect(w.run(alice, "channel create onemore").Alice![0]).toMatch(/^You create the onemore channel/);
  });
});

describe("across a restart", () => {
  it("history, channels made in play and everyone's choices are still there", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-channels-"));
    dirs.push(dataDir);
    const hour = 3_600_000;
    const first = boot(dataDir, 9 * hour);
    const alice = await first.join("Alice");
    const bob = await first.join("Bob");
    first.world.findOnline("alice")!.role = "admin";
    first.run(alice, "channel create guild");
    first.run(alice, "chat before the restart");
    first.run(alice, "guild members only");
    first.run(bob, "leave chat");
    first.run(bob, "ignore alice");
    stop(first);

    const second = boot(dataDir, 10 * hour);
    const bobAgain = await second.join("Bob", "line", "connect");
    const aliceAgain = await second.join("Alice", "line", "connect");
    second.run(bobAgain, "unignore alice");
    expect(second.run(bobAgain, "history chat").Bob).toEqual(["The last line on chat (times in UTC):", "[chat 09:00] Alice: before the restart"]);
    expect(second.run(bobAgain, "history guild").Bob).toEqual(["The last line on guild (times in UTC):", "[guild 09:00] Alice: members only"]);
    expect(second.run(bobAgain, "channels").Bob).toEqual([
      "Channels:",
      "  chat: you are not in it, 1 listening",
      "  guild: you are not in it, 1 listening",
      "Type join <channel> or leave <channel>. Post with <channel> <text>, as in chat hello.",
    ]);
    expect(second.run(aliceAgain, "guild still here")).toEqual({ Alice: ["[guild] You: still here"], Bob: [] });
  });
});
