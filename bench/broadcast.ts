/**
 * The broadcast benchmark (`npm run bench`): one load generator drives Loom, the plain-Node
 * peer and the Twisted peer (../shared/peers/) with the same script, one after another, and
 * prints what each achieved side by side, with the ratios Loom/Node and Loom/Twisted.
 *
 * The script, per server: start it pinned to core 0 (`taskset -c 0`; this process pins itself
 * to core 1) — for Loom, after seeding its accounts with a cheap, bench-only hash unless
 * `--logins create`; log `--clients` clients in by `--doors` (`connect` or `create`, waiting for
 * `Welcome, <Name>.`), from source addresses 127.0.0.2, 127.0.0.3, ... (50 each), half, then
 * the other half, watching Loom's event-loop delay on /metrics; let `--senders` of them say
 * (or, `--scenario channel`, post on `chat` from five rooms) numbered, timestamped lines at
 * `--rate` lines/s each; after `--warmup` seconds, measure for `--seconds`; stop sending and
 * wait up to `--drain` seconds for the stragglers (`--ramp`: again at ×1.5 the rate until a
 * step does not hold; `--scenario logins`: no sending at all; `--scenario capacity`: 19,000
 * connections over the three doors and the world's rooms, the last an admin who announces once a
 * second; `--slow-readers N`: N more clients that log in last and never read again); stop the
 * server. Measured:
 *
 * - deliveries/s offered (messages sent × other clients) and achieved (received in the window,
 *   counted at every client);
 * - delivery latency p50/p99 and delivered %: receive time minus the send time carried in the
 *   text, both read from this process's monotonic clock, over every delivery to the sampled
 *   clients (`--sample`);
 * - server CPU per delivery: utime + stime from /proc/<pid>/stat across the window, divided by
 *   the deliveries received in it; and the generator's own CPU per delivery;
 * - server RSS and (Loom, via heap-probe.ts) heap per connection: after the logins minus
 *   before them, divided by the clients; and the marginal figure, from the second half of the
 *   logins only, which leaves out what the first logins allocate once.
 *
 *   node dist/bench/broadcast.js --help
 *
 * Loopback only, bounded in clients and time; every child is killed and the temp directory
 * removed at the end, on error and on SIGINT/SIGTERM.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findProjectRoot } from "../src/config/project-root.js";
import { readProcessLimits, softFileLimit } from "../src/reactor/connection-cap.js";
import { RunCleanup } from "./lib/children.js";
import { CommandLine } from "./lib/command-line.js";
import { fetchMetrics, metricValue, watchLoopDelay } from "./lib/loom-metrics.js";
import { type Door, LoadClients } from "./lib/load.js";
import { BENCH_HASH_LABEL, seedAccounts } from "./lib/seed-accounts.js";
import { type CoreTime, GENERATOR_CORE, generatorCpuBetween, machineInfo, markWindow, pinGenerator, readStatusKb, sampleCores, twistedVersion, writeProfileWindow } from "./lib/proc.js";
import {
  describeLoad,
  quantile,
  renderHeader,
  renderNotes,
  renderTable,
  EMPTY_WINDOW,
  SCENARIOS,
  type CapacityFigures,
  type SlowReaderFigures,
  type LoadShape,
  type RunResult,
  type RunSkipped,
  type Scenario,
  type WindowFields,
} from "./lib/report.js";
import { DEFAULT_SERVER_KINDS, SERVER_KINDS, SERVER_LABELS, type ServerKind, type ServerProcess, startServer } from "./lib/servers.js";

const USAGE = `Usage: node dist/bench/broadcast.js [options]

  --clients N      clients logged in (default 2000, at most 15000; capacity: default 19000,
                   at most 60000, as the generator's own file limit allows)
  --senders N      how many of them speak (default 10; capacity: the one admin)
  --rate N         lines per second per sender (default 10; capacity: announcements/s, 1)
  --seconds N      length of the measured window (default 20; capacity: 10)
  --warmup N       seconds of load before the window (default 5; capacity: 0)
  --drain N        seconds to wait after the window for late deliveries (default 10)
  --scenario S     fanout (default): everyone in one room, senders say;
                   channel: clients spread over five rooms, senders post on the chat channel
                     (Loom only; the peers have no channels and run fanout);
                   logins: a login storm only (login time, event-loop delay), nothing sent;
                   capacity: --clients connections (default 19000) over the three doors and
                     the world's rooms, the last an admin who sends \`announce\` rate × seconds
                     times (default 10, one a second); every client times every one; Loom's
                     limits.maxConnections stays auto and the cap it logged is reported
                     (Loom only: the peers have no announce)
  --slow-readers N N more clients log in after the others and never read again (fanout and
                   channel; default 0): who the server cut off and when, what it held for them,
                   its RSS; they are left out of every other figure (hardening S1/S2/S4)
  --pad BYTES      filler after each line's marker (default 0, at most 1500): with
                   --slow-readers, fills the kernel's socket buffers in seconds (on loopback
                   they hold several MiB per connection before the server queues anything)
  --doors D        line (default; capacity: mix), telnet (refuses every option, strips IAC),
                   ws (WebSocket, plain text, no subprotocol), or mix (a third each); Loom only —
                   the peers speak only the line contract, so for them this is ignored
  --ramp           raise the rate ×1.5 a step from --rate until delivery < 100% or p99 > 250 ms,
                   then bisect three times between the last step that held and the first that did not;
                   report the highest sustained rate
  --sample K       every K-th client (and every sender) times its deliveries; the others only
                   count them, so the generator is not the limit (default 10; capacity: 1 = all)
  --coalesce MS    counting clients pause reading MS ms after each read, so a read carries
                   several deliveries (default 0: off; sampled clients never pause)
  --logins HOW     seeded (default): Loom's accounts are written before it starts with a cheap,
                   bench-only argon2id (m=1024 KiB, t=1) and clients \`connect\`;
                   create: clients \`create\` at the production cost (the bench before issue 11)
  --only LIST      loom, node, twisted, flood, or a comma-separated list (default
                   loom,node,twisted; capacity: loom; flood: a server that costs ~nothing per
                   delivery, to measure the generator alone)
  --json FILE      also write every figure as JSON (a ramp's steps included)
  --profile DIR    run Loom under --cpu-prof, writing the profile and the window's bounds to DIR
                   (summarise with: node dist/bench/cpuprofile-top.js DIR)
  --no-pin         do not pin the servers to core 0 and the generator to core 1
  --peers DIR      where node_chat.mjs and twisted_chat.py are (default ../shared/peers)
  --python PATH    the Python that has Twisted (default /usr/bin/python3)
`;

/** Clients per source address: well under what one real address would need lifted. */
const PER_ADDRESS = 50;
/** Logins in flight at once (Loom queues at most 1,000 waiting hashes). */
const LOGIN_CONCURRENCY = 100;
/**
 * The time all logins of one server may take: a minute plus 100 ms a client. Loom needs about
 * 35 ms a client on one core (argon2id, and every arrival announced to the whole room).
 */
