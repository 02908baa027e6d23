/**
 * The conversation at the door, before a session has a character: `create <name> <password>`
 * or `connect <name> <password>` on one line, or the interactive prompts (name, then password
 * with echo off), or a resume token sent out of band (`Loom.Resume.Login`, issue 9). One
 * dialog per session; it ends by handing the world a player record. The dialog keeps the
 * conversation; the checks behind it are login-attempts.ts's and resume-login.ts's.
 */
import { parseName } from "../accounts/names.js";
import { validatePassword } from "../accounts/password-policy.js";
import type { IssuedResumeToken } from "../accounts/resume-tokens.js";
import type { DisconnectReason } from "../reactor/interfaces.js";
import { reason } from "../reactor/interfaces.js";
import type { OutputMessage } from "../session/messages.js";
import { line, prompt, styled } from "../session/messages.js";
import { playerText } from "../session/sanitize.js";
import type { Ban, PlayerRecord } from "../store/store.js";
import { attemptCreation, attemptLogin, checkNewName, type AttemptHost } from "./login-attempts.js";
import type { LoginServices } from "./login-services.js";
import { withReason } from "./moderation.js";
import { attemptResume, type ResumeFailure, type ResumeHost } from "./resume-login.js";

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
  /** How the attempts (login-attempts.ts, resume-login.ts) answer this dialog. */
  readonly #host: AttemptHost & ResumeHost;

  constructor(services: LoginServices, session: DialogSession) {
    this.#services = services;
    this.#session = session;
    this.#host = {
      peer: session.peer,
      busy: () => {
        this.#state = { kind: "busy" };
      },
      admit: (record, resumed) => this.#admit(record, resumed),
      created: (record) => this.#finish(record, true),
      retry: (message) => this.#retry(message),
      logError: (err, what) => session.logError(err, what),
      resumeFailed: (why) => this.#resumeFailed(why),
    };
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
        void attemptLogin(this.#services, this.#host, state.record.name, text, state.record);
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
        void attemptCreation(this.#services, this.#host, state.name, text);
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
    attemptResume(this.#services, this.#host, data);
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
      if (verb === "create") void attemptCreation(this.#services, this.#host, words[1]!, words[2]!);
      else void attemptLogin(this.#services, this.#host, words[1]!, words[2]!, undefined);
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
    const checked = checkNewName(this.#services, text);
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
