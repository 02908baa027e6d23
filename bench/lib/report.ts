/**
 * The figures of one server's run, and the table that compares them.
 */
import type { MachineInfo } from "./proc.js";
import { SERVER_LABELS, type ServerKind } from "./servers.js";

/** What one server achieved under the load. */
export interface RunResult {
  readonly kind: ServerKind;
  /** Clients logged in (and in the room) when the senders started. */
  readonly clients: number;
  readonly loginFailures: number;
  /** Wall seconds to log every client in. */
  readonly loginSeconds: number;
  /** Deliveries per second the senders asked for during the window. */
  readonly offeredPerSecond: number;
  /** Deliveries per second received during the window. */
  readonly achievedPerSecond: number;
  /** Share of the window's deliveries received by the end of the drain, in %. */
  readonly deliveredPercent: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
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
  /** How busy cores 0 and 1 were in the second before the server started (other work on the machine). */
  readonly backgroundCore0Percent: number;
  readonly backgroundCore1Percent: number;
  /** How busy the generator's core was, in %. */
  readonly generatorCoreBusyPercent: number;
  /** Resident memory added per logged-in connection, in KiB: (after logins − before) / clients. */
  readonly rssPerConnectionKb: number;
  /** The same over the second half of the logins only: the cost of one more connection. */
  readonly rssMarginalPerConnectionKb: number;
  /** Resident memory at the end of the run, in MiB. */
  readonly rssEndMb: number;
  /** The load generator's own CPU during the window, in % of one core. */
  readonly generatorCpuPercent: number;
  /** The kernel's part of it. */
  readonly generatorSystemPercent: number;
  /** Clients the server disconnected during the run. */
  readonly dropped: number;
  /** Log lines at warn level or above (Loom only). */
  readonly warnings: number;
  readonly windowSeconds: number;
  readonly messages: number;
  readonly duplicates: number;
  readonly parseErrors: number;
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
}

const ROWS: readonly Row[] = [
  { label: "clients in the room", value: (r) => r.clients, digits: 0, ratio: false },
  { label: "login time, s", value: (r) => r.loginSeconds, digits: 1, ratio: true },
  { label: "offered deliveries/s", value: (r) => r.offeredPerSecond, digits: 0, ratio: true },
  { label: "achieved deliveries/s", value: (r) => r.achievedPerSecond, digits: 0, ratio: true },
  { label: "achieved / offered, %", value: (r) => (100 * r.achievedPerSecond) / Math.max(1, r.offeredPerSecond), digits: 1, ratio: true },
  { label: "delivered by end of drain, %", value: (r) => r.deliveredPercent, digits: 1, ratio: true },
  { label: "latency p50, ms", value: (r) => r.latencyP50Ms, digits: 1, ratio: true },
  { label: "latency p99, ms", value: (r) => r.latencyP99Ms, digits: 1, ratio: true },
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
  { label: "server RSS at end, MiB", value: (r) => r.rssEndMb, digits: 0, ratio: true },
  { label: "load generator CPU, % of a core", value: (r) => r.generatorCpuPercent, digits: 0, ratio: false },
  { label: "generator core busy, %", value: (r) => r.generatorCoreBusyPercent, digits: 0, ratio: false },
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
}

/** The load, in one line. */
export function describeLoad(o: LoadShape): string {
  return (
    `${o.clients} clients in one room, ${o.senders} senders × ${o.rate} lines/s ` +
    `(${Math.round(o.senders * o.rate * (o.clients - 1)).toLocaleString("en-US")} deliveries/s offered), ` +
    `${o.warmup} s warm-up, ${o.seconds} s measured, up to ${o.drain} s drain`
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
    if (r.loginFailures > 0) notes.push(`${name}: ${r.loginFailures} logins failed; the figures are for ${r.clients} clients.`);
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
    if (Math.max(r.generatorCpuPercent, r.generatorCoreBusyPercent) > 85) {
      notes.push(
        `${name}: the load generator's core was ${Math.max(r.generatorCpuPercent, r.generatorCoreBusyPercent).toFixed(0)}% busy; throughput and latency may be bounded by the generator, not the server.`,
      );
    }
    if (r.dropped > 0) notes.push(`${name}: the server disconnected ${r.dropped} logged-in clients during the run (output cap?).`);
    if (r.duplicates > 0 || r.parseErrors > 0) notes.push(`${name}: ${r.duplicates} over-deliveries and ${r.parseErrors} unparsable markers.`);
    if (r.warnings > 0) notes.push(`${name}: logged ${r.warnings} lines at warn level or above.`);
  }
  return notes.map((n) => `- ${n}`).join("\n");
}

/** The value at quantile `q` (0..1) of an ascending array, nearest rank; NaN if empty. */
export function quantile(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
