/**
 * The mixed-play benchmark (`npm run bench:mixed`; issue 11, target 5): ten thousand players
 * across the three doors, each typing one command every two seconds — a look, a walk, a say, now
 * and then a channel line — and the round trip of every command, per kind, with the server's
 * event-loop utilisation, loop delay, CPU and memory over the same window.
 *
 * The script: write a world directory (the shipped world plus a bench-only grid of fields whose
 * edges wrap, bench/lib/mixed-world.ts) and seed every player's character, with a cheap
 * bench-only hash, in a grid room round-robin (bench/lib/seed-accounts.ts); start Loom on that
 * world pinned to core 0 (this process pins itself to core 1); log the players in, a third per
 * door; start the schedule (each player at its own random phase; bench/lib/mixed-players.ts);
 * after `--warmup` seconds measure for `--seconds`, reading /proc for CPU and memory and
 * /metrics for the loop's busy time, its delay, Loom's deliveries and its flood drops; stop,
 * wait up to `--drain` seconds for answers still in flight, stop Loom.
 *
 * Loom only: the peers (../shared/peers) speak a chat contract with no rooms to walk or look at.
 *
 *   node dist/bench/mixed-play.js --help
 *
 * Loopback only, bounded in players and time; every child is killed and the temp directory
 * removed at the end, on error and on SIGINT/SIGTERM.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findProjectRoot } from "../src/config/project-root.js";
import { RunCleanup } from "./lib/children.js";
import { fetchMetrics, metricValue, watchLoopDelay } from "./lib/loom-metrics.js";
import { CommandLine } from "./lib/command-line.js";
import type { Door } from "./lib/load.js";
import { COMMAND_KINDS, DEFAULT_MIX, type Mix, describeMix, parseMix } from "./lib/mixed-mix.js";
import { type MixedFigures, MixedPlayers } from "./lib/mixed-players.js";
import { type MixedResult, TARGET_P99_MS, renderKindTable, renderMixedNotes, renderRunTable, roundTripRow } from "./lib/mixed-report.js";
import { GridWorld, MAX_GRID_SIDE, MIN_GRID_SIDE, writeMixedWorld } from "./lib/mixed-world.js";
import { busyPercent, GENERATOR_CORE, generatorCpuBetween, machineInfo, markWindow, pinGenerator, pinThread, readStatusKb, sampleCores, writeProfileWindow } from "./lib/proc.js";
import { renderHeader } from "./lib/report.js";
import { BENCH_HASH_LABEL, seedAccounts } from "./lib/seed-accounts.js";
import { type ServerProcess, startServer } from "./lib/servers.js";

const USAGE = `Usage: node dist/bench/mixed-play.js [options]

  --players N      players logged in, a third per door: line, telnet (refusing every option),
                   WebSocket /ws plain text (default 10000, at most 15000)
  --interval S     seconds between one player's commands; each player has its own random
                   phase (default 2)
  --mix LIST       the commands' shares, as kind=weight: look (the room's name answers),
                   walk (out to a neighbour, then back; the new room's name answers),
                   say (the echo answers), chat (the channel echo answers; every player reads
                   it, so keep it rare) (default ${DEFAULT_MIX})
  --rooms N        rooms in the bench grid, rounded to a square whose edges wrap
                   (default 144: 12 × 12, about 69 players a room at 10,000, above Loom's
                   crowd threshold of 50, so comings and goings are told as a summary a second)
  --seconds N      length of the measured window (default 30)
  --warmup N       seconds of play before the window (default 10)
  --drain N        seconds to wait after the window for answers in flight (default 5)
  --eager-reads    players read every byte as it arrives; by default a player with no command
                   in flight stops reading until its next command is due (the generator's
                   cost is per read; round trips are timed the same either way)
  --only LIST      loom (the only server that can play: the peers have no rooms)
  --json FILE      also write every figure as JSON
  --profile DIR    run Loom under --cpu-prof, writing the profile and the window's bounds to DIR
                   (summarise with: node dist/bench/cpuprofile-top.js DIR)
  --no-pin         do not pin Loom to core 0 and the generator to core 1
  --pin-main-only  pin only Loom's main thread (the event loop) to core 0 and leave its helper
                   threads (V8's garbage collector, the SQLite checkpointer, libuv's pool) free
                   to run on either core, as on a two-core host; the generator stays on core 1.
                   By default every Loom thread is pinned to core 0
  --loop-alone     pin Loom's main thread to core 0 and its helper threads to core 1, beside
                   the generator: the event loop has a core of its own, as an operator can
                   give it on a host with a spare core (docs/benchmarks.md, "loop alone")
`;

/** Clients per source address, as in the broadcast bench. */
const PER_ADDRESS = 50;
const LOGIN_CONCURRENCY = 100;
/** All logins' budget: a minute plus 50 ms a player. */
const LOGIN_BUDGET_BASE_MS = 60_000;
const LOGIN_BUDGET_PER_PLAYER_MS = 50;
const SETTLE_SECONDS = 2;
/** A command unanswered after this long is counted as lost (the target is 25 ms). */
const ANSWER_TIMEOUT_MS = 10_000;
/** The seed of the phases, commands and walks: every run plays the same game. */
const SEED = 1105;

