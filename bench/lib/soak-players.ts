/**
 * The soak's normal players: a crowd in one room, spread over the three doors (line, telnet,
 * WebSocket in turn) and over many source addresses, each saying a timestamped line every couple
 * of seconds. Every player finds the `~<sender>.<seq>.<µs>~` markers in what it receives; the
 * latency of a delivery is its arrival time minus the send time, both on this process's
 * monotonic clock.
 *
 * A miss is a delivery the server owed and did not make by the end of the drain: each say is
 * owed to every other player reading at the moment it was sent.
 *
 * One player is the *slow reader*: it logs in and then stops reading, as a lagging client
 * would, while attackers flood it with tells. It is left out of the deliveries owed; at the end
 * it reads again, and the soak reports whether the server kept it or cut it off.
 */
import { DOORS, LOGIN_REFUSED, type SoakDoor, type TextClient, displayName, openClient, soakName } from "./soak-clients.js";
import type { LoomPorts } from "./soak-server.js";

/** How to build the crowd. */
export interface CrowdOptions {
  readonly ports: LoomPorts;
  readonly players: number;
  /** Players per source address; at most Loom's creations per address per hour (5). */
  readonly perAddress: number;
  /** Milliseconds between one player's lines. */
  readonly sayEveryMs: number;
  readonly password: string;
  readonly loginConcurrency: number;
  readonly loginTimeoutMs: number;
}

/** The source address of normal player `index`: 127.1.x.y, `perAddress` players each. */
export function playerAddress(index: number, perAddress: number): string {
  const n = 1 + Math.floor(index / perAddress);
  return `127.1.${(n >> 8) & 255}.${n & 255}`;
}

/** What the slow reader went through. */
export interface SlowReaderOutcome {
  readonly name: string;
  /** "kept", or how its connection ended. */
  readonly fate: string;
  /** Bytes it read once it read again (the backlog the server had kept for it, plus the kernel's). */
  readonly backlogBytes: number;
  /** Whether the server told it that messages were dropped ("[N messages dropped]"). */
  readonly droppedNotice: boolean;
}

/** The crowd's figures. */
export interface CrowdFigures {
  readonly loggedIn: number;
  readonly loginFailures: number;
  readonly firstLoginFailure: string | undefined;
  readonly loginSeconds: number;
  readonly messages: number;
  readonly owed: number;
  readonly delivered: number;
  readonly missed: number;
  /** Players logged in, by door. */
  readonly byDoor: Readonly<Record<SoakDoor, number>>;
  /** Latencies of every delivery, ms, ascending. */
  readonly latencies: Float64Array;
  /** Normal players the server disconnected during the run (the slow reader not counted). */
  readonly dropped: number;
  readonly dropReasons: Readonly<Record<string, number>>;
}

interface Player {
  readonly index: number;
  readonly name: string;
  readonly door: SoakDoor;
  readonly address: string;
  client: TextClient | undefined;
  state: "login" | "live" | "closed";
  text: string;
  carry: string;
  slow: boolean;
  nextSayAt: number;
  /** The slow reader: bytes read after it resumed. */
  backlog: number;
  sawDropNotice: boolean;
  closedWhy: string | undefined;
}

const MARKER = /~(\d+)\.(\d+)\.(\d+)~/g;
const DROP_NOTICE = /messages? dropped|dropped \d+ messages?/i;

/** The normal players. */
export class Crowd {
  readonly #options: CrowdOptions;
  readonly #players: Player[] = [];
  #sentAt = new Float64Array(1 << 14);
  #owedFor = new Uint32Array(1 << 14);
  #got = new Uint32Array(1 << 14);
  #seq = 0;
  #latencies = new Float64Array(1 << 18);
  #latencyCount = 0;
  #ticker: NodeJS.Timeout | undefined;
  #closing = false;
  #dropped = 0;
  readonly #dropReasons: Record<string, number> = {};
  readonly #byDoor: Record<SoakDoor, number> = { line: 0, telnet: 0, ws: 0 };
  #login = { ok: 0, failed: 0, first: undefined as string | undefined, seconds: 0 };

