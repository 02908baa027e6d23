/**
 * The figures of one server's run, and the table that compares them.
 */
import type { MachineInfo } from "./proc.js";
import { SERVER_LABELS, type ServerKind } from "./servers.js";

/** The scenarios (`--scenario`). */
export const SCENARIOS = ["fanout", "channel", "logins", "capacity"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** What one measured window of sending achieved. */
export interface WindowFields {
  /** Deliveries per second the senders asked for during the window. */
  readonly offeredPerSecond: number;
  /** Deliveries per second received during the window (every client, counted). */
  readonly achievedPerSecond: number;
  /** Share of the window's deliveries to the sampled clients received by the end of the drain, in %. */
  readonly deliveredPercent: number;
  /** Delivery latency at the sampled clients. */
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  /** How many latencies the quantiles are taken over, and from how many clients. */
  readonly latencySamples: number;
  readonly sampledClients: number;
  /** Server CPU time (user + system, all threads) per delivery received in the window, in µs. */
  readonly cpuMicrosPerDelivery: number;
  /** Server CPU during the window, in % of one core. */
  readonly cpuPercent: number;
  /** The kernel's part of it (stime), in % of one core. */
  readonly systemPercent: number;
  /** How busy the server's core was (all processes and the kernel's softirq work), in %. */
  readonly coreBusyPercent: number;
  /** The softirq part of it: loopback receive processing, which may run in ksoftirqd. */
  readonly coreSoftirqPercent: number;
  /** Time the hypervisor took from the server's core, in %. */
  readonly coreStealPercent: number;
  /** The server core's busy time per delivery, in µs: the process plus the kernel work it caused. */
  readonly coreMicrosPerDelivery: number;
  /** Deliveries per client socket read in the window: how much each server write carried, roughly. */
  readonly deliveriesPerRead: number;
  /** How busy the generator's core was, in %. */
  readonly generatorCoreBusyPercent: number;
  /** The load generator's own CPU during the window, in % of one core. */
  readonly generatorCpuPercent: number;
  /** The kernel's part of it. */
  readonly generatorSystemPercent: number;
  readonly windowSeconds: number;
  readonly messages: number;
  readonly duplicates: number;
  readonly parseErrors: number;
}

/** The window figures of a run that sent nothing (the logins scenario). */
export const EMPTY_WINDOW: WindowFields = Object.freeze({
  offeredPerSecond: Number.NaN,
  achievedPerSecond: Number.NaN,
  deliveredPercent: Number.NaN,
  latencyP50Ms: Number.NaN,
  latencyP99Ms: Number.NaN,
  latencyMaxMs: Number.NaN,
  latencySamples: 0,
  sampledClients: 0,
  cpuMicrosPerDelivery: Number.NaN,
  cpuPercent: Number.NaN,
  systemPercent: Number.NaN,
  coreBusyPercent: Number.NaN,
  coreSoftirqPercent: Number.NaN,
  coreStealPercent: Number.NaN,
  coreMicrosPerDelivery: Number.NaN,
  deliveriesPerRead: Number.NaN,
  generatorCoreBusyPercent: Number.NaN,
  generatorCpuPercent: Number.NaN,
  generatorSystemPercent: Number.NaN,
  windowSeconds: 0,
  messages: 0,
  duplicates: 0,
  parseErrors: 0,
});

/** One step of a `--ramp`. */
export interface RampStep extends WindowFields {
  /** Lines per second per sender. */
  readonly rate: number;
  /** 100% delivered and p99 within the ramp's bound. */
  readonly sustained: boolean;
}

/** One announcement of the capacity scenario, as every client received it. */
export interface AnnouncementFigures {
  /** Its sequence number (the marker's second field). */
  readonly seq: number;
  /** Clients that received it (the admin's own echo not counted), and their latencies. */
  readonly received: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
}

/** The capacity scenario's own figures (issue 11, target 4). */
export interface CapacityFigures {
  /** Connections the bench asked for, the admin included (it logs in last). */
  readonly connections: number;
  /** Deliveries counted at every client by the end of the drain ÷ announcements × (clients − 1), in %. */
  readonly deliveredToEveryClientPercent: number;
  /** Each announcement, in the order sent. */
  readonly announcements: readonly AnnouncementFigures[];
  /** The worst p99 of any one announcement, in ms. */
  readonly worstAnnouncementP99Ms: number;
}

/** The slow readers' fate (`--slow-readers`, hardening S1/S2/S4 at load). */
export interface SlowReaderFigures {
  /** Asked for, and logged in (then they stopped reading). */
  readonly requested: number;
  readonly loggedIn: number;
  /** How many the server closed, and when: seconds after each stopped reading, ascending. */
  readonly cutOff: number;
  readonly cutOffAfterSeconds: readonly number[];
  /** Seconds from the slow readers' last login to the end of the drain: how long they were ignored. */
  readonly observedSeconds: number;
  /** What the kernel held per open slow reader at the end: unread on its side, unsent on the server's, in KiB. */
  readonly kernelRecvQPerReaderKb: number;
  readonly kernelSendQPerReaderKb: number;
  /** The open slow readers found in /proc/net/tcp, whom those two figures are over. */
  readonly kernelSockets: number;
  /**
   * Loom: chatter it did not queue for readers past the soft cap (S4), the episodes of it (its
   * "slow reader: dropping chatter" log lines), and when the first and last episode began, in
   * seconds after the slow readers stopped reading.
   */
  readonly chatterDropped: number;
  readonly chatterDropEpisodes: number;
  readonly chatterDropFirstAfterSeconds: number;
  readonly chatterDropLastAfterSeconds: number;
  /** The server's RSS: once everyone else was logged in, and its peak while sending (sampled every second), in MiB. */
  readonly rssBeforeMb: number;
  readonly rssPeakMb: number;
}

/** What one server achieved under the load. */
export interface RunResult extends WindowFields {
  readonly kind: ServerKind;
  readonly scenario: Scenario;
  /** The door the clients used ("line (peer)": the peers speak only the line contract). */
  readonly door: string;
  /** How the clients logged in, and at what hashing cost. */
  readonly logins: string;
  /** Lines per second per sender of the window shown (a ramp's highest sustained step). */
  readonly rate: number;
  /** Clients logged in (and in the room) when the senders started. */
  readonly clients: number;
  readonly loginFailures: number;
  /** Wall seconds to log every client in (the pause at half-way for the memory figure left out). */
  readonly loginSeconds: number;
  /** The first and second half of the logins: equal if a login's cost does not grow with the crowd. */
  readonly loginSecondsFirstHalf: number;
  readonly loginSecondsSecondHalf: number;
  /** The worst p99 and max event-loop delay Loom's /metrics reported during the logins, in ms. */
  readonly loginLoopDelayP99Ms: number;
  readonly loginLoopDelayMaxMs: number;
  /** How busy cores 0 and 1 were in the second before the server started (other work on the machine). */
  readonly backgroundCore0Percent: number;
  readonly backgroundCore1Percent: number;
  /** Resident memory added per logged-in connection, in KiB: (after logins − before) / clients. */
  readonly rssPerConnectionKb: number;
  /** The same over the second half of the logins only: the cost of one more connection. */
  readonly rssMarginalPerConnectionKb: number;
  /**
   * Loom's heap (used + external + array buffers, after a full GC, via the bench's heap probe)
   * added per connection, overall and over the second half of the logins, in KiB.
   */
  readonly heapPerConnectionKb: number;
  readonly heapMarginalPerConnectionKb: number;
  /** Heap and RSS once the logins settled, in MiB. */
  readonly heapLoggedInMb: number;
  readonly rssLoggedInMb: number;
  /** Resident memory at the end of the run, in MiB. */
  readonly rssEndMb: number;
  /** Clients the server disconnected during the run. */
  readonly dropped: number;
  /** Log lines at warn level or above (Loom only). */
  readonly warnings: number;
  /** Loom: the connection cap it logged at boot (`limits.maxConnections`; auto: the file limit less headroom) and where it came from. */
  readonly connectionCap: { readonly maxConnections: number; readonly source: string } | undefined;
  /** The capacity scenario's per-announcement figures. */
  readonly capacity: CapacityFigures | undefined;
  /** `--slow-readers`: what became of them. */
  readonly slowReaders: SlowReaderFigures | undefined;
  /** The ramp's steps and result, with `--ramp`. */
  readonly ramp:
    | { readonly steps: readonly RampStep[]; readonly highestSustainedRate: number; readonly highestSustainedDeliveriesPerSecond: number }
    | undefined;
}

/** A run that did not produce figures, and why. */
export interface RunSkipped {
  readonly kind: ServerKind;
  readonly skipped: string;
}

interface Row {
  readonly label: string;
  readonly value: (r: RunResult) => number;
  readonly digits: number;
  /** Whether a ratio means anything for this row. */
  readonly ratio: boolean;
  /** A row of one scenario or option: shown only when some run has it. */
  readonly shownFor?: (r: RunResult) => boolean;
}

const isCapacity = (r: RunResult): boolean => r.capacity !== undefined;
const hasSlow = (r: RunResult): boolean => r.slowReaders !== undefined;

const ROWS: readonly Row[] = [
  { label: "clients in the room", value: (r) => r.clients, digits: 0, ratio: false },
  { label: "connection cap (Loom: logged at boot)", value: (r) => r.connectionCap?.maxConnections ?? Number.NaN, digits: 0, ratio: false, shownFor: isCapacity },
  { label: "login time, s", value: (r) => r.loginSeconds, digits: 1, ratio: true },
  { label: "  2nd half ÷ 1st half of logins", value: (r) => r.loginSecondsSecondHalf / r.loginSecondsFirstHalf, digits: 2, ratio: false },
  { label: "event-loop delay in logins, p99 ms", value: (r) => r.loginLoopDelayP99Ms, digits: 1, ratio: false },
  { label: "lines/s per sender (ramp: highest held)", value: (r) => r.rate, digits: 1, ratio: true },
  { label: "offered deliveries/s", value: (r) => r.offeredPerSecond, digits: 0, ratio: true },
  { label: "achieved deliveries/s", value: (r) => r.achievedPerSecond, digits: 0, ratio: true },
  { label: "achieved / offered, %", value: (r) => (100 * r.achievedPerSecond) / Math.max(1, r.offeredPerSecond), digits: 1, ratio: true },
  { label: "delivered by end of drain, %", value: (r) => r.deliveredPercent, digits: 1, ratio: true },
  { label: "latency p50, ms", value: (r) => r.latencyP50Ms, digits: 1, ratio: true },
  { label: "latency p99, ms", value: (r) => r.latencyP99Ms, digits: 1, ratio: true },
  { label: "  latencies measured (sampled clients)", value: (r) => r.latencySamples, digits: 0, ratio: false },
  { label: "announcements sent", value: (r) => r.capacity?.announcements.length ?? Number.NaN, digits: 0, ratio: false, shownFor: isCapacity },
  { label: "delivered to every client (counted), %", value: (r) => r.capacity?.deliveredToEveryClientPercent ?? Number.NaN, digits: 2, ratio: false, shownFor: isCapacity },
  { label: "worst announcement's p99, ms", value: (r) => r.capacity?.worstAnnouncementP99Ms ?? Number.NaN, digits: 1, ratio: false, shownFor: isCapacity },
  { label: "slow readers logged in (not in the figures)", value: (r) => r.slowReaders?.loggedIn ?? Number.NaN, digits: 0, ratio: false, shownFor: hasSlow },
  { label: "  cut off by the server", value: (r) => r.slowReaders?.cutOff ?? Number.NaN, digits: 0, ratio: false, shownFor: hasSlow },
  { label: "  first cut off after, s", value: (r) => r.slowReaders?.cutOffAfterSeconds[0] ?? Number.NaN, digits: 1, ratio: false, shownFor: hasSlow },
  { label: "  chatter dropped for them (S4)", value: (r) => r.slowReaders?.chatterDropped ?? Number.NaN, digits: 0, ratio: false, shownFor: hasSlow },
  { label: "  readers past the soft cap (S4 episodes)", value: (r) => (r.slowReaders !== undefined && Number.isFinite(r.slowReaders.chatterDropped) ? r.slowReaders.chatterDropEpisodes : Number.NaN), digits: 0, ratio: false, shownFor: hasSlow },
  { label: "  kernel-held per reader, KiB (recv + send)", value: (r) => (r.slowReaders === undefined ? Number.NaN : r.slowReaders.kernelRecvQPerReaderKb + r.slowReaders.kernelSendQPerReaderKb), digits: 0, ratio: false, shownFor: hasSlow },
  { label: "  server RSS growth while sending, MiB", value: (r) => (r.slowReaders === undefined ? Number.NaN : r.slowReaders.rssPeakMb - r.slowReaders.rssBeforeMb), digits: 1, ratio: true, shownFor: hasSlow },
  { label: "server CPU per delivery, µs", value: (r) => r.cpuMicrosPerDelivery, digits: 2, ratio: true },
  { label: "server CPU, % of a core", value: (r) => r.cpuPercent, digits: 0, ratio: true },
  { label: "  of which kernel (stime), %", value: (r) => r.systemPercent, digits: 0, ratio: true },
  { label: "server core busy (incl. softirq), %", value: (r) => r.coreBusyPercent, digits: 0, ratio: true },
  { label: "  of which softirq, %", value: (r) => r.coreSoftirqPercent, digits: 0, ratio: true },
  { label: "  not charged to the server, %", value: (r) => Math.max(0, r.coreBusyPercent - r.cpuPercent), digits: 0, ratio: false },
  { label: "server core busy per delivery, µs", value: (r) => r.coreMicrosPerDelivery, digits: 2, ratio: true },
  { label: "deliveries per client read", value: (r) => r.deliveriesPerRead, digits: 2, ratio: true },
  { label: "server RSS per connection, KiB", value: (r) => r.rssPerConnectionKb, digits: 2, ratio: true },
  { label: "  marginal (2nd half of logins), KiB", value: (r) => r.rssMarginalPerConnectionKb, digits: 2, ratio: true },
  { label: "server heap per connection, marginal, KiB", value: (r) => r.heapMarginalPerConnectionKb, digits: 2, ratio: false },
  { label: "server heap logged in, MiB", value: (r) => r.heapLoggedInMb, digits: 0, ratio: false },
  { label: "server RSS logged in, MiB", value: (r) => r.rssLoggedInMb, digits: 0, ratio: true },
  { label: "server RSS at end, MiB", value: (r) => r.rssEndMb, digits: 0, ratio: true },
  { label: "load generator CPU, % of a core", value: (r) => r.generatorCpuPercent, digits: 0, ratio: false },
  { label: "generator core busy, %", value: (r) => r.generatorCoreBusyPercent, digits: 0, ratio: false },
  // Its own CPU per delivery counted: 1 / this is the most one core could count at this batching.
  { label: "generator CPU per delivery, µs", value: (r) => (r.generatorCpuPercent * 1e4) / r.achievedPerSecond, digits: 2, ratio: false },
  { label: "clients dropped by the server", value: (r) => r.dropped, digits: 0, ratio: false },
  { label: "other load before run, server core, %", value: (r) => r.backgroundCore0Percent, digits: 0, ratio: false },
  { label: "other load before run, gen. core, %", value: (r) => r.backgroundCore1Percent, digits: 0, ratio: false },
];

function format(value: number, digits: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratio(a: RunResult | undefined, b: RunResult | undefined, row: Row): string {
  if (!row.ratio || a === undefined || b === undefined) return "";
  const x = row.value(a);
  const y = row.value(b);
  if (!Number.isFinite(x) || !Number.isFinite(y) || y === 0) return "n/a";
  const r = x / y;
  // Two decimals, but never "0.00×" for a small ratio: two significant digits below 0.1.
  return `${r !== 0 && Math.abs(r) < 0.1 ? r.toPrecision(2) : r.toFixed(2)}×`;
}

/** The comparison table in Markdown: one column per server, then Loom/Node and Loom/Twisted. */
export function renderTable(results: readonly (RunResult | RunSkipped)[]): string {
  const done = new Map<ServerKind, RunResult>();
  for (const r of results) if (!("skipped" in r)) done.set(r.kind, r);
  const kinds = results.map((r) => r.kind);
  const loom = done.get("loom");
  const header = ["figure", ...kinds.map((k) => SERVER_LABELS[k]), "Loom/Node", "Loom/Twisted"];
  const lines: string[][] = [header];
  for (const row of ROWS) {
    if (row.shownFor !== undefined && ![...done.values()].some(row.shownFor)) continue;
    lines.push([
      row.label,
      ...kinds.map((k) => {
        const r = done.get(k);
        return r === undefined ? "skipped" : format(row.value(r), row.digits);
      }),
      ratio(loom, done.get("node"), row),
      ratio(loom, done.get("twisted"), row),
    ]);
  }
  const widths = header.map((_, col) => Math.max(...lines.map((l) => l[col]!.length)));
  const render = (cells: string[]): string =>
    `| ${cells.map((c, col) => (col === 0 ? c.padEnd(widths[col]!) : c.padStart(widths[col]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, col) => (col === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [render(lines[0]!), rule, ...lines.slice(1).map(render)].join("\n");
}

/** The size and timing of one run's load, as the command line gives it. */
export interface LoadShape {
  readonly clients: number;
  readonly senders: number;
  readonly rate: number;
  readonly seconds: number;
  readonly warmup: number;
  readonly drain: number;
  readonly scenario: Scenario;
  /** Every `sample`-th client times its deliveries; the others count them. */
  readonly sample: number;
  readonly ramp: boolean;
  /** `--doors` (Loom only). */
  readonly doors?: string;
  /** `--slow-readers`: clients that log in and then never read. */
  readonly slowReaders?: number;
  /** `--pad`: filler bytes after each line's marker. */
  readonly pad?: number;
}

/** Where the clients are, per scenario. */
const SCENARIO_WORDS: Readonly<Record<Scenario, string>> = {
  fanout: "in one room, saying",
  channel: "spread over five rooms, posting on the chat channel",
  logins: "logging in (a login storm; nothing sent after)",
  capacity: "spread over the world's rooms, the last an admin who announces",
};

/** The load, in one line. */
export function describeLoad(o: LoadShape): string {
  if (o.scenario === "logins") return `scenario logins: ${o.clients} clients logging in as fast as allowed (a login storm); nothing sent after`;
  const pad = (o.pad ?? 0) > 0 ? `; each line padded with ${o.pad} bytes` : "";
  const slow = (o.slowReaders ?? 0) > 0 ? `${pad}; plus ${o.slowReaders} slow readers who log in last and never read again (in no figure but their own)` : "";
  if (o.scenario === "capacity") {
    return (
      `scenario capacity (Loom only): ${o.clients} connections logged in${o.doors !== undefined ? ` by the ${o.doors} door${o.doors === "mix" ? "s (a third each)" : ""}` : ""}, ` +
      `${SCENARIO_WORDS.capacity} ${Math.round(o.rate * o.seconds)} times (${o.rate}/s over ${o.seconds} s) to all of them, ` +
      `every ${o.sample}. client timing its deliveries, up to ${o.drain} s drain${slow}`
    );
  }
  return (
    `scenario ${o.scenario}${o.ramp ? " with --ramp" : ""}: ${o.clients} clients ${SCENARIO_WORDS[o.scenario]}` +
    `${o.doors !== undefined && o.doors !== "line" ? ` (Loom's by the ${o.doors} door${o.doors === "mix" ? "s" : ""})` : ""}, ` +
    `every ${o.sample}. client timing its deliveries, ${o.senders} senders × ${o.rate} lines/s ` +
    `(${Math.round(o.senders * o.rate * (o.clients - 1)).toLocaleString("en-US")} deliveries/s offered), ` +
    `${o.warmup} s warm-up, ${o.seconds} s measured, up to ${o.drain} s drain${slow === "" ? pad : slow}`
  );
}

/** The lines above the table: machine, versions, load. */
export function renderHeader(machine: MachineInfo, load: string, pinning: string): string {
  return [
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.kernel}`,
    `versions: node ${machine.node}, python ${machine.python}, twisted ${machine.twisted}`,
    `load: ${load}`,
    `pinning: ${pinning}`,
  ].join("\n");
}

/** Notes under the table: skipped servers and anything that makes a figure suspect. */
export function renderNotes(results: readonly (RunResult | RunSkipped)[]): string {
  const notes: string[] = [
    "Ratios are Loom ÷ peer: above 1 is better for deliveries and delivered %, below 1 is better for time, latency, CPU and memory.",
  ];
  for (const r of results) {
    const name = SERVER_LABELS[r.kind];
    if ("skipped" in r) {
      notes.push(`${name}: skipped — ${r.skipped}`);
      continue;
    }
    notes.push(`${name}: scenario ${r.scenario}, ${r.door} door, logins by ${r.logins}; latency and delivered % from ${r.sampledClients} sampled clients.`);
    if (r.ramp !== undefined) {
      const steps = r.ramp.steps
        .map((st) => `${st.rate}/s → ${format(st.achievedPerSecond, 0)} deliveries/s, ${format(st.deliveredPercent, 1)}%, p99 ${format(st.latencyP99Ms, 1)} ms${st.sustained ? "" : " (not held)"}`)
        .join("; ");
      notes.push(`${name}: ramp: ${steps}. Highest sustained: ${r.ramp.highestSustainedRate} lines/s per sender, ${format(r.ramp.highestSustainedDeliveriesPerSecond, 0)} deliveries/s.`);
    }
    if (r.loginFailures > 0) notes.push(`${name}: ${r.loginFailures} logins failed; the figures are for ${r.clients} clients.`);
    if (r.connectionCap !== undefined && r.capacity === undefined) notes.push(`${name}: connection cap ${r.connectionCap.maxConnections} (${r.connectionCap.source}), as logged at boot.`);
    if (r.capacity !== undefined) notes.push(...capacityNotes(name, r, r.capacity));
    if (r.slowReaders !== undefined) notes.push(slowNote(name, r.slowReaders));
    if (Math.max(r.backgroundCore0Percent, r.backgroundCore1Percent) > 10) {
      notes.push(
        `${name}: other work kept the cores ${r.backgroundCore0Percent.toFixed(0)}% and ${r.backgroundCore1Percent.toFixed(0)}% busy just before the run; its figures are suspect — rerun on a quiet machine.`,
      );
    }
    const uncharged = r.coreBusyPercent - r.cpuPercent - r.coreSoftirqPercent;
    if (uncharged > 10) {
      notes.push(`${name}: the server's core was ${uncharged.toFixed(0)}% busy with work not charged to the server during the window (other processes?).`);
    }
    if (r.coreStealPercent > 5) notes.push(`${name}: the hypervisor stole ${r.coreStealPercent.toFixed(0)}% of the server's core during the window.`);
    if (r.generatorCpuPercent > 85) {
      notes.push(
        `${name}: the load generator used ${r.generatorCpuPercent.toFixed(0)}% of its core; throughput and latency are bounded by the generator, not the server.`,
      );
    } else if (r.generatorCoreBusyPercent > 85) {
      notes.push(
        `${name}: the load generator's core was ${r.generatorCoreBusyPercent.toFixed(0)}% busy (the generator itself ${r.generatorCpuPercent.toFixed(0)}%, the rest other work); throughput and latency may be bounded by that core, not the server.`,
      );
    }
    if (r.dropped > 0) notes.push(`${name}: the server disconnected ${r.dropped} logged-in clients during the run (output cap?).`);
    if (r.duplicates > 0 || r.parseErrors > 0) notes.push(`${name}: ${r.duplicates} over-deliveries and ${r.parseErrors} unparsable markers.`);
    if (r.warnings > 0) notes.push(`${name}: logged ${r.warnings} lines at warn level or above.`);
  }
  return notes.map((n) => `- ${n}`).join("\n");
}

/** The capacity scenario's notes: whether the cap fit, and every announcement. */
function capacityNotes(name: string, r: RunResult, c: CapacityFigures): string[] {
  const notes: string[] = [];
  const cap = r.connectionCap;
  if (cap !== undefined && cap.maxConnections < c.connections) {
    notes.push(`${name}: the connection cap (${cap.maxConnections}, ${cap.source}) is BELOW the ${c.connections} connections asked for: ${c.connections - cap.maxConnections} of them could not be admitted.`);
  } else if (cap !== undefined) {
    notes.push(`${name}: the connection cap (${cap.maxConnections}, ${cap.source}) admits all ${c.connections} connections${cap.source === "file-limit" ? " (limits.maxConnections left on auto, Loom's default)" : ""}.`);
  }
  const each = c.announcements
    .map((a) => `#${a.seq}: ${a.received} clients, p50 ${format(a.latencyP50Ms, 1)} ms, p99 ${format(a.latencyP99Ms, 1)} ms, max ${format(a.latencyMaxMs, 1)} ms`)
    .join("; ");
  notes.push(`${name}: announcements: ${each === "" ? "none timed" : each}.`);
  return notes;
}

/** The slow readers' note: who was cut off and when, what was held for them, and memory. */
function slowNote(name: string, s: SlowReaderFigures): string {
  const when =
    s.cutOff === 0
      ? `none was cut off in the ${format(s.observedSeconds, 0)} s they were ignored`
      : `${s.cutOff} cut off, ${format(s.cutOffAfterSeconds[0] ?? Number.NaN, 1)}–${format(s.cutOffAfterSeconds.at(-1) ?? Number.NaN, 1)} s after they stopped reading`;
  return (
    `${name}: ${s.loggedIn} of ${s.requested} slow readers logged in and stopped reading; ${when}; ` +
    `the kernel held ${format(s.kernelRecvQPerReaderKb, 0)} KiB unread + ${format(s.kernelSendQPerReaderKb, 0)} KiB unsent per open one at the end (${s.kernelSockets} found); ` +
    // NaN (null once saved as JSON): the peers have no soft cap.
    (!Number.isFinite(s.chatterDropped)
      ? ""
      : `${format(s.chatterDropped, 0)} chatter messages dropped for readers past the soft cap (S4, ${s.chatterDropEpisodes} episodes` +
        (s.chatterDropEpisodes > 0 ? `, beginning ${format(s.chatterDropFirstAfterSeconds, 1)}–${format(s.chatterDropLastAfterSeconds, 1)} s after they stopped reading); ` : "); ")) +
    `server RSS ${format(s.rssBeforeMb, 0)} MiB before, ${format(s.rssPeakMb, 0)} MiB at its peak while sending. They are left out of every other figure.`
  );
}

/** The value at quantile `q` (0..1) of an ascending array, nearest rank; NaN if empty. */
export function quantile(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
