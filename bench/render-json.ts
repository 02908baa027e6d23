/**
 * Prints the report of a saved run again, from the JSON that `broadcast.js --json FILE` wrote:
 *
 *   node dist/bench/render-json.js FILE
 */
import { readFileSync } from "node:fs";
import type { MachineInfo } from "./lib/proc.js";
import { describeLoad, renderHeader, renderNotes, renderTable, type LoadShape, type RunResult, type RunSkipped } from "./lib/report.js";

interface Saved {
  readonly machine: MachineInfo;
  // Runs saved before issue 11 have no scenario, sample or ramp: they were fanout, all timed.
  readonly options: { clients: number; senders: number; rate: number; seconds: number; warmup: number; drain: number } & Partial<
    Pick<LoadShape, "scenario" | "sample" | "ramp" | "doors" | "slowReaders" | "pad">
  >;
  readonly pinning: string;
  readonly results: (RunResult | RunSkipped)[];
}

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write("usage: node dist/bench/render-json.js FILE\n");
  process.exit(2);
}
const saved = JSON.parse(readFileSync(file, "utf8")) as Saved;
const load = describeLoad({ scenario: "fanout", sample: 1, ramp: false, ...saved.options });
process.stdout.write(
  [renderHeader(saved.machine, load, saved.pinning), "", renderTable(saved.results), "", renderNotes(saved.results), ""].join("\n"),
);
