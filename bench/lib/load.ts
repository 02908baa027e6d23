/**
 * The load: many clients (line, telnet or WebSocket) logged in, a few of them saying (or posting
 * on a channel) numbered, timestamped lines at a fixed total rate.
 *
 * Each text is `~<sender>.<seq>.<sentAtMicros>~`: the sender's client index, a global
 * sequence number, and the sending time on this process's monotonic clock (performance.now()
 * in microseconds). Receivers find the markers in their byte stream, so they need no line
 * framing and no knowledge of how each server words the line around the text.
 *
 * The receive path is the load generator's hot loop (hundreds of thousands of deliveries a
 * second on one core; issue 11: the generator must not be the limit), so it reads with `onread`
 * into one shared buffer (no Buffer and no stream machinery per read), and only a sample of the
 * clients (every `sampleEvery`-th, and every sender) parses markers — by hand, from the bytes —
 * to time each delivery and account for it per message; a marker from its own index is the
 * speaker's echo. The rest count closing "~" bytes with Buffer#indexOf (memchr) and nothing else.
 *
 * Optional slow readers (`slowReaders`, hardening S1/S2/S4 at load) log in after everyone else
 * and then stop reading at the socket (`pause()` → readStop, so nothing leaves the kernel's
 * buffers); they are in no figure but their own ({@link LoadClients.slowReport}).
 */
import { readFileSync } from "node:fs";
import net from "node:net";
import WebSocket from "ws";
import { loginAll, type LoginOutcome } from "./login-pool.js";
import { TelnetRefuser } from "./telnet-refuser.js";

/** How to build the load. */
export interface LoadOptions {
  /** The line door (and the peers' only port). */
  readonly port: number;
  /** Loom's telnet and HTTP (/ws) ports, for clients of those doors. */
  readonly telnetPort: number | undefined;
  readonly httpPort: number | undefined;
  /** Which door client `index` uses: `doors[index % doors.length]`. */
  readonly doors: readonly Door[];
  /** Clients to log in. */
  readonly clients: number;
  /** How many of them speak. */
  readonly senders: number;
  /** Lines per second per sender. */
  readonly rate: number;
  /** Clients per source address (127.0.0.2, 127.0.0.3, ...). */
  readonly perAddress: number;
  /** Logins in flight at once. */
  readonly loginConcurrency: number;
  /** How long one login may take before it counts as failed. */
  readonly loginTimeoutMs: number;
  /** The most messages that will be sent (sizes the per-message counters). */
  readonly maxMessages: number;
  /**
   * Every `sampleEvery`-th client (and every sender) parses each marker and times it; the rest
   * only count markers. 1 parses everywhere (the bench before issue 11).
   */
  readonly sampleEvery: number;
  /**
   * Count-only clients stop reading for this many ms after each read (0: never), so each read
   * carries several deliveries: the generator's cost is per read, not per delivery (≈ 5 µs a
   * read against ≈ 0.1 µs a counted delivery). The sampled clients always read at once, so
   * latency is unaffected; what the server sees is a receive queue a few ms deep.
   */
  readonly coalesceMs: number;
  /**
   * What the senders say their lines with: `say` (the room), `chat` (the channel) or `announce`
   * (an admin's announcement to everyone online: the capacity scenario).
   */
  readonly sayCommand: "say" | "chat" | "announce";
  /** The first sender's index (default 0): senders are clients `senderOffset` … `senderOffset + senders − 1`. */
  readonly senderOffset?: number;
  /**
   * Extra clients, after the `clients` (indexes `clients` … `clients + slowReaders − 1`), that log
   * in and then never read again (hardening S1/S2/S4 at load). They are in no figure but their own
   * ({@link LoadClients.slowReport}): not in the logins, the deliveries, the latencies or `dropped`.
   */
  readonly slowReaders?: number;
  /**
   * Filler bytes after each marker (default 0): with slow readers, a line of 1 KiB fills the
   * kernel's socket buffers (several MiB per connection on loopback) in seconds, not minutes.
   * The filler has no "~", so the receivers' counting is unchanged.
   */
  readonly padBytes?: number;
  /** `create` makes each account (full production hash); `connect` logs into a seeded one. */
  readonly loginCommand: "create" | "connect";
}

