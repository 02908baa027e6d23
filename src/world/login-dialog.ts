/**
 * The conversation at the door, before a session has a character: `create <name> <password>`
 * or `connect <name> <password>` on one line, or the interactive prompts (name, then password
 * with echo off), or a resume token sent out of band (`Loom.Resume.Login`, issue 9). One
 * dialog per session; it ends by handing the world a player record.
 */
import { AccountError } from "../accounts/account-error.js";
import type { LoginGuard } from "../accounts/login-guard.js";
import type { PasswordHasher } from "../accounts/passwords.js";
import type { IssuedResumeToken, ResumeTokens } from "../accounts/resume-tokens.js";
import { parseName, validateName } from "../accounts/names.js";
import { addressKey } from "../reactor/address-key.js";
import { validatePassword } from "../accounts/password-policy.js";
import type { DisconnectReason } from "../reactor/interfaces.js";
import { reason } from "../reactor/interfaces.js";
import { loomResumeLoginSchema, type ResumeFailureReasons } from "../session/gmcp-packages.js";
import type { OutputMessage } from "../session/messages.js";
import { line, prompt, styled } from "../session/messages.js";
import { playerText } from "../session/sanitize.js";
import type { Ban, PlayerRecord, Store } from "../store/store.js";
import { StoreError } from "../store/store-error.js";
import { withReason } from "./moderation.js";

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

/** What the dialog does to its session. */
export interface DialogSession {
  readonly peer: string;
  send(message: OutputMessage): void;
  /** Sends an out-of-band message to this session (`Loom.Resume.Failed`). */
  oob(channel: string, data: unknown): void;
  echo(on: boolean): void;
  close(why: DisconnectReason): void;
  /**
   * The dialog is over: this session plays `record` now. `typedAhead` holds the lines typed
   * while the password was being checked, to be run as commands in order. `resumed`: the
   * session logged in with a resume token, and this one was issued in its place, for the
   * session to hand to its client once it has entered.
   */
  enter(record: PlayerRecord, created: boolean, typedAhead: readonly string[], resumed?: IssuedResumeToken): void;
  /** A failure the world should log (never with a password in it). */
  logError(err: unknown, what: string): void;
  /**
   * A check that may have been asynchronous (a password hash) is over and the dialog has acted
   * on it: entered, or back at a prompt with the lines typed meanwhile replayed. The world uses
   * it to close a half-closed connection once nothing is pending (issue 5 item 15).
   */
  settled?(): void;
}

type State =
  | { readonly kind: "name" }
  | { readonly kind: "password"; readonly record: PlayerRecord }
  | { readonly kind: "confirm"; readonly name: string; readonly key: string }
  | { readonly kind: "new-password"; readonly name: string; readonly key: string }
  | { readonly kind: "repeat-password"; readonly name: string; readonly key: string; readonly password: string }
  | { readonly kind: "busy" }
  | { readonly kind: "done" }
  /** Turned away (a banned character): the connection is closing, and nothing more is read. */
  | { readonly kind: "closed" };

/** The same words for an unknown name and a wrong password, so the answer reveals neither (A2). */
const BAD_LOGIN = "That name and password do not match.";
/** The hasher's queue, or this address's share of it, is full: not a failure, and not logged (item 4). */
const BUSY = "The server is busy checking other logins; please try again in a moment.";
/** Lines typed while a password is being checked are held, up to this many; the rest are dropped. */
const MAX_HELD_LINES = 8;

/** Why a resume failed, as `Loom.Resume.Failed` says it (src/session/gmcp-packages.ts). */
type ResumeFailure = (typeof ResumeFailureReasons)[number];

const GREETING: OutputMessage = {
  kind: "line",
  spans: [
    styled("title", "Welcome to Loom."),
    "\nA small town of words, shared by everyone connected, however they came in.",
    "\n\nNew here? Type ",
    styled("bold", "create <name> <password>"),
    ".\nBeen here before? Type ",
    styled("bold", "connect <name> <password>"),
    ".\nOr just type your name to be asked step by step.",
  ],
};
const NAME_PROMPT = prompt("Your name: ");