/**
 * Where Loom's threads run, with pinning on (the generator is always on its own core):
 * - `process`: every thread on the server's core (the default);
 * - `free-helpers` (`--pin-main-only`): the event loop on the server's core, the rest (V8's
 *   garbage collector and sampler, libuv's pool, the SQLite checkpointer) on any core;
 * - `loop-alone` (`--loop-alone`): the event loop on the server's core, the rest on the
 *   generator's, so nothing else takes the loop's core.
 */
type Placement = "process" | "free-helpers" | "loop-alone";

/**
 * The cores Loom starts on. Its helper threads keep the cores they start with, and only the main
 * thread is pinned to `serverCore` once Loom is up (the process's id is its main thread's).
 * Free helpers start on every core: os.cpus(), not availableParallelism(), which counts this
 * process's own pin, one core by now. Unpinned, Loom would inherit that pin to the generator's
 * core, which is what loop-alone asks for, said outright.
 */
function startingCores(placement: Placement, serverCore: number): number | string {
  switch (placement) {
    case "process":
      return serverCore;
    case "free-helpers":
      return `0-${os.cpus().length - 1}`;
    case "loop-alone":
      return GENERATOR_CORE;
    default: {
      const unreachable: never = placement;
      throw new Error(`unknown placement ${String(unreachable)}`);
    }
  }
}

interface Options {
  readonly players: number;
  readonly intervalSeconds: number;
  readonly mix: Mix;
  readonly gridSide: number;
  readonly seconds: number;
  readonly warmup: number;
  readonly drain: number;
  readonly json: string | undefined;
  readonly profile: string | undefined;
  readonly pin: boolean;
  /** Where Loom's threads run when pinning is on (see {@link Placement}). */
  readonly placement: Placement;
  readonly eagerReads: boolean;
}

const commandLine = new CommandLine(USAGE, 2);