/** The figures of one measured window. */
export interface WindowFigures {
  /** Wall time of the window, in seconds. */
  readonly seconds: number;
  /** Messages sent during the window. */
  readonly messages: number;
  /** Deliveries those messages should make to the sampled clients: one per other sampled client. */
  readonly expected: number;
  /** Deliveries (any message) received during the window. */
  readonly receivedInWindow: number;
  /** Socket reads the sampled clients made during the window, and the deliveries they received in it. */
  readonly readsInWindow: number;
  readonly sampledReceivedInWindow: number;
  /** Deliveries of window messages to the sampled clients received by the end of the drain. */
  readonly deliveredByDrainEnd: number;
  /** Delivery latencies of window messages at the sampled clients, in ms, sorted ascending. */
  readonly latencies: Float32Array;
  /** Deliveries received twice or more for the same message and client (should be 0). */
  readonly duplicates: number;
  /** Markers that could not be parsed (should be 0). */
  readonly parseErrors: number;
  /** Echoes ("You say") the senders received for window messages. */
  readonly echoes: number;
  /** Clients that parsed and timed every marker (the sample behind latency and delivery %). */
  readonly sampled: number;
  /**
   * Deliveries (any message, every client) received from the window's start to the end of the
   * drain: when only window messages carry markers (the capacity scenario: no warm-up, one
   * sender), over messages × (clients − 1) this is the delivered share across every client.
   */
  readonly receivedThroughDrain: number;
}

/** What became of the slow readers (`slowReaders`), at the moment it is asked. */
export interface SlowReport {
  /** Slow readers that logged in (and then stopped reading). */
  readonly loggedIn: number;
  /** Seconds after it stopped reading that the server closed each one that it closed, ascending. */
  readonly closedAfterSeconds: readonly number[];
  /**
   * Bytes the kernel holds for the slow readers still open, summed: what their sockets received
   * and nobody read (Recv-Q), and what Loom wrote that is still in its sockets' send queues
   * (Send-Q). From /proc/net/tcp; NaN where it cannot be read (the WebSocket door's clients are
   * counted too: the same TCP sockets underneath).
   */
  readonly kernelRecvQBytes: number;
  readonly kernelSendQBytes: number;
  /** Open slow readers found in /proc/net/tcp (the kernel figures are over these). */
  readonly kernelSockets: number;
}

const TILDE = 0x7e;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
/** A marker is under 40 bytes; a carried tail longer than this is not one. */
const MAX_CARRY = 64;
/** Words in a reply that mean the login was refused, so it fails at once instead of timing out. */
const LOGIN_REFUSED = /Too many|is taken|was taken|went wrong|try again|full right now|do not match|reserved|Names are/i;

/** The doors a client can come in by (`--doors`; `mix` is all three in turn). */
export const DOORS = ["line", "telnet", "ws"] as const;
export type Door = (typeof DOORS)[number];

/** Every bench account's password (seeded accounts are hashed from it: see seed-accounts.ts). */
export const BENCH_PASSWORD = "benchpass";

type ClientState = "connecting" | "login" | "live" | "closed";

interface Client {
  readonly index: number;
  readonly name: string;
  readonly welcome: string;
  readonly door: Door;
  socket: net.Socket | undefined;
  /** The WebSocket door's connection (socket stays undefined). */
  ws: WebSocket | undefined;
  /** The telnet door's option refuser and IAC stripper. */
  readonly telnet: TelnetRefuser | undefined;
  state: ClientState;
  /** A slow reader: logs in, then never reads again (hardening S1/S2 at load). */
  readonly slow: boolean;
  /** When a slow reader stopped reading (performance.now()), NaN before. */
  stoppedReadingAt: number;
  /** The connection's own end as /proc/net/tcp writes it (slow readers only: see {@link LoadClients.slowReport}). */
  endpoint: string | undefined;
  /** Parses and times every marker; the others only count them (issue 11: the generator must not be the limit). */
  readonly sampled: boolean;
  /** Count-only clients: a marker's opening "~" seen at the end of a read, its closing one not yet. */
  halfMarker: boolean;
  /** Login phase: the end of what has arrived, searched for the welcome. */
  text: string;
  /** Live phase: the start of a marker cut off at the end of the last read. */
  carry: Buffer | undefined;
  onLoggedIn: ((ok: boolean, why?: string) => void) | undefined;
}

/**
 * Letters no two of whose spellings read alike: no i, l, m, n, r, u, v, w or o, so `rn`/`m`,
 * `l`/`I`, `vv`/`w` and friends never occur. Loom refuses a name that looks like an existing
 * one (hardening E13): "benchaaai" after "benchaaal" was refused as taken.
 */
