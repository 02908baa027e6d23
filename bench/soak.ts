/**
 * The soak: a few hundred normal players chatting in one room for a set time while (with
 * `--attack`) every attack of issue 5 runs at once from other loopback addresses, and the
 * server's file descriptors, memory, event-loop delay and log are watched. Not part of
 * `npm test`; run it with `npm run soak -- --attack`. See docs/benchmarks.md, "Attack soak".
 *
 * Processes: Loom (the built dist/src/main.js, on 127.0.0.1, ports 0, a temp data directory,
 * its log in a file there), this process (players, owner, sampler), and with `--attack` the
 * attacker process (dist/bench/soak-attacker.js) so that the attacks' work never delays the
 * players' clocks. Every loop is bounded; every child is killed and the temp directory removed
 * at the end, on an error and on SIGINT/SIGTERM.
 *
 * Exit code: 0 if the server stayed up and served the normal players, 1 if it stayed up but did
 * not (too many misses, players cut off), 2 if it crashed, 3 if the soak could not set up.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findProjectRoot } from "../src/config/project-root.js";
import type { AttackCounters } from "./lib/attack-context.js";
import { ATTACK_IDS } from "./lib/attacks.js";
import { killChildrenNow, trackChild } from "./lib/children.js";
import { CommandLine } from "./lib/command-line.js";
import { cpuModel, readCpuTime } from "./lib/proc.js";
import { Owner } from "./lib/soak-owner.js";
import { Crowd } from "./lib/soak-players.js";
import { renderReport, served, type SoakResult } from "./lib/soak-report.js";
import { Sampler, get, parseMetrics } from "./lib/soak-sampler.js";
import { logBytes, logTail, type SoakServer, startSoakServer } from "./lib/soak-server.js";
import type { AttackerOrder, AttackerReport } from "./soak-attacker.js";

const USAGE = `Usage: node dist/bench/soak.js [options]   (npm run soak -- [options])

  --attack         run every attack of issue 5 at the same time as the players
  --seconds N      length of the run (default 60, at most 3600)
  --players N      normal players (default 300, at most 2000)
  --attacks LIST   only these attacks, by id: 1,2,3a,3b,4a,4b,5,6a,6b (default all; implies --attack)
  --json FILE      also write every figure as JSON
  --keep           keep the temp directory (Loom's data and log) and print its path
  -h, --help       this text
`;

const PASSWORD = "soak-pass-7";
/** Normal players per source address: at most Loom's default 5 creations per address per hour. */
const PLAYERS_PER_ADDRESS = 4;
const SAY_EVERY_MS = 2000;
/** The log may not grow past this: a safety bound for an unfixed log amplification. */
const MAX_LOG_BYTES = 2 * 2 ** 30;

interface Options {
  readonly attack: boolean;
  readonly only: readonly string[] | undefined;
  readonly seconds: number;
  readonly players: number;
  readonly json: string | undefined;
  readonly keep: boolean;
}

/** Usage errors exit 3, like every failure to set up. */
const commandLine = new CommandLine(USAGE, 3);

