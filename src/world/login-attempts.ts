/**
 * The two password checks at the door: `connect` (an existing character's password, against
 * the guard's limits and a decoy hash for unknown names) and `create` (a new character's name
 * and password, hashed and stored). Both count the attempt with the guard before hashing, and
 * answer through their dialog ({@link AttemptHost}); the dialog keeps the conversation's state.
 */
import { AccountError } from "../accounts/account-error.js";
import { parseName, validateName } from "../accounts/names.js";
import { validatePassword } from "../accounts/password-policy.js";
import type { IssuedResumeToken } from "../accounts/resume-tokens.js";
import { addressKey } from "../reactor/address-key.js";
import type { PlayerRecord } from "../store/store.js";
import { StoreError } from "../store/store-error.js";
import type { LoginServices } from "./login-services.js";

/** What an attempt does to the dialog it was made in. */
export interface AttemptHost {
  readonly peer: string;
  /** The attempt is counted and a hash is being checked: typed lines are held meanwhile. */
  busy(): void;
  /**
   * An existing character, its password or resume token proved: turned away if banned, else
   * entered. `resumed`: the token issued in place of the one used.
   */
  admit(record: PlayerRecord, resumed?: IssuedResumeToken): void;
  /** A new character was made: entered. */
  created(record: PlayerRecord): void;
  /** Back to the name prompt with `message`. */
  retry(message: string): void;
  /** A failure the world should log (never with a password in it). */
  logError(err: unknown, what: string): void;
}

/** The same words for an unknown name and a wrong password, so the answer reveals neither (A2). */
const BAD_LOGIN = "That name and password do not match.";
/** The hasher's queue, or this address's share of it, is full: not a failure, and not logged (item 4). */
const BUSY = "The server is busy checking other logins; please try again in a moment.";

/**
 * `connect <name> <password>`, or a password typed after a known name (`known`, the record
 * found at the name prompt).
 */
export async function attemptLogin(
  services: LoginServices,
  host: AttemptHost,
  rawName: string,
  password: string,
  known: PlayerRecord | undefined,
): Promise<void> {
  const { store, hasher, guard } = services;
  // The shape only, not the reserved words: a character made before a word was reserved
  // still logs in.
  const checked = parseName(rawName);
  const key = checked.ok ? checked.key : rawName.toLowerCase();
  // Counted now, before the hash: guesses sent at the same instant cannot all be checked (item 4).
  const admission = guard.beginLogin(key, host.peer);
  if (!admission.allowed) {
    host.retry(`Too many failed logins. Try again in ${Math.ceil(admission.retryAfterMs / 1000)} seconds.`);
    return;
  }
  const attempt = admission.attempt;
  host.busy();
  try {
    const record = known ?? (checked.ok ? store.findPlayer(key) : undefined);
    const hash = record?.passwordHash ?? (await services.decoyHash);
    const ok = await hasher.verify(hash, password, addressKey(host.peer));
    if (record === undefined || !ok) {
      attempt.failed();
      host.retry(BAD_LOGIN);
      return;
    }
    attempt.succeeded();
    // Read again: the record found at the name prompt may be older than a ban, a mute or a
    // role an admin set while the password was typed or checked.
    host.admit(store.findPlayer(record.key) ?? record);
  } catch (err) {
    attempt.abandoned();
    if (isBusy(err)) {
      host.retry(BUSY);
      return;
    }
    host.logError(err, "login failed");
    host.retry("Something went wrong checking that login; please try again.");
  }
}

/**
 * Checks a name for a new character: its shape, the reserved words, and whether it reads
 * like an existing character's (issue 5 item 7). The store refuses a look-alike again at
 * insert, for two creations racing.
 */
export function checkNewName(services: LoginServices, rawName: string): ReturnType<typeof validateName> {
  const checked = validateName(rawName, services.reservedNames);
  if (!checked.ok) return checked;
  const existing = services.store.findLookalike(checked.name);
  if (existing === undefined) return checked;
  if (existing.key === checked.key) {
    return { ok: false, error: `The name ${checked.name} is taken. If it is yours, type connect ${checked.name} <password>.` };
  }
  return { ok: false, error: `${checked.name} reads too much like ${existing.name}, who already exists. Please choose another name.` };
}

/** `create <name> <password>`, or the last of the prompts for a new character. */
export async function attemptCreation(services: LoginServices, host: AttemptHost, rawName: string, password: string): Promise<void> {
  const { store, hasher, guard, startRoom, wallClock } = services;
  const name = checkNewName(services, rawName);
  if (!name.ok) {
    host.retry(name.error);
    return;
  }
  const pw = validatePassword(password);
  if (!pw.ok) {
    host.retry(pw.error);
    return;
  }
  // Counted now, before the hash: ten creations sent at once make five characters, not ten (item 4).
  const admission = guard.beginCreation(host.peer);
  if (!admission.allowed) {
    host.retry(`Too many new characters from your address. Try again in ${Math.ceil(admission.retryAfterMs / 1000)} seconds.`);
    return;
  }
  const attempt = admission.attempt;
  host.busy();
  try {
    const passwordHash = await hasher.hash(password, addressKey(host.peer));
    const record = store.createPlayer({ key: name.key, name: name.name, passwordHash, room: startRoom, now: wallClock() });
    attempt.created(record.key);
    host.created(record);
  } catch (err) {
    if (err instanceof StoreError && (err.code === "name-taken" || err.code === "name-confusable")) {
      attempt.refused();
      host.retry(`The name ${name.name} was taken a moment ago. Choose another.`);
      return;
    }
    // Not the player's doing: the creation is given back.
    attempt.abandoned();
    if (isBusy(err)) {
      host.retry(BUSY);
      return;
    }
    host.logError(err, "character creation failed");
    host.retry("Something went wrong creating that character; please try again.");
  }
}

/** The hasher's queue was full: the polite "busy" answer, with nothing logged. */
function isBusy(err: unknown): boolean {
  return err instanceof AccountError && err.code === "hasher-busy";
}
