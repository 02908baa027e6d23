/**
 * Builders for the building transcripts: a character made, given a role in the store, and
 * logged in again (a role is read at login), as test/world/dispatch.test.ts makes an admin.
 */
import type { Role } from "../../../src/store/store.js";
import type { TestPlayer, TestWorld } from "../../support/transcript.js";

/** Logs `name` in as a new character with `role` (builder by default). */
export async function joinAs(tw: TestWorld, name: string, role: Role = "builder"): Promise<TestPlayer> {
  const first = await tw.join(name);
  tw.leave(first, "quit");
  tw.store.setRole(name.toLowerCase(), role);
  return tw.join(name, "line", "connect");
}
