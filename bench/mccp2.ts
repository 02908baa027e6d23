/**
 * The MCCP2 measurements (`npm run bench:mccp2`; issue 8, docs/telnet.md "MCCP2"): what a
 * compressed connection costs in memory, and how well real play compresses, for a grid of zlib
 * settings (windowBits / memLevel) against zlib's defaults (15 / 8).
 *
 * 1. zlib's own memory: a child process per setting opens `--connections` streams the way the
 *    telnet door does (Mccp2Compression.openStream), compresses 80 KB of room-like text through
 *    each (so every page of zlib's buffers is touched, as in a long session), and reports the
 *    growth of RSS and of the JS heap per stream. (Node 20 does not count zlib's allocations in
 *    `external`; RSS is the measure.)
 * 2. The server's: Loom (dist/src/main.js) is started per setting, `--connections` telnet
 *    players log in and look about until each has been sent some 80 KB, once all accepting
 *    MCCP2 and once all refusing it; VmRSS growth per player, and the difference, per
 *    compressed connection.
 * 3. Real play: Loom at its defaults; two players create characters, then walk a 26-room loop of
 *    the starter world together, looking and talking in every room. The one who accepted MCCP2
 *    measures wire bytes against inflated bytes; what it inflated, chunk by chunk as it arrived
 *    (about one chunk per server turn), is compressed again offline with every setting.
 *
 *   node dist/bench/mccp2.js [--connections 500] [--only memory,server,play] [--json FILE]
 *
 * Loopback only; every child is killed and the temp directory removed at the end.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { findProjectRoot } from "../src/config/project-root.js";
import { loadConfig } from "../src/config/load-config.js";
import { Mccp2Compression, type Mccp2Settings } from "../protocols/telnet/mccp2-stream.js";
import { killChildrenNow, loomEnvironment, stopChild, trackChild } from "./lib/children.js";
import { CommandLine } from "./lib/command-line.js";
import { clientName } from "./lib/load.js";
import { readStatusKb } from "./lib/proc.js";

const USAGE = `Usage: node dist/bench/mccp2.js [options]

  --connections N  streams and telnet connections for the memory figures (default 500)
  --only LIST      memory, server, play, or a comma-separated list (default all three)
  --json FILE      also write the results as JSON
`;

/** The grid: zlib's defaults first. */
const GRID: readonly Mccp2Settings[] = [
  { windowBits: 15, memLevel: 8, level: 6 },
  { windowBits: 14, memLevel: 7, level: 6 },
  { windowBits: 14, memLevel: 5, level: 6 },
  { windowBits: 13, memLevel: 6, level: 6 },
  { windowBits: 13, memLevel: 5, level: 6 },
  { windowBits: 12, memLevel: 5, level: 6 },
  { windowBits: 12, memLevel: 4, level: 6 },
  { windowBits: 11, memLevel: 4, level: 6 },
  { windowBits: 10, memLevel: 3, level: 6 },
  { windowBits: 9, memLevel: 2, level: 6 },
];
/** Loom's shipped settings (`telnet.mccp2` in config/default.yaml, the one place they are written). */
const { windowBits, memLevel, level } = loadConfig({ argv: [], env: {} }).telnet.mccp2;
const DEFAULT_MCCP2_SETTINGS: Mccp2Settings = { windowBits, memLevel, level };
/** zlib's defaults, Loom's, and the 4 KiB window. */
const SERVER_GRID: readonly Mccp2Settings[] = [GRID[0]!, DEFAULT_MCCP2_SETTINGS, GRID[5]!];
const label = (s: Mccp2Settings): string => `${s.windowBits}/${s.memLevel}`;

const ROOM =
  "\x1b[1;36mThe Weavers' Garden\x1b[0m\r\nBehind the market a walled garden grows what the dyers need: woad in tall blue-green " +
  "ranks, madder sprawling over its frames, weld nodding yellow by the wall. Bees work the lavender along the path. A gate " +
  "leads north to the dyeworks, the market lies east and the library south.\r\n\x1b[33mExits: north, east, south.\x1b[0m\r\n" +
  "A gardener's trowel lies here.\r\nA wicker basket lies here.\r\n> ";

// ---------------------------------------------------------------- 1. zlib's memory, per stream

