/**
 * Resume tokens in the world, with no sockets (issue 9): where in the login dialog a token is
 * read and where it is left alone, how many a connection is handed, and that GMCP's
 * case-insensitive names reach it. The transport-level flows are in
 * test/integration/resume-tokens.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import { GmcpServerMessages, type loomResumeTokenSchema } from "../../src/session/gmcp-packages.js";
import type { SessionId } from "../../src/session/messages.js";
import type { ResumeTokenMessage } from "../../src/world/session-resume.js";
import { defaultAccounts } from "../support/default-config.js";
import { makeTestWorld, type TestWorld } from "../support/transcript.js";

/** True when each type is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time: `npx tsc` fails here if the payload the world sends and its schema drift apart.
const agreement: Same<ResumeTokenMessage, z.output<typeof loomResumeTokenSchema>> = true;

let t: TestWorld;
let nextSession = 1000;

beforeEach(() => {
  t = makeTestWorld();
});

afterEach(() => {
  t.close();
});

function oob(session: SessionId, channel: string, data: unknown): void {
  t.world.receive({ type: "oob", session, channel, data });
}

/** The tokens handed to `session` since `from`. */
function tokensFor(session: SessionId, from = 0): string[] {
  return t.gateway.oobFor(session, from).flatMap((m) => (m.channel === "Loom.Resume.Token" ? [GmcpServerMessages["Loom.Resume.Token"].schema.parse(m.data).token] : []));
}

function failuresFor(session: SessionId, from = 0): string[] {
  return t.gateway.oobFor(session, from).flatMap((m) => (m.channel === "Loom.Resume.Failed" ? [GmcpServerMessages["Loom.Resume.Failed"].schema.parse(m.data).reason] : []));
}

/** A new connection at the login prompt. */
function connect(): SessionId {
  const session = nextSession++;
  t.world.receive({ type: "connected", session, door: "websocket", peer: "127.0.0.1", caps: { ansi: false, width: 80, height: 24 } });
  return session;
}

/** Alice logs in, asks for a resume token and leaves: the token, for a later connection to present. */
async function tokenAliceLeftWith(): Promise<string | undefined> {
  const alice = await t.join("Alice");
  oob(alice.session, "Loom.Resume.Ask", {});
  const [token] = tokensFor(alice.session);
  t.leave(alice);
  return token;
}

describe("Loom.Resume.Ask", () => {
  it("sends the payload its schema describes", () => {
    expect(agreement).toBe(true);
  });

  it(`a connection is handed at most maxResumeTokensPerPlayer (${defaultAccounts.maxResumeTokensPerPlayer}) tokens; one more ask is ignored`, async () => {
    const alice = await t.join("Alice");
    const max = defaultAccounts.maxResumeTokensPerPlayer;
    for (let i = 0; i < max; i++) oob(alice.session, "Loom.Resume.Ask", {});
    expect(tokensFor(alice.session)).toHaveLength(max);
    const from = t.gateway.sent.length;
    oob(alice.session, "Loom.Resume.Ask", {});
    expect(tokensFor(alice.session, from)).toEqual([]);
  });

  it("is read case-insensitively, with no body or {}; anything else, or before login, gets nothing", async () => {
    const door = connect();
    oob(door, "Loom.Resume.Ask", {});
    expect(t.gateway.oobFor(door)).toEqual([]);
    const alice = await t.join("Alice");
    oob(alice.session, "loom.resume.ask", undefined);
    oob(alice.session, "LOOM.RESUME.ASK", {});
    const from = t.gateway.sent.length;
    oob(alice.session, "Loom.Resume.Ask", "please");
    oob(alice.session, "Loom.Resume.Ask", [1]);
    expect(tokensFor(alice.session)).toHaveLength(2);
    expect(tokensFor(alice.session, from)).toEqual([]);
  });
});

describe("Loom.Resume.Login in the dialog", () => {
  it("logs in at the name prompt, with the same welcome as a password", async () => {
    const token = await tokenAliceLeftWith();
    const door = connect();
    oob(door, "Loom.Resume.Login", { token });
    expect(t.gateway.linesFor(door).some((l) => l.startsWith("Welcome, Alice."))).toBe(true);
    expect(tokensFor(door)).toHaveLength(1);
  });

  it("after a name was typed (the password prompt) it fails as invalid and leaves the token unused", async () => {
    const token = await tokenAliceLeftWith();
    const door = connect();
    t.world.receive({ type: "line", session: door, text: "Alice" });
    oob(door, "Loom.Resume.Login", { token });
    expect(failuresFor(door)).toEqual(["invalid"]);
    const other = connect();
    oob(other, "Loom.Resume.Login", { token });
    expect(failuresFor(other)).toEqual([]);
    expect(tokensFor(other)).toHaveLength(1);
  });

  it("while a password is being checked it fails as busy, and the password login goes on", async () => {
    const token = await tokenAliceLeftWith();
    const door = connect();
    t.world.receive({ type: "line", session: door, text: "connect Alice pw-Alice-secret" });
    oob(door, "Loom.Resume.Login", { token });
    expect(failuresFor(door)).toEqual(["busy"]);
    await expect.poll(() => t.gateway.linesFor(door).some((l) => l.startsWith("Welcome, Alice."))).toBe(true);
    // Logged in by password: not handed a token (it did not ask), and the token is still good.
    expect(tokensFor(door)).toEqual([]);
    const other = connect();
    oob(other, "Loom.Resume.Login", { token });
    expect(tokensFor(other)).toHaveLength(1);
  });

  it("a banned character's tokens are gone: invalid, and no hint that the name exists", async () => {
    const token = await tokenAliceLeftWith();
    t.store.setBan("alice", { reason: "spam", by: "operator", at: 1 });
    const door = connect();
    oob(door, "Loom.Resume.Login", { token });
    expect(failuresFor(door)).toEqual(["invalid"]);
    expect(t.gateway.linesFor(door).join("\n")).not.toContain("banned");
  });
});
