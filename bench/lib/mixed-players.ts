/**
 * The mixed-play bench's players (issue 11, target 5): many clients on the line, telnet and
 * WebSocket doors, each typing one command every `intervalMs` at its own random phase — a look,
 * a walk, a say or a channel line (mixed-mix.ts) — and timing the round trip of every one.
 *
 * Round trip: from the write of the command to the read that holds its answer, both on this
 * process's monotonic clock. Every command's answer is recognisable in the byte stream without
 * framing (mixed-world.ts, mixed-mix.ts): a look's or a walk's is the room's name, a say's or a
 * chat's is its own marker `~s<player>.<seq>~` / `~c<player>.<seq>~` echoed back. A player
 * keeps its commands in flight in order (the server answers a session in order) and searches
 * each read for the first one's answer, then the next's; a token cut by a read boundary is found
 * by searching the carried end of the last read with it. The schedule is open-loop: a command
 * goes out on time whether or not the last one was answered (at most {@link MAX_IN_FLIGHT} in
 * flight; past that the command is counted as not sent), so a slow server shows as latency,
 * not as a politely lower load.
 *
 * The rest of what a player receives — other players' says and channel lines, arrivals and
 * departures — is only counted: markers by their closing "~" (memchr, as bench/lib/load.ts
 * does), bytes and reads. Every door reads with `onread` into one shared buffer; the WebSocket
 * door's frames are read by hand (mixed-ws.ts), which costs the generator a fraction of what
 * the `ws` package does.
 */
import net from "node:net";
import { type Door, BENCH_PASSWORD, clientName, sourceAddress } from "./load.js";
import { loginAll, type LoginOutcome } from "./login-pool.js";
import { COMMAND_KINDS, type CommandKind, type Mix, pickKind, seededRandom } from "./mixed-mix.js";
import { type GridExit, GRID_EXITS, GridWorld } from "./mixed-world.js";
import { type FrameSink, WsFrameReader, closeFrame, pongFrame, textFrame, upgradeRequest, upgradeResponse } from "./mixed-ws.js";
import { TelnetRefuser } from "./telnet-refuser.js";

/** How to build the players. */
export interface MixedPlayersOptions {
  readonly linePort: number;
  readonly telnetPort: number;
  readonly httpPort: number;
  /** Player `i` uses `doors[i % doors.length]`. */
  readonly doors: readonly Door[];
  readonly players: number;
  readonly grid: GridWorld;
  readonly mix: Mix;
  /** Each player's command period, in ms. */
  readonly intervalMs: number;
  /** A command not answered within this long counts as unanswered. */
  readonly answerTimeoutMs: number;
  /** Clients per source address (127.0.0.2, 127.0.0.3, ...). */
  readonly perAddress: number;
  /** Logins in flight at once, and how long one may take. */
  readonly loginConcurrency: number;
  readonly loginTimeoutMs: number;
  /** Seeds the phases, the commands and the walks. */
  readonly seed: number;
  /**
   * Read every byte as it arrives, even with no command in flight. Off (the default), a player
   * with nothing in flight stops reading until its next command is due, and reads what queued
   * up meanwhile in one read: the generator's cost is per read (≈ 4–5 µs, docs/benchmarks.md),
   * and at 10,000 players bystanders' deliveries would otherwise cost it more than its core.
   * Round trips are unaffected: a player reads from the moment it sends until it is answered.
   */
  readonly eagerReads: boolean;
}

/** The home room of player `index` (the seeding puts each there): round-robin over the grid. */
export function homeRoom(index: number, grid: GridWorld): number {
  return index % grid.rooms;
}

/** What the logins did. */

/** One kind of command's figures over the window. */
export interface KindFigures {
  /** Commands of this kind sent in the window. */
  readonly sent: number;
  /** Of those, answered by the end of the drain. */
  readonly answered: number;
  /** Not answered within the answer timeout (or by the end of the drain). */
  readonly unanswered: number;
  /** Not sent: the player already had {@link MAX_IN_FLIGHT} commands in flight. */
  readonly notSent: number;
  /** Round trips of the answered ones, in ms, ascending. */
  readonly roundTrips: Float32Array;
}

