/**
 * The soak's report: one table of the run's figures, one of the attacks' counters, and the
 * verdict. Plain text on stdout (Markdown tables, so it can be pasted into docs/benchmarks.md).
 */
import type { AttackCounters } from "./attack-context.js";
import type { OwnerFigures } from "./soak-owner.js";
import type { CrowdFigures, SlowReaderOutcome } from "./soak-players.js";
import type { HealthFigures, Sample, ServerLoopDelay } from "./soak-sampler.js";

/** Everything a run measured. */
export interface SoakResult {
  readonly date: string;
  readonly machine: { readonly cpuModel: string; readonly cores: number; readonly memoryGiB: number; readonly kernel: string; readonly node: string };
  readonly attack: boolean;
  readonly seconds: number;
  readonly playersAsked: number;
  readonly crowd: CrowdFigures;
  readonly slowReader: SlowReaderOutcome | undefined;
  readonly owner: OwnerFigures;
  readonly samples: readonly Sample[];
  /** fds and RSS after the logins, before the run. */
  readonly start: Sample;
  /** fds and RSS a few seconds after the attacks stopped. */
  readonly end: Sample;
  readonly serverLoopDelay: ServerLoopDelay | undefined;
  readonly health: HealthFigures;
  readonly serverCpuPercent: number | undefined;
  readonly logBytes: number;
  readonly logLines: number;
  readonly logWarnLines: number;
  readonly attackBytes: number;
  readonly attacks: readonly AttackCounters[];
  /** Selected counters from the last /metrics, by name. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Whether the server was still running at the end, and how it ended if not. */
  readonly crashed: string | undefined;
  readonly healthyAtEnd: boolean;
  readonly stoppedEarly: string | undefined;
}

