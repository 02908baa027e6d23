/**
 * What the benchmark reads from Linux about a process and the machine: CPU time from
 * /proc/<pid>/stat, resident memory from /proc/<pid>/status, the CPU model from /proc/cpuinfo,
 * and the versions of the runtimes under test.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat (almost always 100). */
export const CLOCK_TICKS: number = readClockTicks();

function readClockTicks(): number {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/** CPU time a process (all its threads) has used, in seconds. */
export interface CpuTime {
  readonly user: number;
  readonly system: number;
}

/** utime and stime of `pid`, or undefined if the process is gone. */
export function readCpuTime(pid: number): CpuTime | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Field 2 (comm) is in parentheses and may hold spaces: count fields after the last ")".
  // What follows is field 3 (state) onwards; utime is field 14, stime field 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return { user: utime / CLOCK_TICKS, system: stime / CLOCK_TICKS };
}

/** Where one core's time went since boot, in seconds (from /proc/stat). */
export interface CoreTime {
  /** user + nice + system + irq + softirq: everything but idle, iowait and steal. */
  readonly busy: number;
  /** The softirq part: network receive processing that the kernel may run in ksoftirqd. */
  readonly softirq: number;
  /** Time the hypervisor ran something else. */
  readonly steal: number;
  /** All of it. */
  readonly total: number;
}

/** The share of a core's time that was busy between two readings, in %; NaN without both. */
export function busyPercent(a: CoreTime | undefined, b: CoreTime | undefined): number {
  return a === undefined || b === undefined || b.total <= a.total ? Number.NaN : (100 * (b.busy - a.busy)) / (b.total - a.total);
}

/** How busy each of `cores` is over the next `ms`, in % (the "other load before run" figures). */
export async function sampleCores(cores: readonly number[], ms: number): Promise<number[]> {
  const before = cores.map((c) => readCoreTime(c));
  await new Promise((resolve) => setTimeout(resolve, ms));
  return cores.map((c, i) => busyPercent(before[i], readCoreTime(c)));
}

/** The generator's core: each bench pins itself there. */
export const GENERATOR_CORE = 1;
/** The server's core. */
export const SERVER_CORE = 0;

/** Everything a bench reads at each edge of its measured window. */
export interface WindowMark {
  /** The server's CPU time (undefined: it is gone). */
  readonly cpu: CpuTime | undefined;
  /** The server's core and the generator's core (undefined when unpinned). */
  readonly core: CoreTime | undefined;
  readonly generatorCore: CoreTime | undefined;
  /** The generator's own CPU, as `process.cpuUsage()` gives it. */
  readonly generatorCpu: NodeJS.CpuUsage;
  /** CLOCK_MONOTONIC in ns, the clock of V8's profile timestamps too. */
  readonly monotonicNs: bigint;
}

/** Reads one edge of the window: server `pid` pinned to `serverCore` (or unpinned), this process on {@link GENERATOR_CORE}. */
export function markWindow(pid: number, serverCore: number | undefined): WindowMark {
  return {
    cpu: readCpuTime(pid),
    core: serverCore === undefined ? undefined : readCoreTime(serverCore),
    generatorCore: serverCore === undefined ? undefined : readCoreTime(GENERATOR_CORE),
    generatorCpu: process.cpuUsage(),
    monotonicNs: process.hrtime.bigint(),
  };
}

/** The generator's CPU between two marks, in µs. */
export function generatorCpuBetween(from: WindowMark, to: WindowMark): NodeJS.CpuUsage {
  return { user: to.generatorCpu.user - from.generatorCpu.user, system: to.generatorCpu.system - from.generatorCpu.system };
}

/** For `--profile`: the window's bounds beside the profile, so cpuprofile-top.js can keep only the window's samples. */
export function writeProfileWindow(dir: string, from: WindowMark, to: WindowMark, pid: number): void {
  writeFileSync(
    path.join(dir, "window.json"),
    JSON.stringify({ startMicros: Number(from.monotonicNs / 1000n), endMicros: Number(to.monotonicNs / 1000n), pid }),
  );
}

