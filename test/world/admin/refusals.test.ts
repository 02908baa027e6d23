/**
 * Every admin command is the admins' alone: a player and a builder who try one read "Only
 * admins may use <command>.", nobody else reads anything, and nothing changes — in the store,
 * live, or on the clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ADMIN_ACTIONS } from "../../../src/world/actions/admin.js";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";
import { closeReason, joinAs } from "./admin-world.js";

let tw: TestWorld;
let builder: TestPlayer;
let player: TestPlayer;
let dora: TestPlayer;
let requestShutdown: ReturnType<typeof vi.fn<() => void>>;

beforeEach(async () => {
  requestShutdown = vi.fn<() => void>();
  tw = makeTestWorld({ deps: { requestShutdown } });
  builder = await joinAs(tw, "Bob", "builder");
  player = await tw.join("Carol");
  dora = await tw.join("Dora");
});
afterEach(() => tw.close());

const ATTEMPTS = [
  ["kick", "kick dora go away"],
  ["ban", "ban dora go away"],
  ["unban", "unban dora"],
  ["mute", "mute dora"],
  ["unmute", "unmute dora"],
  ["announce", "announce free gold in the square"],
  ["role", "role carol admin"],
  ["shutdown", "shutdown 0"],
] as const;

describe.each([
  ["a player", () => player],
  ["a builder", () => builder],
])("%s", (_who, actor) => {
  it.each(ATTEMPTS)("is refused %s, and nothing changes", (verb, command) => {
    const typist = actor();
    const read = tw.run(typist, command);
    expect(read[typist.name]).toEqual([`Only admins may use ${verb}.`]);
    for (const [name, lines] of Object.entries(read)) if (name !== typist.name) expect(lines, name).toEqual([]);
    expect(tw.store.findPlayer("dora")).toMatchObject({ ban: null, muted: false, role: "player" });
    expect(tw.store.findPlayer("carol")?.role).toBe("player");
    expect(tw.world.findOnline("dora")?.muted).toBe(false);
    expect(closeReason(tw, dora.session)).toBeUndefined();
    tw.advance(3_600_000);
    expect(requestShutdown).not.toHaveBeenCalled();
  });
});

it("the list above is every admin command", () => {
  expect(ADMIN_ACTIONS.map((a) => a.names[0])).toEqual(ATTEMPTS.map(([verb]) => verb));
  for (const action of ADMIN_ACTIONS) expect(action.role, action.names[0]).toBe("admin");
});

it("help shows the admin commands to admins only", async () => {
  const admin = await tw.join("Erin");
  expect(tw.run(admin, "help").Erin?.some((l) => l.startsWith("  kick"))).toBe(false);
  tw.leave(admin);
  tw.store.setRole("erin", "admin");
  const again = await tw.join("Erin", "line", "connect");
  const list = tw.run(again, "help").Erin ?? [];
  for (const usage of ["kick <name> [reason]", "ban <name> [reason]", "unban <name>", "mute <name>", "unmute <name>", "announce <text>", "role <name> player|builder|admin", "shutdown [seconds | cancel]"]) {
    expect(list.some((l) => l.startsWith(`  ${usage}`)), usage).toBe(true);
  }
});
