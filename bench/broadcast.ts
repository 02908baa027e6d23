/**
 * The broadcast benchmark (`npm run bench`): one load generator drives Loom, the plain-Node
 * peer and the Twisted peer (../shared/peers/) with the same script, one after another, and
 * prints what each achieved side by side, with the ratios Loom/Node and Loom/Twisted.
 *
 * The script, per server: start it pinned to core 0 (`taskset -c 0`; this process pins itself
 * to core 1); log `--clients` line clients into one room (`create <name> <password>`, waiting
 * for `Welcome, <Name>.`), from source addresses 127.0.0.2, 127.0.0.3, ... (50 each); let
 * `--senders` of them say numbered, timestamped lines at `--rate` lines/s each; after
 * `--warmup` seconds, measure for `--seconds`; stop sending and wait up to `--drain` seconds
 * for the stragglers; stop the server. Measured:
 *
 * - deliveries/s offered (messages sent × other clients) and achieved (received in the window);
 * - delivery latency p50/p99: receive time minus the send time carried in the text, both read
 *   from this process's monotonic clock, over every delivery of every window message;
 * - server CPU per delivery: utime + stime from /proc/<pid>/stat across the window, divided by
 *   the deliveries received in it;
 * - server RSS per connection: VmRSS after the logins minus VmRSS before them, divided by the
 *   clients; and the marginal figure, from the second half of the logins only (VmRSS after all
 *   minus after half, over the clients in between), which leaves out what the first logins
 *   allocate once (for Loom: argon2's 19 MiB per hashing thread, kept by malloc's arenas).
 *
 *   node dist/bench/broadcast.js [--clients 2000] [--senders 10] [--rate 10] [--seconds 20]
 *        [--warmup 5] [--drain 10] [--only loom|node|twisted[,...]] [--json FILE]
 *        [--profile DIR] [--no-pin] [--peers DIR] [--python /usr/bin/python3]
 *
 * Loopback only, bounded in clients and time; every child is killed and the temp directory
 * removed at the end, on error and on SIGINT/SIGTERM.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findProjectRoot } from "../src/config/project-root.js";
import { killChildrenNow } from "./lib/children.js";
import { CommandLine } from "./lib/command-line.js";
import { LoadClients } from "./lib/load.js";
import { type CoreTime, hasTaskset, machineInfo, pinSelf, readCoreTime, readCpuTime, readStatusKb, twistedVersion } from "./lib/proc.js";
import {
  describeLoad,
  quantile,
  renderHeader,
  renderNotes,
  renderTable,
  type LoadShape,
  type RunResult,
  type RunSkipped,
} from "./lib/report.js";
import { SERVER_KINDS, SERVER_LABELS, type ServerKind, type ServerProcess, startServer } from "./lib/servers.js";

const USAGE = `Usage: node dist/bench/broadcast.js [options]

  --clients N      clients logged into the one room (default 2000, at most 15000)
  --senders N      how many of them speak (default 10)
  --rate N         lines per second per sender (default 10)
  --seconds N      length of the measured window (default 20)
  --warmup N       seconds of load before the window (default 5)
  --drain N        seconds to wait after the window for late deliveries (default 10)
  --only LIST      loom, node, twisted, or a comma-separated list (default all three)
  --json FILE      also write the results as JSON
  --profile DIR    run Loom under --cpu-prof, writing the profile and the window's bounds to DIR
                   (summarise with: node dist/bench/cpuprofile-top.js DIR)
  --no-pin         do not pin the servers to core 0 and the generator to core 1
  --peers DIR      where node_chat.mjs and twisted_chat.py are (default ../shared/peers)
  --python PATH    the Python that has Twisted (default /usr/bin/python3)
`;

/** The cores the servers and the load generator are pinned to. */
const SERVER_CORE = 0;
const GENERATOR_CORE = 1;
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

interface Options extends LoadShape {
  readonly only: readonly ServerKind[];
  readonly json: string | undefined;
  readonly profile: string | undefined;
  readonly pin: boolean;
  readonly peers: string;
  readonly python: string;
}