  constructor(options: CrowdOptions) {
    this.#options = options;
    for (let index = 0; index < options.players; index++) {
      this.#players.push({
        index,
        name: soakName("soak", index),
        door: DOORS[index % DOORS.length]!,
        address: playerAddress(index, options.perAddress),
        client: undefined,
        state: "login",
        text: "",
        carry: "",
        slow: false,
        nextSayAt: 0,
        backlog: 0,
        sawDropNotice: false,
        closedWhy: undefined,
      });
    }
  }

  /** Logs everyone in (`create <name> <password>`), `loginConcurrency` at a time. */
  async login(): Promise<void> {
    const started = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.#players.length && !this.#closing) {
        const player = this.#players[next++]!;
        const result = await this.#loginOne(player);
        if (result === "") this.#login.ok++;
        else {
          this.#login.failed++;
          this.#login.first ??= `${player.name} (${player.door}): ${result}`;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#options.loginConcurrency, this.#players.length) }, worker));
    this.#login.seconds = (performance.now() - started) / 1000;
  }

  /** Resolves "" once logged in, or why not. */
  #loginOne(player: Player): Promise<string> {
    const welcome = `Welcome, ${displayName(player.name)}.`;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (why: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (why === "") {
          player.state = "live";
          player.text = "";
          this.#byDoor[player.door]++;
        } else {
          player.state = "closed";
          player.client?.destroy();
        }
        resolve(why);
      };
      const timer = setTimeout(() => settle(`no welcome within ${this.#options.loginTimeoutMs / 1000} s`), this.#options.loginTimeoutMs);
      const port = player.door === "line" ? this.#options.ports.line : player.door === "telnet" ? this.#options.ports.telnet : this.#options.ports.http;
      player.client = openClient(
        { door: player.door, port, localAddress: player.address },
        {
          onOpen: () => {
            player.client?.send(`create ${player.name} ${this.#options.password}`);
          },
          onText: (text) => {
            if (player.state === "login") {
              player.text = (player.text + text).slice(-2048);
              if (player.text.includes(welcome)) settle("");
              else {
                const refused = LOGIN_REFUSED.exec(player.text);
                if (refused) settle(player.text.slice(Math.max(0, refused.index - 40), refused.index + 120).replace(/\s+/g, " ").trim());
              }
              return;
            }
            this.#onText(player, text);
          },
          onClose: (why) => {
            if (player.state === "live" && !this.#closing) {
              if (!player.slow) {
                this.#dropped++;
                this.#dropReasons[why] = (this.#dropReasons[why] ?? 0) + 1;
              }
            }
            player.closedWhy ??= why;
            const wasLogin = player.state === "login";
            player.state = "closed";
            if (wasLogin) settle(`closed during login (${why}): ${player.text.slice(-160).replace(/\s+/g, " ").trim()}`);
          },
        },
      );
    });
  }

  #onText(player: Player, text: string): void {
    if (player.slow) {
      player.backlog += text.length;
      if (!player.sawDropNotice && DROP_NOTICE.test(text)) player.sawDropNotice = true;
      return;
    }
    const now = performance.now();
    const data = player.carry + text;
    player.carry = "";
    MARKER.lastIndex = 0;
    let end = 0;
    for (let m = MARKER.exec(data); m !== null; m = MARKER.exec(data)) {
      end = MARKER.lastIndex;
      const sender = Number(m[1]);
      const seq = Number(m[2]);
      if (sender === player.index || seq >= this.#seq) continue;
      this.#got[seq]!++;
      this.#record(now - this.#sentAt[seq]!);
    }
    // A marker cut off at the end of this read: keep its start for the next one.
    const tail = data.lastIndexOf("~");
    if (tail >= end && data.length - tail < 48 && /^~[\d.]*$/.test(data.slice(tail))) player.carry = data.slice(tail);
  }

  #record(ms: number): void {
    if (this.#latencyCount === this.#latencies.length) {
      const bigger = new Float64Array(this.#latencies.length * 2);
      bigger.set(this.#latencies);
      this.#latencies = bigger;
    }
    this.#latencies[this.#latencyCount++] = ms;
  }

  /** The name of the slow reader (the first logged-in line-door player): it stops reading now. */
  makeSlowReader(): string | undefined {
    const player = this.#players.find((p) => p.state === "live" && p.door === "line");
    if (player === undefined) return undefined;
    player.slow = true;
    player.client?.pause();
    return player.name;
  }

  /** Starts the chatter: each live player says a line every `sayEveryMs`, phases spread evenly. */
  startTalking(): void {
    const now = performance.now();
    const talkers = this.#players.filter((p) => p.state === "live" && !p.slow);
    talkers.forEach((p, i) => {
      p.nextSayAt = now + (this.#options.sayEveryMs * i) / Math.max(1, talkers.length);
    });
    this.#ticker = setInterval(() => this.#tick(), 5);
  }

  #tick(): void {
    const now = performance.now();
    let readers = -1;
    for (const p of this.#players) {
      if (p.state !== "live" || p.slow || now < p.nextSayAt) continue;
      p.nextSayAt += this.#options.sayEveryMs;
      // A late timer catches up by one line, not a burst.
      if (p.nextSayAt < now) p.nextSayAt = now + this.#options.sayEveryMs;
      if (readers < 0) readers = this.#players.filter((q) => q.state === "live" && !q.slow).length;
      const seq = this.#seq;
      this.#grow(seq);
      this.#sentAt[seq] = performance.now();
      this.#owedFor[seq] = readers - 1;
      this.#seq++;
      p.client?.send(`say ~${p.index}.${seq}.${Math.round(this.#sentAt[seq]! * 1000)}~`);
    }
  }

  #grow(seq: number): void {
    if (seq < this.#sentAt.length) return;
    const size = this.#sentAt.length * 2;
    const sentAt = new Float64Array(size);
    sentAt.set(this.#sentAt);
    this.#sentAt = sentAt;
    const owed = new Uint32Array(size);
    owed.set(this.#owedFor);
    this.#owedFor = owed;
    const got = new Uint32Array(size);
    got.set(this.#got);
    this.#got = got;
  }

  /** Stops the chatter. */
  stopTalking(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  /** Waits until every owed delivery has arrived (to players still connected), or `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      const live = this.#players.filter((p) => p.state === "live" && !p.slow).length;
      let short = false;
      for (let seq = 0; seq < this.#seq && !short; seq++) {
        if (this.#got[seq]! < Math.min(this.#owedFor[seq]!, live - 1)) short = true;
      }
      if (!short) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The slow reader reads again for `ms`; then the soak says what became of it. */
  async releaseSlowReader(ms: number): Promise<SlowReaderOutcome | undefined> {
    const player = this.#players.find((p) => p.slow);
    if (player === undefined) return undefined;
    const stillOpen = player.state === "live";
    player.client?.resume();
    await new Promise((resolve) => setTimeout(resolve, ms));
    const fate = stillOpen && player.state === "live" ? "kept" : `cut off (${player.closedWhy ?? "closed"})`;
    return { name: player.name, fate, backlogBytes: player.backlog, droppedNotice: player.sawDropNotice };
  }

  /** Live normal players (the slow reader not counted). */
  get live(): number {
    return this.#players.filter((p) => p.state === "live" && !p.slow).length;
  }

  /** Closes every client. Idempotent. */
  closeAll(): void {
    this.#closing = true;
    this.stopTalking();
    for (const p of this.#players) p.client?.destroy();
  }

  /** The figures so far. */
  figures(): CrowdFigures {
    let owed = 0;
    let delivered = 0;
    for (let seq = 0; seq < this.#seq; seq++) {
      owed += this.#owedFor[seq]!;
      delivered += Math.min(this.#got[seq]!, this.#owedFor[seq]!);
    }
    return {
      loggedIn: this.#login.ok,
      loginFailures: this.#login.failed,
      firstLoginFailure: this.#login.first,
      loginSeconds: this.#login.seconds,
      byDoor: { ...this.#byDoor },
      messages: this.#seq,
      owed,
      delivered,
      missed: owed - delivered,
      latencies: this.#latencies.slice(0, this.#latencyCount).sort(),
      dropped: this.#dropped,
      dropReasons: { ...this.#dropReasons },
    };
  }
}