/** The figures of one measured window. */
export interface MixedFigures {
  readonly seconds: number;
  readonly kinds: Readonly<Record<CommandKind, KindFigures>>;
  /** Every answered command's round trip, in ms, ascending. */
  readonly roundTrips: Float32Array;
  /** Markers (say and chat lines) received during the window, the senders' own echoes included. */
  readonly markersReceived: number;
  /** The echoes among them (answered says and chats). */
  readonly echoes: number;
  readonly bytesReceived: number;
  readonly reads: number;
}

/** The most commands a player keeps in flight; past it, a due command is not sent. */
export const MAX_IN_FLIGHT = 8;
/** Bytes of a read kept to find a token cut by the next read: longer than any token. */
const CARRY_BYTES = 48;
const TILDE = 0x7e;
/** Words in a reply that mean the login was refused, so it fails at once. */
const LOGIN_REFUSED = /Too many|went wrong|try again|full right now|do not match|busy/i;

type PlayerState = "connecting" | "login" | "live" | "closed";

/** A command in flight. */
interface InFlight {
  readonly kind: number;
  readonly sentAt: number;
  readonly token: Buffer;
  readonly inWindow: boolean;
}

interface Player {
  readonly index: number;
  readonly name: string;
  readonly welcome: string;
  readonly door: Door;
  readonly home: number;
  /** Offset of its commands within each period, in ms. */
  readonly phase: number;
  socket: net.Socket | undefined;
  readonly telnet: TelnetRefuser | undefined;
  /** The WebSocket door's frame reader, and the upgrade response gathered until it is whole. */
  readonly frames: WsFrameReader | undefined;
  upgrade: Buffer | undefined;
  state: PlayerState;
  /** Where it is (as far as its own walks say), and the way it went out if not at home. */
  room: number;
  away: GridExit | undefined;
  readonly inFlight: InFlight[];
  /** The end of the last read, searched with the next one for a token cut between them. */
  carry: Buffer | undefined;
  /** A marker's opening "~" seen, its closing one not yet. */
  halfMarker: boolean;
  /** Login phase: the end of what has arrived, searched for the welcome. */
  text: string;
  onLoggedIn: ((ok: boolean, why?: string) => void) | undefined;
}

/** A growable list of round trips. */
class RoundTrips {
  #values = new Float32Array(1 << 14);
  #count = 0;

  push(ms: number): void {
    if (this.#count === this.#values.length) {
      const bigger = new Float32Array(this.#values.length * 2);
      bigger.set(this.#values);
      this.#values = bigger;
    }
    this.#values[this.#count++] = ms;
  }

  sorted(): Float32Array {
    return this.#values.slice(0, this.#count).sort();
  }

  clear(): void {
    this.#count = 0;
  }
}

/** Counters per kind, by the kind's index in COMMAND_KINDS. */
const perKind = (): number[] => COMMAND_KINDS.map(() => 0);

/** The players, their logins, their schedule and their figures. */
export class MixedPlayers {
  readonly #options: MixedPlayersOptions;
  readonly #players: Player[] = [];
  readonly #readBuffer = Buffer.allocUnsafe(64 * 1024);
  readonly #random: () => number;
  #closing = false;
  #loggedIn = 0;
  #dropped = 0;
  #seq = 0;
  #timer: NodeJS.Timeout | undefined;

  // The window.
  #measuring = false;
  #windowStartedAt = 0;
  #windowSeconds = 0;
  #sent = perKind();
  #answered = perKind();
  #unanswered = perKind();
  #notSent = perKind();
  #roundTrips = COMMAND_KINDS.map(() => new RoundTrips());
  #markers = 0;
  #echoes = 0;
  #bytes = 0;
  #reads = 0;

  constructor(options: MixedPlayersOptions) {
    this.#options = options;
    this.#random = seededRandom(options.seed);
    for (let index = 0; index < options.players; index++) {
      const name = clientName(index);
      const door = options.doors[index % options.doors.length] ?? "line";
      const home = homeRoom(index, options.grid);
      this.#players.push({
        index,
        name,
        welcome: `Welcome, ${name[0]!.toUpperCase()}${name.slice(1)}.`,
        door,
        home,
        phase: this.#random() * options.intervalMs,
        socket: undefined,
        telnet: door === "telnet" ? new TelnetRefuser() : undefined,
        frames: door === "ws" ? new WsFrameReader() : undefined,
        upgrade: undefined,
        state: "connecting",
        room: home,
        away: undefined,
        inFlight: [],
        carry: undefined,
        halfMarker: false,
        text: "",
        onLoggedIn: undefined,
      });
    }
  }