/** Nearest-rank quantile of an ascending array; NaN if empty. */
export function q(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const int = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? "–" : Math.round(n).toLocaleString("en-US"));
const ms = (n: number): string => (Number.isFinite(n) ? (n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n).toLocaleString("en-US")} ms`) : "–");
const mib = (kb: number | undefined): string => (kb === undefined ? "–" : `${(kb / 1024).toFixed(0)} MiB`);
const bytes = (n: number): string =>
  n >= 1 << 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;

function table(header: readonly string[], rows: readonly (readonly string[])[], leftColumns = 1): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...all.map((r) => (r[col] ?? "").length)));
  const render = (r: readonly string[]): string =>
    `| ${r.map((c, col) => (col < leftColumns ? c.padEnd(widths[col]!) : c.padStart(widths[col]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, col) => (col < leftColumns ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [render(header), rule, ...rows.map(render)].join("\n");
}

/** Whether the normal players were served: delivered ≥ 99% of what was owed and none was cut off. */
export function served(r: SoakResult): boolean {
  return r.crowd.owed > 0 && r.crowd.delivered / r.crowd.owed >= 0.99 && r.crowd.dropped === 0;
}

/** The report, as printed. */
export function renderReport(r: SoakResult): string {
  const c = r.crowd;
  const fds = r.samples.map((s) => s.fds).filter((n): n is number => n !== undefined);
  const rss = r.samples.map((s) => s.rssKb).filter((n): n is number => n !== undefined);
  const delivered = c.owed === 0 ? "–" : `${((100 * c.delivered) / c.owed).toFixed(2)}%`;
  const rows: string[][] = [
    ["duration", `${r.seconds} s${r.stoppedEarly ? ` (stopped early: ${r.stoppedEarly})` : ""}`],
    ["normal players (line / telnet / ws)", `${c.loggedIn} of ${r.playersAsked} (${c.byDoor.line} / ${c.byDoor.telnet} / ${c.byDoor.ws}), logged in in ${c.loginSeconds.toFixed(1)} s`],
    ["says; deliveries owed", `${int(c.messages)}; ${int(c.owed)}`],
    ["delivered; missed", `${int(c.delivered)} (${delivered}); ${int(c.missed)}`],
    ["say → other player latency p50 / p99 / max", `${ms(q(c.latencies, 0.5))} / ${ms(q(c.latencies, 0.99))} / ${ms(q(c.latencies, 1))}`],
    ["normal players cut off by the server", c.dropped === 0 ? "0" : `${c.dropped} (${Object.entries(c.dropReasons).map(([k, v]) => `${v} ${k}`).join(", ")})`],
    ["server fds start / max / end", `${int(r.start.fds)} / ${int(Math.max(...fds))} / ${int(r.end.fds)}`],
    ["server RSS start / max / end", `${mib(r.start.rssKb)} / ${mib(Math.max(...rss))} / ${mib(r.end.rssKb)}`],
    ["server CPU, mean % of a core", r.serverCpuPercent === undefined ? "–" : `${r.serverCpuPercent.toFixed(0)}%`],
  ];
  if (r.serverLoopDelay !== undefined) {
    const d = r.serverLoopDelay;
    rows.push([
      "event-loop delay (server's /metrics) p99 / max",
      `${ms(Math.max(...d.p99))} / ${d.max.length > 0 ? ms(Math.max(...d.max)) : "–"}`,
    ]);
  }
  const h = r.health;
  rows.push(
    [
      "GET /healthz every 200 ms, p50 / p99 / max",
      `${ms(q(h.latencies, 0.5))} / ${ms(q(h.latencies, 0.99))} / ${ms(q(h.latencies, 1))}; ${h.failed} failed, ${h.late} skipped (one still pending) of ${h.probes}`,
    ],
    ["server log (bytes, lines, warn+)", `${bytes(r.logBytes)}, ${int(r.logLines)} lines, ${int(r.logWarnLines)} at warn or above`],
  );
  if (r.attack) {
    rows.push(["attack input (bytes sent by the attackers)", bytes(r.attackBytes)]);
    rows.push(["log bytes ÷ attack bytes", r.attackBytes > 0 ? (r.logBytes / r.attackBytes).toFixed(3) : "–"]);
    const o = r.owner;
    rows.push([
      `storm victim's own logins (${o.name}, every 5 s)`,
      `${o.ok} of ${o.attempts} got in` +
        (o.latencies.length > 0 ? ` (p50 ${ms(q(o.latencies, 0.5))}, max ${ms(q(o.latencies, 1))})` : "") +
        Object.entries(o.refused).map(([k, v]) => `; ${v}× "${k}"`).join(""),
    ]);
    if (r.slowReader !== undefined) {
      const s = r.slowReader;
      rows.push([`slow reader (${s.name}) under the tell flood`, `${s.fate}; ${bytes(s.backlogBytes)} backlog read at the end; drop notice: ${s.droppedNotice ? "yes" : "no"}`]);
    }
  }
  const parts = [
    `machine: ${r.machine.cpuModel}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.kernel}; node ${r.machine.node}; ${r.date}`,
    `soak: ${r.attack ? "with attacks" : "no attacks"}, ${r.playersAsked} players saying a line every 2 s; server, players and attackers share the machine (no pinning)`,
    "",
    table(["figure", "value"], rows),
  ];
  if (r.attack) {
    const attackRows = r.attacks.map((a) => [
      a.name,
      int(a.sent),
      bytes(a.bytes),
      int(a.connections),
      int(a.refused),
      int(a.closedByServer),
      int(a.errors),
      Object.entries(a.extra)
        .map(([k, v]) => `${k}: ${int(v)}`)
        .join("; "),
    ]);
    parts.push("", table(["attack", "sent", "bytes", "conns", "refused", "closed by server", "errors", "details"], attackRows, 1));
  }
  const metricRows = Object.entries(r.metrics).map(([k, v]) => [k, int(v)]);
  if (metricRows.length > 0) parts.push("", "Loom's /metrics at the end (counters that name refusals, drops, errors, throttles):", "", table(["metric", "value"], metricRows));
  const notes: string[] = [];
  if (r.serverLoopDelay === undefined) {
    notes.push("Loom's /metrics has no event-loop delay gauge yet: the /healthz row (a fresh connection and GET every 200 ms from 127.0.0.1, 2 s timeout) is the outside measure of the loop's delay.");
  } else {
    notes.push(`event-loop delay read from ${r.serverLoopDelay.names.join(", ")} (max over the per-second samples); /healthz is the outside measure.`);
  }
  notes.push("Latency is the send time carried in each say to its arrival at another player, on the soak's clock: it includes the soak process's own delays.");
  if (c.loginFailures > 0) notes.push(`${c.loginFailures} players failed to log in; first: ${c.firstLoginFailure ?? "?"}`);
  if (r.crashed !== undefined) notes.push(`THE SERVER CRASHED: ${r.crashed}`);
  else if (!served(r)) {
    notes.push(
      `THE SERVER STAYED UP BUT DID NOT SERVE THE NORMAL PLAYERS: ${delivered} of the owed deliveries arrived (99% needed) and ${c.dropped} players were cut off (0 allowed).`,
    );
  } else notes.push("The server stayed up and served the normal players.");
  if (!r.healthyAtEnd && r.crashed === undefined) notes.push("/healthz did not answer 200 at the end.");
  parts.push("", ...notes.map((n) => `- ${n}`));
  return parts.join("\n") + "\n";
}
