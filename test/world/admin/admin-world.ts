/**
 * Helpers for the admin commands' transcripts (src/world/actions/admin.ts): a player given a
 * role the way an operator gives it (store.setRole, then logging in again, as roles are read at
 * login), and a login that is expected to be turned away.
 */
import { expect } from "vitest";
import type { DisconnectReason } from "../../../src/reactor/interfaces.js";
import type { Role } from "../../../src/store/store.js";
import type { TestPlayer, TestWorld } from "../../support/transcript.js";

/** Makes `name`, gives them `role` in the store and logs them in again. Do it before others join: they would see the leaving. */
export async function joinAs(tw: TestWorld, name: string, role: Role): Promise<TestPlayer> {
  const first = await tw.join(name);
  tw.leave(first);
  tw.store.setRole(name.toLowerCase(), role);
  return tw.join(name, "line", "connect");
}

/** A connection at the door that has typed nothing yet. */
export function connectAt(tw: TestWorld, session: number): void {
  tw.world.receive({ type: "connected", session, door: "telnet", peer: "127.0.0.1", caps: { ansi: false, width: 80, height: 24 } });
}

/** The reason `session` was closed with, if it was. */
export function closeReason(tw: TestWorld, session: number): DisconnectReason | undefined {
  for (const m of tw.gateway.sent) if (m.type === "close" && m.session === session) return m.reason;
  return undefined;
}

/**
 * Types `lines` at the door of a new connection and waits until the connection is closed;
 * returns what it read after the greeting and why it was closed.
 */
export async function turnedAway(tw: TestWorld, session: number, lines: readonly string[]): Promise<{ read: string[]; reason: DisconnectReason }> {
  connectAt(tw, session);
  const from = tw.gateway.sent.length;
  for (const text of lines) tw.world.receive({ type: "line", session, text });
  await expect.poll(() => closeReason(tw, session)).toBeDefined();
  return { read: tw.gateway.linesFor(session, from), reason: closeReason(tw, session)! };
}