/** Child mode: opens `count` streams with `settings`, prints per-stream growth as JSON. */
function childStreams(settings: Mccp2Settings, count: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --expose-gc");
  const compression = Mccp2Compression.create(settings);
  if (compression instanceof Error) throw compression;
  const turns = playLikeTurns(TURNS_PER_STREAM);
  gc();
  const before = process.memoryUsage();
  const streams = [];
  for (let i = 0; i < count; i++) {
    const stream = compression.openStream();
    for (const turn of turns) stream.encode(turn);
    streams.push(stream);
  }
  gc();
  const after = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({
      rss: (after.rss - before.rss) / count,
      heap: (after.heapUsed - before.heapUsed) / count,
      kept: streams.length,
    })}\n`,
  );
}

/**
 * 40 turns of about 2 KB of room-like text (80 KB): more than the largest window holds, so every
 * page of zlib's window and buffers has been touched, as in a long session.
 */
const TURNS_PER_STREAM = 40;

function playLikeTurns(count: number): Buffer[] {
  const words = ROOM.replace(/\x1b\[[0-9;]*m/g, "").split(/\s+/);
  let x = 7;
  const turns: Buffer[] = [];
  for (let t = 0; t < count; t++) {
    const picked: string[] = [];
    for (let w = 0; w < 320; w++) {
      x = (x * 1103515245 + 12345) >>> 0;
      picked.push(words[(x >>> 16) % words.length]!);
    }
    turns.push(Buffer.from(`${picked.join(" ")}\r\n`));
  }
  return turns;
}

interface StreamMemory {
  readonly settings: string;
  readonly rssBytes: number;
  readonly heapBytes: number;
}

function measureStreams(count: number): StreamMemory[] {
  const self = fileURLToPath(import.meta.url);
  return GRID.map((s) => {
    const run = spawnSync(process.execPath, ["--expose-gc", self, "--child-streams", `${s.windowBits},${s.memLevel},${s.level},${count}`], {
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`stream child failed: ${run.stderr}`);
    const r = JSON.parse(run.stdout) as { rss: number; heap: number };
    return { settings: label(s), rssBytes: r.rss, heapBytes: r.heap };
  });
}

// ---------------------------------------------------------------- a telnet client that inflates

/**
 * Answers WILL MCCP2 with DO (or DONT) and every other offer with a refusal; after the start
 * marker, inflates with a zlib stream. Text is kept as Latin-1 for searching.
 */
class BenchClient {
  readonly socket: net.Socket;
  text = "";
  sawMarker = false;
  wireAfterMarker = 0;
  inflatedBytes = 0;
  /** The inflated output, chunk by chunk as it came. */
  readonly chunks: Buffer[] = [];
  readonly #accept: boolean;
  #pending = Buffer.alloc(0);
  #inflate: zlib.Inflate | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(socket: net.Socket, accept: boolean) {
    this.socket = socket;
    this.#accept = accept;
    socket.on("data", (chunk: Buffer) => this.#data(chunk));
    socket.on("error", () => {});
  }

  static open(port: number, accept: boolean, localAddress: string): Promise<BenchClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1", localAddress });
      socket.once("connect", () => resolve(new BenchClient(socket, accept)));
      socket.once("error", reject);
    });
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Resolves once `text` contains `pattern` at or after `from`; returns where it ends. */
  waitFor(pattern: string, from: number, ms = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const at = this.text.indexOf(pattern, from);
        if (at < 0) return false;
        this.#waiters.delete(wake);
        clearTimeout(timer);
        resolve(at + pattern.length);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`timed out waiting for ${JSON.stringify(pattern)}`));
      }, ms);
      this.#waiters.add(wake);
      check();
    });
  }

  #data(chunk: Buffer): void {
    if (this.#inflate !== undefined) {
      this.wireAfterMarker += chunk.length;
      this.#inflate.write(chunk);
      return;
    }
    const bytes = Buffer.concat([this.#pending, chunk]);
    let i = 0;
    for (; i < bytes.length; i++) {
      if (bytes[i] !== 255) continue;
      const verb = bytes[i + 1];
      const option = bytes[i + 2];
      if (verb === undefined || option === undefined) break;
      if (verb === 250 && option === 86 && bytes[i + 3] === 255 && bytes[i + 4] === 240) {
        this.#appendText(bytes.subarray(0, i));
        this.sawMarker = true;
        this.#startInflating();
        const rest = bytes.subarray(i + 5);
        this.#pending = Buffer.alloc(0);
        if (rest.length > 0) this.#data(rest);
        return;
      }
      if (verb === 251) this.socket.write(Buffer.from([255, option === 86 && this.#accept ? 253 : 254, option]));
      else if (verb === 253) this.socket.write(Buffer.from([255, 252, option]));
    }
    this.#appendText(bytes.subarray(0, i));
    this.#pending = bytes.subarray(i);
  }

  #startInflating(): void {
    const inflate = zlib.createInflate();
    inflate.on("data", (out: Buffer) => {
      this.chunks.push(out);
      this.inflatedBytes += out.length;
      this.#appendText(out);
    });
    inflate.on("error", (err) => {
      throw err;
    });
    this.#inflate = inflate;
  }

  #appendText(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    // Colour codes out, so that "Tam says" matches whatever colour the name is in.
    this.text += Buffer.from(bytes).toString("latin1").replace(/\x1b\[[0-9;]*m/g, "");
    for (const wake of [...this.#waiters]) wake();
  }
}

// ---------------------------------------------------------------- Loom as a child

interface Loom {
  readonly pid: number;
  readonly telnetPort: number;
  stop(): Promise<unknown>;
}

async function startLoom(root: string, workDir: string, settings: Mccp2Settings, connections: number): Promise<Loom> {
  const configFile = path.join(workDir, `mccp2-${label(settings).replace("/", "-")}.yaml`);
  writeFileSync(
    configFile,
    [
      "# Written by bench/mccp2.ts.",
      "telnet:",
      "  mccp2:",
      `    windowBits: ${settings.windowBits}`,
      `    memLevel: ${settings.memLevel}`,
      `    level: ${settings.level}`,
      "limits:",
      `  maxConnectionsPerAddress: ${connections + 10}`,
      `  maxConnections: ${connections + 100}`,
      `  newConnectionBurst: ${connections + 10}`,
      "  newConnectionsPerSecond: 1000",
      "  loginTimeoutSeconds: 3600",
      // The scripted players type faster than people (F1 would drop their commands).
      "  commandsPerSecond: 1000",
      "  commandBurst: 1000",
      "accounts:",
      `  creationsPerHour: ${connections + 10}`,
      `  maxQueuedHashesPerAddress: ${connections + 10}`,
      `  maxQueuedHashes: ${connections + 10}`,
      "",
    ].join("\n"),
  );
  const child = spawn(process.execPath, [path.join(root, "dist", "src", "main.js"), "--config", configFile], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...loomEnvironment(workDir), LOOM_DATA_DIR: mkdtempSync(path.join(workDir, "data-")) },
  });
  trackChild(child);
  const tail: string[] = [];
  const telnetPort = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Loom was not ready within 30 s:\n${tail.join("\n")}`)), 30_000);
    child.once("exit", (code) => reject(new Error(`Loom exited (${code}) before it was ready:\n${tail.join("\n")}`)));
    createInterface({ input: child.stderr! }).on("line", (line) => tail.push(line));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      tail.push(line);
      if (!line.includes("Loom is ready")) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { ports: { telnet: number } }).ports.telnet);
    });
  });
  return { pid: child.pid!, telnetPort, stop: () => stopChild(child, 5000) };
}

