/**
 * Issue 5 item 10: `who` is paged, filters by name prefix, and its default view costs the same
 * whatever the crowd. The command runs against a stand-in world whose online list counts how
 * far it is walked, and through the real World for the transcript.
 */
import path from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { PasswordHasher } from "../../src/accounts/passwords.js";
import { FakeClock } from "../../src/reactor/clock.js";
import { line, type GatewayPort, type OutboundMessage, type OutputMessage, type SessionId } from "../../src/session/messages.js";
import { spansText } from "../../src/session/render.js";
import { openMemoryStore } from "../../src/store/sqlite-store.js";
import type { ActionContext, WorldServices } from "../../src/world/actions/action.js";
import { WHO_PAGE_SIZE, who } from "../../src/world/actions/who.js";
import { Thing } from "../../src/world/model/thing.js";
import { Player } from "../../src/world/seats.js";
import { World } from "../../src/world/world.js";
import { loadWorld } from "../../src/world/world-file.js";
import { defaultHasherLimits, defaultWorldOptions } from "../support/default-config.js";

/** Letters-only names, as the name rules require: Aaaa, Aaab, ... */
function nameFor(i: number): string {
  let s = "";
  for (let n = i, k = 0; k < 4; k++, n = Math.floor(n / 26)) s = String.fromCharCode(97 + (n % 26)) + s;
  return `P${s}`;
}

/**
 * Names the name rules accept however strict they get: consonants only (no words), none of the
 * letters that pass for others (l/I, rn/m, vv/w, o/0).
 */
function joinName(i: number): string {
  const letters = "bcdfghjkpqstxz";
  return `Pq${letters[Math.floor(i / letters.length) % letters.length]}${letters[i % letters.length]}`;
}

/** A world of `count` players that counts how many of them a command walks. */
function crowd(count: number) {
  const players = Array.from({ length: count }, (_, i) => {
    const key = nameFor(i).toLowerCase();
    const character = Thing.fromRecord({
      id: `player:${key}`,
      location: null,
      name: nameFor(i),
      keywords: [key],
      description: "",
      facets: { character: { pronouns: "they", player: key } },
    });
    return new Player({ key, name: nameFor(i), role: "player", session: i + 1, door: "line", now: 0, character });
  });
  const said: OutputMessage[] = [];
  let walked = 0;
  const unused = (): never => {
    throw new Error("not used by who");
  };
  const world = {
    *online() {
      for (const p of players) {
        walked++;
        yield p;
      }
    },
    onlineCount: () => players.length,
    now: () => 0,
  } as unknown as WorldServices;
  const run = (args: string): string => {
    walked = 0;
    said.length = 0;
    const ctx: ActionContext = {
      world,
      player: players[0]!,
      actor: players[0]!.character,
      verb: "who",
      args,
      syntax: "who [<query>]",
      slots: args === "" ? {} : { query: args },
      reply: (...spans) => said.push(line(...spans)),
      send: (message) => said.push(message),
      phrase: unused,
      one: unused,
      many: unused,
    };
    who.run(ctx);
    return said.map((m) => spansText(m.spans)).join("\n");
  };
  return { run, walked: () => walked };
}

