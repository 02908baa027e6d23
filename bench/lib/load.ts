/**
 * The load: many line clients in one room, a few of them saying numbered, timestamped lines at
 * a fixed total rate, every client parsing what it receives.
 *
 * Each say text is `~<sender>.<seq>.<sentAtMicros>~`: the sender's client index, a global
 * sequence number, and the sending time on this process's monotonic clock (performance.now()
 * in microseconds). Every receiver finds the markers in its byte stream, so it needs no line
 * framing and no knowledge of how each server words the line around the text; a marker from
 * its own index is the speaker's echo ("You say, ..."), any other a delivery.
 *
 * The receive path is the load generator's hot loop (hundreds of thousands of deliveries a
 * second on one core), so it reads with `onread` into one shared buffer (no Buffer and no
 * stream machinery per read), finds markers with Buffer#indexOf (memchr) and parses digits
 * by hand.
 */
import net from "node:net";

/** How to build the load. */
export interface LoadOptions {
  readonly port: number;
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
}

/** What the logins did. */
export interface LoginOutcome {
  readonly ok: number;
  readonly failed: number;
  /** The first thing a failed login was told, to explain the failure. */
  readonly firstFailure: string | undefined;
}

/** The figures of one measured window. */
export interface WindowFigures {
  /** Wall time of the window, in seconds. */
  readonly seconds: number;
  /** Messages sent during the window. */
  readonly messages: number;
  /** Deliveries those messages should make: one per other logged-in client. */
  readonly expected: number;
  /** Deliveries (any message) received during the window. */
  readonly receivedInWindow: number;
  /** Socket reads the live clients made during the window. */
  readonly readsInWindow: number;
  /** Deliveries of window messages received by the end of the drain. */
  readonly deliveredByDrainEnd: number;
  /** Delivery latencies of window messages, in ms, sorted ascending. */
  readonly latencies: Float32Array;
  /** Deliveries received twice or more for the same message and client (should be 0). */
  readonly duplicates: number;
  /** Markers that could not be parsed (should be 0). */
  readonly parseErrors: number;
  /** Echoes ("You say") the senders received for window messages. */
  readonly echoes: number;
}

const TILDE = 0x7e;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
/** A marker is under 40 bytes; a carried tail longer than this is not one. */
const MAX_CARRY = 64;
/** Words in a reply that mean the login was refused, so it fails at once instead of timing out. */
const LOGIN_REFUSED = /Too many|is taken|was taken|went wrong|try again|full right now|do not match|reserved|Names are/i;

type ClientState = "connecting" | "login" | "live" | "closed";

interface Client {
  readonly index: number;
  readonly name: string;
  readonly welcome: string;
  socket: net.Socket | undefined;
  state: ClientState;
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

  // The measured window.
  #measuring = false;
  #windowFirst = -1;
  #windowEnd = -1;
  #windowStartedAt = 0;
  #windowSeconds = 0;
  #receivedInWindow = 0;
  #readsInWindow = 0;
  #windowDelivered = 0;
  #latencies = new Float32Array(1 << 20);
  #latencyCount = 0;
  #duplicates = 0;
  #parseErrors = 0;
  /** Scratch for one marker's three numbers, reused: the parser runs for every delivery. */
  readonly #markerFields = new Float64Array(3);
  #echoes = 0;