// ---------------------------------------------------------------- 2. the server's memory

interface ServerMemory {
  readonly settings: string;
  /** VmRSS growth per connection, clients refusing MCCP2. */
  readonly plainBytes: number;
  /** VmRSS growth per connection, clients accepting it. */
  readonly compressedBytes: number;
}

/**
 * Loom's VmRSS growth per connection once `count` players have logged in and each has been
 * sent about 80 KB (its own looks and everyone's arrivals): enough to fill the largest window,
 * so zlib's buffers are touched as in a long session. At the login prompt they are not, and
 * RSS would show only a few KB.
 */
async function connectionRss(root: string, workDir: string, settings: Mccp2Settings, count: number, accept: boolean): Promise<number> {
  const loom = await startLoom(root, workDir, settings, count);
  const clients: BenchClient[] = [];
  try {
    await sleep(1000);
    const before = readStatusKb(loom.pid, "VmRSS")!;
    for (let i = 0; i < count; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => BenchClient.open(loom.telnetPort, accept, "127.0.0.1")));
      const from = clients.length;
      clients.push(...batch);
      await Promise.all(
        batch.map(async (c, j) => {
          const name = clientName(from + j);
          const at = await c.waitFor("Your name:", 0);
          c.send(`create ${name} pw-${name}`);
          await c.waitFor(`Welcome, ${name[0]!.toUpperCase()}${name.slice(1)}.`, at, 60_000);
        }),
      );
    }
    await Promise.all(
      clients.map(async (c, i) => {
        const at = c.text.length;
        for (let k = 0; k < LOOKS; k++) c.send("look");
        c.send(`say done ${i}`);
        await c.waitFor(`You say, "done ${i}"`, at, 60_000);
      }),
    );
    if (accept && !clients.every((c) => c.sawMarker)) throw new Error("a client was not sent the MCCP2 marker");
    await sleep(1000);
    const after = readStatusKb(loom.pid, "VmRSS")!;
    return ((after - before) * 1024) / count;
  } finally {
    for (const c of clients) c.socket.destroy();
    await loom.stop();
  }
}