function parseOptions(): Options {
  const v = commandLine.parse({
    attack: { type: "boolean", default: false },
    attacks: { type: "string" },
    seconds: { type: "string", default: "60" },
    players: { type: "string", default: "300" },
    json: { type: "string" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  const only = v.attacks?.split(",").map((a) => a.trim().toLowerCase());
  for (const id of only ?? []) if (!ATTACK_IDS.includes(id)) commandLine.fail(`--attacks takes ${ATTACK_IDS.join(", ")} (got "${id}")`);
  return {
    attack: v.attack || only !== undefined,
    only,
    seconds: commandLine.number("seconds", v.seconds, 5, 3600, true),
    players: commandLine.number("players", v.players, 3, 2000, true),
    json: v.json,
    keep: v.keep,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const began = performance.now();
function progress(message: string): void {
  process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
}

/** Everything to undo if the process is interrupted. */
const cleanup = { tmp: undefined as string | undefined, keep: false, crowd: undefined as Crowd | undefined };
function cleanupNow(): void {
  cleanup.crowd?.closeAll();
  cleanup.crowd = undefined;
  killChildrenNow();
  if (cleanup.tmp !== undefined && !cleanup.keep) rmSync(cleanup.tmp, { recursive: true, force: true });
  cleanup.tmp = undefined;
}

/** The attacker process, and its latest counters. */
interface Attacker {
  readonly child: ChildProcess;
  counters: readonly AttackCounters[];
  readonly ready: Promise<void>;
  readonly done: Promise<void>;
}

/** Forks the attacker process and has it prepare (the spammers log in); `ready` resolves when it has. */
function forkAttacker(order: AttackerOrder): Attacker {
  const child = fork(path.join(import.meta.dirname, "soak-attacker.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  trackChild(child);
  let onReady: (() => void) | undefined;
  const attacker: Attacker = {
    child,
    counters: [],
    ready: new Promise<void>((resolve, reject) => {
      onReady = resolve;
      child.once("exit", (code) => reject(new Error(`the attacker process exited while preparing (code ${code})`)));
    }),
    done: new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
    }),
  };
  attacker.ready.catch(() => {});
  child.on("message", (report: AttackerReport) => {
    attacker.counters = report.counters;
    if (report.type === "ready") onReady?.();
  });
  child.send(order);
  return attacker;
}

async function stopAttacker(attacker: Attacker): Promise<void> {
  if (attacker.child.connected) attacker.child.send({ type: "stop" } satisfies AttackerOrder);
  const timedOut = await Promise.race([attacker.done.then(() => false), sleep(15_000).then(() => true)]);
  if (timedOut) {
    progress("the attacker process did not stop within 15 s: killed");
    attacker.child.kill("SIGKILL");
  }
}

/** Lines, and lines at pino level 40 (warn) or above, in the log (read as a stream). */
async function countLogLines(file: string): Promise<{ lines: number; warn: number }> {
  let lines = 0;
  let warn = 0;
  let carry = "";
  for await (const chunk of createReadStream(file, { encoding: "latin1", highWaterMark: 1 << 20 })) {
    const text = carry + (chunk as string);
    const parts = text.split("\n");
    carry = parts.pop() ?? "";
    lines += parts.length;
    for (const p of parts) if (/"level":[456]\d/.test(p)) warn++;
  }
  return { lines, warn };
}

async function main(): Promise<number> {
  const options = parseOptions();
  const root = findProjectRoot();
  const tmp = mkdtempSync(path.join(os.tmpdir(), "loom-soak-"));
  cleanup.tmp = tmp;
  cleanup.keep = options.keep;

  progress(`starting Loom (data and log in ${tmp})`);
  const server: SoakServer = await startSoakServer(root, tmp);
  progress(`Loom is up: pid ${server.pid}, telnet ${server.ports.telnet}, line ${server.ports.line}, http ${server.ports.http}`);

  const owner = new Owner(server.ports, "soakowner", PASSWORD);
  const created = await owner.create();
  if (created !== "") throw new Error(`could not create the storm's victim ${owner.name}: ${created}`);

  const crowd = new Crowd({
    ports: server.ports,
    players: options.players,
    perAddress: PLAYERS_PER_ADDRESS,
    sayEveryMs: SAY_EVERY_MS,
    password: PASSWORD,
    loginConcurrency: 50,
    loginTimeoutMs: 60_000,
  });
  cleanup.crowd = crowd;
  progress(`logging in ${options.players} players (line, telnet and WebSocket in turn, ${PLAYERS_PER_ADDRESS} per address)`);
  await crowd.login();
  const logins = crowd.figures();
  progress(`${logins.loggedIn} logged in, ${logins.loginFailures} failed in ${logins.loginSeconds.toFixed(1)} s`);
  if (logins.loggedIn < 3) throw new Error(`too few players logged in (${logins.loggedIn}); first failure: ${logins.firstLoginFailure ?? "?"}`);
  const slowReader = options.attack ? crowd.makeSlowReader() : undefined;

  let attacker: Attacker | undefined;
  if (options.attack) {
    progress("the attackers' spammers log in");
    attacker = forkAttacker({ type: "prepare", ports: server.ports, victim: owner.name, slowReader, password: PASSWORD, only: options.only });
    const timedOut = await Promise.race([attacker.ready.then(() => false), sleep(90_000).then(() => true)]);
    if (timedOut) throw new Error("the attacker process was not ready within 90 s");
  }
  const sampler = new Sampler(server.pid, server.ports.http);
  await sleep(1000); // the logins' announcements settle
  sampler.start();
  const start = sampler.sampleNow();
  const cpuStart = readCpuTime(server.pid);
  const runStarted = performance.now();
  crowd.startTalking();
  owner.start(5000);
  attacker?.child.send({ type: "start" } satisfies AttackerOrder);
  progress(`running for ${options.seconds} s${options.attack ? " under attack" : ""}`);

  let stoppedEarly: string | undefined;
  const deadline = runStarted + options.seconds * 1000;
  let nextProgress = runStarted + 10_000;
  while (performance.now() < deadline) {
    await sleep(250);
    if (server.exited() !== undefined) {
      stoppedEarly = "the server exited";
      break;
    }
    if (logBytes(server.logFile) > MAX_LOG_BYTES) {
      stoppedEarly = `the log passed ${MAX_LOG_BYTES / 2 ** 30} GiB`;
      break;
    }
    if (performance.now() >= nextProgress) {
      nextProgress += 10_000;
      const s = sampler.sampleNow();
      const f = crowd.figures();
      const sent = attacker?.counters.reduce((n, a) => n + a.bytes, 0) ?? 0;
      progress(
        `fds ${s.fds ?? "–"}, RSS ${s.rssKb === undefined ? "–" : Math.round(s.rssKb / 1024)} MiB, players live ${crowd.live}, ` +
          `delivered ${f.delivered}/${f.owed}, log ${(logBytes(server.logFile) / 2 ** 20).toFixed(1)} MiB` +
          (attacker ? `, attack bytes ${(sent / 2 ** 20).toFixed(1)} MiB` : ""),
      );
    }
  }
  const seconds = Math.round((performance.now() - runStarted) / 100) / 10;

  progress("stopping the attacks and the chatter; draining");
  if (attacker !== undefined) await stopAttacker(attacker);
  owner.stop();
  crowd.stopTalking();
  await crowd.drain(5000);
  const slow = await crowd.releaseSlowReader(3000);
  for (let i = 0; i < 60 && owner.busy; i++) await sleep(500);
  const cpuEnd = readCpuTime(server.pid);
  sampler.stop();
  const end = sampler.sampleNow();
  const crashedExit = server.exited();
  const healthyAtEnd = crashedExit === undefined && (await get(server.ports.http, "/healthz")).status === 200;
  const figures = crowd.figures();
  crowd.closeAll();

  const metrics: Record<string, number> = {};
  for (const [name, value] of parseMetrics(sampler.metrics.last)) {
    if (/refus|drop|error|throttl|reject|overflow|busy|limit|cut|closed/i.test(name)) metrics[name] = value;
  }
  const logSize = logBytes(server.logFile);
  if (crashedExit === undefined) {
    progress("stopping Loom (SIGTERM)");
    const clean = await server.stop(15_000);
    if (!clean) progress("Loom did not stop within 15 s of SIGTERM: killed");
  }
  const log = await countLogLines(server.logFile);
  const counters = attacker?.counters ?? [];
  const result: SoakResult = {
    date: new Date().toISOString().slice(0, 10),
    machine: {
      cpuModel: cpuModel(),
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      kernel: `${os.type()} ${os.release()}`,
      node: process.version,
    },
    attack: options.attack,
    seconds,
    playersAsked: options.players,
    crowd: figures,
    slowReader: slow,
    owner: owner.figures(),
    samples: sampler.samples,
    start,
    end,
    serverLoopDelay: sampler.serverLoopDelay,
    health: sampler.health,
    serverCpuPercent:
      cpuStart !== undefined && cpuEnd !== undefined
        ? (100 * (cpuEnd.user + cpuEnd.system - cpuStart.user - cpuStart.system)) / ((performance.now() - runStarted) / 1000)
        : undefined,
    logBytes: logSize,
    logLines: log.lines,
    logWarnLines: log.warn,
    attackBytes: counters.reduce((n, a) => n + a.bytes, 0),
    attacks: counters,
    metrics,
    crashed: crashedExit === undefined ? undefined : `exited with code ${crashedExit.code}, signal ${crashedExit.signal}`,
    healthyAtEnd,
    stoppedEarly,
  };
  process.stdout.write(renderReport(result));
  if (options.json !== undefined) {
    writeFileSync(
      options.json,
      JSON.stringify({ ...result, crowd: { ...figures, latencies: undefined }, health: { ...result.health, latencies: undefined } }, null, 2),
    );
  }
  if (options.keep) process.stderr.write(`kept ${tmp} (Loom's data and loom.log)\n`);
  if (result.crashed !== undefined) {
    process.stderr.write(`the server crashed; the end of its log:\n${logTail(server.logFile, 3000)}\n`);
    return 2;
  }
  return served(result) ? 0 : 1;
}

process.on("exit", cleanupNow);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping Loom and the attackers, removing the temp directory\n`);
    cleanupNow();
    process.exit(130);
  });
}

main().then(
  (code) => {
    cleanupNow();
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    cleanupNow();
    process.exit(3);
  },
);