const NAME_LETTERS = "abcdefghjkpqstxyz";

/** `index` spelled in {@link NAME_LETTERS}, at least four of them (names are 3–16 letters). */
export function spelledIndex(index: number): string {
  let n = index;
  let suffix = "";
  for (let i = 0; i < 4 || n > 0; i++) {
    suffix = NAME_LETTERS[n % NAME_LETTERS.length]! + suffix;
    n = Math.floor(n / NAME_LETTERS.length);
  }
  return suffix;
}

/** The name of client `index`: "bench" plus the index in letters. */
export function clientName(index: number): string {
  return `bench${spelledIndex(index)}`;
}

/** The source address of client `index`: 127.0.0.2 upwards, `perAddress` clients each. */
export function sourceAddress(index: number, perAddress: number): string {
  const n = 2 + Math.floor(index / perAddress);
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** One room full of clients. */
export class LoadClients {
  readonly #options: LoadOptions;
  readonly #clients: Client[] = [];
  /** One read buffer for every socket: each read is parsed before the next one happens. */
  readonly #readBuffer = Buffer.allocUnsafe(64 * 1024);
  /** Deliveries received per message (Uint16 would do for 65k clients; Uint32 is safe). */
  readonly #received: Uint32Array;
  #sent = 0;
  #sendTimer: NodeJS.Timeout | undefined;
  #senders: Client[] = [];
  #loggedIn = 0;
  #closing = false;
  /** Clients the server closed (or that failed) after they had logged in. */
  #dropped = 0;
  /** Count-only sockets paused by coalescing, and the timer that resumes them all. */
  #paused: net.Socket[] = [];
  #resumeTimer: NodeJS.Timeout | undefined;
  readonly #resumeAll = (): void => {
    this.#resumeTimer = undefined;
    const paused = this.#paused;
    this.#paused = [];
    for (const socket of paused) if (!socket.destroyed) socket.resume();
  };
  /** The same two counts for the sampled clients, which alone account per message. */
  #sampledLoggedIn = 0;
  #sampledDropped = 0;
  /** Slow readers logged in, and how long after they stopped reading each was closed (ms). */
  #slowLoggedIn = 0;
  readonly #slowClosedAfterMs: number[] = [];

  // The measured window.
  #measuring = false;
  #windowFirst = -1;
  #windowEnd = -1;
  #windowStartedAt = 0;
  #windowSeconds = 0;
  #receivedInWindow = 0;
  #readsInWindow = 0;
  #sampledReceivedInWindow = 0;
  #windowDelivered = 0;
  #latencies = new Float32Array(1 << 20);
  /** The message (seq) of each latency, in step: for per-message quantiles (the capacity scenario). */
  #latencySeqs = new Uint32Array(1 << 20);
  #latencyCount = 0;
  #receivedThroughDrain = 0;
  #duplicates = 0;
  #parseErrors = 0;
  /** Scratch for one marker's three numbers, reused: the parser runs for every delivery. */
  readonly #markerFields = new Float64Array(3);
  #echoes = 0;

  constructor(options: LoadOptions) {
    this.#options = options;
    this.#received = new Uint32Array(options.maxMessages);
    const senderFrom = options.senderOffset ?? 0;
    const isSender = (index: number): boolean => index >= senderFrom && index < senderFrom + options.senders;
    for (let index = 0; index < options.clients + (options.slowReaders ?? 0); index++) {
      const name = clientName(index);
      const display = name[0]!.toUpperCase() + name.slice(1);
      const door = options.doors[index % options.doors.length] ?? "line";
      this.#clients.push({
        index,
        name,
        welcome: `Welcome, ${display}.`,
        door,
        socket: undefined,
        ws: undefined,
        telnet: door === "telnet" ? new TelnetRefuser() : undefined,
        state: "connecting",
        slow: index >= options.clients,
        stoppedReadingAt: Number.NaN,
        endpoint: undefined,
        sampled: index < options.clients && (index % options.sampleEvery === 0 || isSender(index)),
        halfMarker: false,
        text: "",
        carry: undefined,
        onLoggedIn: undefined,
      });
    }
  }

  /** Clients logged in and still connected. */
  get connected(): number {
    return this.#loggedIn - this.#dropped;
  }

  /** Logged-in clients the server disconnected during the run. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Whether client `index` is logged in and still connected. */
  isLive(index: number): boolean {
    return this.#clients[index]?.state === "live";
  }

  /** Messages sent so far. */
  get sent(): number {
    return this.#sent;
  }

  /**
   * Logs in clients `from` to `to` (exclusive), `loginConcurrency` at a time: each connects by
   * its door, sends `create|connect <name> <password>` and waits for `Welcome, <Name>.`.
   * Logins not started by `deadline` (a performance.now() time) count as failed; none runs
   * past it.
   */
  login(from: number, to: number, deadline = Number.POSITIVE_INFINITY): Promise<LoginOutcome> {
    const options = { concurrency: this.#options.loginConcurrency, timeoutMs: this.#options.loginTimeoutMs, deadline, stopped: () => this.#closing };
    return loginAll(this.#clients.slice(from, to), options, (client, timeoutMs) => this.#loginOne(client, timeoutMs));
  }

  #loginOne(client: Client, timeoutMs: number): Promise<{ ok: boolean; why: string }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false, `no welcome within ${(timeoutMs / 1000).toFixed(1)} s`), timeoutMs);
      const finish = (ok: boolean, why = ""): void => {
        if (client.onLoggedIn === undefined) return;
        client.onLoggedIn = undefined;
        clearTimeout(timer);
        if (ok && client.slow) {
          // Stop reading for good: the kernel's buffers fill, then the server's queue (S1/S2/S4).
          client.state = "live";
          client.text = "";
          client.socket?.pause();
          client.ws?.pause();
          client.stoppedReadingAt = performance.now();
          this.#slowLoggedIn++;
        } else if (ok) {
          client.state = "live";
          client.text = "";
          this.#loggedIn++;
          if (client.sampled) this.#sampledLoggedIn++;
        } else {
          client.state = "closed";
          client.socket?.destroy();
          client.ws?.terminate();
        }
        resolve({ ok, why });
      };
      client.onLoggedIn = finish;
      client.state = "connecting";
      const login = `${this.#options.loginCommand} ${client.name} ${BENCH_PASSWORD}`;
      const onClose = (): void => {
        if (client.slow && client.state === "live" && !this.#closing) {
          this.#slowClosedAfterMs.push(performance.now() - client.stoppedReadingAt);
        } else if (client.state === "live" && !this.#closing) {
          this.#dropped++;
          if (client.sampled) this.#sampledDropped++;
        }
        if (client.state !== "live") finish(false, `closed during login: ${client.text.slice(-200).trim()}`);
        client.state = "closed";
      };
      const localAddress = sourceAddress(client.index, this.#options.perAddress);
      if (client.door === "ws") {
        if (this.#options.httpPort === undefined) return finish(false, "this server has no WebSocket door");
        // No subprotocol: the plain-text dialect, one line per text frame (docs/websocket.md).
        const ws = new WebSocket(`ws://127.0.0.1:${this.#options.httpPort}/ws`, { localAddress, perMessageDeflate: false });
        client.ws = ws;
        // The upgrade's response rides on the client's TCP socket: its local end names it in /proc/net/tcp.
        if (client.slow) ws.on("upgrade", (response) => (client.endpoint = endpointOf(response.socket)));
        ws.on("open", () => {
          client.state = "login";
          ws.send(login);
        });
        ws.on("message", (data: Buffer) => this.#onRead(client, data.length, data));
        ws.on("error", (err) => {
          if (client.state !== "live") finish(false, err.message);
        });
        ws.on("close", onClose);
        return;
      }
      const telnet = client.telnet;
      const port = client.door === "telnet" ? this.#options.telnetPort : this.#options.port;
      if (port === undefined) return finish(false, "this server has no telnet door");
      const socket = net.connect({
        host: "127.0.0.1",
        port,
        localAddress,
        noDelay: true,
        onread: {
          buffer: this.#readBuffer,
          callback: (nread, buffer) => {
            if (telnet === undefined) {
              this.#onRead(client, nread, buffer as Buffer);
              return true;
            }
            const out = telnet.feed((buffer as Buffer).subarray(0, nread));
            if (out.reply !== undefined) client.socket?.write(out.reply);
            if (out.text.length > 0) this.#onRead(client, out.text.length, out.text);
            return true;
          },
        },
      });
      client.socket = socket;
      socket.once("connect", () => {
        if (client.slow) client.endpoint = endpointOf(socket);
        client.state = "login";
        socket.write(`${login}\r\n`);
      });
      socket.on("error", (err) => {
        if (client.state !== "live") finish(false, err.message);
      });
      socket.on("close", onClose);
    });
  }

  /** Sends one command by the client's door. */
  #send(client: Client, command: string): void {
    if (client.ws !== undefined) client.ws.send(command);
    else client.socket?.write(`${command}\r\n`);
  }

  #onRead(client: Client, nread: number, shared: Buffer): void {
    if (client.state === "login") {
      const text = client.text + shared.toString("latin1", 0, nread);
      if (text.includes(client.welcome)) {
        client.onLoggedIn?.(true);
        return;
      }
      const refused = LOGIN_REFUSED.exec(text);
      if (refused) {
        client.text = text;
        client.onLoggedIn?.(false, text.slice(Math.max(0, refused.index - 40), refused.index + 120).trim());
        return;
      }
      client.text = text.length > 512 ? text.slice(-512) : text;
      return;
    }
    if (client.state !== "live" || client.slow) return;
    if (!client.sampled) {
      this.#countMarkers(client, shared, nread);
      return;
    }
    // Reads are counted at the sampled clients only: they never pause, so their reads follow the server's writes.
    if (this.#measuring) this.#readsInWindow++;

    let data: Buffer;
    if (client.carry !== undefined) {
      data = Buffer.concat([client.carry, shared.subarray(0, nread)]);
      client.carry = undefined;
    } else {
      data = shared.subarray(0, nread);
    }
    const end = data.length;
    const now = performance.now();
    let i = 0;
    for (;;) {
      i = data.indexOf(TILDE, i);
      if (i < 0) return;
      // ~<sender>.<seq>.<micros>~: up to three dot-separated numbers; fields not reached stay 0.
      const fields = this.#markerFields;
      fields.fill(0);
      let j = i + 1;
      let b = 0;
      let digits = 0;
      for (let field = 0; ; field++) {
        let value = 0;
        digits = 0;
        while (j < end && (b = data[j]!) >= ZERO && b <= NINE) {
          value = value * 10 + (b - ZERO);
          j++;
          digits++;
        }
        fields[field] = value;
        if (field === 2 || j >= end || b !== DOT || digits === 0) break;
        j++;
      }
      if (j >= end) {
        // The marker runs past the end of this read: keep it for the next one.
        if (end - i <= MAX_CARRY) client.carry = Buffer.from(data.subarray(i, end));
        else this.#parseErrors++;
        return;
      }
      if (b !== TILDE || digits === 0) {
        // A "~" that does not start a marker: a closing "~" we skipped, or someone else's text.
        this.#parseErrors += b === TILDE ? 0 : 1;
        i = j;
        continue;
      }
      i = j + 1;
      this.#record(client, fields[0]!, fields[1]!, fields[2]!, now);
    }
  }

  /**
   * The count-only receive path: markers are `~…~` and nothing else the servers send holds a
   * "~", so deliveries are closing tildes, found with memchr and never decoded. A marker cut at
   * the end of a read leaves its opening "~" behind, and its closing one counts in the next.
   */
  #countMarkers(client: Client, shared: Buffer, nread: number): void {
    if (this.#options.coalesceMs > 0 && client.socket !== undefined) {
      client.socket.pause();
      this.#paused.push(client.socket);
      this.#resumeTimer ??= setTimeout(this.#resumeAll, this.#options.coalesceMs);
    }
    // The view, not the shared buffer: indexOf would otherwise search stale bytes past nread.
    const data = shared.subarray(0, nread);
    let i = 0;
    let closed = 0;
    let open = client.halfMarker;
    for (;;) {
      i = data.indexOf(TILDE, i);
      if (i < 0) break;
      if (open) closed++;
      open = !open;
      i++;
    }
    client.halfMarker = open;
    if (this.#measuring) this.#receivedInWindow += closed;
    if (this.#windowFirst >= 0) this.#receivedThroughDrain += closed;
  }

  #record(client: Client, sender: number, seq: number, micros: number, now: number): void {
    const inWindow = seq >= this.#windowFirst && this.#windowFirst >= 0 && (this.#windowEnd < 0 || seq < this.#windowEnd);
    if (sender === client.index) {
      if (inWindow) this.#echoes++;
      return;
    }
    if (this.#measuring) {
      this.#receivedInWindow++;
      this.#sampledReceivedInWindow++;
    }
    if (seq >= this.#received.length) return;
    const count = ++this.#received[seq]!;
    if (!inWindow) return;
    this.#receivedThroughDrain++;
    if (count > this.#sampledLoggedIn - 1) {
      this.#duplicates++;
      return;
    }
    this.#windowDelivered++;
    if (this.#latencyCount === this.#latencies.length) {
      const bigger = new Float32Array(this.#latencies.length * 2);
      bigger.set(this.#latencies);
      this.#latencies = bigger;
      const biggerSeqs = new Uint32Array(this.#latencySeqs.length * 2);
      biggerSeqs.set(this.#latencySeqs);
      this.#latencySeqs = biggerSeqs;
    }
    this.#latencySeqs[this.#latencyCount] = seq;
    this.#latencies[this.#latencyCount++] = now - micros / 1000;
  }

  /**
   * Starts the senders at `rate` lines/s each (default: the options'): message k goes out at
   * k / (senders × rate) seconds from now, from sender k mod senders, so lines are spread
   * evenly in time. A late timer catches up. Call {@link stopSending} before starting again.
   */
  startSending(rate = this.#options.rate): void {
    // Senders are sampled clients, so that their own echoes are told apart from deliveries.
    const from = this.#options.senderOffset ?? 0;
    this.#senders = this.#clients.slice(from, from + this.#options.senders).filter((c) => c.state === "live" && c.sampled);
    const perSecond = this.#senders.length * rate;
    const command = this.#options.sayCommand;
    const pad = this.#options.padBytes ?? 0;
    const padding = pad > 0 ? ` ${"x".repeat(pad - 1)}` : "";
    const sentBefore = this.#sent;
    const startedAt = performance.now();
    const tick = (): void => {
      const due = Math.min(this.#options.maxMessages, sentBefore + Math.floor(((performance.now() - startedAt) * perSecond) / 1000));
      while (this.#sent < due) {
        const seq = this.#sent++;
        const sender = this.#senders[seq % this.#senders.length]!;
        if (sender.state !== "live") continue;
        const micros = Math.round(performance.now() * 1000);
        this.#send(sender, `${command} ~${sender.index}.${seq}.${micros}~${padding}`);
      }
    };
    this.#sendTimer = setInterval(tick, 1);
  }

  /** Stops the senders. */
  stopSending(): void {
    clearInterval(this.#sendTimer);
    this.#sendTimer = undefined;
  }

  /** Starts the measured window: deliveries are counted, and messages sent from now on timed. */
  beginWindow(): void {
    // A fresh window (the ramp measures several): the figures of the last one are dropped.
    this.#windowEnd = -1;
    this.#receivedInWindow = 0;
    this.#readsInWindow = 0;
    this.#sampledReceivedInWindow = 0;
    this.#windowDelivered = 0;
    this.#latencyCount = 0;
    this.#receivedThroughDrain = 0;
    this.#duplicates = 0;
    this.#parseErrors = 0;
    this.#echoes = 0;
    this.#windowFirst = this.#sent;
    this.#windowStartedAt = performance.now();
    this.#measuring = true;
  }

  /** Ends the window and stops the senders; messages sent before now are still awaited by {@link drain}. */
  endWindow(): void {
    this.stopSending();
    this.#measuring = false;
    this.#windowEnd = this.#sent;
    this.#windowSeconds = (performance.now() - this.#windowStartedAt) / 1000;
  }

  /**
   * Deliveries the window's messages should make to the sampled clients (every sender is one,
   * so each message has one sampled client fewer to reach).
   */
  get expected(): number {
    return Math.max(0, this.#windowEnd - this.#windowFirst) * Math.max(0, this.#sampledLoggedIn - 1);
  }

  /** Waits until every window message has reached every other sampled client, or `timeoutMs` passed. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      // Clients the server dropped cannot receive; do not wait for them.
      const reachable = Math.max(0, this.#windowEnd - this.#windowFirst) * Math.max(0, this.#sampledLoggedIn - this.#sampledDropped - 1);
      if (this.#windowDelivered >= reachable) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The figures of the window (call after {@link drain}). */
  figures(): WindowFigures {
    const latencies = this.#latencies.slice(0, this.#latencyCount).sort();
    return {
      seconds: this.#windowSeconds,
      messages: Math.max(0, this.#windowEnd - this.#windowFirst),
      expected: this.expected,
      receivedInWindow: this.#receivedInWindow,
      readsInWindow: this.#readsInWindow,
      sampledReceivedInWindow: this.#sampledReceivedInWindow,
      deliveredByDrainEnd: this.#windowDelivered,
      latencies,
      duplicates: this.#duplicates,
      parseErrors: this.#parseErrors,
      echoes: this.#echoes,
      sampled: this.#sampledLoggedIn,
      receivedThroughDrain: this.#receivedThroughDrain,
    };
  }

  /**
   * The window's latencies grouped by message, each ascending, in the order the messages were
   * sent (call after {@link drain}): the capacity scenario reports every announcement.
   */
  latenciesByMessage(): { readonly seq: number; readonly latencies: Float32Array }[] {
    const bySeq = new Map<number, number[]>();
    for (let i = 0; i < this.#latencyCount; i++) {
      const seq = this.#latencySeqs[i]!;
      let list = bySeq.get(seq);
      if (list === undefined) bySeq.set(seq, (list = []));
      list.push(this.#latencies[i]!);
    }
    return [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([seq, list]) => ({ seq, latencies: Float32Array.from(list).sort() }));
  }

  /** Logs in the slow readers (after the others), who stop reading as soon as they are welcomed. */
  loginSlowReaders(deadline = Number.POSITIVE_INFINITY): Promise<LoginOutcome> {
    return this.login(this.#options.clients, this.#options.clients + (this.#options.slowReaders ?? 0), deadline);
  }

  /** What became of the slow readers so far, with what the kernel holds for the open ones. */
  slowReport(): SlowReport {
    const endpoints = new Set<string>();
    for (const client of this.#clients) if (client.slow && client.state === "live" && client.endpoint !== undefined) endpoints.add(client.endpoint);
    const queues = kernelQueues(endpoints);
    return {
      loggedIn: this.#slowLoggedIn,
      closedAfterSeconds: this.#slowClosedAfterMs.map((ms) => ms / 1000).sort((a, b) => a - b),
      kernelRecvQBytes: queues.recvQ,
      kernelSendQBytes: queues.sendQ,
      kernelSockets: queues.sockets,
    };
  }

  /** Closes every client at once. */
  closeAll(): void {
    this.#closing = true;
    this.stopSending();
    clearTimeout(this.#resumeTimer);
    this.#resumeTimer = undefined;
    this.#paused = [];
    for (const client of this.#clients) {
      client.onLoggedIn?.(false, "closing");
      client.socket?.destroy();
      client.socket = undefined;
      client.ws?.terminate();
      client.ws = undefined;
      client.state = "closed";
    }
  }
}

/** A socket's local `address:port` as /proc/net/tcp writes it: the IPv4 address as a little-endian hex word. */
function endpointOf(socket: net.Socket): string | undefined {
  const { localAddress: address, localPort: port } = socket;
  if (address === undefined || port === undefined) return undefined;
  const octets = address.split(".").map(Number);
  const word = octets.reverse().map((o) => o.toString(16).padStart(2, "0")).join("").toUpperCase();
  return `${word}:${port.toString(16).padStart(4, "0").toUpperCase()}`;
}

/**
 * Sums, over /proc/net/tcp, the receive queue of the sockets whose local end is in `endpoints`
 * (the slow readers' own) and the send queue of those whose remote end is (the server's side of
 * the same connections). NaN if the file cannot be read.
 */
function kernelQueues(endpoints: ReadonlySet<string>): { recvQ: number; sendQ: number; sockets: number } {
  let text: string;
  try {
    text = readFileSync("/proc/net/tcp", "latin1");
  } catch {
    return { recvQ: Number.NaN, sendQ: Number.NaN, sockets: 0 };
  }
  let recvQ = 0;
  let sendQ = 0;
  let sockets = 0;
  for (const row of text.split("\n")) {
    // sl local_address rem_address st tx_queue:rx_queue ...
    const cols = row.trim().split(/\s+/);
    const local = cols[1];
    const remote = cols[2];
    const queues = cols[4];
    if (local === undefined || remote === undefined || queues === undefined) continue;
    const [tx, rx] = queues.split(":");
    if (endpoints.has(local)) {
      recvQ += Number.parseInt(rx ?? "0", 16);
      sockets++;
    } else if (endpoints.has(remote)) {
      sendQ += Number.parseInt(tx ?? "0", 16);
    }
  }
  return { recvQ, sendQ, sockets };
}