describe("issue 5 item 10: who is unbounded", () => {
  it("page 1 walks one page and has the same size with 100 or 100,000 online", () => {
    const sizes: number[] = [];
    for (const n of [100, 100_000]) {
      const { run, walked } = crowd(n);
      const text = run("");
      expect(walked()).toBe(WHO_PAGE_SIZE);
      expect(text.split("\n").filter((l) => l.startsWith("  P"))).toHaveLength(WHO_PAGE_SIZE);
      expect(text).toContain(`${n} players online (page 1 of ${Math.ceil(n / WHO_PAGE_SIZE)}):`);
      expect(text).toContain("Type who 2 for more, or who <name> to find someone.");
      sizes.push(Buffer.byteLength(text.replace(/\d+/g, "")));
    }
    expect(sizes[0]).toBe(sizes[1]);
    // 28 KB with 1,000 online before the fix; one page now.
    expect(sizes[1]).toBeLessThan(1500);
  });

  it("who <n> shows page n, the last page is short and has no 'for more'; out of range is told", () => {
    const { run } = crowd(45);
    const page2 = run("2");
    expect(page2).toContain("45 players online (page 2 of 3):");
    expect(page2).toContain(`  ${nameFor(20).padEnd(16)} line`);
    expect(page2).not.toContain(nameFor(19));
    const page3 = run("3");
    expect(page3.split("\n").filter((l) => l.startsWith("  P"))).toHaveLength(5);
    expect(page3).not.toContain("for more");
    expect(run("4")).toBe("There are 3 pages; type who 1 to who 3, or who <name> to find someone.");
    expect(run("0")).toBe("There are 3 pages; type who 1 to who 3, or who <name> to find someone.");
  });

  it("who <prefix> lists matching names, at most a page of them, and counts the rest", () => {
    const { run } = crowd(2000);
    // nameFor(26 * 26 * k + ...) share the prefix "Pab" for k = 1: 676 names.
    const text = run("pab");
    expect(text).toContain(`676 of 2000 players online match "pab":`);
    expect(text.split("\n").filter((l) => l.startsWith("  Pab"))).toHaveLength(WHO_PAGE_SIZE);
    expect(text).toContain(`...and ${676 - WHO_PAGE_SIZE} more; type more letters of the name.`);
    expect(run("paaab")).toBe(`1 of 2000 players online match "paaab":\n  ${nameFor(1).padEnd(16)} line`);
    expect(run("zz")).toBe('No one online has a name beginning with "zz".');
  });

  it("one player online reads as before", () => {
    const { run } = crowd(1);
    expect(run("")).toBe(`1 player online:\n  ${nameFor(0).padEnd(16)} line`);
    expect(run("2")).toBe("There is only one page: type who.");
  });
});

describe("issue 5 item 10: who through the world", () => {
  it("actor reads the first page; nobody else reads anything", async () => {
    const sent: OutboundMessage[] = [];
    const gateway: GatewayPort = { send: (m) => sent.push(m) };
    const textFor = (s: SessionId): string[] =>
      sent.flatMap((m) => (m.type === "deliver" && m.to.includes(s) ? [spansText(m.message.spans)] : []));
    const world = new World({
      definition: loadWorld(path.resolve(import.meta.dirname, "../../config/world")),
      store: openMemoryStore(),
      hasher: new PasswordHasher({ ...defaultHasherLimits, memoryCost: 1024, timeCost: 1, maxConcurrent: 4 }),
      gateway,
      clock: new FakeClock(),
      logger: pino({ level: "silent" }),
      options: defaultWorldOptions({ creationsPerHour: 1000 }),
    });
    const n = 25;
    // One at a time: the hash queue turns away a crowd of logins from one address (issue 5 item 4).
    for (let i = 1; i <= n; i++) {
      world.receive({ type: "connected", session: i, door: "line", peer: "127.0.0.1", caps: { ansi: false, width: 80, height: 24 } });
      world.receive({ type: "line", session: i, text: `create ${joinName(i)} pw-${joinName(i)}-long-enough` });
      await expect.poll(() => world.playerCount).toBe(i);
    }
    sent.length = 0;
    world.receive({ type: "line", session: 1, text: "who" });
    expect(sent).toHaveLength(1);
    const [page] = textFor(1);
    expect(page?.split("\n")[0]).toBe(`${n} players online (page 1 of 2):`);
    expect(page?.split("\n").filter((l) => l.startsWith("  Pq"))).toHaveLength(WHO_PAGE_SIZE);
    expect(textFor(2)).toEqual([]);
    sent.length = 0;
    world.receive({ type: "line", session: 1, text: "who 2" });
    expect(textFor(1)[0]?.split("\n").filter((l) => l.startsWith("  Pq"))).toHaveLength(n - WHO_PAGE_SIZE);
  });
});
