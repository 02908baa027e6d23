/**
 * The owner of the account the login storm guesses at (issue 5 items 4 and 5): a normal player
 * who is offline, creates the character once before the attacks, and then every 5 s tries
 * `connect <name> <password>` with the right password from an address of their own (127.3.0.1),
 * `quit`s, and counts how it went. A storm from strangers should slow guessers down without
 * locking the owner out or making their login wait behind every guess.
 */
import { LOGIN_REFUSED, displayName, openClient } from "./soak-clients.js";
import type { LoomPorts } from "./soak-server.js";

/** How the owner's logins went. */
export interface OwnerFigures {
  readonly name: string;
  readonly attempts: number;
  readonly ok: number;
  /** Refusals, by the words of the answer ("Too many failed logins", "busy", timeouts...). */
  readonly refused: Readonly<Record<string, number>>;
  /** Times of the successful logins, ms, ascending. */
  readonly latencies: readonly number[];
}

const OWNER_ADDRESS = "127.3.0.1";

/** One login (or creation) on the line door: resolves "" once welcomed, or what went wrong. */
function loginOnce(port: number, command: "create" | "connect", name: string, password: string, timeoutMs: number): Promise<string> {
  const welcome = `Welcome, ${displayName(name)}.`;
  return new Promise((resolve) => {
    let text = "";
    let settled = false;
    const settle = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (why === "") client.send("quit");
      // Let "quit" leave before the socket goes.
      setTimeout(() => client.destroy(), why === "" ? 200 : 0);
      resolve(why);
    };
    const timer = setTimeout(() => settle(`no answer in ${timeoutMs / 1000} s`), timeoutMs);
    const client = openClient(
      { door: "line", port, localAddress: OWNER_ADDRESS },
      {
        onOpen: () => client.send(`${command} ${name} ${password}`),
        onText: (chunk) => {
          text = (text + chunk).slice(-2048);
          if (text.includes(welcome)) settle("");
          else {
            const refused = LOGIN_REFUSED.exec(text);
            if (refused) settle(text.slice(refused.index, refused.index + 40).replace(/\s+/g, " ").replace(/\d+/g, "N").trim());
          }
        },
        onClose: (why) => settle(`closed: ${why}`),
      },
    );
  });
}

/** The owner. */
export class Owner {
  readonly name: string;
  readonly #port: number;
  readonly #password: string;
  #attempts = 0;
  #ok = 0;
  readonly #refused: Record<string, number> = {};
  readonly #latencies: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(ports: LoomPorts, name: string, password: string) {
    this.name = name;
    this.#port = ports.line;
    this.#password = password;
  }

  /** Creates the character (before the attacks); resolves "" or why it failed. */
  create(): Promise<string> {
    return loginOnce(this.#port, "create", this.name, this.#password, 60_000);
  }

  /** Tries to log in every `everyMs` (one attempt at a time, 30 s each at most). */
  start(everyMs: number): void {
    const attempt = (): void => {
      if (this.#busy) return;
      this.#busy = true;
      this.#attempts++;
      const started = performance.now();
      void loginOnce(this.#port, "connect", this.name, this.#password, 30_000).then((why) => {
        this.#busy = false;
        if (why === "") {
          this.#ok++;
          this.#latencies.push(performance.now() - started);
        } else this.#refused[why] = (this.#refused[why] ?? 0) + 1;
      });
    };
    this.#timer = setInterval(attempt, everyMs);
    attempt();
  }

  /** Stops trying (an attempt in flight still finishes and is counted). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Whether an attempt is still in flight. */
  get busy(): boolean {
    return this.#busy;
  }

  /** The figures. */
  figures(): OwnerFigures {
    return {
      name: this.name,
      attempts: this.#attempts,
      ok: this.#ok,
      refused: { ...this.#refused },
      latencies: [...this.#latencies].sort((a, b) => a - b),
    };
  }
}
