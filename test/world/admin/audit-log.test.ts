/**
 * Every admin command is logged with who did it, to whom and why (issue 7: "Promotions, bans,
 * kicks and shutdowns are logged with who did them"), at info or warn, under the world's
 * `moderation` subsystem, with the reason as sanitised and bounded as the players read it.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { createLogger } from "../../../src/logging.js";
import { captureLogs, type CapturedLogs } from "../../support/logs.js";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../../support/transcript.js";
import { joinAs } from "./admin-world.js";

let tw: TestWorld;
let logs: CapturedLogs;
let alice: TestPlayer;

beforeEach(async () => {
  logs = captureLogs();
  tw = makeTestWorld({ deps: { logger: createLogger("trace", logs.sink) } });
  alice = await joinAs(tw, "Alice", "admin");
  await tw.join("Bob");
  await tw.join("Carol");
});
afterEach(() => tw.close());

/** The moderation log records, without pino's own fields. */
function audit(): Record<string, unknown>[] {
  return logs
    .records()
    .filter((r) => r["subsystem"] === "moderation")
    .map(({ level, msg, admin, target, reason, to, from, text, seconds }) => ({ level, msg, admin, target, reason, to, from, text, seconds }))
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
}

const INFO = 30;
const WARN = 40;

it("each command, with who, to whom and why", () => {
  tw.run(alice, "mute bob");
  tw.run(alice, "unmute bob");
  tw.run(alice, "role carol builder");
  tw.run(alice, "announce Hello \u001b[2Jall");
  tw.run(alice, "kick carol rude\u0007   words");
  tw.run(alice, "ban bob cheating");
  tw.run(alice, "unban bob");
  tw.run(alice, "shutdown 5");
  tw.run(alice, "shutdown cancel");
  tw.run(alice, "shutdown 0");
  tw.advance(0);
  expect(audit()).toEqual([
    { level: INFO, msg: "mute", admin: "alice", target: "bob" },
    { level: INFO, msg: "unmute", admin: "alice", target: "bob" },
    { level: WARN, msg: "role changed", admin: "alice", target: "carol", from: "player", to: "builder" },
    { level: INFO, msg: "announcement", admin: "alice", text: "Hello all" },
    { level: WARN, msg: "kick", admin: "alice", target: "carol", reason: "rude words" },
    { level: WARN, msg: "ban", admin: "alice", target: "bob", reason: "cheating" },
    { level: INFO, msg: "unban", admin: "alice", target: "bob" },
    { level: WARN, msg: "shutdown countdown started", admin: "alice", seconds: 5 },
    { level: WARN, msg: "shutdown cancelled", admin: "alice" },
    { level: WARN, msg: "shutdown countdown started", admin: "alice", seconds: 0 },
    { level: WARN, msg: "shutdown countdown over: stopping the server" },
  ]);
});

it("a refused command logs nothing", () => {
  tw.run(alice, "kick zed");
  tw.run(alice, "role alice player");
  tw.run(alice, `ban bob ${"x".repeat(201)}`);
  expect(audit()).toEqual([]);
});