const LOGIN_BUDGET_BASE_MS = 60_000;
const LOGIN_BUDGET_PER_CLIENT_MS = 100;
/** Seconds after the logins for the arrival announcements to settle before sending starts. */
const SETTLE_SECONDS = 2;
/** Where Loom puts a new character (config/world/town.yaml `start`). */
const START_ROOM = "square";
/** The channel scenario's rooms: the town's five, a fifth of the clients in each. */
const CHANNEL_ROOMS: readonly string[] = ["square", "market", "garden", "library", "dyeworks"];
/**
 * The capacity scenario's rooms: every room of the stock world (config/world/*.yaml), so that the
 * arrivals each login announces to its room reach 1/17 of the crowd, not all of it — at 19,000 in
 * one room they alone would be 180 million deliveries.
 */
const WORLD_ROOMS: readonly string[] = [
  ...CHANNEL_ROOMS,
  ...["inn", "upstairs", "meadow", "copse", "hill", "gate", "road", "riverbank", "mill", "race", "bridge", "far-bank"],
];
/** The capacity scenario's default size: issue 11 target 4, what auto leaves of a 20,000 file limit. */
const CAPACITY_CLIENTS = 19_000;
/** The most clients: 15,000 keeps a fan-out run under a 20,000 file limit; capacity checks the limit itself. */
const MAX_CLIENTS = 15_000;
const MAX_CAPACITY_CLIENTS = 60_000;
/** File descriptors the generator keeps for itself beyond one per client (stdio, pipes to the server, /metrics, V8). */
const GENERATOR_FD_HEADROOM = 200;
/**
 * Capacity: the /metrics poller stops this many logins short of Loom's connection cap. At exactly
 * the cap (944 of 944 under `ulimit -n 1200`), a margin of one round of logins once let a slow
 * poll take the last login's slot.
 */
const CAP_POLL_MARGIN = 5 * LOGIN_CONCURRENCY;
/** The S4 log line Loom writes once per episode of dropping a slow reader's chatter. */
const CHATTER_DROP_LOG = "slow reader: dropping chatter until it catches up";
/** `--doors`: the door of client i is `DOOR_CHOICES[choice][i % length]`. */
const DOOR_CHOICES = { line: ["line"], telnet: ["telnet"], ws: ["ws"], mix: ["line", "telnet", "ws"] } as const satisfies Record<
  string,
  readonly Door[]
>;
type DoorChoice = keyof typeof DOOR_CHOICES;

/** A ramp step holds if everything is delivered with p99 at most this (issue 11, target 2). */
const RAMP_P99_MS = 250;
/** Each ramp step's rate over the last, and the most steps. */
const RAMP_FACTOR = 1.5;
const RAMP_STEPS = 12;
/**
 * After the first step that does not hold, this many more steps bisect (geometrically) between
 * the highest that held and the lowest that did not: ×1.5 alone leaves the maximum uncertain by
 * half; three halvings bring that to about 5%.
 */
const RAMP_REFINE_STEPS = 3;