function parseOptions(): Options {
  const v = commandLine.parse({
    players: { type: "string", default: "10000" },
    interval: { type: "string", default: "2" },
    mix: { type: "string", default: DEFAULT_MIX },
    rooms: { type: "string", default: "144" },
    seconds: { type: "string", default: "30" },
    warmup: { type: "string", default: "10" },
    drain: { type: "string", default: "5" },
    only: { type: "string", default: "loom" },
    json: { type: "string" },
    profile: { type: "string" },
    "no-pin": { type: "boolean", default: false },
    "pin-main-only": { type: "boolean", default: false },
    "loop-alone": { type: "boolean", default: false },
    "eager-reads": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (v.only.trim().toLowerCase() !== "loom") commandLine.fail(`--only takes loom: the peers have no rooms to look at or walk through (got "${v.only}")`);
  const parsed = parseMix(v.mix);
  const mix = typeof parsed === "string" ? commandLine.fail(`--mix: ${parsed}`) : parsed;
  if (v["pin-main-only"] && v["loop-alone"]) commandLine.fail("--pin-main-only and --loop-alone are two placements of Loom's threads; give one");
  const rooms = commandLine.number("rooms", v.rooms, MIN_GRID_SIDE ** 2, MAX_GRID_SIDE ** 2, true);
  return {
    players: commandLine.number("players", v.players, 3, 15_000, true),
    intervalSeconds: commandLine.number("interval", v.interval, 0.1, 60, false),
    mix,
    gridSide: Math.min(MAX_GRID_SIDE, Math.max(MIN_GRID_SIDE, Math.round(Math.sqrt(rooms)))),
    seconds: commandLine.number("seconds", v.seconds, 1, 600, false),
    warmup: commandLine.number("warmup", v.warmup, 0, 600, false),
    drain: commandLine.number("drain", v.drain, 0, 600, false),
    json: v.json,
    profile: v.profile === undefined ? undefined : path.resolve(v.profile),
    pin: !v["no-pin"],
    placement: v["loop-alone"] ? "loop-alone" : v["pin-main-only"] ? "free-helpers" : "process",
    eagerReads: v["eager-reads"],
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const started = performance.now();
function progress(message: string): void {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
}

/** Everything to undo however the run ends. */
const cleanup = new RunCleanup();

/** The /metrics figures the bench reads, and when (performance.now() as the response arrived). */
interface MetricsReading {
  readonly at: number;
  readonly busySeconds: number;
  readonly deliveries: number;
  readonly flushes: number;
  readonly commandsDropped: number;
}

/**
 * How long a /metrics read may take. A saturated Loom (10,000 players on this machine) takes
 * seconds to answer; its figures matter most then. The reading's time is when the response
 * arrived: Loom fills it in when it gets round to the request, which is the waiting's end.
 */
const METRICS_TIMEOUT_MS = 15_000;

async function readMetrics(httpPort: number): Promise<MetricsReading | undefined> {
  const reading = await fetchMetrics(httpPort, METRICS_TIMEOUT_MS);
  if (reading === undefined) return undefined;
  const { text, at } = reading;
  return {
    at,
    busySeconds: metricValue(text, "loom_event_loop_busy_seconds_total"),
    deliveries: metricValue(text, "loom_deliveries_total"),
    flushes: metricValue(text, "loom_output_flushes_total"),
    commandsDropped: metricValue(text, "loom_commands_dropped_total"),
  };
}

/**
 * Says and channel lines per second the mix owes to other players, from the average room: a say
 * reaches the room's others, a channel line every other player. (Walks are told too, but how
 * depends on the room: past Loom's `limits.crowdThreshold` a room hears one summary a second
 * instead of every arrival; Loom's own count of messages queued covers them.)
 */
function offeredMarkers(options: Options, players: number, rooms: number): number {
  const commandsPerSecond = players / options.intervalSeconds;
  return commandsPerSecond * (options.mix.say * Math.max(0, players / rooms - 1) + options.mix.chat * (players - 1));
}

async function run(options: Options, tmp: string, serverCore: number | undefined): Promise<MixedResult> {
  const root = findProjectRoot();
  const background = await sampleCores(serverCore === undefined ? [] : [serverCore, GENERATOR_CORE], 1000);
  if (background.some((b) => b > 10)) progress(`warning: before the run the cores were ${background.map((b) => `${b.toFixed(0)}%`).join(" and ")} busy with other work`);

  const grid = new GridWorld(options.gridSide);
  const worldDir = path.join(tmp, "world");
  writeMixedWorld(worldDir, path.join(root, "config", "world"), grid);
  const workDir = path.join(tmp, "loom");
  mkdirSync(workDir, { recursive: true });
  const seedStarted = performance.now();
  // Player i's home is grid room i mod rooms (mixed-players.ts homeRoom): the seeding puts it there.
  await seedAccounts(path.join(workDir, "data"), options.players, grid.ids);
  progress(`world: ${grid.rooms} grid rooms (${grid.side} × ${grid.side}); seeded ${options.players} accounts in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (${BENCH_HASH_LABEL})`);

  const server: ServerProcess = await startServer("loom", {
    root,
    peersDir: path.resolve(root, "..", "shared", "peers"),
    python: "/usr/bin/python3",
    workDir,
    core: serverCore === undefined ? undefined : startingCores(options.placement, serverCore),
    worldDir,
    loom: {
      maxConnectionsPerAddress: PER_ADDRESS + 10,
      maxConnections: Math.max(5000, options.players + 100),
      creationsPerHour: PER_ADDRESS + 10,
      // One command every --interval s is far under the defaults (20/s, burst 40; posts 1/s, burst 5).
      commandsPerSecond: 20,
      commandBurst: 40,
      channelPostsPerSecond: 1,
      channelBurst: 5,
      hashConcurrency: 2,
    },
    loomNodeArgs: options.profile === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.profile}`],
  });
  const pid = server.pid;
  const httpPort = server.httpPort;
  if (server.telnetPort === undefined || httpPort === undefined) throw new Error("Loom did not report its telnet and HTTP ports");
  if (options.placement !== "process" && serverCore !== undefined && !pinThread(pid, serverCore)) throw new Error(`taskset -p -c ${serverCore} ${pid} failed`);
  progress(`Loom ready (pid ${pid}); logging in ${options.players} players, a third per door`);

  const doors: readonly Door[] = ["line", "telnet", "ws"];
  const players = new MixedPlayers({
    linePort: server.port,
    telnetPort: server.telnetPort,
    httpPort,
    doors,
    players: options.players,
    grid,
    mix: options.mix,
    intervalMs: options.intervalSeconds * 1000,
    answerTimeoutMs: ANSWER_TIMEOUT_MS,
    perAddress: PER_ADDRESS,
    loginConcurrency: LOGIN_CONCURRENCY,
    loginTimeoutMs: 120_000,
    seed: SEED,
    eagerReads: options.eagerReads,
  });
  cleanup.clients = players;
  try {
    const loginStarted = performance.now();
    const login = await players.login(loginStarted + LOGIN_BUDGET_BASE_MS + options.players * LOGIN_BUDGET_PER_PLAYER_MS);
    const loginSeconds = (performance.now() - loginStarted) / 1000;
    progress(`${login.ok} logged in in ${loginSeconds.toFixed(1)} s${login.failed > 0 ? `, ${login.failed} failed (${login.firstFailure})` : ""}`);
    if (login.ok < 2) throw new Error(`only ${login.ok} players could log in: ${login.firstFailure}`);
    await sleep(SETTLE_SECONDS * 1000);
    const rssLoggedIn = readStatusKb(pid, "VmRSS") ?? Number.NaN;

    progress(`playing: one command per player every ${options.intervalSeconds} s (${describeMix(options.mix)}); ${options.warmup} s warm-up, then ${options.seconds} s measured`);
    players.start();
    await sleep(options.warmup * 1000);
    const m0 = await readMetrics(httpPort);
    const w0 = markWindow(pid, serverCore);
    players.beginWindow();
    let endWatch: () => void = () => {};
    const watching = watchLoopDelay(httpPort, new Promise<void>((resolve) => (endWatch = resolve)), { timeoutMs: METRICS_TIMEOUT_MS });
    await sleep(options.seconds * 1000);
    const w1 = markWindow(pid, serverCore);
    players.endWindow();
    const { cpu: cpu0, core: core0, generatorCore: genCore0 } = w0;
    const { cpu: cpu1, core: core1, generatorCore: genCore1 } = w1;
    const gen = generatorCpuBetween(w0, w1);
    if (options.profile !== undefined) writeProfileWindow(options.profile, w0, w1, pid);
    const m1 = await readMetrics(httpPort);
    endWatch();
    const delay = await watching;
    progress(`window over; waiting up to ${options.drain} s for answers in flight`);
    await players.drain(options.drain * 1000);
    const fig: MixedFigures = players.figures();
    if (cpu0 === undefined || cpu1 === undefined) throw new Error(`Loom died during the window:\n${server.tail()}`);
    const rssEnd = readStatusKb(pid, "VmRSS") ?? Number.NaN;
    const rssPeak = readStatusKb(pid, "VmHWM") ?? Number.NaN;
    const occupancy = players.occupancy();

    const kinds = Object.fromEntries(COMMAND_KINDS.map((k) => [k, roundTripRow(fig.kinds[k], fig.kinds[k].roundTrips)])) as MixedResult["kinds"];
    const total = (pick: (k: (typeof fig.kinds)[keyof typeof fig.kinds]) => number): number => COMMAND_KINDS.reduce((n, k) => n + pick(fig.kinds[k]), 0);
    const all = roundTripRow(
      { sent: total((k) => k.sent), answered: total((k) => k.answered), unanswered: total((k) => k.unanswered), notSent: total((k) => k.notSent) },
      fig.roundTrips,
    );
    const metricsSeconds = m0 !== undefined && m1 !== undefined ? (m1.at - m0.at) / 1000 : Number.NaN;
    const delta = (pick: (m: MetricsReading) => number): number => (m0 === undefined || m1 === undefined ? Number.NaN : pick(m1) - pick(m0));
    const cpuSeconds = cpu1.user - cpu0.user + (cpu1.system - cpu0.system);
    const s = fig.seconds;
    const result: MixedResult = {
      players: players.connected,
      playersByDoor: players.connectedByDoor(),
      loginFailures: login.failed,
      loginSeconds,
      rooms: grid.rooms,
      playersPerRoomMin: Math.min(...occupancy),
      playersPerRoomMax: Math.max(...occupancy),
      intervalSeconds: options.intervalSeconds,
      mix: describeMix(options.mix),
      windowSeconds: s,
      commandsPerSecond: all.sent / s,
      kinds,
      all,
      targetP99Ms: TARGET_P99_MS,
      targetMet: all.unanswered === 0 && all.notSent === 0 && all.p99Ms <= TARGET_P99_MS,
      offeredMarkersPerSecond: offeredMarkers(options, login.ok, grid.rooms),
      serverDeliveriesPerSecond: delta((m) => m.deliveries) / metricsSeconds,
      serverFlushesPerSecond: delta((m) => m.flushes) / metricsSeconds,
      bystanderMarkersPerSecond: (fig.markersReceived - fig.echoes) / s,
      bytesReceivedPerSecond: fig.bytesReceived / s,
      readsPerSecond: fig.reads / s,
      serverCommandsDropped: delta((m) => m.commandsDropped),
      serverCpuPercent: (100 * cpuSeconds) / s,
      serverSystemPercent: (100 * (cpu1.system - cpu0.system)) / s,
      serverCoreBusyPercent: busyPercent(core0, core1),
      eventLoopUtilisation: delta((m) => m.busySeconds) / metricsSeconds,
      loopDelayP99Ms: delay.p99Ms,
      loopDelayMaxMs: delay.maxMs,
      rssLoggedInMb: rssLoggedIn / 1024,
      rssEndMb: rssEnd / 1024,
      rssPeakMb: rssPeak / 1024,
      generatorCpuPercent: (100 * (gen.user + gen.system)) / 1e6 / s,
      generatorCoreBusyPercent: busyPercent(genCore0, genCore1),
      backgroundCore0Percent: background[0] ?? Number.NaN,
      backgroundCore1Percent: background[1] ?? Number.NaN,
      dropped: players.dropped,
      warnings: server.warnings(),
    };
    progress(
      `round trip p50 ${all.p50Ms.toFixed(1)} ms, p99 ${all.p99Ms.toFixed(1)} ms over ${all.answered} commands; ` +
        `ELU ${result.eventLoopUtilisation.toFixed(2)}, server ${result.serverCpuPercent.toFixed(0)}%, generator ${result.generatorCpuPercent.toFixed(0)}%`,
    );
    return result;
  } finally {
    await server.stop(8000);
    players.closeAll();
    cleanup.clients = undefined;
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  const root = findProjectRoot();
  if (options.profile !== undefined) mkdirSync(options.profile, { recursive: true });
  if (!existsSync(path.join(root, "dist", "src", "main.js"))) commandLine.fail("dist/src/main.js is missing: run `npm run build` first (npm run bench:mixed does).");

  const pinned = pinGenerator(options.pin);
  const serverCore = "serverCore" in pinned ? pinned.serverCore : undefined;
  let pinning: string;
  if ("off" in pinned) pinning = pinned.off;
  else if (options.placement === "free-helpers") pinning = "Loom's main thread on core 0 (taskset -p -c 0), its helper threads on either core; load generator on core 1 (taskset -a -p -c 1)";
  else if (options.placement === "loop-alone") pinning = "Loom's main thread alone on core 0 (taskset -p -c 0), its helper threads on core 1 with the load generator (taskset -a -p -c 1)";
  else pinning = "Loom on core 0 (taskset -c 0), load generator on core 1 (taskset -a -p -c 1)";
  if (serverCore === undefined) progress(`warning: pinning ${pinning}; Loom and the generator share the cores`);

  const machine = machineInfo("/usr/bin/python3");
  const side = options.gridSide;
  const load =
    `mixed play: ${options.players} players (a third each on line, telnet, WebSocket) in a ${side} × ${side} grid ` +
    `(${(options.players / side ** 2).toFixed(0)} a room), one command each every ${options.intervalSeconds} s ` +
    `(${describeMix(options.mix)}), ${options.eagerReads ? "every byte read as it arrives" : "idle players not reading until their next command"}, ${options.warmup} s warm-up, ${options.seconds} s measured, up to ${options.drain} s drain; ${BENCH_HASH_LABEL}`;
  process.stderr.write(`${renderHeader(machine, load, pinning)}\n`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), "loom-mixed-"));
  cleanup.tmp = tmp;
  const result = await run(options, tmp, serverCore);
  const report = [renderHeader(machine, load, pinning), "", renderRunTable(result), "", renderKindTable(result), "", renderMixedNotes(result), ""].join("\n");
  process.stdout.write(`\n${report}`);
  if (options.json !== undefined) writeFileSync(options.json, `${JSON.stringify({ machine, options: { ...options, mix: result.mix }, pinning, result }, null, 2)}\n`);
  if (options.profile !== undefined) progress(`profile in ${options.profile}: node dist/bench/cpuprofile-top.js ${options.profile}`);
  cleanup.now();
}

cleanup.run(main, "stopping Loom and removing the temp directory");
