/**
 * Real terminal clients (telnet, TinTin++, nc) driven through tmux: each test gets its own
 * tmux server (`tmux -S <private socket>`), so it never touches a developer's sessions and
 * cleanup is one `kill-server`. A pane is read the way a person reads it, with `capture-pane`.
 *
 * Polling the pane is the one wait that cannot be an event: a terminal does not tell anyone
 * when it has drawn something. {@link TmuxPane.waitFor} polls every 100 ms, bounded.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where Debian puts the binaries these tests drive. */
export const Binaries = {
  tmux: "/usr/bin/tmux",
  telnet: "/usr/bin/telnet",
  tintin: "/usr/games/tt++",
  // netcat-openbsd by its packaged path: `nc` may be netcat-traditional, through alternatives.
  nc: "/bin/nc.openbsd",
} as const;

/** The binaries (of `names`) that are not installed, for a skip message. */
export function missing(...names: (keyof typeof Binaries)[]): string[] {
  return names.filter((name) => !fs.existsSync(Binaries[name])).map((name) => Binaries[name]);
}

/** A describe-block title that says why it is skipped, when it is. */
export function titleWithSkipReason(title: string, absent: readonly string[]): string {
  return absent.length === 0 ? title : `${title} (skipped: not installed: ${absent.join(", ")}; apt-get install tmux telnet tintin++ netcat-openbsd)`;
}

/** Pane size: wide enough that the lines under test are not wrapped. */
const WIDTH = 120;
const HEIGHT = 40;
/** How often a pane is re-read while waiting. */
const POLL_MS = 100;

/**
 * A private tmux server, its socket inside a temporary directory of its own (so that cleanup
 * leaves nothing behind: tmux does not unlink its socket on kill-server). Create one per test;
 * {@link TmuxServer.close} it in afterEach.
 */
export class TmuxServer {
  readonly #dir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-tmux-"));
  readonly #socket = path.join(this.#dir, "socket");
  readonly #config = path.join(this.#dir, "tmux.conf");
  #count = 0;

  constructor() {
    fs.writeFileSync(
      this.#config,
      [
        // A pane whose program exited stays readable (and its exit status with it).
        "set -g remain-on-exit on",
        // No status line: the pane is the whole terminal, as the client would have it.
        "set -g status off",
        "set -g history-limit 10000",
        "",
      ].join("\n"),
    );
  }

  /** A scratch directory that lives as long as this server (for a client's HOME, say). */
  scratch(name: string): string {
    const dir = path.join(this.#dir, name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Starts `argv` (run directly, no shell) in a new detached session. */
  async open(label: string, argv: readonly string[]): Promise<TmuxPane> {
    const session = `${label}-${++this.#count}`;
    await this.tmux("new-session", "-d", "-s", session, "-x", String(WIDTH), "-y", String(HEIGHT), "--", ...argv);
    return new TmuxPane(this, session);
  }

  /** Runs a tmux command against this server; resolves with its stdout. */
  async tmux(...args: string[]): Promise<string> {
    const { stdout } = await run(Binaries.tmux, ["-S", this.#socket, "-f", this.#config, ...args], { timeout: 5000 });
    return stdout;
  }

  /** Kills every session (and so every client) and the server, and removes the scratch files. */
  async close(): Promise<void> {
    try {
      await this.tmux("kill-server");
    } catch {
      // No server was ever started, or it already exited with its last session.
    }
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** One tmux session with one pane, running one client. */
export class TmuxPane {
  readonly #server: TmuxServer;
  readonly session: string;

  constructor(server: TmuxServer, session: string) {
    this.#server = server;
    this.session = session;
  }

  /** Types `text` literally (no key names are interpreted), without Enter. */
  async type(text: string): Promise<void> {
    await this.#server.tmux("send-keys", "-t", this.session, "-l", text);
  }

  /** Presses keys by tmux name: "Enter", "BSpace", "C-c"... */
  async press(...keys: string[]): Promise<void> {
    await this.#server.tmux("send-keys", "-t", this.session, ...keys);
  }

  /** Types `text`, then Enter. */
  async typeLine(text: string): Promise<void> {
    await this.type(text);
    await this.press("Enter");
  }

  /**
   * What the pane shows, scrollback included, with wrapped lines joined (so a match never fails
   * on where the terminal wrapped). With `escapes`, SGR attributes are included as escape codes.
   */
  async capture(options: { escapes?: boolean } = {}): Promise<string> {
    const args = ["capture-pane", "-p", "-J", "-S", "-", "-t", this.session];
    if (options.escapes === true) args.push("-e");
    return this.#server.tmux(...args);
  }

  /** Polls the pane until `pattern` shows; resolves with the whole capture. Rejects after `ms`, with the pane. */
  async waitFor(pattern: string | RegExp, ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const screen = await this.capture();
      if (typeof pattern === "string" ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() >= deadline) {
        throw new Error(`tmux ${this.session}: timed out after ${ms} ms waiting for ${String(pattern)}; the pane shows:\n${screen.trimEnd()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Polls until the client program has exited; resolves with its exit status. */
  async waitForExit(ms = 10_000): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const [dead, status] = (await this.#server.tmux("display-message", "-p", "-t", this.session, "#{pane_dead} #{pane_dead_status}"))
        .trim()
        .split(" ");
      if (dead === "1") return Number(status);
      if (Date.now() >= deadline) throw new Error(`tmux ${this.session}: the client is still running after ${ms} ms:\n${await this.capture()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