interface Options extends LoadShape {
  readonly only: readonly ServerKind[];
  readonly json: string | undefined;
  readonly profile: string | undefined;
  readonly pin: boolean;
  readonly peers: string;
  readonly python: string;
  readonly logins: "seeded" | "create";
  readonly doors: DoorChoice;
  readonly coalesce: number;
  readonly slowReaders: number;
  readonly pad: number;
}

/** The highest rate a run may send at: a ramp's last step. */
function maxRate(options: Options): number {
  return options.ramp ? (rampRates(options.rate).at(-1) ?? options.rate) : options.rate;
}

/** The highest-rate window that held, if any (a refined ramp holds in no particular order). */
function highestHeld(windows: readonly WindowResult[]): WindowResult | undefined {
  let best: WindowResult | undefined;
  for (const w of windows) if (sustained(w) && (best === undefined || w.rate > best.rate)) best = w;
  return best;
}

/** Usage errors exit 2 (a failed run exits 1). */
const commandLine = new CommandLine(USAGE, 2);

function parseOptions(root: string): Options {
  // Sizes without a default here take the scenario's (capacity differs: see USAGE).
  const v = commandLine.parse({
    clients: { type: "string" },
    senders: { type: "string" },
    rate: { type: "string" },
    seconds: { type: "string" },
    warmup: { type: "string" },
    drain: { type: "string", default: "10" },
    only: { type: "string" },
    scenario: { type: "string", default: "fanout" },
    ramp: { type: "boolean", default: false },
    sample: { type: "string" },
    coalesce: { type: "string", default: "0" },
    logins: { type: "string", default: "seeded" },
    doors: { type: "string" },
    "slow-readers": { type: "string", default: "0" },
    pad: { type: "string", default: "0" },
    json: { type: "string" },
    profile: { type: "string" },
    "no-pin": { type: "boolean", default: false },
    peers: { type: "string", default: path.resolve(root, "..", "shared", "peers") },
    python: { type: "string", default: "/usr/bin/python3" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (!(SCENARIOS as readonly string[]).includes(v.scenario)) commandLine.fail(`--scenario takes ${SCENARIOS.join(", ")} (got "${v.scenario}")`);
  const capacity = v.scenario === "capacity";
  const clients = commandLine.number(
    "clients",
    v.clients ?? String(capacity ? CAPACITY_CLIENTS : 2000),
    2,
    capacity ? MAX_CAPACITY_CLIENTS : MAX_CLIENTS,
    true,
  );
  // Capacity's one sender is the admin, the last client to log in.
  if (capacity && v.senders !== undefined && v.senders !== "1") commandLine.fail("--senders: the capacity scenario's one sender is its admin");
  const senders = capacity ? 1 : commandLine.number("senders", v.senders ?? "10", 1, clients, true);
  const slowReaders = commandLine.number("slow-readers", v["slow-readers"], 0, 10_000, true);
  if (slowReaders > 0 && v.scenario !== "fanout" && v.scenario !== "channel") commandLine.fail("--slow-readers is for the fanout and channel scenarios");
  // One socket per client here too: fail now, clearly, rather than on EMFILE half-way through the logins.
  const fileLimit = softFileLimit(readProcessLimits() ?? "");
  const needed = clients + slowReaders + GENERATOR_FD_HEADROOM;
  if (typeof fileLimit === "number" && needed > fileLimit) {
    commandLine.fail(
      `the load generator holds one socket per client: ${clients} clients + ${slowReaders} slow readers + ${GENERATOR_FD_HEADROOM} for itself need ${needed} open files, ` +
        `but its soft file limit (ulimit -n) is ${fileLimit}; raise it or lower --clients`,
    );
  }
  const only = (v.only ?? (capacity ? "loom" : DEFAULT_SERVER_KINDS.join(","))).split(",").map((s) => s.trim().toLowerCase());
  for (const kind of only) {
    if (!(SERVER_KINDS as readonly string[]).includes(kind)) commandLine.fail(`--only takes ${SERVER_KINDS.join(", ")} (got "${kind}")`);
  }
  if (v.logins !== "seeded" && v.logins !== "create") commandLine.fail(`--logins takes seeded or create (got "${v.logins}")`);
  if (capacity && v.logins !== "seeded") commandLine.fail("--logins: the capacity scenario seeds its accounts (its admin among them)");
  if (capacity && v.ramp) commandLine.fail("--ramp is for the fanout and channel scenarios");
  const doors = v.doors ?? (capacity ? "mix" : "line");
  if (!Object.hasOwn(DOOR_CHOICES, doors)) commandLine.fail(`--doors takes ${Object.keys(DOOR_CHOICES).join(", ")} (got "${doors}")`);
  return {
    clients,
    doors: doors as DoorChoice,
    scenario: v.scenario as Scenario,
    ramp: v.ramp,
    sample: commandLine.number("sample", v.sample ?? (capacity ? "1" : "10"), 1, 100_000, true),
    coalesce: commandLine.number("coalesce", v.coalesce, 0, 1000, true),
    logins: v.logins === "create" ? "create" : "seeded",
    senders,
    slowReaders,
    pad: commandLine.number("pad", v.pad, 0, 1500, true),
    rate: commandLine.number("rate", v.rate ?? (capacity ? "1" : "10"), 0.1, 1000, false),
    seconds: commandLine.number("seconds", v.seconds ?? (capacity ? "10" : "20"), 1, 600, false),
    warmup: commandLine.number("warmup", v.warmup ?? (capacity ? "0" : "5"), 0, 600, false),
    drain: commandLine.number("drain", v.drain, 0, 600, false),
    only: [...new Set(only)] as ServerKind[],
    json: v.json,
    profile: v.profile === undefined ? undefined : path.resolve(v.profile),
    pin: !v["no-pin"],
    peers: path.resolve(v.peers),
    python: v.python,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const started = performance.now();
function progress(kind: ServerKind | undefined, message: string): void {
  const t = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${t}s]${kind ? ` ${SERVER_LABELS[kind]}:` : ""} ${message}\n`);
}

/** Everything to undo however the run ends. */
const cleanup = new RunCleanup();

/** What one measured window of sending achieved (a run has one; a ramp has one per step). */
interface WindowResult {
  readonly rate: number;
  readonly fields: WindowFields;
}

/** Sends at `rate` for the warm-up and the window, then drains: the window's figures. */
async function measureWindow(
  kind: ServerKind,
  load: LoadClients,
  server: ServerProcess,
  options: Options,
  rate: number,
  loggedIn: number,
  serverCore: number | undefined,
): Promise<WindowResult> {
  const pid = server.pid;
  progress(kind, `${options.senders} senders × ${rate} lines/s: ${options.warmup} s warm-up, then ${options.seconds} s measured`);
  load.startSending(rate);
  await sleep(options.warmup * 1000);
  const w0 = markWindow(pid, serverCore);
  load.beginWindow();
  await sleep(options.seconds * 1000);
  const w1 = markWindow(pid, serverCore);
  load.endWindow();
  const { cpu: cpu0, core: core0, generatorCore: genCore0 } = w0;
  const { cpu: cpu1, core: core1, generatorCore: genCore1 } = w1;
  const gen = generatorCpuBetween(w0, w1);
  progress(kind, `window over; draining for up to ${options.drain} s`);
  await load.drain(options.drain * 1000);
  const fig = load.figures();
  if (cpu0 === undefined || cpu1 === undefined) throw new Error(`the server died during the window:\n${server.tail()}`);
  if (kind === "loom" && options.profile !== undefined) writeProfileWindow(options.profile, w0, w1, pid);
  const cpuSeconds = cpu1.user - cpu0.user + (cpu1.system - cpu0.system);
  const others = Math.max(1, loggedIn - 1);
  const coreShare = (a: CoreTime | undefined, b: CoreTime | undefined, pick: (t: CoreTime) => number): number =>
    a === undefined || b === undefined || b.total <= a.total ? Number.NaN : (100 * (pick(b) - pick(a))) / (b.total - a.total);
  const coreBusy = coreShare(core0, core1, (t) => t.busy);
  const fields: WindowFields = {
    offeredPerSecond: (fig.messages * others) / fig.seconds,
    achievedPerSecond: fig.receivedInWindow / fig.seconds,
    deliveredPercent: fig.expected > 0 ? (100 * fig.deliveredByDrainEnd) / fig.expected : Number.NaN,
    latencyP50Ms: quantile(fig.latencies, 0.5),
    latencyP99Ms: quantile(fig.latencies, 0.99),
    latencyMaxMs: quantile(fig.latencies, 1),
    latencySamples: fig.latencies.length,
    sampledClients: fig.sampled,
    cpuMicrosPerDelivery: fig.receivedInWindow > 0 ? (cpuSeconds * 1e6) / fig.receivedInWindow : Number.NaN,
    cpuPercent: (100 * cpuSeconds) / fig.seconds,
    systemPercent: (100 * (cpu1.system - cpu0.system)) / fig.seconds,
    coreBusyPercent: coreBusy,
    coreSoftirqPercent: coreShare(core0, core1, (t) => t.softirq),
    coreStealPercent: coreShare(core0, core1, (t) => t.steal),
    coreMicrosPerDelivery: fig.receivedInWindow > 0 ? ((coreBusy / 100) * fig.seconds * 1e6) / fig.receivedInWindow : Number.NaN,
    deliveriesPerRead: fig.readsInWindow > 0 ? fig.sampledReceivedInWindow / fig.readsInWindow : Number.NaN,
    generatorCoreBusyPercent: coreShare(genCore0, genCore1, (t) => t.busy),
    generatorCpuPercent: (100 * (gen.user + gen.system)) / 1e6 / fig.seconds,
    generatorSystemPercent: (100 * gen.system) / 1e6 / fig.seconds,
    windowSeconds: fig.seconds,
    messages: fig.messages,
    duplicates: fig.duplicates,
    parseErrors: fig.parseErrors,
  };
  progress(
    kind,
    `${Math.round(fields.achievedPerSecond)} of ${Math.round(fields.offeredPerSecond)} deliveries/s, ` +
      `${fields.deliveredPercent.toFixed(1)}% delivered, p50 ${fields.latencyP50Ms.toFixed(1)} ms, p99 ${fields.latencyP99Ms.toFixed(1)} ms, ` +
      `${fields.cpuMicrosPerDelivery.toFixed(2)} µs CPU/delivery (server ${fields.cpuPercent.toFixed(0)}%, core ${fields.coreBusyPercent.toFixed(0)}% busy, ` +
      `generator ${fields.generatorCpuPercent.toFixed(0)}%, its core ${fields.generatorCoreBusyPercent.toFixed(0)}% busy)`,
  );
  return { rate, fields };
}

/**
 * The capacity scenario's figures, after the drain: the delivered share counted at every client
 * (only the window's announcements carry markers: no warm-up, one sender), and each
 * announcement's latencies at the timing clients (all of them by default, `--sample 1`).
 */
function capacityOf(load: LoadClients, asked: number, loggedIn: number): CapacityFigures {
  const fig = load.figures();
  const announcements = load.latenciesByMessage().map(({ seq, latencies }) => ({
    seq,
    received: latencies.length,
    latencyP50Ms: quantile(latencies, 0.5),
    latencyP99Ms: quantile(latencies, 0.99),
    latencyMaxMs: quantile(latencies, 1),
  }));
  return {
    connections: asked,
    deliveredToEveryClientPercent: fig.messages > 0 ? (100 * fig.receivedThroughDrain) / (fig.messages * Math.max(1, loggedIn - 1)) : Number.NaN,
    announcements,
    worstAnnouncementP99Ms: announcements.length === 0 ? Number.NaN : Math.max(...announcements.map((a) => a.latencyP99Ms)),
  };
}

/** Whether a ramp step held: everything delivered and p99 within {@link RAMP_P99_MS}. */
function sustained(w: WindowResult): boolean {
  return w.fields.deliveredPercent >= 100 && w.fields.latencyP99Ms <= RAMP_P99_MS;
}

/** The rates a ramp tries: `from`, then ×{@link RAMP_FACTOR} each step, at most {@link RAMP_STEPS}. */
function rampRates(from: number): number[] {
  const rates: number[] = [];
  for (let r = from; rates.length < RAMP_STEPS && r <= 1000; r *= RAMP_FACTOR) rates.push(Math.round(r * 10) / 10);
  return rates;
}

/** One unlabelled counter or gauge from Loom's /metrics, NaN if it could not be read. */
async function readMetric(httpPort: number | undefined, name: string): Promise<number> {
  const reading = httpPort === undefined ? undefined : await fetchMetrics(httpPort);
  return reading === undefined ? Number.NaN : metricValue(reading.text, name);
}

async function runOne(kind: ServerKind, options: Options, tmp: string, serverCore: number | undefined): Promise<RunResult> {
  const workDir = path.join(tmp, kind);
  mkdirSync(workDir, { recursive: true });
  const { clients, senders, rate, scenario, slowReaders } = options;
  const capacity = scenario === "capacity";
  // Anything else running on the machine skews every figure: sample it before starting.
  const background = await sampleCores(serverCore === undefined ? [] : [serverCore, GENERATOR_CORE], 1000);
  if (background.some((b) => b > 10)) {
    progress(kind, `warning: before the run the cores were ${background.map((b) => `${b.toFixed(0)}%`).join(" and ")} busy with other work`);
  }
  const seeded = kind === "loom" && options.logins === "seeded";
  if (seeded) {
    const seedStarted = performance.now();
    const rooms = scenario === "channel" ? CHANNEL_ROOMS : capacity ? WORLD_ROOMS : [START_ROOM];
    // Capacity: the last client is the admin who announces (it logs in last).
    await seedAccounts(path.join(workDir, "data"), clients + slowReaders, rooms, capacity ? [clients - 1] : []);
    progress(kind, `seeded ${clients + slowReaders} accounts${capacity ? ` over ${rooms.length} rooms, the last an admin,` : ""} in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (${BENCH_HASH_LABEL})`);
  }
  const server: ServerProcess = await startServer(kind, {
    root: findProjectRoot(),
    peersDir: options.peers,
    python: options.python,
    workDir,
    core: serverCore,
    loom: {
      maxConnectionsPerAddress: PER_ADDRESS + 10,
      // Capacity proves the default fits (issue 11, target 4): auto, the file limit less headroom.
      maxConnections: capacity ? "auto" : Math.max(5000, clients + slowReaders + 100),
      creationsPerHour: PER_ADDRESS + 10,
      commandsPerSecond: Math.max(20, Math.ceil(maxRate(options) * 2)),
      commandBurst: Math.max(40, Math.ceil(maxRate(options) * 4)),
      channelPostsPerSecond: Math.max(1, Math.ceil(maxRate(options) * 2)),
      channelBurst: Math.max(5, Math.ceil(maxRate(options) * 4)),
      hashConcurrency: 2,
    },
    loomNodeArgs:
      kind === "loom" && options.profile !== undefined ? ["--cpu-prof", `--cpu-prof-dir=${options.profile}`] : [],
  });
  const pid = server.pid;
  const cap = server.connectionCap();
  const capText = cap === undefined ? "" : `, connection cap ${cap.maxConnections} (${cap.source})`;
  progress(kind, `ready on port ${server.port} (pid ${pid}${capText}); logging in ${clients} clients (${seeded ? "connect, seeded" : "create"})`);
  if (capacity && cap !== undefined && cap.maxConnections < clients) {
    progress(kind, `warning: Loom's connection cap ${cap.maxConnections} (${cap.source}) is below the ${clients} connections: ${clients - cap.maxConnections} logins will be refused`);
  }
  const rates = options.ramp ? rampRates(rate) : [rate];
  const seconds = (options.warmup + options.seconds) * 1.5 + 10;
  const refineRate = options.ramp ? RAMP_REFINE_STEPS * (rates.at(-1) ?? rate) : 0;
  const maxMessages = Math.ceil(rates.reduce((sum, r) => sum + senders * r * seconds, 0) + senders * refineRate * seconds) + 100;
  // The peers speak only the line contract: for them --doors is ignored (the report says so).
  const doors: readonly Door[] = kind === "loom" ? DOOR_CHOICES[options.doors] : ["line"];
  const load = new LoadClients({
    port: server.port,
    telnetPort: server.telnetPort,
    httpPort: server.httpPort,
    doors,
    clients,
    senders,
    rate,
    perAddress: PER_ADDRESS,
    loginConcurrency: LOGIN_CONCURRENCY,
    loginTimeoutMs: 120_000,
    maxMessages,
    sampleEvery: options.sample,
    coalesceMs: options.coalesce,
    loginCommand: seeded ? "connect" : "create",
    // The peers know only `say`: on them the channel scenario is a room fan-out.
    sayCommand: capacity ? "announce" : scenario === "channel" && kind === "loom" ? "chat" : "say",
    senderOffset: capacity ? clients - 1 : 0,
    slowReaders,
    padBytes: options.pad,
  });
  cleanup.clients = load;
  try {
    await sleep(300);
    const rssBefore = readStatusKb(pid, "VmRSS") ?? Number.NaN;
    const heapBefore = await server.heap();
    const loginStarted = performance.now();
    const loginDeadline = loginStarted + LOGIN_BUDGET_BASE_MS + clients * LOGIN_BUDGET_PER_CLIENT_MS;
    const half = Math.floor(clients / 2);
    // Near the cap a /metrics request could take the slot a login needs: capacity stops polling
    // {@link CAP_POLL_MARGIN} logins short of it, so that a slow poll (2 s at most) is over by then.
    const mayPoll = (): boolean => !capacity || cap === undefined || load.connected + CAP_POLL_MARGIN < cap.maxConnections;
    const watched = await watchLoopDelay(
      server.httpPort,
      (async () => {
        const first = await load.login(0, half, loginDeadline);
        const firstSeconds = (performance.now() - loginStarted) / 1000;
        await sleep(SETTLE_SECONDS * 1000);
        const rssHalf = readStatusKb(pid, "VmRSS") ?? Number.NaN;
        const heapHalf = await server.heap();
        const secondStarted = performance.now();
        const rest = await load.login(half, clients, loginDeadline);
        const secondSeconds = (performance.now() - secondStarted) / 1000;
        return { first, rest, rssHalf, heapHalf, firstSeconds, secondSeconds, loginSeconds: firstSeconds + secondSeconds };
      })(),
      { mayPoll },
    );
    const { first, rest, rssHalf, heapHalf, firstSeconds, secondSeconds, loginSeconds } = watched.value;
    const loggedIn = first.ok + rest.ok;
    const failures = first.failed + rest.failed;
    progress(
      kind,
      `${loggedIn} logged in in ${loginSeconds.toFixed(1)} s (${firstSeconds.toFixed(1)} s + ${secondSeconds.toFixed(1)} s for the two halves)${failures > 0 ? `, ${failures} failed (${first.firstFailure ?? rest.firstFailure})` : ""}` +
        (Number.isNaN(watched.p99Ms) ? "" : `; event-loop delay during the logins: p99 ≤ ${watched.p99Ms.toFixed(1)} ms, max ${watched.maxMs.toFixed(1)} ms`),
    );
    if (loggedIn < 2 || loggedIn < senders) throw new Error(`only ${loggedIn} clients could log in: ${first.firstFailure ?? rest.firstFailure}`);
    await sleep(SETTLE_SECONDS * 1000);
    const rssLoggedIn = readStatusKb(pid, "VmRSS") ?? Number.NaN;
    const heapLoggedIn = await server.heap();
    // `external` already includes `arrayBuffers` (Node's memoryUsage docs): adding both counted them twice.
    const heapUsed = (m: NodeJS.MemoryUsage | undefined): number => (m === undefined ? Number.NaN : m.heapUsed + m.external);
    if (capacity && !load.isLive(clients - 1)) {
      const short = cap !== undefined && cap.maxConnections < clients ? ` (Loom's connection cap, ${cap.maxConnections} (${cap.source}), is below the ${clients} connections asked for)` : "";
      throw new Error(`the admin (the last client) could not log in${short}: ${rest.firstFailure ?? first.firstFailure}`);
    }

    // The slow readers come after the memory figures, so they are in no per-connection cost.
    let slowSince = Number.NaN;
    const chatterDropped0 = slowReaders > 0 ? await readMetric(server.httpPort, "loom_chatter_dropped_total") : Number.NaN;
    if (slowReaders > 0) {
      const slow = await load.loginSlowReaders(loginDeadline);
      slowSince = performance.now();
      progress(kind, `${slow.ok} slow readers logged in and stopped reading${slow.failed > 0 ? `, ${slow.failed} failed (${slow.firstFailure})` : ""}`);
    }
    // The server's RSS peak while sending, sampled every second (S1/S2: bounded, slow readers or not).
    let rssPeak = rssLoggedIn;
    const rssSampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, readStatusKb(pid, "VmRSS") ?? Number.NaN);
    }, 1000);

    const windows: WindowResult[] = [];
    try {
      if (scenario !== "logins") {
        for (const stepRate of rates) {
          const w = await measureWindow(kind, load, server, options, stepRate, loggedIn, serverCore);
          windows.push(w);
          if (options.ramp && !sustained(w)) break;
          if (options.ramp) {
            // Let the last step's backlog clear before the next starts.
            load.stopSending();
            await sleep(1000);
          }
        }
        // Bisect between the highest rate that held and the first that did not.
        let low = options.ramp ? highestHeld(windows)?.rate : undefined;
        let high = options.ramp && !sustained(windows.at(-1)!) ? windows.at(-1)!.rate : undefined;
        for (let i = 0; i < RAMP_REFINE_STEPS && low !== undefined && high !== undefined; i++) {
          const mid = Math.round(Math.sqrt(low * high) * 10) / 10;
          if (mid <= low || mid >= high) break;
          load.stopSending();
          await sleep(2000); // a step that did not hold may leave a backlog behind it
          const w = await measureWindow(kind, load, server, options, mid, loggedIn, serverCore);
          windows.push(w);
          if (sustained(w)) low = mid;
          else high = mid;
        }
      }
    } finally {
      clearInterval(rssSampler);
    }
    const capacityFigures = capacity ? capacityOf(load, clients, loggedIn) : undefined;
    let slowFigures: SlowReaderFigures | undefined;
    if (slowReaders > 0) {
      const report = load.slowReport();
      // Every episode after the slow readers stopped: the others are never behind in this run.
      const episodes = server.logged(CHATTER_DROP_LOG).filter((t) => t >= slowSince);
      const open = Math.max(1, report.kernelSockets);
      slowFigures = {
        requested: slowReaders,
        loggedIn: report.loggedIn,
        cutOff: report.closedAfterSeconds.length,
        cutOffAfterSeconds: report.closedAfterSeconds,
        observedSeconds: (performance.now() - slowSince) / 1000,
        kernelRecvQPerReaderKb: report.kernelRecvQBytes / 1024 / open,
        kernelSendQPerReaderKb: report.kernelSendQBytes / 1024 / open,
        kernelSockets: report.kernelSockets,
        chatterDropped: kind === "loom" ? (await readMetric(server.httpPort, "loom_chatter_dropped_total")) - chatterDropped0 : Number.NaN,
        chatterDropEpisodes: episodes.length,
        chatterDropFirstAfterSeconds: ((episodes[0] ?? Number.NaN) - slowSince) / 1000,
        chatterDropLastAfterSeconds: ((episodes.at(-1) ?? Number.NaN) - slowSince) / 1000,
        rssBeforeMb: rssLoggedIn / 1024,
        rssPeakMb: rssPeak / 1024,
      };
      progress(
        kind,
        `slow readers: ${slowFigures.cutOff} of ${slowFigures.loggedIn} cut off${slowFigures.cutOff > 0 ? ` (${slowFigures.cutOffAfterSeconds[0]!.toFixed(1)}–${slowFigures.cutOffAfterSeconds.at(-1)!.toFixed(1)} s after they stopped reading)` : ""}; ` +
          `kernel holds ${(slowFigures.kernelRecvQPerReaderKb + slowFigures.kernelSendQPerReaderKb).toFixed(0)} KiB per open one; ` +
          `${Number.isNaN(slowFigures.chatterDropped) ? "" : `${slowFigures.chatterDropped} chatter dropped (S4); `}RSS ${(rssLoggedIn / 1024).toFixed(0)} → peak ${(rssPeak / 1024).toFixed(0)} MiB`,
      );
    }
    // A ramp's figures are those of its highest sustained step (or its first, if none held).
    const best = highestHeld(windows);
    const shown = options.ramp ? (best ?? windows[0]) : windows[0];
    const rssEnd = readStatusKb(pid, "VmRSS") ?? Number.NaN;
    const result: RunResult = {
      kind,
      scenario,
      door: kind === "loom" ? options.doors : `line (peer; --doors ${options.doors} ignored)`,
      logins: seeded ? BENCH_HASH_LABEL : kind === "loom" ? "create (production argon2id)" : "create (peer, no hashing)",
      clients: loggedIn,
      loginFailures: failures,
      loginSeconds,
      loginSecondsFirstHalf: firstSeconds,
      loginSecondsSecondHalf: secondSeconds,
      loginLoopDelayP99Ms: watched.p99Ms,
      loginLoopDelayMaxMs: watched.maxMs,
      ...(shown?.fields ?? EMPTY_WINDOW),
      rate: shown?.rate ?? Number.NaN,
      backgroundCore0Percent: background[0] ?? Number.NaN,
      backgroundCore1Percent: background[1] ?? Number.NaN,
      rssPerConnectionKb: (rssLoggedIn - rssBefore) / loggedIn,
      rssMarginalPerConnectionKb: (rssLoggedIn - rssHalf) / Math.max(1, rest.ok),
      heapPerConnectionKb: (heapUsed(heapLoggedIn) - heapUsed(heapBefore)) / 1024 / loggedIn,
      heapMarginalPerConnectionKb: (heapUsed(heapLoggedIn) - heapUsed(heapHalf)) / 1024 / Math.max(1, rest.ok),
      heapLoggedInMb: heapUsed(heapLoggedIn) / 1024 / 1024,
      rssLoggedInMb: rssLoggedIn / 1024,
      rssEndMb: rssEnd / 1024,
      dropped: load.dropped,
      warnings: server.warnings(),
      connectionCap: cap,
      capacity: capacityFigures,
      slowReaders: slowFigures,
      ramp: options.ramp
        ? {
            steps: windows.map((w) => ({ rate: w.rate, sustained: sustained(w), ...w.fields })),
            highestSustainedRate: best?.rate ?? Number.NaN,
            highestSustainedDeliveriesPerSecond: best?.fields.achievedPerSecond ?? Number.NaN,
          }
        : undefined,
    };
    progress(
      kind,
      `${result.rssMarginalPerConnectionKb.toFixed(2)} KiB RSS and ${result.heapMarginalPerConnectionKb.toFixed(2)} KiB heap per connection (marginal)` +
        (result.ramp === undefined ? "" : `; highest sustained rate ${result.ramp.highestSustainedRate} lines/s per sender`),
    );
    return result;
  } finally {
    // The server first: Loom tells everyone it is stopping and saves, which the clients absorb.
    await server.stop(8000);
    load.closeAll();
    cleanup.clients = undefined;
  }
}