  constructor(options: LoadOptions) {
    this.#options = options;
    this.#received = new Uint32Array(options.maxMessages);
    for (let index = 0; index < options.clients; index++) {
      const name = clientName(index);
      const display = name[0]!.toUpperCase() + name.slice(1);
      this.#clients.push({
        index,
        name,
        welcome: `Welcome, ${display}.`,
        socket: undefined,
        state: "connecting",
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

  /** Messages sent so far. */
  get sent(): number {
    return this.#sent;
  }

  /**
   * Logs in clients `from` to `to` (exclusive), `loginConcurrency` at a time: each connects,
   * sends `create <name> <password>` and waits for `Welcome, <Name>.`. Logins not started by
   * `deadline` (a performance.now() time) count as failed; none runs past it.
   */
  async login(from: number, to: number, deadline = Number.POSITIVE_INFINITY): Promise<LoginOutcome> {
    let next = from;
    let ok = 0;
    let failed = 0;
    let firstFailure: string | undefined;
    const worker = async (): Promise<void> => {
      while (next < to && !this.#closing) {
        const client = this.#clients[next++]!;
        const left = deadline - performance.now();
        if (left <= 0) {
          failed++;
          firstFailure ??= "the login time budget ran out";
          continue;
        }
        const result = await this.#loginOne(client, Math.min(this.#options.loginTimeoutMs, left));
        if (result.ok) ok++;
        else {
          failed++;
          firstFailure ??= `${client.name}: ${result.why}`;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#options.loginConcurrency, to - from) }, worker));
    return { ok, failed, firstFailure };
  }

  #loginOne(client: Client, timeoutMs: number): Promise<{ ok: boolean; why: string }> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false, `no welcome within ${(timeoutMs / 1000).toFixed(1)} s`), timeoutMs);
      const finish = (ok: boolean, why = ""): void => {
        if (client.onLoggedIn === undefined) return;
        client.onLoggedIn = undefined;
        clearTimeout(timer);
        if (ok) {
          client.state = "live";
          client.text = "";
          this.#loggedIn++;
        } else {
          client.state = "closed";
          client.socket?.destroy();
        }
        resolve({ ok, why });
      };
      client.onLoggedIn = finish;
      client.state = "connecting";
      const socket = net.connect({
        host: "127.0.0.1",
        port: this.#options.port,
        localAddress: sourceAddress(client.index, this.#options.perAddress),
        noDelay: true,
        onread: {
          buffer: this.#readBuffer,
          callback: (nread, buffer) => {
            this.#onRead(client, nread, buffer as Buffer);
            return true;
          },
        },
      });
      client.socket = socket;
      socket.once("connect", () => {
        client.state = "login";
        socket.write(`create ${client.name} benchpass\r\n`);
      });
      socket.on("error", (err) => {
        if (client.state !== "live") finish(false, err.message);
      });
      socket.on("close", () => {
        if (client.state === "live" && !this.#closing) this.#dropped++;
        if (client.state !== "live") finish(false, `closed during login: ${client.text.slice(-200).trim()}`);
        client.state = "closed";
      });
    });
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
    if (client.state !== "live") return;
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

  #record(client: Client, sender: number, seq: number, micros: number, now: number): void {
    const inWindow = seq >= this.#windowFirst && this.#windowFirst >= 0 && (this.#windowEnd < 0 || seq < this.#windowEnd);
    if (sender === client.index) {
      if (inWindow) this.#echoes++;
      return;
    }
    if (this.#measuring) this.#receivedInWindow++;
    if (seq >= this.#received.length) return;
    const count = ++this.#received[seq]!;
    if (!inWindow) return;
    if (count > this.#options.clients - 1) {
      this.#duplicates++;
      return;
    }
    this.#windowDelivered++;
    if (this.#latencyCount === this.#latencies.length) {
      const bigger = new Float32Array(this.#latencies.length * 2);
      bigger.set(this.#latencies);
      this.#latencies = bigger;
    }
    this.#latencies[this.#latencyCount++] = now - micros / 1000;
  }

  /**
   * Starts the senders: message k goes out at k / (senders × rate) seconds from now, from
   * sender k mod senders, so lines are spread evenly in time. A late timer catches up.
   */
  startSending(): void {
    const live = this.#clients.filter((c) => c.state === "live");
    this.#senders = live.slice(0, this.#options.senders);
    const perSecond = this.#senders.length * this.#options.rate;
    const startedAt = performance.now();
    const tick = (): void => {
      const due = Math.min(this.#options.maxMessages, Math.floor(((performance.now() - startedAt) * perSecond) / 1000));
      while (this.#sent < due) {
        const seq = this.#sent++;
        const sender = this.#senders[seq % this.#senders.length]!;
        if (sender.state !== "live") continue;
        const micros = Math.round(performance.now() * 1000);
        sender.socket!.write(`say ~${sender.index}.${seq}.${micros}~\r\n`);
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

  /** Deliveries the window's messages should make. */
  get expected(): number {
    return Math.max(0, this.#windowEnd - this.#windowFirst) * Math.max(0, this.#loggedIn - 1);
  }

  /** Waits until every window message has reached every other client, or `timeoutMs` passed. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      // Clients the server dropped cannot receive; do not wait for them.
      const reachable = Math.max(0, this.#windowEnd - this.#windowFirst) * Math.max(0, this.connected - 1);
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
      deliveredByDrainEnd: this.#windowDelivered,
      latencies,
      duplicates: this.#duplicates,
      parseErrors: this.#parseErrors,
      echoes: this.#echoes,
    };
  }

  /** Closes every client at once. */
  closeAll(): void {
    this.#closing = true;
    this.stopSending();
    for (const client of this.#clients) {
      client.onLoggedIn?.(false, "closing");
      client.socket?.destroy();
      client.socket = undefined;
      client.state = "closed";
    }
  }
}
