/**
 * The conversation at the door, before a session has a character: `create <name> <password>`
 * or `connect <name> <password>` on one line, or the interactive prompts (name, then password
 * with echo off). One dialog per session; it ends by handing the world a player record.
 */
import type { PasswordHasher } from "../accounts/passwords.js";
import type { LoginThrottle } from "../accounts/throttle.js";
import { validateName } from "../accounts/names.js";
import { validatePassword } from "../accounts/password-policy.js";
import type { DisconnectReason } from "../reactor/interfaces.js";
import { reason } from "../reactor/interfaces.js";
import type { OutputMessage } from "../session/messages.js";
import { line, prompt, styled } from "../session/messages.js";
import type { PlayerRecord, Store } from "../store/store.js";
import { StoreError } from "../store/store-error.js";

/** What a dialog needs from the world around it. */
export interface LoginServices {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  /** Failed logins per address (hardening A2). */
  readonly addressThrottle: LoginThrottle;
  /** Failed logins per account (hardening A2). */
  readonly accountThrottle: LoginThrottle;
  /** Character creations per address (hardening A3). */
  readonly createThrottle: LoginThrottle;
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
  echo(on: boolean): void;
  close(why: DisconnectReason): void;
  /**
   * The dialog is over: this session plays `record` now. `typedAhead` holds the lines typed
   * while the password was being checked, to be run as commands in order.
   */
  enter(record: PlayerRecord, created: boolean, typedAhead: readonly string[]): void;
  /** A failure the world should log (never with a password in it). */
  logError(err: unknown, what: string): void;
}

type State =
  | { readonly kind: "name" }
  | { readonly kind: "password"; readonly record: PlayerRecord }
  | { readonly kind: "confirm"; readonly name: string; readonly key: string }
  | { readonly kind: "new-password"; readonly name: string; readonly key: string }
  | { readonly kind: "repeat-password"; readonly name: string; readonly key: string; readonly password: string }
  | { readonly kind: "busy" }
  | { readonly kind: "done" };

/** The same words for an unknown name and a wrong password, so the answer reveals neither (A2). */
const BAD_LOGIN = "That name and password do not match.";
/** Lines typed while a password is being checked are held, up to this many; the rest are dropped. */
const MAX_HELD_LINES = 8;

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

  /** One line typed at the door. */
  input(text: string): void {
    const state = this.#state;
    switch (state.kind) {
      case "busy":
        if (this.#held.length < MAX_HELD_LINES) this.#held.push(text);
        return;
      case "done":
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
    const checked = validateName(text);
    if (!checked.ok) {
      this.#session.send(line(styled("error", checked.error)));
      this.#session.send(NAME_PROMPT);
      return;
    }
    const record = this.#services.store.findPlayer(checked.key);
    if (record !== undefined) {
      this.#state = { kind: "password", record };
      this.#askSecret("Password: ");
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
    const { store, hasher, addressThrottle, accountThrottle } = this.#services;
    const checked = validateName(rawName);
    const key = checked.ok ? checked.key : rawName.toLowerCase();
    const byAddress = addressThrottle.check(this.#session.peer);
    const byAccount = accountThrottle.check(key);
    if (!byAddress.allowed || !byAccount.allowed) {
      const wait = Math.ceil(Math.max(retryAfter(byAddress), retryAfter(byAccount)) / 1000);
      this.#retry(`Too many failed logins. Try again in ${wait} seconds.`);
      return;
    }
    this.#state = { kind: "busy" };
    try {
      const record = known ?? (checked.ok ? store.findPlayer(key) : undefined);
      const ok = await hasher.verify(record?.passwordHash ?? (await this.#services.decoyHash), password);
      if (record === undefined || !ok) {
        addressThrottle.fail(this.#session.peer);
        accountThrottle.fail(key);
        this.#retry(BAD_LOGIN);
        return;
      }
      addressThrottle.succeed(this.#session.peer);
      accountThrottle.succeed(key);
      this.#finish(record, false);
    } catch (err) {
      this.#session.logError(err, "login failed");
      this.#retry("Something went wrong checking that login; please try again.");
    }
  }

  async #create(rawName: string, password: string): Promise<void> {
    const { store, hasher, createThrottle, startRoom, wallClock } = this.#services;
    const name = validateName(rawName);
    if (!name.ok) {
      this.#retry(name.error);
      return;
    }
    const pw = validatePassword(password);
    if (!pw.ok) {
      this.#retry(pw.error);
      return;
    }
    if (store.findPlayer(name.key) !== undefined) {
      this.#retry(`The name ${name.name} is taken. If it is yours, type connect ${name.name} <password>.`);
      return;
    }
    const allowed = createThrottle.check(this.#session.peer);
    if (!allowed.allowed) {
      this.#retry(`Too many new characters from your address. Try again in ${Math.ceil(retryAfter(allowed) / 1000)} seconds.`);
      return;
    }
    this.#state = { kind: "busy" };
    try {
      const passwordHash = await hasher.hash(password);
      // Counted as a "failure" of the creation throttle: every creation spends the allowance.
      createThrottle.fail(this.#session.peer);
      const record = store.createPlayer({ key: name.key, name: name.name, passwordHash, room: startRoom, now: wallClock() });
      this.#finish(record, true);
    } catch (err) {
      if (err instanceof StoreError && err.code === "name-taken") {
        this.#retry(`The name ${name.name} was taken a moment ago. Choose another.`);
        return;
      }
      this.#session.logError(err, "character creation failed");
      this.#retry("Something went wrong creating that character; please try again.");
    }
  }

  #finish(record: PlayerRecord, created: boolean): void {
    this.#state = { kind: "done" };
    this.#session.enter(record, created, this.#held.splice(0));
  }

  /** Back to the name prompt with a message, then replays what was typed meanwhile. */
  #retry(message: string): void {
    this.#state = { kind: "name" };
    this.#session.send(line(styled("error", message)));
    this.#session.send(NAME_PROMPT);
    const held = this.#held.splice(0);
    for (const text of held) this.input(text);
  }
}

function retryAfter(result: { allowed: true } | { allowed: false; retryAfterMs: number }): number {
  return result.allowed ? 0 : result.retryAfterMs;
}