async function main(): Promise<void> {
  const root = findProjectRoot();
  const options = parseOptions(root);

  const pinned = pinGenerator(options.pin);
  const serverCore = "serverCore" in pinned ? pinned.serverCore : undefined;
  const pinning = "off" in pinned ? pinned.off : "server on core 0 (taskset -c 0), load generator on core 1 (taskset -a -p -c 1)";
  if (serverCore === undefined) progress(undefined, `warning: pinning ${pinning}; servers and generator share the cores`);

  if (options.only.includes("loom") && !existsSync(path.join(root, "dist", "src", "main.js"))) {
    commandLine.fail("dist/src/main.js is missing: run `npm run build` first (npm run bench does).");
  }
  if (options.profile !== undefined) mkdirSync(options.profile, { recursive: true });

  const machine = machineInfo(options.python);
  const load = describeLoad(options);
  process.stderr.write(`${renderHeader(machine, load, pinning)}\n`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), "loom-bench-"));
  cleanup.tmp = tmp;
  const results: (RunResult | RunSkipped)[] = [];
  for (const kind of options.only) {
    if (options.scenario === "capacity" && kind !== "loom") {
      const why = "the capacity scenario is Loom only: its sender is an admin's `announce`, which the peers do not have";
      progress(kind, `skipped: ${why}`);
      results.push({ kind, skipped: why });
      continue;
    }
    if (kind === "twisted" && twistedVersion(options.python) === undefined) {
      const why = `\`${options.python} -c "import twisted"\` failed; install Twisted (Debian/Ubuntu: apt-get install -y python3-twisted) or pass --python`;
      progress(kind, `skipped: ${why}`);
      results.push({ kind, skipped: why });
      continue;
    }
    if (kind === "node" || kind === "twisted") {
      const file = path.join(options.peers, kind === "node" ? "node_chat.mjs" : "twisted_chat.py");
      if (!existsSync(file)) {
        const why = `${file} not found (pass --peers DIR)`;
        progress(kind, `skipped: ${why}`);
        results.push({ kind, skipped: why });
        continue;
      }
    }
    try {
      results.push(await runOne(kind, options, tmp, serverCore));
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      progress(kind, `failed: ${why}`);
      results.push({ kind, skipped: `failed: ${why.split("\n")[0]}` });
    }
  }

  const report = [renderHeader(machine, load, pinning), "", renderTable(results), "", renderNotes(results), ""].join("\n");
  process.stdout.write(`\n${report}`);
  if (options.json !== undefined) {
    writeFileSync(options.json, `${JSON.stringify({ machine, options, pinning, results }, null, 2)}\n`);
  }
  if (options.profile !== undefined) progress(undefined, `profile in ${options.profile}: node dist/bench/cpuprofile-top.js ${options.profile}`);
  cleanup.now();
  if (results.some((r) => "skipped" in r && r.skipped.startsWith("failed"))) process.exitCode = 1;
}

cleanup.run(main, "stopping every server and removing the temp directory");