  /** Players logged in and still connected. */
  get connected(): number {
    return this.#loggedIn - this.#dropped;
  }

  /** Logged-in players the server disconnected. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Logged-in players by door. */
  connectedByDoor(): Record<Door, number> {
    const counts: Record<Door, number> = { line: 0, telnet: 0, ws: 0 };
    for (const p of this.#players) if (p.state === "live") counts[p.door]++;
    return counts;
  }

  /** How many players are in each room now (by their own walks). */
  occupancy(): Uint32Array {
    const rooms = new Uint32Array(this.#options.grid.rooms);
    for (const p of this.#players) if (p.state === "live") rooms[p.room]!++;
    return rooms;
  }

  /** Logs every player in, `loginConcurrency` at a time; none runs past `deadline` (performance.now()). */
  login(deadline: number): Promise<LoginOutcome> {
    const options = { concurrency: this.#options.loginConcurrency, timeoutMs: this.#options.loginTimeoutMs, deadline, stopped: () => this.#closing };
    return loginAll(this.#players, options, (player, timeoutMs) => this.#loginOne(player, timeoutMs));
  }

  #loginOne(player: Player, timeoutMs: number): Promise<{ ok: boolean; why: string }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false, `no welcome within ${(timeoutMs / 1000).toFixed(1)} s`), timeoutMs);
      const finish = (ok: boolean, why = ""): void => {
        if (player.onLoggedIn === undefined) return;
        player.onLoggedIn = undefined;
        clearTimeout(timer);
        if (ok) {
          player.state = "live";
          player.text = "";
          this.#loggedIn++;
        } else {
          player.state = "closed";
          player.socket?.destroy();
        }
        resolve({ ok, why });
      };
      player.onLoggedIn = finish;
      const login = `connect ${player.name} ${BENCH_PASSWORD}`;
      const onClose = (): void => {
        if (player.state === "live" && !this.#closing) this.#dropped++;
        if (player.state !== "live") finish(false, `closed during login: ${player.text.slice(-200).trim()}`);
        player.state = "closed";
      };
      const localAddress = sourceAddress(player.index, this.#options.perAddress);
      const { telnet, frames } = player;
      const port = player.door === "telnet" ? this.#options.telnetPort : player.door === "ws" ? this.#options.httpPort : this.#options.linePort;
      // The WebSocket door's frames: text payloads to the receive path, pings answered.
      const sink: FrameSink = {
        data: (payload) => this.#onRead(player, payload),
        ping: (payload) => player.socket?.write(pongFrame(payload)),
        close: () => player.socket?.end(closeFrame()),
      };
      const socket = net.connect({
        host: "127.0.0.1",
        port,
        localAddress,
        noDelay: true,
        onread: {
          buffer: this.#readBuffer,
          callback: (nread, buffer) => {
            const view = (buffer as Buffer).subarray(0, nread);
            if (this.#measuring && player.state === "live") {
              this.#reads++;
              this.#bytes += nread;
            }
            if (frames !== undefined) {
              if (player.upgrade === undefined) {
                frames.feed(view, sink);
                return true;
              }
              // Still upgrading (plain text, no subprotocol: one line per text frame; docs/websocket.md).
              const got = Buffer.concat([player.upgrade, view]);
              const response = upgradeResponse(got);
              if (response === undefined) {
                player.upgrade = got;
                if (got.length > 16_384) finish(false, "no end to the upgrade response");
                return true;
              }
              player.upgrade = undefined;
              if (!response.ok) {
                finish(false, `upgrade refused: ${response.status}`);
                return true;
              }
              player.state = "login";
              socket.write(textFrame(login));
              if (response.rest.length > 0) frames.feed(response.rest, sink);
              return true;
            }
            if (telnet === undefined) {
              this.#onRead(player, view);
              return true;
            }
            const out = telnet.feed(view);
            if (out.reply !== undefined) player.socket?.write(out.reply);
            if (out.text.length > 0) this.#onRead(player, out.text);
            return true;
          },
        },
      });
      player.socket = socket;
      socket.once("connect", () => {
        if (frames !== undefined) {
          player.upgrade = Buffer.alloc(0);
          socket.write(upgradeRequest("127.0.0.1", port, "/ws"));
          return;
        }
        player.state = "login";
        socket.write(`${login}\r\n`);
      });
      socket.on("error", (err) => {
        if (player.state !== "live") finish(false, err.message);
      });
      socket.on("close", onClose);
    });
  }

  /** `data` is a view valid only during this call (the shared read buffer, or a frame). */
  #onRead(player: Player, data: Buffer): void {
    if (player.state === "login") {
      const text = player.text + data.toString("latin1");
      if (text.includes(player.welcome)) return player.onLoggedIn?.(true);
      const refused = LOGIN_REFUSED.exec(text);
      if (refused) return player.onLoggedIn?.(false, text.slice(Math.max(0, refused.index - 40), refused.index + 120).trim());
      player.text = text.length > 512 ? text.slice(-512) : text;
      return;
    }
    if (player.state !== "live") return;
    const now = performance.now();
    // Markers: count closing tildes; one cut by a read boundary closes in the next read.
    let open = player.halfMarker;
    let closed = 0;
    for (let i = data.indexOf(TILDE); i >= 0; i = data.indexOf(TILDE, i + 1)) {
      if (open) closed++;
      open = !open;
    }
    player.halfMarker = open;
    if (this.#measuring) this.#markers += closed;
    const inFlight = player.inFlight;
    if (inFlight.length === 0) return;
    // Answers, in order: each search starts where the last answer ended.
    const haystack = player.carry === undefined ? data : Buffer.concat([player.carry, data]);
    let from = 0;
    while (inFlight.length > 0) {
      const head = inFlight[0]!;
      const at = haystack.indexOf(head.token, from);
      if (at < 0) break;
      inFlight.shift();
      from = at + head.token.length;
      if (head.inWindow) this.#answer(head, now);
    }
    if (inFlight.length > 0) {
      player.carry = Buffer.from(haystack.subarray(Math.max(from, haystack.length - CARRY_BYTES)));
      return;
    }
    player.carry = undefined;
    // Answered: nothing to time until the next command, so let what others say queue up in the
    // socket (the kernel's receive buffer holds seconds of it; Loom's writes cost it the same).
    if (!this.#options.eagerReads) player.socket?.pause();
  }

  #answer(command: InFlight, now: number): void {
    this.#answered[command.kind]!++;
    this.#roundTrips[command.kind]!.push(now - command.sentAt);
    const kind = COMMAND_KINDS[command.kind];
    if (kind === "say" || kind === "chat") this.#echoes++;
  }

  /** Sends `player` its next command: expires old ones in flight, picks a kind, writes it. */
  #command(player: Player, now: number): void {
    if (player.state !== "live") return;
    const inFlight = player.inFlight;
    while (inFlight.length > 0 && now - inFlight[0]!.sentAt > this.#options.answerTimeoutMs) {
      const lost = inFlight.shift()!;
      if (lost.inWindow) this.#unanswered[lost.kind]!++;
      player.carry = undefined;
    }
    const kind = pickKind(this.#options.mix, this.#random());
    const k = COMMAND_KINDS.indexOf(kind);
    if (inFlight.length >= MAX_IN_FLIGHT) {
      if (this.#measuring) this.#notSent[k]!++;
      return;
    }
    const grid = this.#options.grid;
    let line: string;
    let token: string;
    switch (kind) {
      case "look":
        line = "look";
        token = grid.names[player.room]!;
        break;
      case "walk": {
        // Out to a random neighbour, then back home: rooms stay as full as the seeding made them.
        const exit = player.away === undefined ? GRID_EXITS[Math.floor(this.#random() * GRID_EXITS.length)]! : GridWorld.back(player.away);
        player.room = grid.neighbour(player.room, exit);
        player.away = player.away === undefined ? exit : undefined;
        line = exit;
        token = grid.names[player.room]!;
        break;
      }
      case "say":
      case "chat": {
        const marker = `~${kind === "say" ? "s" : "c"}${player.index}.${this.#seq++}~`;
        line = `${kind} ${marker}`;
        token = marker;
        break;
      }
      default: {
        const unreachable: never = kind;
        throw new Error(`unknown command kind ${String(unreachable)}`);
      }
    }
    const sentAt = performance.now();
    inFlight.push({ kind: k, sentAt, token: Buffer.from(token, "latin1"), inWindow: this.#measuring });
    if (this.#measuring) this.#sent[k]!++;
    // Reading again first: the backlog is read at once, then the answer when it comes.
    if (player.socket?.isPaused() === true) player.socket.resume();
    player.socket?.write(player.frames !== undefined ? textFrame(line) : `${line}\r\n`);
  }

  /**
   * Starts the schedule: player p's commands go out at p.phase + k × interval ms from now. One
   * 1 ms timer sends whatever is due, so a late timer catches up instead of skipping.
   */
  start(): void {
    const order = this.#players.filter((p) => p.state === "live").sort((a, b) => a.phase - b.phase);
    if (order.length === 0) return;
    const interval = this.#options.intervalMs;
    const startedAt = performance.now();
    let i = 0;
    let cycle = 0;
    this.#timer = setInterval(() => {
      const now = performance.now();
      for (;;) {
        const player = order[i]!;
        if (startedAt + cycle * interval + player.phase > now) return;
        this.#command(player, now);
        if (++i === order.length) {
          i = 0;
          cycle++;
        }
      }
    }, 1);
  }

  /** Stops the schedule. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Starts the window: commands sent from now on are counted and timed. */
  beginWindow(): void {
    this.#sent = perKind();
    this.#answered = perKind();
    this.#unanswered = perKind();
    this.#notSent = perKind();
    for (const r of this.#roundTrips) r.clear();
    this.#markers = 0;
    this.#echoes = 0;
    this.#bytes = 0;
    this.#reads = 0;
    this.#windowStartedAt = performance.now();
    this.#measuring = true;
  }

  /** Ends the window and the schedule; its commands in flight are still awaited by {@link drain}. */
  endWindow(): void {
    this.stop();
    this.#measuring = false;
    this.#windowSeconds = (performance.now() - this.#windowStartedAt) / 1000;
  }

  /** Waits until no window command is in flight, or `timeoutMs` passed. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline && this.#players.some((p) => p.state === "live" && p.inFlight.some((c) => c.inWindow))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The window's figures (after {@link drain}); what is still in flight counts as unanswered. */
  figures(): MixedFigures {
    const unanswered = [...this.#unanswered];
    for (const p of this.#players) for (const c of p.inFlight) if (c.inWindow) unanswered[c.kind]!++;
    const kinds = Object.fromEntries(
      COMMAND_KINDS.map((kind, k) => [
        kind,
        { sent: this.#sent[k]!, answered: this.#answered[k]!, unanswered: unanswered[k]!, notSent: this.#notSent[k]!, roundTrips: this.#roundTrips[k]!.sorted() },
      ]),
    ) as Record<CommandKind, KindFigures>;
    const all = new Float32Array(COMMAND_KINDS.reduce((n, kind) => n + kinds[kind].roundTrips.length, 0));
    let at = 0;
    for (const kind of COMMAND_KINDS) {
      all.set(kinds[kind].roundTrips, at);
      at += kinds[kind].roundTrips.length;
    }
    return {
      seconds: this.#windowSeconds,
      kinds,
      roundTrips: all.sort(),
      markersReceived: this.#markers,
      echoes: this.#echoes,
      bytesReceived: this.#bytes,
      reads: this.#reads,
    };
  }

  /** Closes every client at once. */
  closeAll(): void {
    this.#closing = true;
    this.stop();
    for (const p of this.#players) {
      p.onLoggedIn?.(false, "closing");
      p.socket?.destroy();
      p.socket = undefined;
      p.state = "closed";
    }
  }
}
