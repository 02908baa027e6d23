/**
 * What the login dialog needs from the world around it (the store, the hasher, the guard on
 * attempts, the resume tokens, the words no new character may take), and how the world builds
 * it from its parts and the operator's settings.
 */
import { randomUUID } from "node:crypto";
import { LoginGuard } from "../accounts/login-guard.js";
import type { PasswordHasher } from "../accounts/passwords.js";
import { ResumeTokens } from "../accounts/resume-tokens.js";
import type { Clock } from "../reactor/clock.js";
import type { Store } from "../store/store.js";
import type { Thing } from "./model/thing.js";
import type { WorldOptions } from "./world-options.js";

/** What a dialog needs from the world around it. */
export interface LoginServices {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  /** Who may try a password or make a character now (hardening A2, A3; issue 5 items 4, 5). */
  readonly guard: LoginGuard;
  /** The resume tokens a client may log in with instead of a password (issue 9). */
  readonly resume: ResumeTokens;
  /**
   * Lowercase words no new character may be called besides names.ts's own list: the world's
   * command names and exit names (issue 5 item 7).
   */
  readonly reservedNames: ReadonlySet<string>;
  /** Where new characters start. */
  readonly startRoom: string;
  /** Wall-clock milliseconds, for account timestamps. */
  readonly wallClock: () => number;
  /**
   * A real hash of a random password, checked when the name is unknown so that both answers
   * cost the same (A2: no timing oracle for which names exist).
   */
  readonly decoyHash: Promise<string>;
}

/** What {@link loginServices} builds from. */
export interface LoginServicesDeps {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly wallClock: () => number;
  readonly options: WorldOptions;
  /** Every command name and alias the world's actions answer to. */
  readonly commandNames: Iterable<string>;
  /** Every thing in the live world, for its exits' and characters' words. */
  readonly things: Iterable<Thing>;
  /** Where new characters start. */
  readonly startRoom: string;
}

/**
 * The dialogs' services, built once for the world: one guard and one set of resume tokens for
 * every connection, and the decoy hash started now so the first unknown name does not wait.
 */
export function loginServices(deps: LoginServicesDeps): LoginServices {
  const { store, hasher, clock, wallClock, options } = deps;
  const decoyHash = hasher.hash(randomUUID());
  decoyHash.catch(() => {}); // a failure surfaces where it is awaited
  return {
    store,
    hasher,
    guard: new LoginGuard({
      clock,
      failedLoginsPerMinute: options.failedLoginsPerMinute,
      failedLoginsPerAddressPerMinute: options.failedLoginsPerAddressPerMinute,
      accountFreeAttempts: options.accountFreeAttempts,
      accountBackoffMaxSeconds: options.accountBackoffMaxSeconds,
      creationsPerHour: options.creationsPerHour,
    }),
    resume: new ResumeTokens({
      store,
      now: wallClock,
      lifetimeSeconds: options.resumeTokenSeconds,
      maxPerPlayer: options.maxResumeTokensPerPlayer,
    }),
    reservedNames: reservedNames(deps.commandNames, deps.things),
    startRoom: deps.startRoom,
    wallClock,
    decoyHash,
  };
}

/**
 * Words no new character may be called because the world reads them as commands or names:
 * every command name and alias, every exit a room names ("in", "bridge", "gate"; issue 5
 * item 7), and the words of the world's own characters ("marta").
 */
function reservedNames(commandNames: Iterable<string>, things: Iterable<Thing>): ReadonlySet<string> {
  const words = new Set<string>(commandNames);
  for (const thing of things) {
    if (thing.exit !== undefined) words.add(thing.exit.direction);
    if (thing.character !== undefined) for (const word of thing.keywords) words.add(word);
  }
  return words;
}
