/**
 * Micro-benchmarks of the hot paths (issue 11): `npm run bench:micro`. Their own config, so
 * `vitest run` (npm test, which includes test/**\/*.test.ts only) never runs them, and these
 * never run a test. One fork at a time: the figures are per core, and a second worker would
 * share the core with the first.
 */
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: path.resolve(import.meta.dirname, "../.."),
  test: {
    include: [],
    benchmark: { include: ["bench/micro/**/*.bench.ts"] },
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
  },
});