/** Looks per player in the server run: with the arrivals, about 80 KB sent to each. */
const LOOKS = 60;

async function measureServer(root: string, workDir: string, count: number): Promise<ServerMemory[]> {
  const out: ServerMemory[] = [];
  for (const s of SERVER_GRID) {
    const plainBytes = await connectionRss(root, workDir, s, count, false);
    const compressedBytes = await connectionRss(root, workDir, s, count, true);
    out.push({ settings: label(s), plainBytes, compressedBytes });
  }
  return out;
}

// ---------------------------------------------------------------- 3. real play

const ROUTE: readonly (readonly [string, string])[] = [
  ["north", "Market Row"],
  ["west", "The Weavers' Garden"],
  ["north", "The Dyeworks"],
  ["south", "The Weavers' Garden"],
  ["south", "The Guild Library"],
  ["east", "Town Square"],
  ["east", "The Drowsy Shuttle"],
  ["up", "A Room Upstairs"],
  ["down", "The Drowsy Shuttle"],
  ["west", "Town Square"],
  ["south", "The South Gate"],
  ["south", "Ford Road"],
  ["south", "The Riverbank"],
  ["east", "The Old Bridge"],
  ["east", "The Far Bank"],
  ["east", "The Long Meadow"],
  ["north", "The Willow Copse"],
  ["south", "The Long Meadow"],
  ["east", "Beacon Hill"],
  ["west", "The Long Meadow"],
  ["west", "The Far Bank"],
  ["west", "The Old Bridge"],
  ["west", "The Riverbank"],
  ["north", "Ford Road"],
  ["north", "The South Gate"],
  ["north", "Town Square"],
];

const CHAT = [
  "have you seen the fountain in the square?",
  "the dyers are boiling woad again, smell that",
  "let us find the landlady, I am starving",
  "mind the floorboards, they creak",
  "the river is high this week",
  "someone hung a new ribbon on the willow",
  "I think the beacon was lit last winter",
  "what opens that iron key, do you know?",
];

interface PlayResult {
  readonly commands: number;
  readonly inflatedBytes: number;
  readonly wireBytes: number;
  readonly chunks: number;
  /** Offline: the same chunks, one sync flush each, per setting. */
  readonly grid: readonly { readonly settings: string; readonly bytes: number; readonly microsPerTurn: number }[];
}

/** Times the transcript goes through a warm stream per setting, for the CPU figure. */
const PLAY_ROUNDS = 200;

async function measurePlay(root: string, workDir: string): Promise<PlayResult> {
  const loom = await startLoom(root, workDir, DEFAULT_MCCP2_SETTINGS, 10);
  try {
    const zipped = await BenchClient.open(loom.telnetPort, true, "127.0.0.1");
    const plain = await BenchClient.open(loom.telnetPort, false, "127.0.0.1");
    let zAt = await zipped.waitFor("Your name:", 0);
    let pAt = await plain.waitFor("Your name:", 0);
    zipped.send("create Wren wren-bench-pw");
    zAt = await zipped.waitFor("Welcome, Wren.", zAt);
    plain.send("create Tam tam-bench-pw");
    pAt = await plain.waitFor("Welcome, Tam.", pAt);
    let commands = 1;
    let line = 0;
    for (const [way, room] of ROUTE) {
      zipped.send("look");
      zAt = await zipped.waitFor("Exits", zAt);
      zipped.send(`say ${CHAT[line++ % CHAT.length]!}`);
      zAt = await zipped.waitFor("You say", zAt);
      plain.send(`say ${CHAT[line++ % CHAT.length]!}`);
      zAt = await zipped.waitFor("Tam says", zAt);
      zipped.send(way);
      zAt = await zipped.waitFor(room, zAt);
      plain.send(way);
      pAt = await plain.waitFor(room, pAt);
      zAt = await zipped.waitFor("Tam arrives", zAt);
      commands += 3;
    }
    zipped.send("quit");
    await zipped.waitFor("Goodbye", zAt);
    await sleep(300);
    const grid = GRID.map((s) => {
      const compression = Mccp2Compression.create(s);
      if (compression instanceof Error) throw compression;
      // Size: the transcript through a fresh stream, as the player's connection had it.
      const fresh = compression.openStream();
      let bytes = 0;
      for (const chunk of zipped.chunks) bytes += fresh.encode(chunk).length;
      bytes += fresh.end().length;
      // CPU: the transcript again and again through one warm stream, as in a long session.
      const warm = compression.openStream();
      for (const chunk of zipped.chunks) warm.encode(chunk);
      const started = process.hrtime.bigint();
      for (let round = 0; round < PLAY_ROUNDS; round++) for (const chunk of zipped.chunks) warm.encode(chunk);
      const microsPerTurn = Number(process.hrtime.bigint() - started) / 1000 / (PLAY_ROUNDS * zipped.chunks.length);
      warm.dispose();
      return { settings: label(s), bytes, microsPerTurn };
    });
    plain.socket.destroy();
    return { commands, inflatedBytes: zipped.inflatedBytes, wireBytes: zipped.wireAfterMarker, chunks: zipped.chunks.length, grid };
  } finally {
    await loom.stop();
  }
}

