/**
 * The server process, as `node dist/src/main.js`: the same as `loom start` (src/cli/), with
 * the same `--config` option and environment. Kept as an entry of its own because it is the
 * one file a process supervisor needs, and the process tests (test/process/) run it.
 */
import { runServerProcess } from "./cli/run-server.js";

void runServerProcess(process.argv.slice(2), process.env);
