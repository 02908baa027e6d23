/**
 * A login by resume token (issue 9, docs/web-client.md, "Resume tokens"): the client sends
 * `Loom.Resume.Login { token }` at the name prompt instead of a name and a password. The token
 * is checked and used up, a fresh one is issued in its place, and the character goes in by the
 * same door as a password login (the dialog's ban check, the takeover, the welcome).
 */
import { loomResumeLoginSchema, type ResumeFailureReasons } from "../session/gmcp-packages.js";
import type { AttemptHost } from "./login-attempts.js";
import type { LoginServices } from "./login-services.js";

/** Why a resume failed, as `Loom.Resume.Failed` says it (src/session/gmcp-packages.ts). */
export type ResumeFailure = (typeof ResumeFailureReasons)[number];

/** What a resume does to the dialog it was made in. */
export interface ResumeHost extends Pick<AttemptHost, "peer" | "admit" | "logError"> {
  /** Answers `Loom.Resume.Failed { reason }` and nothing else: the prompt carries on. */
  resumeFailed(reason: ResumeFailure): void;
}

/**
 * `Loom.Resume.Login` at the name prompt, with whatever the client sent as `data`. Every
 * attempt counts against the address's login limit (A2) and uses the token up; a good one is
 * admitted with the token issued in its place, a bad one answered with the reason only.
 */
export function attemptResume(services: LoginServices, host: ResumeHost, data: unknown): void {
  const { store, guard, resume } = services;
  const admission = guard.beginResume(host.peer);
  if (!admission.allowed) {
    host.resumeFailed("busy");
    return;
  }
  const attempt = admission.attempt;
  const parsed = loomResumeLoginSchema.safeParse(data);
  if (!parsed.success) {
    attempt.failed();
    host.resumeFailed("invalid");
    return;
  }
  try {
    const rotated = resume.rotate(parsed.data.token);
    if (!rotated.ok) {
      attempt.failed();
      host.resumeFailed(rotated.reason);
      return;
    }
    attempt.succeeded();
    const record = store.findPlayer(rotated.playerKey);
    // Unreachable while tokens go with their player (ON DELETE CASCADE); a guard all the same.
    if (record === undefined) {
      resume.revoke([rotated.next.tokenHash]);
      host.resumeFailed("invalid");
      return;
    }
    host.admit(record, rotated.next);
  } catch (err) {
    // The store failed (locked by a backup): not the client's doing, and not counted.
    attempt.abandoned();
    host.logError(err, "resume failed");
    host.resumeFailed("busy");
  }
}