/** Usage errors exit 2 (a failed run exits 1). */
const commandLine = new CommandLine(USAGE, 2);

function parseOptions(root: string): Options {
  const v = commandLine.parse({
    clients: { type: "string", default: "2000" },
    senders: { type: "string", default: "10" },
    rate: { type: "string", default: "10" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "5" },
    drain: { type: "string", default: "10" },
    only: { type: "string" },
    json: { type: "string" },
    profile: { type: "string" },
    "no-pin": { type: "boolean", default: false },
    peers: { type: "string", default: path.resolve(root, "..", "shared", "peers") },
    python: { type: "string", default: "/usr/bin/python3" },
    help: { type: "boolean", short: "h", default: false },
  });
  const clients = commandLine.number("clients", v.clients, 2, 15_000, true);
  const senders = commandLine.number("senders", v.senders, 1, clients, true);
  const only = (v.only ?? SERVER_KINDS.join(",")).split(",").map((s) => s.trim().toLowerCase());
  for (const kind of only) {
    if (!(SERVER_KINDS as readonly string[]).includes(kind)) commandLine.fail(`--only takes ${SERVER_KINDS.join(", ")} (got "${kind}")`);
  }
  return {
    clients,
    senders,
    rate: commandLine.number("rate", v.rate, 0.1, 1000, false),
    seconds: commandLine.number("seconds", v.seconds, 1, 600, false),
    warmup: commandLine.number("warmup", v.warmup, 0, 600, false),
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

/** Everything to undo if the process is interrupted. */
const cleanup = { tmp: undefined as string | undefined, load: undefined as LoadClients | undefined };
function cleanupNow(): void {
  cleanup.load?.closeAll();
  cleanup.load = undefined;
  killChildrenNow();
  if (cleanup.tmp !== undefined) {
    rmSync(cleanup.tmp, { recursive: true, force: true });
    cleanup.tmp = undefined;
  }
}

/** How busy each of `cores` is over `ms`, in %. */
async function sampleCores(cores: readonly number[], ms: number): Promise<number[]> {
  const before = cores.map((c) => readCoreTime(c));
  await sleep(ms);
  return cores.map((c, i) => {
    const a = before[i];
    const b = readCoreTime(c);
    return a === undefined || b === undefined || b.total <= a.total ? Number.NaN : (100 * (b.busy - a.busy)) / (b.total - a.total);
  });
}

async function runOne(kind: ServerKind, options: Options, tmp: string, serverCore: number | undefined): Promise<RunResult> {
  const workDir = path.join(tmp, kind);
  mkdirSync(workDir, { recursive: true });
  const { clients, senders, rate } = options;
  // Anything else running on the machine skews every figure: sample it before starting.
  const background = await sampleCores(serverCore === undefined ? [] : [serverCore, GENERATOR_CORE], 1000);
  if (background.some((b) => b > 10)) {
    progress(kind, `warning: before the run the cores were ${background.map((b) => `${b.toFixed(0)}%`).join(" and ")} busy with other work`);
  }
  const server: ServerProcess = await startServer(kind, {
    root: findProjectRoot(),
    peersDir: options.peers,
    python: options.python,
    workDir,
    core: serverCore,
    loom: {
      maxConnectionsPerAddress: PER_ADDRESS + 10,
      maxConnections: Math.max(5000, clients + 100),
      creationsPerHour: PER_ADDRESS + 10,
      commandsPerSecond: Math.max(20, Math.ceil(rate * 2)),
      commandBurst: Math.max(40, Math.ceil(rate * 4)),
      hashConcurrency: 2,
    },
    loomNodeArgs:
      kind === "loom" && options.profile !== undefined ? ["--cpu-prof", `--cpu-prof-dir=${options.profile}`] : [],
  });
  const pid = server.pid;
  progress(kind, `ready on port ${server.port} (pid ${pid}); logging in ${clients} clients`);
  const maxMessages = Math.ceil(senders * rate * ((options.warmup + options.seconds) * 1.5 + 10)) + 100;
  const load = new LoadClients({
    port: server.port,
    clients,
    senders,
    rate,
    perAddress: PER_ADDRESS,
    loginConcurrency: LOGIN_CONCURRENCY,
    loginTimeoutMs: 120_000,
    maxMessages,
  });
  cleanup.load = load;
  try {
    await sleep(300);
    const rssBefore = readStatusKb(pid, "VmRSS") ?? Number.NaN;
    const loginStarted = performance.now();
    const loginDeadline = loginStarted + LOGIN_BUDGET_BASE_MS + clients * LOGIN_BUDGET_PER_CLIENT_MS;
    const half = Math.floor(clients / 2);
    const first = await load.login(0, half, loginDeadline);
    await sleep(500);
    const rssHalf = readStatusKb(pid, "VmRSS") ?? Number.NaN;
    const rest = await load.login(half, clients, loginDeadline);
    const loginSeconds = (performance.now() - loginStarted) / 1000;
    const loggedIn = first.ok + rest.ok;
    const failures = first.failed + rest.failed;
    progress(kind, `${loggedIn} logged in in ${loginSeconds.toFixed(1)} s${failures > 0 ? `, ${failures} failed (${first.firstFailure ?? rest.firstFailure})` : ""}`);
    if (loggedIn < 2 || loggedIn < senders) throw new Error(`only ${loggedIn} clients could log in: ${first.firstFailure ?? rest.firstFailure}`);
    await sleep(SETTLE_SECONDS * 1000);
    const rssLoggedIn = readStatusKb(pid, "VmRSS") ?? Number.NaN;

    progress(kind, `${senders} senders × ${rate} lines/s: ${options.warmup} s warm-up, then ${options.seconds} s measured`);
    load.startSending();
    await sleep(options.warmup * 1000);
    const cpu0 = readCpuTime(pid);
    const core0 = serverCore === undefined ? undefined : readCoreTime(serverCore);
    const genCore0 = serverCore === undefined ? undefined : readCoreTime(GENERATOR_CORE);
    const gen0 = process.cpuUsage();
    const mono0 = process.hrtime.bigint();
    load.beginWindow();
    await sleep(options.seconds * 1000);
    const cpu1 = readCpuTime(pid);
    const core1 = serverCore === undefined ? undefined : readCoreTime(serverCore);
    const genCore1 = serverCore === undefined ? undefined : readCoreTime(GENERATOR_CORE);
    const gen = process.cpuUsage(gen0);
    const mono1 = process.hrtime.bigint();
    load.endWindow();
    progress(kind, `window over; draining for up to ${options.drain} s`);
    await load.drain(options.drain * 1000);
    const fig = load.figures();
    const rssEnd = readStatusKb(pid, "VmRSS") ?? Number.NaN;
    if (cpu0 === undefined || cpu1 === undefined) throw new Error(`the server died during the window:\n${server.tail()}`);
    if (kind === "loom" && options.profile !== undefined) {
      // V8's profile timestamps and process.hrtime are both CLOCK_MONOTONIC, in µs and ns.
      writeFileSync(
        path.join(options.profile, "window.json"),
        JSON.stringify({ startMicros: Number(mono0 / 1000n), endMicros: Number(mono1 / 1000n), pid }),
      );
    }
    const cpuSeconds = cpu1.user - cpu0.user + (cpu1.system - cpu0.system);
    const others = Math.max(1, loggedIn - 1);
    const coreShare = (a: CoreTime | undefined, b: CoreTime | undefined, pick: (t: CoreTime) => number): number =>
      a === undefined || b === undefined || b.total <= a.total ? Number.NaN : (100 * (pick(b) - pick(a))) / (b.total - a.total);
    const coreBusy = coreShare(core0, core1, (t) => t.busy);
    const result: RunResult = {
      kind,
      clients: loggedIn,
      loginFailures: failures,
      loginSeconds,
      offeredPerSecond: (fig.messages * others) / fig.seconds,
      achievedPerSecond: fig.receivedInWindow / fig.seconds,
      deliveredPercent: fig.expected > 0 ? (100 * fig.deliveredByDrainEnd) / fig.expected : Number.NaN,
      latencyP50Ms: quantile(fig.latencies, 0.5),
      latencyP99Ms: quantile(fig.latencies, 0.99),
      latencyMaxMs: quantile(fig.latencies, 1),
      cpuMicrosPerDelivery: fig.receivedInWindow > 0 ? (cpuSeconds * 1e6) / fig.receivedInWindow : Number.NaN,
      cpuPercent: (100 * cpuSeconds) / fig.seconds,
      systemPercent: (100 * (cpu1.system - cpu0.system)) / fig.seconds,
      coreBusyPercent: coreBusy,
      coreSoftirqPercent: coreShare(core0, core1, (t) => t.softirq),
      coreStealPercent: coreShare(core0, core1, (t) => t.steal),
      coreMicrosPerDelivery: fig.receivedInWindow > 0 ? (coreBusy / 100) * fig.seconds * 1e6 / fig.receivedInWindow : Number.NaN,
      deliveriesPerRead: fig.readsInWindow > 0 ? fig.receivedInWindow / fig.readsInWindow : Number.NaN,
      backgroundCore0Percent: background[0] ?? Number.NaN,
      backgroundCore1Percent: background[1] ?? Number.NaN,
      generatorCoreBusyPercent: coreShare(genCore0, genCore1, (t) => t.busy),
      rssPerConnectionKb: (rssLoggedIn - rssBefore) / loggedIn,
      rssMarginalPerConnectionKb: (rssLoggedIn - rssHalf) / Math.max(1, rest.ok),
      rssEndMb: rssEnd / 1024,
      generatorCpuPercent: (100 * (gen.user + gen.system)) / 1e6 / fig.seconds,
      generatorSystemPercent: (100 * gen.system) / 1e6 / fig.seconds,
      dropped: load.dropped,
      warnings: server.warnings(),
      windowSeconds: fig.seconds,
      messages: fig.messages,
      duplicates: fig.duplicates,
      parseErrors: fig.parseErrors,
    };
    progress(
      kind,
      `${Math.round(result.achievedPerSecond)} of ${Math.round(result.offeredPerSecond)} deliveries/s, ` +
        `p50 ${result.latencyP50Ms.toFixed(1)} ms, p99 ${result.latencyP99Ms.toFixed(1)} ms, ` +
        `${result.cpuMicrosPerDelivery.toFixed(2)} µs CPU/delivery (server ${result.cpuPercent.toFixed(0)}%, core ${result.coreBusyPercent.toFixed(0)}% busy, ` +
        `generator ${result.generatorCpuPercent.toFixed(0)}%), ${result.rssPerConnectionKb.toFixed(2)} KiB/connection`,
    );
    return result;
  } finally {
    // The server first: Loom tells everyone it is stopping and saves, which the clients absorb.
    await server.stop(8000);
    load.closeAll();
    cleanup.load = undefined;
  }
}

async function main(): Promise<void> {
  const root = findProjectRoot();
  const options = parseOptions(root);

  let serverCore: number | undefined;
  let pinning: string;
  if (!options.pin) pinning = "off (--no-pin)";
  else if (os.availableParallelism() < 2) pinning = "off: fewer than 2 cores";
  else if (!hasTaskset()) pinning = "off: taskset (util-linux) not found";
  else if (!pinSelf(GENERATOR_CORE)) pinning = `off: taskset -a -p -c ${GENERATOR_CORE} failed`;
  else {
    serverCore = SERVER_CORE;
    pinning = "server on core 0 (taskset -c 0), load generator on core 1 (taskset -a -p -c 1)";
  }
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
    if (kind === "twisted" && twistedVersion(options.python) === undefined) {
      const why = `\`${options.python} -c "import twisted"\` failed; install Twisted (Debian/Ubuntu: apt-get install -y python3-twisted) or pass --python`;
      progress(kind, `skipped: ${why}`);
      results.push({ kind, skipped: why });
      continue;
    }
    if (kind !== "loom") {
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
  cleanupNow();
  if (results.some((r) => "skipped" in r && r.skipped.startsWith("failed"))) process.exitCode = 1;
}

process.on("exit", cleanupNow);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping every server and removing the temp directory\n`);
    cleanupNow();
    process.exit(130);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  cleanupNow();
  process.exit(1);
});
