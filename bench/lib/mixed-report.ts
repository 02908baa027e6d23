/**
 * The mixed-play bench's figures and report (issue 11, target 5): one table of the run, one
 * table of round trips per kind of command, and notes on anything that makes a figure suspect
 * (a busy generator, other work on the cores, players cut off, commands lost).
 */
import { COMMAND_KINDS, type CommandKind } from "./mixed-mix.js";
import type { KindFigures } from "./mixed-players.js";
import { quantile } from "./report.js";

/** Target 5: the command round trip's p99, in ms. */
export const TARGET_P99_MS = 25;

/** The round trips of one kind of command (or of all), as reported. */
export interface RoundTripRow {
  readonly sent: number;
  readonly answered: number;
  readonly unanswered: number;
  readonly notSent: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** A kind's figures as a row: counts and nearest-rank quantiles. */
export function roundTripRow(f: Omit<KindFigures, "roundTrips">, roundTrips: Float32Array): RoundTripRow {
  return {
    sent: f.sent,
    answered: f.answered,
    unanswered: f.unanswered,
    notSent: f.notSent,
    p50Ms: quantile(roundTrips, 0.5),
    p95Ms: quantile(roundTrips, 0.95),
    p99Ms: quantile(roundTrips, 0.99),
    maxMs: quantile(roundTrips, 1),
  };
}

/** Every figure of one run (also the JSON's `result`). */
export interface MixedResult {
  readonly players: number;
  readonly playersByDoor: Readonly<Record<string, number>>;
  readonly loginFailures: number;
  readonly loginSeconds: number;
  readonly rooms: number;
  /** Players per grid room at the end of the window (by the players' own walks). */
  readonly playersPerRoomMin: number;
  readonly playersPerRoomMax: number;
  readonly intervalSeconds: number;
  readonly mix: string;
  readonly windowSeconds: number;
  readonly commandsPerSecond: number;
  readonly kinds: Readonly<Record<CommandKind, RoundTripRow>>;
  readonly all: RoundTripRow;
  readonly targetP99Ms: number;
  readonly targetMet: boolean;
  /** Says and channel lines owed to other players per second, from the mix and the average room. */
  readonly offeredMarkersPerSecond: number;
  /** Messages Loom queued to sessions (loom_deliveries_total): answers, says, comings and goings, channel lines. */
  readonly serverDeliveriesPerSecond: number;
  /** Connections' output Loom handed to the kernel (loom_output_flushes_total), a write each: half the loop's time at 10,000. */
  readonly serverFlushesPerSecond: number;
  /** Other players' says and channel lines the players received (markers less their own echoes). */
  readonly bystanderMarkersPerSecond: number;
  readonly bytesReceivedPerSecond: number;
  readonly readsPerSecond: number;
  /** Commands Loom dropped at its flood limit (loom_commands_dropped_total), in the window. */
  readonly serverCommandsDropped: number;
  readonly serverCpuPercent: number;
  readonly serverSystemPercent: number;
  readonly serverCoreBusyPercent: number;
  /** Busy seconds of Loom's loop (loom_event_loop_busy_seconds_total) ÷ wall seconds, over the window. */
  readonly eventLoopUtilisation: number;
  /** The worst p99 and max of loom_event_loop_delay_seconds polled each second in the window. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  readonly rssLoggedInMb: number;
  readonly rssEndMb: number;
  readonly rssPeakMb: number;
  readonly generatorCpuPercent: number;
  readonly generatorCoreBusyPercent: number;
  readonly backgroundCore0Percent: number;
  readonly backgroundCore1Percent: number;
  readonly dropped: number;
  readonly warnings: number;
}

function format(value: number, digits: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const n0 = (v: number): string => format(v, 0);
const ms = (v: number): string => (Number.isFinite(v) ? `${format(v, v < 10 ? 2 : 1)} ms` : "n/a");
const pct = (v: number): string => `${format(v, 0)}%`;

/** Renders rows as a markdown table, the first column left-aligned and the rest right. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...lines.map((l) => (l[col] ?? "").length)));
  const render = (cells: readonly string[]): string =>
    `| ${cells.map((c, col) => (col === 0 ? c.padEnd(widths[col]!) : c.padStart(widths[col]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, col) => (col === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [render(header), rule, ...rows.map(render)].join("\n");
}

/** The run's table: figure, value. */
export function renderRunTable(r: MixedResult): string {
  const doors = Object.entries(r.playersByDoor)
    .map(([door, count]) => `${n0(count)} ${door}`)
    .join(" / ");
  const rows: [string, string][] = [
    ["players logged in (by door)", `${n0(r.players)} (${doors})`],
    ["login time (seeded cheap hash)", `${format(r.loginSeconds, 1)} s`],
    ["grid rooms; players per room min–max", `${n0(r.rooms)}; ${n0(r.playersPerRoomMin)}–${n0(r.playersPerRoomMax)}`],
    ["commands/s (one per player every N s)", `${n0(r.commandsPerSecond)} (every ${format(r.intervalSeconds, 1)} s; ${r.mix})`],
    [`round trip p50 / p95 / p99 / max, all commands`, `${ms(r.all.p50Ms)} / ${ms(r.all.p95Ms)} / ${ms(r.all.p99Ms)} / ${ms(r.all.maxMs)}`],
    [`target 5: p99 ≤ ${r.targetP99Ms} ms`, r.targetMet ? "met" : "missed"],
    ["answered; unanswered; not sent (backlog)", `${n0(r.all.answered)} of ${n0(r.all.sent)}; ${n0(r.all.unanswered)}; ${n0(r.all.notSent)}`],
    ["says + chat lines to others/s: offered / received", `${n0(r.offeredMarkersPerSecond)} / ${n0(r.bystanderMarkersPerSecond)}`],
    ["messages queued by Loom/s (all kinds)", n0(r.serverDeliveriesPerSecond)],
    ["socket writes by Loom/s (messages per write)", `${n0(r.serverFlushesPerSecond)} (${format(r.serverDeliveriesPerSecond / r.serverFlushesPerSecond, 2)})`],
    ["received by the players: KiB/s; reads/s", `${n0(r.bytesReceivedPerSecond / 1024)}; ${n0(r.readsPerSecond)}`],
    ["event-loop utilisation (window)", format(r.eventLoopUtilisation, 2)],
    ["event-loop delay p99 / max (worst 10 s window seen)", `${ms(r.loopDelayP99Ms)} / ${ms(r.loopDelayMaxMs)}`],
    ["server CPU, % of a core (kernel part)", `${pct(r.serverCpuPercent)} (${pct(r.serverSystemPercent)})`],
    ["server core busy", pct(r.serverCoreBusyPercent)],
    ["server RSS logged in / end / peak", `${n0(r.rssLoggedInMb)} / ${n0(r.rssEndMb)} / ${n0(r.rssPeakMb)} MiB`],
    ["commands dropped by Loom's flood limit", n0(r.serverCommandsDropped)],
    ["generator CPU, % of its core; its core busy", `${pct(r.generatorCpuPercent)}; ${pct(r.generatorCoreBusyPercent)}`],
  ];
  return table(["figure", "Loom"], rows);
}

/** Round trips per kind of command. */
export function renderKindTable(r: MixedResult): string {
  const row = (label: string, k: RoundTripRow): string[] => [
    label,
    n0(k.sent),
    n0(k.answered),
    n0(k.unanswered),
    ms(k.p50Ms),
    ms(k.p95Ms),
    ms(k.p99Ms),
    ms(k.maxMs),
  ];
  return table(
    ["command", "sent", "answered", "unanswered", "p50", "p95", "p99", "max"],
    [...COMMAND_KINDS.filter((k) => r.kinds[k].sent > 0).map((k) => row(k, r.kinds[k])), row("all", r.all)],
  );
}

/** Notes under the tables: what makes a figure suspect. */
export function renderMixedNotes(r: MixedResult): string {
  const notes: string[] = [
    "Round trip: the write of a command to the read holding its answer (look, walk: the room's name; say, chat: the echo of the command's own marker), on the generator's clock, over every command sent in the window.",
  ];
  if (r.loginFailures > 0) notes.push(`${n0(r.loginFailures)} logins failed; the figures are for ${n0(r.players)} players.`);
  if (Math.max(r.backgroundCore0Percent, r.backgroundCore1Percent) > 10) {
    notes.push(
      `Other work kept the cores ${r.backgroundCore0Percent.toFixed(0)}% and ${r.backgroundCore1Percent.toFixed(0)}% busy just before the run; the figures are suspect — rerun on a quiet machine.`,
    );
  }
  const uncharged = r.serverCoreBusyPercent - r.serverCpuPercent;
  if (uncharged > 10) notes.push(`The server's core was ${uncharged.toFixed(0)}% busy with work not charged to the server (softirq, other processes).`);
  if (r.generatorCpuPercent > 85) {
    notes.push(`The load generator used ${r.generatorCpuPercent.toFixed(0)}% of its core: the round trips include its own queueing; the generator, not only the server, is the limit.`);
  } else if (r.generatorCoreBusyPercent > 85) {
    notes.push(
      `The generator's core was ${r.generatorCoreBusyPercent.toFixed(0)}% busy (the generator ${r.generatorCpuPercent.toFixed(0)}%, the rest other work): the round trips may include waiting for that core.`,
    );
  }
  if (r.all.unanswered > 0) notes.push(`${n0(r.all.unanswered)} commands were not answered in time (counted, not timed).`);
  if (r.all.notSent > 0) notes.push(`${n0(r.all.notSent)} commands were not sent: their player already had 8 in flight.`);
  if (r.serverCommandsDropped > 0) notes.push(`Loom dropped ${n0(r.serverCommandsDropped)} commands at its flood limit.`);
  if (r.dropped > 0) notes.push(`The server disconnected ${n0(r.dropped)} logged-in players during the run.`);
  if (r.warnings > 0) notes.push(`Loom logged ${n0(r.warnings)} lines at warn level or above.`);
  return notes.map((n) => `- ${n}`).join("\n");
}
