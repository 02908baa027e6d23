/**
 * Bench-only: preloaded into Loom (`node --expose-gc --import dist/bench/heap-probe.js`) so
 * that broadcast.js can read the server's heap without a change to src/ (issue 11, target 3:
 * report heap and RSS). On SIGUSR2 it collects garbage and writes process.memoryUsage() as
 * JSON to the file named by BENCH_HEAP_PROBE_FILE. Never loaded outside the bench.
 */
import { writeFileSync } from "node:fs";

const file = process.env["BENCH_HEAP_PROBE_FILE"];
if (file !== undefined && file !== "") {
  process.on("SIGUSR2", () => {
    // A full collection first, so the figure is live objects, not garbage not yet collected.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    writeFileSync(file, JSON.stringify(process.memoryUsage()));
  });
}
