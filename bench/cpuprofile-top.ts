/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and
 * the same grouped by file, optionally only over the benchmark's measured window.
 *
 *   node dist/bench/cpuprofile-top.js DIR|FILE.cpuprofile [--top 25] [--all]
 *
 * Given a directory, it reads the newest *.cpuprofile in it and, unless --all, the window.json
 * that `broadcast.js --profile DIR` writes there ({startMicros, endMicros} on the monotonic
 * clock, which is also the clock of V8's profile timestamps), keeping only samples inside it.
 */
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: "string", default: "25" }, all: { type: "boolean", default: false } },
  allowPositionals: true,
});
const target = positionals[0];
if (target === undefined) {
  process.stderr.write("usage: node dist/bench/cpuprofile-top.js DIR|FILE.cpuprofile [--top 25] [--all]\n");
  process.exit(2);
}

let file = target;
let window: { startMicros: number; endMicros: number } | undefined;
if (statSync(target).isDirectory()) {
  const profiles = readdirSync(target)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(target, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (profiles[0] === undefined) {
    process.stderr.write(`no .cpuprofile in ${target}\n`);
    process.exit(1);
  }
  file = profiles[0];
  const windowFile = path.join(target, "window.json");
  if (!values.all && existsSync(windowFile)) window = JSON.parse(readFileSync(windowFile, "utf8")) as typeof window;
}

const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map<number, ProfileNode>();
for (const node of profile.nodes) byId.set(node.id, node);

const selfTime = new Map<number, number>();
let t = profile.startTime;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i] ?? 0;
  t += delta;
  if (window !== undefined && (t < window.startMicros || t > window.endMicros)) continue;
  const id = profile.samples[i]!;
  selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
  total += delta;
}

const short = (url: string): string => {
  if (url === "") return "";
  const clean = url.replace(/^file:\/\//, "");
  const dist = clean.lastIndexOf("/dist/");
  if (dist >= 0) return clean.slice(dist + 1);
  const modules = clean.lastIndexOf("/node_modules/");
  if (modules >= 0) return clean.slice(modules + 1);
  return clean;
};

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, micros] of selfTime) {
  const frame = byId.get(id)!.callFrame;
  const where = short(frame.url);
  const name = `${frame.functionName || "(anonymous)"}${where ? `  ${where}:${frame.lineNumber + 1}` : ""}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  const group = where === "" ? frame.functionName || "(native)" : where.startsWith("node:") ? "node: internals" : where;
  byFile.set(group, (byFile.get(group) ?? 0) + micros);
}

const top = Number(values.top);
const print = (title: string, table: Map<string, number>): void => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, micros] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * micros) / total).toFixed(1).padStart(6)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
  }
};
process.stdout.write(
  `${file}\n${window ? `measured window only: ${((window.endMicros - window.startMicros) / 1e6).toFixed(1)} s` : "whole profile"}, ` +
    `${(total / 1e6).toFixed(2)} s sampled\n`,
);
print("self time by function", byFunction);
print("self time by file", byFile);