// ---------------------------------------------------------------- main

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const childAt = process.argv.indexOf("--child-streams");
  if (childAt >= 0) {
    const [windowBits, memLevel, level, count] = process.argv[childAt + 1]!.split(",").map(Number);
    childStreams({ windowBits: windowBits!, memLevel: memLevel!, level: level! }, count!);
    return;
  }
  const cli = new CommandLine(USAGE, 2);
  const args = cli.parse({
    help: { type: "boolean", short: "h" },
    connections: { type: "string", default: "500" },
    only: { type: "string", default: "memory,server,play" },
    json: { type: "string" },
  });
  const connections = Number(args.connections);
  if (!Number.isInteger(connections) || connections < 1 || connections > 5000) cli.fail("--connections must be an integer from 1 to 5000");
  const parts = new Set(args.only.split(","));
  const root = findProjectRoot();
  const workDir = mkdtempSync(path.join(os.tmpdir(), "loom-mccp2-"));
  process.on("exit", () => {
    killChildrenNow();
    rmSync(workDir, { recursive: true, force: true });
  });
  const results: Record<string, unknown> = { node: process.version, zlib: process.versions.zlib, cpu: os.cpus()[0]?.model, connections };

  if (parts.has("memory")) {
    const memory = measureStreams(connections);
    results["memory"] = memory;
    console.log(`\nMemory per stream (${connections} streams, 80 KB through each):`);
    console.log("windowBits/memLevel   RSS        JS heap");
    for (const m of memory) console.log(`${m.settings.padEnd(20)}  ${kb(m.rssBytes).padEnd(9)}  ${kb(m.heapBytes)}`);
  }
  if (parts.has("server")) {
    const server = await measureServer(root, workDir, connections);
    results["server"] = server;
    console.log(`\nLoom's VmRSS growth per telnet player, logged in, ~80 KB sent to each (${connections} players):`);
    console.log("windowBits/memLevel   refusing MCCP2   accepting   per compressed connection");
    for (const s of server) {
      console.log(`${s.settings.padEnd(20)}  ${kb(s.plainBytes).padEnd(15)}  ${kb(s.compressedBytes).padEnd(10)}  ${kb(s.compressedBytes - s.plainBytes)}`);
    }
  }
  if (parts.has("play")) {
    const play = await measurePlay(root, workDir);
    results["play"] = play;
    console.log(`\nReal play (${play.commands} commands by the measured player, ${play.chunks} server writes):`);
    console.log(`live, at Loom's ${label(DEFAULT_MCCP2_SETTINGS)}: ${play.inflatedBytes} bytes inflated, ${play.wireBytes} on the wire: ${((100 * play.wireBytes) / play.inflatedBytes).toFixed(1)}%`);
    console.log("windowBits/memLevel   compressed   of plain   CPU per server write");
    for (const g of play.grid) {
      console.log(`${g.settings.padEnd(20)}  ${String(g.bytes).padEnd(11)}  ${`${((100 * g.bytes) / play.inflatedBytes).toFixed(1)}%`.padEnd(9)}  ${g.microsPerTurn.toFixed(1)} µs`);
    }
  }
  if (args.json !== undefined) writeFileSync(args.json, `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