/** The times of core `core`, or undefined if /proc/stat has no such line. */
export function readCoreTime(core: number): CoreTime | undefined {
  let stat: string;
  try {
    stat = readFileSync("/proc/stat", "utf8");
  } catch {
    return undefined;
  }
  const match = new RegExp(`^cpu${core} (.+)$`, "m").exec(stat);
  if (!match) return undefined;
  // user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = match[1]!
    .trim()
    .split(/\s+/)
    .map(Number);
  const busy = user + nice + system + irq + softirq;
  return {
    busy: busy / CLOCK_TICKS,
    softirq: softirq / CLOCK_TICKS,
    steal: steal / CLOCK_TICKS,
    total: (busy + idle + iowait + steal) / CLOCK_TICKS,
  };
}

/** A `/proc/<pid>/status` field in KiB (VmRSS, VmHWM), or undefined if the process is gone. */
export function readStatusKb(pid: number, field: "VmRSS" | "VmHWM"): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) : undefined;
}

/** The machine and runtimes, for the report header. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly python: string;
  readonly twisted: string;
}

/** The CPU model as /proc/cpuinfo names it. */
export function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match) return match[1]!.trim();
  } catch {
    // not Linux, or /proc not mounted: fall through
  }
  return os.cpus()[0]?.model ?? "unknown";
}

/** Python's version, or a note saying why there is none. */
export function pythonVersion(python: string): string {
  const r = spawnSync(python, ["-c", "import sys; print(sys.version.split()[0])"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : `not available (${python})`;
}

/** Twisted's version under `python`, or undefined if `import twisted` fails. */
export function twistedVersion(python: string): string | undefined {
  const r = spawnSync(python, ["-c", "import twisted; print(twisted.__version__)"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Everything for the header. */
export function machineInfo(python: string): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    python: pythonVersion(python),
    twisted: twistedVersion(python) ?? "not installed",
  };
}

/** Whether `taskset` (util-linux) can be run. */
export function hasTaskset(): boolean {
  return spawnSync("taskset", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * Pins every thread of this process to `core` (`taskset -a -p`); threads started later inherit
 * it from the thread that starts them. Returns false if that failed.
 */
export function pinSelf(core: number): boolean {
  return pinProcess(process.pid, core);
}

/** Pins every thread of process `pid` to `core` (`taskset -a -p`). Returns false if that failed. */
export function pinProcess(pid: number, core: number): boolean {
  return spawnSync("taskset", ["-a", "-p", "-c", String(core), String(pid)], { stdio: "ignore" }).status === 0;
}

/**
 * Pins one thread, `tid`, to `core` (`taskset -p`, without `-a`); given a process id, that is
 * its main thread, the event loop. Its other threads keep their cores; threads it starts later
 * inherit the pin. Returns false if that failed.
 */
export function pinThread(tid: number, core: number): boolean {
  return spawnSync("taskset", ["-p", "-c", String(core), String(tid)], { stdio: "ignore" }).status === 0;
}

/**
 * Pins this process, the load generator, to {@link GENERATOR_CORE} when `pin` asks for it and
 * the machine allows: then the server's core ({@link SERVER_CORE}); otherwise why pinning is
 * off, for the report's header.
 */
export function pinGenerator(pin: boolean): { readonly serverCore: number } | { readonly off: string } {
  if (!pin) return { off: "off (--no-pin)" };
  if (os.availableParallelism() < 2) return { off: "off: fewer than 2 cores" };
  if (!hasTaskset()) return { off: "off: taskset (util-linux) not found" };
  if (!pinSelf(GENERATOR_CORE)) return { off: `off: taskset -a -p -c ${GENERATOR_CORE} failed` };
  return { serverCore: SERVER_CORE };
}
