/**
 * The resume token (issue 9) in the browser's storage under `loom.resume`: what lets a dropped
 * page come back as the same character without the password. The server issues it at login
 * (`Loom.Resume.Token`), keeps only its hash, and takes it once; the page keeps the latest,
 * forgets it at `quit` and on `Loom.Resume.Failed`, and never sends one that has expired.
 * Pure over a Storage-like interface (test/web/resume-store.test.ts).
 */
import type { KeyValueStorage } from "./history-store.js";

/** The storage key of the token. */
export const RESUME_KEY = "loom.resume";

/** Longest token kept: the server's are 43 characters (32 bytes, base64url). */
export const MAX_TOKEN_LENGTH = 512;

/** A token and when it stops working (Unix ms). */
export interface ResumeToken {
  readonly token: string;
  readonly expiresAt: number;
}

/** Whether `value` is a well-formed token record. */
export function isResumeToken(value: unknown): value is ResumeToken {
  if (typeof value !== "object" || value === null) return false;
  const record = value as { token?: unknown; expiresAt?: unknown };
  return (
    typeof record.token === "string" &&
    record.token.length > 0 &&
    record.token.length <= MAX_TOKEN_LENGTH &&
    typeof record.expiresAt === "number" &&
    Number.isFinite(record.expiresAt)
  );
}

/** The stored token, reading storage safely; a garbled or failing storage holds none. */
export class ResumeStore {
  readonly #storage: KeyValueStorage | undefined;

  constructor(storage: KeyValueStorage | undefined) {
    this.#storage = storage;
  }

  /** The stored token if it has not expired at `now` (an expired one is removed). */
  current(now: number): ResumeToken | undefined {
    let raw: string | null;
    try {
      raw = this.#storage?.getItem(RESUME_KEY) ?? null;
    } catch {
      return undefined;
    }
    if (raw === null) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (!isResumeToken(value) || value.expiresAt <= now) {
      this.clear();
      return undefined;
    }
    return { token: value.token, expiresAt: value.expiresAt };
  }

  /** Keeps `token`, replacing any older one. */
  save(token: ResumeToken): void {
    try {
      this.#storage?.setItem(RESUME_KEY, JSON.stringify({ token: token.token, expiresAt: token.expiresAt }));
    } catch {
      // Without storage there is no resume; the password still works.
    }
  }

  /** Forgets the token (quit, a failed resume). */
  clear(): void {
    try {
      this.#storage?.removeItem(RESUME_KEY);
    } catch {
      // Nothing stored, nothing to forget.
    }
  }
}