/** One session's login conversation. */
export class LoginDialog {
  readonly #services: LoginServices;
  readonly #session: DialogSession;
  #state: State = { kind: "name" };
  readonly #held: string[] = [];

  constructor(services: LoginServices, session: DialogSession) {
    this.#services = services;
    this.#session = session;
  }

  /** Greets the newcomer. */
  start(): void {
    this.#session.send(GREETING);
    this.#session.send(NAME_PROMPT);
  }

  /** True once a character has been entered. */
  get done(): boolean {
    return this.#state.kind === "done";
  }

  /** True while a password is being checked (or a character made): typed lines are held meanwhile. */
  get busy(): boolean {
    return this.#state.kind === "busy";
  }

  /** One line typed at the door. */
  input(text: string): void {
    const state = this.#state;
    switch (state.kind) {
      case "busy":
        if (this.#held.length < MAX_HELD_LINES) this.#held.push(text);
        return;
      case "done":
      case "closed":
        return;
      case "name":
        this.#atName(text.trim());
        return;
      case "password":
        this.#echoBack();
        void this.#connect(state.record.name, text, state.record);
        return;
      case "confirm":
        this.#atConfirm(state.name, state.key, text.trim().toLowerCase());
        return;
      case "new-password":
        this.#echoBack();
        this.#atNewPassword(state.name, state.key, text);
        return;
      case "repeat-password":
        this.#echoBack();
        if (text !== state.password) {
          this.#session.send(line(styled("error", "The passwords differ. Let's try again.")));
          this.#askNewPassword(state.name, state.key);
          return;
        }
        void this.#create(state.name, text);
        return;
      default: {
        const unreachable: never = state;
        throw new Error(`unknown dialog state ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /**
   * `Loom.Resume.Login { token }` (issue 9): at the name prompt, the token stands for name and
   * password, and a good one logs its character in exactly as a password would (the ban check,
   * the takeover of an older connection, the welcome). Every attempt counts against the
   * address's login limit (A2) and uses the token up; a failure answers `Loom.Resume.Failed`
   * only, and the prompt carries on as if nothing had been sent. Anywhere else in the dialog
   * (a password being typed or checked) the token is left alone.
   */
  resume(data: unknown): void {
    const state = this.#state;
    if (state.kind === "done" || state.kind === "closed") return;
    if (state.kind !== "name") {
      this.#resumeFailed(state.kind === "busy" ? "busy" : "invalid");
      return;
    }
    const { store, guard, resume } = this.#services;
    const admission = guard.beginResume(this.#session.peer);
    if (!admission.allowed) {
      this.#resumeFailed("busy");
      return;
    }
    const attempt = admission.attempt;
    const parsed = loomResumeLoginSchema.safeParse(data);
    if (!parsed.success) {
      attempt.failed();
      this.#resumeFailed("invalid");
      return;
    }
    try {
      const rotated = resume.rotate(parsed.data.token);
      if (!rotated.ok) {
        attempt.failed();
        this.#resumeFailed(rotated.reason);
        return;
      }
      attempt.succeeded();
      const record = store.findPlayer(rotated.playerKey);
      // Unreachable while tokens go with their player (ON DELETE CASCADE); a guard all the same.
      if (record === undefined) {
        resume.revoke([rotated.next.tokenHash]);
        this.#resumeFailed("invalid");
        return;
      }
      this.#admit(record, rotated.next);
    } catch (err) {
      // The store failed (locked by a backup): not the client's doing, and not counted.
      attempt.abandoned();
      this.#session.logError(err, "resume failed");
      this.#resumeFailed("busy");
    }
  }

  #resumeFailed(reason: ResumeFailure): void {
    this.#session.oob("Loom.Resume.Failed", { reason });
  }

  #atName(text: string): void {
    if (text === "") {
      this.#session.send(NAME_PROMPT);
      return;
    }
    const words = text.split(/\s+/);
    const verb = words[0]!.toLowerCase();
    if (verb === "quit") {
      this.#session.send(line("Goodbye."));
      this.#session.close(reason("quit", "quit at the login prompt"));
      return;
    }
    if (verb === "create" || verb === "connect") {
      if (words.length !== 3) {
        this.#session.send(line(styled("error", `Type: ${verb} <name> <password> (a password is one word).`)));
        this.#session.send(NAME_PROMPT);
        return;
      }
      if (verb === "create") void this.#create(words[1]!, words[2]!);
      else void this.#connect(words[1]!, words[2]!, undefined);
      return;
    }
    if (words.length > 1) {
      this.#session.send(line(styled("error", "A name is one word. Or type create <name> <password>.")));
      this.#session.send(NAME_PROMPT);
      return;
    }
    const parsed = parseName(text);
    const record = parsed.ok ? this.#services.store.findPlayer(parsed.key) : undefined;
    if (record !== undefined) {
      this.#state = { kind: "password", record };
      this.#askSecret("Password: ");
      return;
    }
    const checked = this.#newName(text);
    if (!checked.ok) {
      this.#session.send(line(styled("error", checked.error)));
      this.#session.send(NAME_PROMPT);
      return;
    }
    this.#state = { kind: "confirm", name: checked.name, key: checked.key };
    this.#session.send(prompt(`No one is called ${checked.name} yet. Create ${checked.name}? (yes/no) `));
  }

  #atConfirm(name: string, key: string, answer: string): void {
    if (answer === "y" || answer === "yes") {
      this.#askNewPassword(name, key);
      return;
    }
    this.#state = { kind: "name" };
    this.#session.send(NAME_PROMPT);
  }

  #askNewPassword(name: string, key: string): void {
    this.#state = { kind: "new-password", name, key };
    this.#askSecret(`Choose a password for ${name}: `);
  }

  #atNewPassword(name: string, key: string, password: string): void {
    const checked = validatePassword(password);
    if (!checked.ok) {
      this.#session.send(line(styled("error", checked.error)));
      this.#askSecret(`Choose a password for ${name}: `);
      return;
    }
    this.#state = { kind: "repeat-password", name, key, password };
    this.#askSecret("Repeat the password: ");
  }

  /** Echo off while a secret is typed (telnet WILL ECHO; hardening T9). */
  #askSecret(text: string): void {
    this.#session.echo(false);
    this.#session.send(prompt(text));
  }

  /** Echo back on once the secret line has arrived. */
  #echoBack(): void {
    this.#session.echo(true);
  }

  async #connect(rawName: string, password: string, known: PlayerRecord | undefined): Promise<void> {
    const { store, hasher, guard } = this.#services;
    // The shape only, not the reserved words: a character made before a word was reserved
    // still logs in.
    const checked = parseName(rawName);
    const key = checked.ok ? checked.key : rawName.toLowerCase();
    // Counted now, before the hash: guesses sent at the same instant cannot all be checked (item 4).
    const admission = guard.beginLogin(key, this.#session.peer);
    if (!admission.allowed) {
      this.#retry(`Too many failed logins. Try again in ${Math.ceil(admission.retryAfterMs / 1000)} seconds.`);
      return;
    }
    const attempt = admission.attempt;
    this.#state = { kind: "busy" };
    try {
      const record = known ?? (checked.ok ? store.findPlayer(key) : undefined);
      const hash = record?.passwordHash ?? (await this.#services.decoyHash);
      const ok = await hasher.verify(hash, password, addressKey(this.#session.peer));
      if (record === undefined || !ok) {
        attempt.failed();
        this.#retry(BAD_LOGIN);
        return;
      }
      attempt.succeeded();
      // Read again: the record found at the name prompt may be older than a ban, a mute or a
      // role an admin set while the password was typed or checked.
      this.#admit(store.findPlayer(record.key) ?? record, undefined);
    } catch (err) {
      attempt.abandoned();
      if (isBusy(err)) {
        this.#retry(BUSY);
        return;
      }
      this.#session.logError(err, "login failed");
      this.#retry("Something went wrong checking that login; please try again.");
    }
  }

  /**
   * Checks a name for a new character: its shape, the reserved words, and whether it reads
   * like an existing character's (issue 5 item 7). The store refuses a look-alike again at
   * insert, for two creations racing.
   */
  #newName(rawName: string): ReturnType<typeof validateName> {
    const checked = validateName(rawName, this.#services.reservedNames);
    if (!checked.ok) return checked;
    const existing = this.#services.store.findLookalike(checked.name);
    if (existing === undefined) return checked;
    if (existing.key === checked.key) {
      return { ok: false, error: `The name ${checked.name} is taken. If it is yours, type connect ${checked.name} <password>.` };
    }
    return { ok: false, error: `${checked.name} reads too much like ${existing.name}, who already exists. Please choose another name.` };
  }

  async #create(rawName: string, password: string): Promise<void> {
    const { store, hasher, guard, startRoom, wallClock } = this.#services;
    const name = this.#newName(rawName);
    if (!name.ok) {
      this.#retry(name.error);
      return;
    }
    const pw = validatePassword(password);
    if (!pw.ok) {
      this.#retry(pw.error);
      return;
    }
    // Counted now, before the hash: ten creations sent at once make five characters, not ten (item 4).
    const admission = guard.beginCreation(this.#session.peer);
    if (!admission.allowed) {
      this.#retry(`Too many new characters from your address. Try again in ${Math.ceil(admission.retryAfterMs / 1000)} seconds.`);
      return;
    }
    const attempt = admission.attempt;
    this.#state = { kind: "busy" };
    try {
      const passwordHash = await hasher.hash(password, addressKey(this.#session.peer));
      const record = store.createPlayer({ key: name.key, name: name.name, passwordHash, room: startRoom, now: wallClock() });
      attempt.created(record.key);
      this.#finish(record, true);
    } catch (err) {
      if (err instanceof StoreError && (err.code === "name-taken" || err.code === "name-confusable")) {
        attempt.refused();
        this.#retry(`The name ${name.name} was taken a moment ago. Choose another.`);
        return;
      }
      // Not the player's doing: the creation is given back.
      attempt.abandoned();
      if (isBusy(err)) {
        this.#retry(BUSY);
        return;
      }
      this.#session.logError(err, "character creation failed");
      this.#retry("Something went wrong creating that character; please try again.");
    }
  }

  /**
   * An existing character, its password or resume token proved: turned away if banned, else
   * entered. The one way in for both, so a resume is a login in every respect (issue 9).
   */
  #admit(record: PlayerRecord, resumed: IssuedResumeToken | undefined): void {
    // Only now, with the password proved: a ban told before would say the name exists (A2).
    if (record.ban !== null) {
      if (resumed !== undefined) this.#services.resume.revoke([resumed.tokenHash]);
      this.#turnAway(record.ban);
      return;
    }
    this.#finish(record, false, resumed);
  }

  #finish(record: PlayerRecord, created: boolean, resumed?: IssuedResumeToken): void {
    this.#state = { kind: "done" };
    this.#session.enter(record, created, this.#held.splice(0), resumed);
    this.#session.settled?.();
  }

  /** A banned character: told why, and the connection closed; what was typed meanwhile is dropped. */
  #turnAway(ban: Ban): void {
    this.#state = { kind: "closed" };
    this.#held.splice(0);
    this.#session.send(line(styled("error", bannedNotice(ban))));
    this.#session.close(reason("refused", "the character is banned"));
    this.#session.settled?.();
  }

  /** Back to the name prompt with a message, then replays what was typed meanwhile. */
  #retry(message: string): void {
    this.#state = { kind: "name" };
    this.#session.send(line(styled("error", message)));
    this.#session.send(NAME_PROMPT);
    const held = this.#held.splice(0);
    for (const text of held) this.input(text);
    this.#session.settled?.();
  }
}

/**
 * "This character is banned: spamming." The reason is sanitised again, as an operator's tool
 * may have stored it.
 */
function bannedNotice(ban: Ban): string {
  return withReason("This character is banned", playerText(ban.reason));
}

/** The hasher's queue was full: the polite "busy" answer, with nothing logged. */
function isBusy(err: unknown): boolean {
  return err instanceof AccountError && err.code === "hasher-busy";
}
